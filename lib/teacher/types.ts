import type { DetectRecord, TeacherResult } from "@/lib/detect/types";

export type { TeacherResult } from "@/lib/detect/types";

/** One record of a data set and its key (the same `key` the detectors' collection pass uses). */
export interface KeyedRecord {
  key: number;
  record: DetectRecord;
}

/**
 * A data set as a factory: every call starts a fresh pass over all records, in the same order.
 * Teachers that need the whole passage pool (BM25, embeddings) read it twice or more; a factory lets
 * the caller stream from a file or a database cursor instead of holding every record in memory.
 */
export type RecordSource = () => Iterable<KeyedRecord> | AsyncIterable<KeyedRecord>;

export interface TeacherProgress {
  /** "index" (reading the pool), "embed" (passages/queries sent), "score" (records scored). */
  phase: string;
  done: number;
  total?: number;
}

export interface TeacherRunOptions {
  signal?: AbortSignal;
  onProgress?: (progress: TeacherProgress) => void;
}

export interface KeyedTeacherResult {
  key: number;
  result: TeacherResult;
}

/**
 * A relevance scorer. `score` yields one result per record of the source, in source order, so a
 * caller can stream results to the database. Ranks, when a teacher gives them, are 1-based among the
 * data set's passage pool (every positive, extra positive and negative, deduplicated by exact text):
 * rank = 1 + the number of pool passages that score strictly higher for the record's query. The
 * positive's rank does not count the record's own other positives (a record with nine positives
 * can still have each of them at rank 1-ish); a negative's rank counts everything.
 */
export interface Teacher {
  /** Goes into TeacherResult.teacher, e.g. "bm25", "scores", "http:bge-m3". */
  readonly name: string;
  score(source: RecordSource, options?: TeacherRunOptions): AsyncIterable<KeyedTeacherResult>;
}

/** Iterates a source whether it is sync or async. */
export async function* iterate(source: RecordSource): AsyncGenerator<KeyedRecord> {
  yield* source();
}

/** Runs a teacher over a source and collects the results by key (convenient for tests and small sets). */
export async function scoreAll(
  teacher: Teacher,
  source: RecordSource,
  options?: TeacherRunOptions,
): Promise<Map<number, TeacherResult>> {
  const out = new Map<number, TeacherResult>();
  for await (const { key, result } of teacher.score(source, options)) out.set(key, result);
  return out;
}

/** A source over an in-memory array; keys are array positions unless given. */
export function arraySource(records: readonly DetectRecord[], keys?: readonly number[]): RecordSource {
  return function* () {
    for (let i = 0; i < records.length; i++) yield { key: keys?.[i] ?? i, record: records[i]! };
  };
}

/** All passages of a record in a fixed order: positive, extra positives, negatives. */
export function recordPassages(record: DetectRecord): string[] {
  return [
    record.positive.text,
    ...record.extraPositives.map((p) => p.text),
    ...record.negatives.map((p) => p.text),
  ];
}

/**
 * A teacher's score stream may carry this key: then its per-record work can run on the detector
 * worker threads instead of the thread that reads the stream (lib/detect/run-async.ts). `start`
 * runs the teacher's pass over the whole data set (BM25: builds the index) and returns what every
 * worker gets once (`init`, for createWorkerScorer in lib/teacher/workers.ts; typed arrays on
 * SharedArrayBuffers are shared, not copied) and `lookup`, the small per-record input computed on
 * this thread and posted with each record. The stream itself is then never read; results are the
 * same either way.
 */
export const TEACHER_ON_WORKERS = Symbol.for("pairsift.teacherOnWorkers");

export interface WorkerTeacherInit {
  kind: "bm25";
  [key: string]: unknown;
}

export interface TeacherOnWorkers {
  start(): Promise<{ init: WorkerTeacherInit; lookup: (record: DetectRecord) => unknown }>;
}

/** The worker part of a teacher stream, if it offers one. */
export function teacherOnWorkers(stream: unknown): TeacherOnWorkers | undefined {
  if (!stream || typeof stream !== "object") return undefined;
  return (stream as { [TEACHER_ON_WORKERS]?: TeacherOnWorkers })[TEACHER_ON_WORKERS];
}

export class TeacherAbortedError extends Error {
  constructor() {
    super("teacher run aborted");
    this.name = "TeacherAbortedError";
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new TeacherAbortedError();
}
