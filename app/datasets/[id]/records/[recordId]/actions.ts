"use server";

import { type DecideInput, decideInputSchema } from "@/lib/review";
import { actionAccess } from "@/lib/server/auth";
import { type DecideResponse, decideAs } from "@/lib/server/decide";

export type { DecideResponse };

/** One review decision on one record, from the record view. */
export async function decideAction(input: DecideInput): Promise<DecideResponse> {
  const parsed = decideInputSchema.safeParse(input);
  if (!parsed.success) {
    return { ok: false, kind: "invalid", message: parsed.error.issues.map((i) => i.message).join("; ") };
  }
  const allowed = await actionAccess(parsed.data.datasetId, "review");
  if (!allowed.ok) return allowed;
  return decideAs(allowed.access.principal, parsed.data);
}
