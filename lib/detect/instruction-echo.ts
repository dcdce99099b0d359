/**
 * instruction_echo: the task definition (record.task) copied, mostly, into the query or a passage
 * (the generator answered with its instructions: "Given a cooking question, retrieve recipes that
 * answer it: basic sourdough loaf"), or a query carrying an embedding-instruction prefix
 * ("Instruct: …\nQuery: …"), which the trainer adds itself.
 *
 * The copy is found like query leakage (lib/detect/align.ts): at least 70% of the task's words
 * (function words weigh a quarter), in order, in one span, with at least 4 content words (10
 * characters for Chinese/Japanese/Korean tasks). Tasks shorter than 5 words are not checked.
 */
import { z } from "zod";
import { findCopy, sourceSize } from "./align";
import { clamp01, evidence, fieldsOf, makeFlag } from "./common";
import type { Detector, Flag } from "./types";

const VERSION = 1;

export const instructionEchoOptions = z.object({
  minCoverage: z.number().min(0).max(1).default(0.7),
  minTaskWords: z.number().int().positive().default(5),
  minContentWords: z.number().int().positive().default(4),
  minTaskChars: z.number().int().positive().default(10),
  /** Flag "Instruct: … Query: …" prefixes in the query even without a task definition. */
  instructPrefix: z.boolean().default(true),
});
export type InstructionEchoOptions = z.infer<typeof instructionEchoOptions>;

const INSTRUCT_PREFIX =
  /^\s*(?:instruct(?:ion)?|task)\s*:\s*[^\n]{3,400}?\s*(?:\n|\s)\s*(?:query|input|question)\s*:\s*/iu;

export const instructionEcho: Detector<InstructionEchoOptions> = {
  defect: "instruction_echo",
  version: VERSION,
  description:
    "The task definition copied (mostly) into the query or a passage, or an 'Instruct: … Query:' prefix.",
  optionsSchema: instructionEchoOptions,
  detect(record, _ctx, o) {
    const flags: Flag[] = [];
    const fields = fieldsOf(record);
    const query = fields[0];
    if (o.instructPrefix && query) {
      const m = INSTRUCT_PREFIX.exec(query.text);
      if (m) {
        const start = m[0].length - m[0].trimStart().length;
        flags.push(
          makeFlag("instruction_echo", VERSION, query, 0.9, [
            evidence(query, start, m[0].trimEnd().length, "query starts with an instruction prefix"),
          ]),
        );
      }
    }
    const task = record.task?.trim();
    if (!task) return flags;
    const size = sourceSize(task, record.language);
    if (size.units === "words" ? size.n < o.minTaskWords : size.n < o.minTaskChars) return flags;
    for (const field of fields) {
      if (flags.some((f) => f.target === field.target && f.negativeIndex === field.negativeIndex)) continue;
      if (field.text.length < task.length * 0.5) continue;
      const copy = findCopy(task, field.text, { lang: record.language, minCoverage: o.minCoverage });
      if (!copy || copy.coverage < o.minCoverage) continue;
      if (copy.units === "words" ? copy.matchedContent < o.minContentWords : copy.matched < o.minTaskChars)
        continue;
      const score = clamp01(0.6 + (0.4 * (copy.coverage - o.minCoverage)) / (1 - o.minCoverage + 1e-9));
      const note = `copies ${Math.round(copy.coverage * 100)}% of the task definition`;
      flags.push(
        makeFlag("instruction_echo", VERSION, field, score, [evidence(field, copy.start, copy.end, note)]),
      );
    }
    return flags;
  },
};
