import { z } from "zod";

/** The same lists as the database columns (db/schema.ts). */
export const RECORD_STATUSES = ["pending", "accepted", "rejected", "relabeled"] as const;
export const NEGATIVE_STATUSES = ["kept", "dropped", "promoted"] as const;

const position = z.number().int().nonnegative().max(32_767);
const offset = z.number().int().nonnegative();
/** Long passages are fine; whole files pasted into a field are not. */
const text = z.string().max(200_000);
const shortText = z.string().max(10_000);

export const EDITABLE_FIELDS = ["query", "positive", "negative", "label", "task"] as const;
export const STRIPPABLE_FIELDS = ["query", "positive", "negative", "task"] as const;

const needsPosition = (v: { field: string; position?: number }) =>
  v.field !== "negative" || v.position !== undefined;
const positionMessage = { message: "A negative needs its position.", path: ["position"] };

export const reviewActionSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("accept") }),
  z.object({ type: z.literal("reject"), reason: shortText.trim().min(1, "Give a reason.") }),
  z.object({ type: z.literal("drop_negative"), position }),
  z.object({ type: z.literal("mark_false_negative"), position, mode: z.enum(["drop", "promote"]) }),
  z.object({ type: z.literal("swap_positive"), position }),
  z
    .object({
      type: z.literal("edit_text"),
      field: z.enum(EDITABLE_FIELDS),
      position: position.optional(),
      text,
    })
    .refine(needsPosition, positionMessage),
  z
    .object({
      type: z.literal("strip_span"),
      field: z.enum(STRIPPABLE_FIELDS),
      position: position.optional(),
      start: offset,
      end: offset,
    })
    .refine(needsPosition, positionMessage)
    .refine((v) => v.end > v.start, { message: "The span is empty.", path: ["end"] }),
  z.object({ type: z.literal("set_task"), task: shortText.nullable() }),
  z.object({ type: z.literal("set_language"), language: z.string().max(35).nullable() }),
  z.object({
    type: z.literal("set_label"),
    label: shortText.nullable(),
    misleadingLabel: shortText.nullable().optional(),
  }),
  z.object({ type: z.literal("undo"), decisionId: z.number().int().positive() }),
]);
export type ReviewAction = z.infer<typeof reviewActionSchema>;
export type ReviewActionType = ReviewAction["type"];

/** What the browser sends with a decision. */
export const decideInputSchema = z.object({
  datasetId: z.number().int().positive(),
  recordId: z.number().int().positive(),
  expectedVersion: z.number().int().positive(),
  action: reviewActionSchema,
});
export type DecideInput = z.infer<typeof decideInputSchema>;
