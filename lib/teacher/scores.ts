/**
 * Scores given in the input file: `positive.score` and `negatives[i].score` (FlagEmbedding
 * pos_scores / neg_scores, usually a reranker's or an embedding model's scores from mining).
 *
 * Ranks come from those scores within the record only — there is no pool, because the file does not
 * score the record's query against other records' passages. The positive's rank is 1 + the number of
 * negatives scoring strictly higher; a negative's rank is 1 + the number of the record's passages
 * (positives with a score, other negatives) scoring strictly higher. Results carry
 * `rankScope: "record"` so that pool rules (negatives from ranks 30-100) are not applied to them.
 * Passages without a score get no score and no rank and are not counted in others' ranks.
 */
import type { DetectRecord, TeacherResult } from "@/lib/detect/types";
import type { KeyedTeacherResult, RecordSource, Teacher, TeacherRunOptions } from "./types";
import { throwIfAborted } from "./types";

export function givenScoresResult(record: DetectRecord, name = "scores"): TeacherResult {
  const pos = record.positive.score;
  const negs = record.negatives.map((n) => n.score);
  const positives = [record.positive, ...record.extraPositives]
    .map((p) => p.score)
    .filter((s): s is number => s !== undefined);
  const all = [...positives, ...negs.filter((s): s is number => s !== undefined)];
  const above = (s: number, among: readonly (number | undefined)[]) =>
    among.reduce<number>((n, x) => (x !== undefined && x > s ? n + 1 : n), 0);
  const result: TeacherResult = { teacher: name, negatives: negs, rankScope: "record" };
  if (pos !== undefined) {
    result.positive = pos;
    result.positiveRank = 1 + above(pos, negs);
  }
  if (negs.some((s) => s !== undefined)) {
    result.negativeRanks = negs.map((s) => (s === undefined ? undefined : 1 + above(s, all)));
  }
  return result;
}

/** The scores teacher: one pass, no model. */
export function scoresTeacher(): Teacher {
  return {
    name: "scores",
    async *score(source: RecordSource, run: TeacherRunOptions = {}): AsyncGenerator<KeyedTeacherResult> {
      let done = 0;
      for await (const { key, record } of source()) {
        throwIfAborted(run.signal);
        yield { key, result: givenScoresResult(record) };
        if (++done % 1000 === 0) run.onProgress?.({ phase: "score", done });
      }
      run.onProgress?.({ phase: "score", done, total: done });
    },
  };
}
