/**
 * Bulk decisions: one action over many records — the rows a reviewer selected, or every record a
 * view's filter matches — previewed (count and sample), applied in one transaction, logged per
 * record, and undoable as a whole.
 *
 * A bulk decision changes statuses only (the record's, its negatives'), so each record's log entry
 * holds a status patch, not a full snapshot: a 100,000-record rule does not copy 100,000 passages.
 */
import { z } from "zod";
import { DEFECTS } from "@/lib/detect/types";
import { recordFilterSchema } from "./filter";
import type { NegativeStatus, RecordState, RecordStatus } from "./rules";
import { NEGATIVE_STATUSES, RECORD_STATUSES } from "./schema";

/** Defects whose flagged negatives "drop flagged negatives" removes by default. */
export const DEFAULT_DROP_DEFECTS = ["false_negative", "duplicate_negative"] as const;

export const bulkActionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("accept") }),
  z.object({ type: z.literal("reject"), reason: z.string().trim().min(1, "Give a reason.").max(2000) }),
  z.object({
    type: z.literal("drop_flagged_negatives"),
    defects: z
      .array(z.enum(DEFECTS))
      .min(1)
      .max(DEFECTS.length)
      .default([...DEFAULT_DROP_DEFECTS]),
  }),
]);
export type BulkAction = z.infer<typeof bulkActionSchema>;

/** Which records: the selected ids, or every record matching a filter. */
export const bulkTargetSchema = z.union([
  z.object({ ids: z.array(z.number().int().positive()).min(1).max(10_000) }),
  z.object({ filter: recordFilterSchema }),
]);
export type BulkTarget = z.infer<typeof bulkTargetSchema>;

export const bulkRuleSchema = z.object({
  name: z.string().trim().min(1, "Name the rule.").max(200),
  target: bulkTargetSchema,
  action: bulkActionSchema,
});
export type BulkRule = z.infer<typeof bulkRuleSchema>;
export type BulkRuleInput = z.input<typeof bulkRuleSchema>;

/** What a bulk decision stores as `before` / `after` of one record. */
export const statusPatchSchema = z.object({
  bulk: z.literal(true),
  status: z.enum(RECORD_STATUSES),
  negatives: z.array(z.object({ position: z.number().int(), status: z.enum(NEGATIVE_STATUSES) })).optional(),
});
export type StatusPatch = z.infer<typeof statusPatchSchema>;

export function isStatusPatch(v: unknown): v is StatusPatch {
  return statusPatchSchema.safeParse(v).success;
}

/** Whether a record is in the state a patch describes (its status and the listed negatives' statuses). */
export function matchesPatch(state: RecordState, patch: StatusPatch): boolean {
  if (state.status !== patch.status) return false;
  const byPos = new Map(state.negatives.map((n) => [n.position, n.status]));
  return (patch.negatives ?? []).every((n) => byPos.get(n.position) === n.status);
}

/** The full state a patch restores: `state` with the patch's statuses laid over it. */
export function expandPatch(state: RecordState, patch: StatusPatch): RecordState {
  const statuses = new Map<number, NegativeStatus>(
    (patch.negatives ?? []).map((n) => [n.position, n.status]),
  );
  return {
    ...state,
    status: patch.status as RecordStatus,
    negatives: state.negatives.map((n) => ({ ...n, status: statuses.get(n.position) ?? n.status })),
  };
}

/** A short description for the rules list and the decisions log. */
export function describeBulkAction(a: BulkAction): string {
  switch (a.type) {
    case "accept":
      return "accept";
    case "reject":
      return `reject: ${a.reason}`;
    case "drop_flagged_negatives":
      return `drop negatives flagged ${a.defects.join(" or ")}`;
  }
}
