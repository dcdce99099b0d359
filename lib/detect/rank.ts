/**
 * Linq-Embed-Mistral's rank rules, each its own check (not false_negative):
 *
 * - negative_rank: keep a negative N only when k ≤ rank(N) ≤ m among the data set's passages for its
 *   query (defaults 30..100, SFR/Linq). Below k it is "too close" (often a false negative); above m
 *   "too easy" (teaches little).
 * - positive_rank: keep a positive only when the teacher ranks it in its top n (default 10).
 *
 * Ranks come from `context.teacher` (BM25 or embeddings over the pool). Ranks given within a record
 * only (`rankScope: "record"`, the scores teacher) are skipped: a record of 3 negatives has nothing at
 * rank 30. Flags score low (≤ `maxScore`, 0.3 by default): these are filtering rules to apply in bulk,
 * not defects to review one by one. Evidence spans the whole passage.
 */
import { z } from "zod";
import type { Detector, Flag } from "./types";

const VERSION = 1;

export const negativeRankOptions = z
  .object({
    /** k: negatives ranked above this (rank < k) are too close to the query. */
    minRank: z.number().int().min(1).default(30),
    /** m: negatives ranked below this (rank > m) are too easy. null: no upper limit. */
    maxRank: z.number().int().min(1).nullable().default(100),
    /** Highest flag score (at rank 1, or at 10 × m). */
    maxScore: z.number().min(0).max(1).default(0.3),
  })
  .refine((o) => o.maxRank === null || o.maxRank >= o.minRank, { message: "maxRank must be ≥ minRank" });
export type NegativeRankOptions = z.infer<typeof negativeRankOptions>;

export const positiveRankOptions = z.object({
  /** n: the positive must be in the teacher's top n. */
  topN: z.number().int().min(1).default(10),
  maxScore: z.number().min(0).max(1).default(0.3),
});
export type PositiveRankOptions = z.infer<typeof positiveRankOptions>;

const round = (x: number) => Math.round(Math.max(0.01, x) * 1000) / 1000;

/** "412", or "> 1000" when the teacher only ranks to a depth of 1000 (rank 1001 means deeper). */
const showRank = (rank: number, depth: number | undefined) =>
  depth !== undefined && rank > depth ? `> ${depth}` : String(rank);

export const negativeRank: Detector<NegativeRankOptions> = {
  defect: "negative_rank",
  version: VERSION,
  description:
    "A negative whose teacher rank among the data set's passages lies outside k..m (30..100): too close " +
    "(possibly relevant) or too easy. Linq's negative filtering rule; low score, for bulk filtering.",
  optionsSchema: negativeRankOptions,
  detect(record, ctx, o): Flag[] {
    const t = ctx.teacher;
    if (!t?.negativeRanks || t.rankScope === "record") return [];
    const flags: Flag[] = [];
    record.negatives.forEach((n, i) => {
      const rank = t.negativeRanks?.[i];
      if (rank === undefined || !Number.isFinite(rank)) return;
      let note: string;
      let score: number;
      if (rank < o.minRank) {
        note = `too close: rank ${rank} < ${o.minRank}`;
        score = (o.maxScore * (o.minRank - rank)) / Math.max(1, o.minRank - 1);
      } else if (o.maxRank !== null && rank > o.maxRank) {
        note = `too easy: rank ${showRank(rank, t.rankDepth)} > ${o.maxRank}`;
        score = o.maxScore * Math.min(1, Math.log(rank / o.maxRank) / Math.log(10));
      } else return;
      flags.push({
        defect: "negative_rank",
        target: "negative",
        negativeIndex: i,
        score: round(score),
        evidence: [
          {
            field: "negative",
            negativeIndex: i,
            start: 0,
            end: n.text.length,
            note: `${t.teacher}: ${note}`,
          },
        ],
        detector: `negative_rank@${VERSION}`,
      });
    });
    return flags;
  },
};

export const positiveRank: Detector<PositiveRankOptions> = {
  defect: "positive_rank",
  version: VERSION,
  description:
    "A positive the teacher does not rank in its top n (10) among the data set's passages for the query: " +
    "possibly not the answer, or a better passage exists. Linq's positive filtering rule; low score.",
  optionsSchema: positiveRankOptions,
  detect(record, ctx, o): Flag[] {
    const t = ctx.teacher;
    const rank = t?.positiveRank;
    if (!t || rank === undefined || !Number.isFinite(rank) || t.rankScope === "record") return [];
    if (rank <= o.topN) return [];
    // maxScore/2 just outside the top n, maxScore from 10 × n on
    const score = o.maxScore * (0.5 + 0.5 * Math.min(1, Math.log(rank / o.topN) / Math.log(10)));
    return [
      {
        defect: "positive_rank",
        target: "positive",
        score: round(score),
        evidence: [
          {
            field: "positive",
            start: 0,
            end: record.positive.text.length,
            note: `${t.teacher}: positive ranks ${showRank(rank, t.rankDepth)}, not in the top ${o.topN}`,
          },
        ],
        detector: `positive_rank@${VERSION}`,
      },
    ];
  },
};
