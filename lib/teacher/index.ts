import { z } from "zod";
import { bm25Teacher, DEFAULT_RANK_DEPTH } from "./bm25";
import { DEFAULT_QUERY_TEMPLATE, type EmbeddingCache, httpTeacher } from "./http";
import { scoresTeacher } from "./scores";
import type { Teacher } from "./types";

export { Bm25Builder, Bm25Index, bm25Result, bm25Teacher, bm25Terms, DEFAULT_RANK_DEPTH } from "./bm25";
export {
  DEFAULT_QUERY_TEMPLATE,
  type EmbeddingCache,
  EmbeddingClient,
  embeddingCacheKey,
  embeddingsUrl,
  formatQuery,
  type HttpTeacherOptions,
  httpTeacher,
  MemoryEmbeddingCache,
  TeacherEndpointError,
} from "./http";
export { givenScoresResult, scoresTeacher } from "./scores";
export * from "./types";

export const teacherSpecSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("bm25"),
    k1: z.number().positive().default(1.2),
    b: z.number().min(0).max(1).default(0.75),
    /** Ranks exact up to this depth (deeper: depth + 1). */
    rankDepth: z.number().int().positive().default(DEFAULT_RANK_DEPTH),
  }),
  z.object({ kind: z.literal("scores") }),
  z.object({
    kind: z.literal("http"),
    url: z.string().url(),
    model: z.string().min(1),
    /** Read from PAIRSIFT_TEACHER_API_KEY by the CLI and passed in; never read here. */
    apiKey: z.string().optional(),
    queryTemplate: z.string().default(DEFAULT_QUERY_TEMPLATE),
    batchSize: z.number().int().positive().default(64),
    maxAttempts: z.number().int().positive().default(4),
    timeoutMs: z.number().int().positive().default(30_000),
    concurrency: z.number().int().positive().default(2),
  }),
  z.object({ kind: z.literal("none") }),
]);
export type TeacherSpec = z.input<typeof teacherSpecSchema>;

/** A teacher that scores nothing: detectors that need one see `context.teacher` undefined. */
export const noTeacher: Teacher = {
  name: "none",
  async *score() {},
};

/**
 * Builds a teacher from a spec (validated; defaults filled in). `cache` (http only) keeps vectors
 * between runs; without it an in-memory cache lives as long as the teacher.
 */
export function createTeacher(
  spec: TeacherSpec,
  deps: { cache?: EmbeddingCache; fetch?: typeof fetch } = {},
): Teacher {
  const s = teacherSpecSchema.parse(spec);
  switch (s.kind) {
    case "bm25":
      return bm25Teacher({ k1: s.k1, b: s.b, rankDepth: s.rankDepth });
    case "scores":
      return scoresTeacher();
    case "http":
      return httpTeacher({ ...s, cache: deps.cache, fetch: deps.fetch });
    case "none":
      return noTeacher;
  }
}
