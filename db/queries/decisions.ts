import { and, count, desc, eq, lt } from "drizzle-orm";
import type { Database } from "../client";
import { decisions } from "../schema";

/** The decisions log of a data set, newest first, optionally of one reviewer (keyset by id). */
export async function listDecisions(
  database: Database,
  datasetId: number,
  opts: { actor?: string; before?: number; limit?: number } = {},
) {
  const limit = opts.limit ?? 100;
  const rows = await database.db
    .select({
      id: decisions.id,
      recordId: decisions.recordId,
      actor: decisions.actor,
      action: decisions.action,
      reason: decisions.reason,
      bulkRuleId: decisions.bulkRuleId,
      undoesId: decisions.undoesId,
      createdAt: decisions.createdAt,
    })
    .from(decisions)
    .where(
      and(
        eq(decisions.datasetId, datasetId),
        opts.actor ? eq(decisions.actor, opts.actor) : undefined,
        opts.before ? lt(decisions.id, opts.before) : undefined,
      ),
    )
    .orderBy(desc(decisions.id))
    .limit(limit + 1);
  return { rows: rows.slice(0, limit), more: rows.length > limit };
}

/** Decisions per reviewer on a data set. */
export async function decisionsByActor(database: Database, datasetId: number) {
  return database.db
    .select({ actor: decisions.actor, decisions: count() })
    .from(decisions)
    .where(eq(decisions.datasetId, datasetId))
    .groupBy(decisions.actor)
    .orderBy(desc(count()));
}
