import { type SQL, sql } from "drizzle-orm";
import { type BulkAction, type BulkRule, type BulkTarget, describeBulkAction } from "@/lib/review/bulk";
import type { Database, RawSql } from "../client";
import { autovacuumRuns } from "../maintenance";
import type { BulkRuleRow } from "../schema";
import { byKey, refreshFlagSummary, refreshTeacherMargin } from "./derived";
import { bigintArray, filterCondition, REVIEW_FROM, rawQuery, STATE_AS_RECORDS, textArray } from "./filter";

/**
 * Bulk rules, set-based: a rule over 100,000 records is a handful of statements in one
 * transaction, not 100,000 round trips. Every changed record gets its own decision (with the
 * rule's id and a status patch as before/after) and a new version, so reviewers holding an older
 * version are refused, exactly as with single decisions.
 *
 * A rule finds its records in record_state alone (STATE_AS_RECORDS: the state holds every column a
 * filter reads), never reading the records' text, and locks their states in key order — as the
 * records triggers do — so that two writers cannot deadlock.
 */

export class BulkRuleError extends Error {
  override name = "BulkRuleError";
}

function targetCondition(datasetId: number, target: BulkTarget): SQL {
  if ("ids" in target) {
    return sql`r.dataset_id = ${datasetId} AND r.id = ANY(${bigintArray(target.ids)})`;
  }
  return filterCondition(datasetId, target.filter);
}

const currentRun = (datasetId: number) => sql`(SELECT flags_run_id FROM datasets WHERE id = ${datasetId})`;

/** Negatives the action would drop: kept, and flagged (current run) with one of the defects. */
function flaggedNegatives(datasetId: number, cond: SQL, defects: readonly string[]): SQL {
  return sql`SELECT DISTINCT n.id AS negative_id, n.record_id, n.position
               FROM ${STATE_AS_RECORDS}
               JOIN flags fl ON fl.record_id = r.id AND fl.dataset_id = r.dataset_id
               JOIN negatives n ON n.id = fl.negative_id
              WHERE ${cond} AND fl.run_id = ${currentRun(datasetId)} AND fl.target = 'negative'
                AND fl.defect = ANY(${textArray(defects)}) AND n.status = 'kept'`;
}

/** Records the action would change (the condition over `records r` and its state `s`). */
function changes(datasetId: number, cond: SQL, action: BulkAction): SQL {
  switch (action.type) {
    case "accept":
      return sql`${cond} AND s.status <> 'accepted'`;
    case "reject":
      return sql`${cond} AND s.status <> 'rejected'`;
    case "drop_flagged_negatives":
      return sql`${cond} AND r.id IN (SELECT record_id FROM (${flaggedNegatives(datasetId, cond, action.defects)}) h)`;
  }
}

export interface BulkPreview {
  /** Records the rule matches, and those it would change (the others are already in that state). */
  matched: number;
  changed: number;
  /** Negatives it would drop (drop_flagged_negatives). */
  negatives: number;
  sample: { id: number; status: string; task: string | null; query: string }[];
}

export async function previewBulkRule(
  database: Database,
  datasetId: number,
  rule: Pick<BulkRule, "target" | "action">,
): Promise<BulkPreview> {
  const cond = targetCondition(datasetId, rule.target);
  const change = changes(datasetId, cond, rule.action);
  const [counts] = await rawQuery<{ matched: string | number; changed: string | number }>(
    database.raw,
    sql`SELECT count(*) AS matched,
               count(*) FILTER (WHERE r.id IN (SELECT r.id FROM ${STATE_AS_RECORDS} WHERE ${change})) AS changed
          FROM ${STATE_AS_RECORDS} WHERE ${cond}`,
  );
  let negatives = 0;
  if (rule.action.type === "drop_flagged_negatives") {
    const [n] = await rawQuery<{ n: string | number }>(
      database.raw,
      sql`SELECT count(*) AS n FROM (${flaggedNegatives(datasetId, cond, rule.action.defects)}) h`,
    );
    negatives = Number(n?.n ?? 0);
  }
  const sample = await rawQuery<{ id: string | number; status: string; task: string | null; query: string }>(
    database.raw,
    sql`SELECT r.id, s.status, r.task, left(r.query, 200) AS query FROM ${REVIEW_FROM} WHERE ${change} ORDER BY r.id LIMIT 5`,
  );
  return {
    matched: Number(counts?.matched ?? 0),
    changed: Number(counts?.changed ?? 0),
    negatives,
    sample: sample.map((s) => ({ ...s, id: Number(s.id) })),
  };
}

export interface BulkResult {
  ruleId: number;
  changed: number;
  negatives: number;
}

/** Applies a rule in one transaction: all of it or (on any error) none of it. */
export async function applyBulkRule(
  database: Database,
  datasetId: number,
  rule: BulkRule,
  actor: string,
): Promise<BulkResult> {
  const result = await database.rawTransaction(async (tx) => {
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO bulk_rules (dataset_id, name, rule, actor) VALUES ($1, $2, $3::text::jsonb, $4) RETURNING id`,
      [datasetId, rule.name, JSON.stringify({ target: rule.target, action: rule.action }), actor],
    );
    const ruleId = row!.id;
    const cond = targetCondition(datasetId, rule.target);
    const reason = rule.action.type === "reject" ? rule.action.reason : describeBulkAction(rule.action);
    let changed = 0;
    let negatives = 0;
    if (rule.action.type === "accept" || rule.action.type === "reject") {
      const next = rule.action.type === "accept" ? "accepted" : "rejected";
      const [n] = await rawQuery<{ n: string | number }>(
        tx,
        sql`WITH target AS (
              SELECT r.id, s.status FROM ${STATE_AS_RECORDS} WHERE ${changes(datasetId, cond, rule.action)}
               ORDER BY r.id FOR UPDATE OF r
            ), upd AS (
              UPDATE record_state x SET status = ${next}, version = x.version + 1, last_decision_at = now(),
                     last_decision_by = ${actor}
               WHERE ${sql.raw(byKey("x.record_id", "SELECT id FROM target"))} RETURNING x.record_id AS id
            ), ins AS (
              INSERT INTO decisions (dataset_id, record_id, actor, action, before, after, reason, bulk_rule_id)
              SELECT ${datasetId}, upd.id, ${actor}, ${rule.action.type},
                     jsonb_build_object('bulk', true, 'status', t.status),
                     jsonb_build_object('bulk', true, 'status', ${next}::text), ${reason}, ${ruleId}
                FROM upd JOIN target t ON t.id = upd.id RETURNING 1
            ) SELECT count(*) AS n FROM ins`,
      );
      changed = Number(n?.n ?? 0);
    } else {
      const run = currentRun(datasetId);
      await rawQuery(
        tx,
        sql`CREATE TEMP TABLE bulk_hit ON COMMIT DROP AS ${flaggedNegatives(datasetId, cond, rule.action.defects)}`,
      );
      await tx.query(
        `SELECT count(*) FROM (SELECT record_id FROM record_state
                                WHERE ${byKey("record_id", "SELECT record_id FROM bulk_hit")}
                               ORDER BY record_id FOR UPDATE) l`,
      );
      const [n] = await rawQuery<{ n: string | number }>(
        tx,
        sql`WITH ins AS (
              INSERT INTO decisions (dataset_id, record_id, actor, action, before, after, reason, bulk_rule_id)
              SELECT ${datasetId}, s.record_id, ${actor}, 'drop_flagged_negatives',
                     jsonb_build_object('bulk', true, 'status', s.status,
                       'negatives', (SELECT jsonb_agg(jsonb_build_object('position', h.position, 'status', 'kept') ORDER BY h.position)
                                       FROM bulk_hit h WHERE h.record_id = s.record_id),
                       'flags', (SELECT coalesce(jsonb_agg(to_jsonb(f) - 'id' ORDER BY f.id), '[]'::jsonb) FROM flags f
                                  WHERE f.record_id = s.record_id
                                    AND f.negative_id IN (SELECT h.negative_id FROM bulk_hit h WHERE h.record_id = s.record_id)
                                    AND f.run_id = ${run})),
                     jsonb_build_object('bulk', true, 'status', 'relabeled',
                       'negatives', (SELECT jsonb_agg(jsonb_build_object('position', h.position, 'status', 'dropped') ORDER BY h.position)
                                       FROM bulk_hit h WHERE h.record_id = s.record_id)),
                     ${reason}, ${ruleId}
                FROM record_state s WHERE ${sql.raw(byKey("s.record_id", "SELECT record_id FROM bulk_hit"))}
              RETURNING 1
            ) SELECT count(*) AS n FROM ins`,
      );
      changed = Number(n?.n ?? 0);
      const [m] = await tx.query<{ n: string | number }>(
        `WITH u AS (UPDATE negatives SET status = 'dropped' WHERE ${byKey("id", "SELECT negative_id FROM bulk_hit")} RETURNING 1)
         SELECT count(*) AS n FROM u`,
      );
      negatives = Number(m?.n ?? 0);
      await rawQuery(
        tx,
        sql`DELETE FROM flags WHERE ${sql.raw(byKey("record_id", "SELECT record_id FROM bulk_hit"))}
              AND negative_id IN (SELECT negative_id FROM bulk_hit) AND run_id = ${run}`,
      );
      await tx.query(
        `UPDATE record_state SET status = 'relabeled', version = version + 1, last_decision_at = now(),
                last_decision_by = $1
          WHERE ${byKey("record_id", "SELECT record_id FROM bulk_hit")}`,
        [actor],
      );
      await refreshTouched(tx, datasetId, "SELECT record_id FROM bulk_hit");
    }
    await tx.query("UPDATE bulk_rules SET affected = $2 WHERE id = $1", [ruleId, changed]);
    return { ruleId, changed, negatives };
  });
  await tidyState(database, result.changed);
  return result;
}

/**
 * After a rule or an undo rewrote many records' state: where nothing else will (PGlite has no
 * autovacuum; a server may have it off), VACUUM and ANALYZE record_state — its status statistics
 * just changed wholesale, and without them the planner reads "status = pending" as every record
 * (1.4 s instead of 19 ms for a page at 100k records on PGlite). Best effort: the rule is committed.
 */
async function tidyState(database: Database, changed: number): Promise<void> {
  if (changed < 5000) return;
  try {
    if (await autovacuumRuns(database)) return;
    await database.raw.query("VACUUM (ANALYZE) record_state");
  } catch {
    // Statistics are an optimisation.
  }
}

/** Re-derives flag summaries and teacher margins of the records a bulk statement touched. */
async function refreshTouched(tx: RawSql, datasetId: number, idsSql: string): Promise<void> {
  const [ds] = await tx.query<{ run: number | null }>(
    "SELECT flags_run_id AS run FROM datasets WHERE id = $1",
    [datasetId],
  );
  await refreshFlagSummary(tx, { datasetId, runId: ds?.run ?? null, records: { idsSql } });
  await refreshTeacherMargin(tx, { idsSql });
}

export interface BulkUndoResult {
  restored: number;
  /** Records decided again since the rule: left as they are. */
  skipped: number;
}

/**
 * Undoes a rule as a whole, in one transaction: every record the rule changed and nobody decided
 * since gets its before-state back (and an `undo` decision); records decided again since are left
 * alone and counted.
 */
export async function undoBulkRule(
  database: Database,
  datasetId: number,
  ruleId: number,
  actor: string,
): Promise<BulkUndoResult> {
  const result = await database.rawTransaction(async (tx) => {
    const [rule] = await tx.query<{ id: number; undone_at: unknown }>(
      "SELECT id, undone_at FROM bulk_rules WHERE id = $1 AND dataset_id = $2 FOR UPDATE",
      [ruleId, datasetId],
    );
    if (!rule) throw new BulkRuleError(`Bulk rule ${ruleId} is not in this data set.`);
    if (rule.undone_at) throw new BulkRuleError(`Bulk rule ${ruleId} was undone already.`);
    await tx.query(
      `CREATE TEMP TABLE bulk_undo ON COMMIT DROP AS
         SELECT d.id AS decision_id, d.record_id, d.before, d.after FROM decisions d
          WHERE d.bulk_rule_id = $1 AND d.action <> 'undo'
            AND NOT EXISTS (SELECT 1 FROM decisions l WHERE l.record_id = d.record_id AND l.id > d.id)`,
      [ruleId],
    );
    await tx.query(
      `SELECT count(*) FROM (SELECT record_id FROM record_state
                              WHERE ${byKey("record_id", "SELECT record_id FROM bulk_undo")}
                             ORDER BY record_id FOR UPDATE) l`,
    );
    const [total] = await tx.query<{ n: string | number }>(
      "SELECT count(*) AS n FROM decisions WHERE bulk_rule_id = $1 AND action <> 'undo'",
      [ruleId],
    );
    // Only a drop rule's decisions carry negatives (and the flags dropped with them): an accept or
    // reject rule's undo restores statuses alone, and its records' flags and margins stay as they are.
    const [neg] = await tx.query<{ any: boolean }>(
      "SELECT EXISTS (SELECT 1 FROM bulk_undo WHERE before ? 'negatives') AS any",
    );
    const touchesNegatives = neg?.any === true;
    if (touchesNegatives) await restoreNegatives(tx, datasetId);
    const [n] = await tx.query<{ n: string | number }>(
      `WITH upd AS (
         UPDATE record_state s SET status = u.before->>'status', version = s.version + 1, last_decision_at = now(),
                last_decision_by = $1
           FROM bulk_undo u
          WHERE s.record_id = u.record_id AND ${byKey("s.record_id", "SELECT record_id FROM bulk_undo")}
          RETURNING s.record_id
       ), ins AS (
         INSERT INTO decisions (dataset_id, record_id, actor, action, before, after, reason, bulk_rule_id, undoes_id)
         SELECT $2, u.record_id, $1, 'undo', u.after, u.before, $3, $4, u.decision_id FROM bulk_undo u RETURNING 1
       ) SELECT (SELECT count(*) FROM upd) AS n`,
      [actor, datasetId, `undid bulk rule #${ruleId}`, ruleId],
    );
    if (touchesNegatives) await refreshTouched(tx, datasetId, "SELECT record_id FROM bulk_undo");
    await tx.query("UPDATE bulk_rules SET undone_at = now(), undone_by = $2 WHERE id = $1", [ruleId, actor]);
    const restored = Number(n?.n ?? 0);
    return { restored, skipped: Number(total?.n ?? 0) - restored };
  });
  await tidyState(database, result.restored);
  return result;
}

/** Undo of a drop rule: the dropped negatives are kept again, and their flags come back. */
async function restoreNegatives(tx: RawSql, datasetId: number): Promise<void> {
  await tx.query(
    `UPDATE negatives n SET status = x.status
       FROM (SELECT u.record_id, (e->>'position')::int AS position, e->>'status' AS status
               FROM bulk_undo u, jsonb_array_elements(coalesce(u.before->'negatives', '[]'::jsonb)) e) x
      WHERE n.record_id = x.record_id AND n.position = x.position`,
  );
  // Flags removed with the dropped negatives come back when their run is still the current one.
  await tx.query(
    `INSERT INTO flags (dataset_id, record_id, negative_id, defect, target, negative_index, score, evidence, detector, run_id, created_at)
     SELECT f.dataset_id, f.record_id, f.negative_id, f.defect, f.target, f.negative_index, f.score, f.evidence,
            f.detector, f.run_id, f.created_at
       FROM bulk_undo u, jsonb_populate_recordset(NULL::flags, coalesce(u.before->'flags', '[]'::jsonb)) f
      WHERE f.run_id = (SELECT flags_run_id FROM datasets WHERE id = $1)`,
    [datasetId],
  );
}

export async function listBulkRules(database: Database, datasetId: number): Promise<BulkRuleRow[]> {
  const rows = await database.raw.query<{
    id: number;
    dataset_id: number;
    name: string;
    rule: Record<string, unknown>;
    actor: string;
    affected: number;
    applied_at: Date | string;
    undone_at: Date | string | null;
    undone_by: string | null;
  }>("SELECT * FROM bulk_rules WHERE dataset_id = $1 ORDER BY id DESC LIMIT 50", [datasetId]);
  return rows.map((r) => ({
    id: r.id,
    datasetId: r.dataset_id,
    name: r.name,
    rule: r.rule,
    actor: r.actor,
    affected: r.affected,
    appliedAt: new Date(r.applied_at),
    undoneAt: r.undone_at === null ? null : new Date(r.undone_at),
    undoneBy: r.undone_by,
  }));
}
