import { z } from "zod";
import { CSV_TABLES } from "./csv";

export const MAX_PER_TASK = 1000;

/** The "Draw audit sample" form: N unreviewed records per task, and the PRNG seed. */
export const drawSampleSchema = z.object({
  perTask: z.coerce
    .number({ error: "Records per task must be a number." })
    .int("Records per task must be a whole number.")
    .min(1, "Draw at least 1 record per task.")
    .max(MAX_PER_TASK, `At most ${MAX_PER_TASK} records per task.`),
  seed: z.coerce
    .number({ error: "The seed must be a number." })
    .int("The seed must be a whole number.")
    .min(0, "The seed must be 0 or more.")
    .max(2 ** 31 - 1, "The seed must be below 2,147,483,648."),
});
export type DrawSampleInput = z.infer<typeof drawSampleSchema>;

export { datasetIdParam as datasetIdSchema } from "@/lib/ids";

/** Query of the download route: ?format=csv|json[&table=rates|reviewers|samples]. */
export const downloadQuerySchema = z.object({
  format: z.enum(["csv", "json"]).default("csv"),
  table: z.enum(CSV_TABLES).default("rates"),
});
