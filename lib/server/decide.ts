import "server-only";
import { isRetryableDbError } from "@/db/client";
import { decide, RecordNotFoundError, ReviewRuleError, StaleVersionError } from "@/db/queries/review";
import { getDatabase } from "@/db/server";
import { actorName, type Principal } from "@/lib/auth/access";
import type { DecideInput, RecordStatus } from "@/lib/review";

export type DecideResponse =
  | { ok: true; version: number; status: RecordStatus; flagCount: number }
  | { ok: false; kind: "stale"; message: string; version: number; status: RecordStatus }
  | { ok: false; kind: "invalid" | "rule" | "not_found" | "forbidden" | "unavailable"; message: string };

const STALE_MESSAGE =
  "This record was changed by someone else since you opened it — the fresh version is shown; nothing was saved.";

/** One decision by an authorised principal (validated input; version-checked in the database). */
export async function decideAs(principal: Principal, input: DecideInput): Promise<DecideResponse> {
  const database = await getDatabase();
  try {
    const r = await decide(database, { ...input, actor: actorName(principal) });
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
    if (isRetryableDbError(e)) {
      return {
        ok: false,
        kind: "unavailable",
        message:
          "The database did not answer (restarting or unreachable). Nothing was saved — try again in a moment.",
      };
    }
    throw e;
  }
}
