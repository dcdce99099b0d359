"use server";

import { decide, RecordNotFoundError, ReviewRuleError, StaleVersionError } from "@/db/queries/review";
import { getDatabase } from "@/db/server";
import { actorName } from "@/lib/auth/access";
import { type DecideInput, decideInputSchema, type RecordStatus } from "@/lib/review";
import { actionAccess } from "@/lib/server/auth";

export type DecideResponse =
  | { ok: true; version: number; status: RecordStatus; flagCount: number }
  | { ok: false; kind: "stale"; message: string; version: number; status: RecordStatus }
  | { ok: false; kind: "invalid" | "rule" | "not_found" | "forbidden"; message: string };

const STALE_MESSAGE =
  "This record was changed by someone else since you opened it — the fresh version is shown; nothing was saved.";

/** One review decision on one record (validated; version-checked in the database). */
export async function decideAction(input: DecideInput): Promise<DecideResponse> {
  const parsed = decideInputSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, kind: "invalid", message: parsed.error.issues.map((i) => i.message).join("; ") };
  }
  const allowed = await actionAccess(parsed.data.datasetId, "review");
  if (!allowed.ok) return allowed;
  const database = await getDatabase();
  try {
    const r = await decide(database, { ...parsed.data, actor: actorName(allowed.access.principal) });
    return { ok: true, version: r.version, status: r.status, flagCount: r.flagCount };
  } catch (e) {
    if (e instanceof StaleVersionError) {
      return {
        ok: false,
        kind: "stale",
        message: STALE_MESSAGE,
        version: e.fresh.version,
        status: e.fresh.state.status,
      };
    }
    if (e instanceof ReviewRuleError) return { ok: false, kind: "rule", message: e.message };
    if (e instanceof RecordNotFoundError) return { ok: false, kind: "not_found", message: e.message };
    throw e;
  }
}
