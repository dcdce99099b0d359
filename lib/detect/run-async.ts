import { teacherOnWorkers } from "@/lib/teacher/types";
import { createDetection, type DetectorOptionsInput } from "./index";
import { DetectorPool, defaultWorkerCount } from "./pool";
import type { Defect, DetectRecord, Flag, TeacherResult } from "./types";

/** A data set as a factory of passes (a file read again, a database cursor run again). */
export type AsyncRecordSource = () => AsyncIterable<DetectRecord> | Iterable<DetectRecord>;

export interface AsyncRunOptions {
  options?: DetectorOptionsInput;
  /**
   * Teacher results in record order (what `Teacher.score` yields), consumed in step with the
   * detection pass, or a lookup by key.
   */
  teacher?:
    | AsyncIterable<{ key: number; result: TeacherResult }>
    | ((key: number) => TeacherResult | undefined);
  only?: readonly Defect[];
  /** Called after the collection pass and then every `every` records of the detection pass. */
  onProgress?: (p: { phase: "collect" | "detect"; done: number }) => void;
  /**
   * Worker threads for the per-record work: 0 (the default) runs everything in this thread,
   * "auto" one worker per core (os.availableParallelism). Output is the same either way; when
   * workers cannot start (no lib/detect/worker-entry.mjs, a failing loader) the run stays in-process.
   */
  workers?: number | "auto";
  /** Records per message to a worker (default 64). */
  batchSize?: number;
}

/** Data sets from this size on are worth starting workers for (it takes a second or so). */
export const PARALLEL_MIN_RECORDS = 2000;

type Detection = ReturnType<typeof createDetection>;
type Result = { key: number; record: DetectRecord; flags: Flag[] };

/**
 * `runDetectors` for sources that stream (files, database cursors): a collection pass for the
 * detectors that need the whole data set, then detection per record in source order — so memory
 * holds what collectors keep, never the data set.
 */
export async function* runDetectorsAsync(
  source: AsyncRecordSource,
  opts: AsyncRunOptions = {},
): AsyncGenerator<Result> {
  const run = createDetection(opts);
  const workers = opts.workers === "auto" ? defaultWorkerCount() : Math.max(0, Math.floor(opts.workers ?? 0));
  let pool: DetectorPool | undefined;
  if (workers > 0) {
    try {
      pool = await DetectorPool.start(workers, { options: run.options, only: opts.only });
    } catch (e) {
      warnOnce(`pairsift: detector workers unavailable, detecting in-process (${(e as Error).message})`);
    }
  }
  try {
    if (pool) yield* runPooled(run, pool, source, opts);
    else yield* runInProcess(run, source, opts);
  } finally {
    await pool?.close();
  }
}

let warned = false;
function warnOnce(message: string): void {
  if (warned) return;
  warned = true;
  console.warn(message);
}

/** The teacher result for each key, in step with the detection pass. */
function teacherReader(t: AsyncRunOptions["teacher"]): (key: number) => Promise<TeacherResult | undefined> {
  const lookup = typeof t === "function" ? t : undefined;
  const stream = t && typeof t !== "function" ? t[Symbol.asyncIterator]() : undefined;
  return async (key) => {
    let teacher = lookup?.(key);
    if (stream) {
      const next = await stream.next();
      if (!next.done) {
        if (next.value.key !== key)
          throw new Error(`teacher result ${next.value.key} out of step with record ${key}`);
        teacher = next.value.result;
      }
    }
    return teacher;
  };
}

async function* runInProcess(
  run: Detection,
  source: AsyncRecordSource,
  opts: AsyncRunOptions,
): AsyncGenerator<Result> {
  if (run.needsCollection) {
    let key = 0;
    for await (const record of source()) {
      run.add(record, key++);
      if (key % 5000 === 0) opts.onProgress?.({ phase: "collect", done: key });
    }
    run.finish();
  }
  const teacherFor = teacherReader(opts.teacher);
  let key = 0;
  for await (const record of source()) {
    const flags = run.detect(record, key, await teacherFor(key));
    yield { key, record, flags };
    key++;
    if (key % 1000 === 0) opts.onProgress?.({ phase: "detect", done: key });
  }
}

/**
 * The same two passes on a worker pool: the workers do each record's collector work (`prepare`) and
 * detection; this thread reads the source, feeds the collectors in key order, reads the teacher (or,
 * for a teacher that scores on the workers, builds its index and looks up each record's terms and
 * passages) and yields the flags in source order. Batches are pipelined (a few per worker in flight).
 */
async function* runPooled(
  run: Detection,
  pool: DetectorPool,
  source: AsyncRecordSource,
  opts: AsyncRunOptions,
): AsyncGenerator<Result> {
  const size = Math.max(1, opts.batchSize ?? 64);
  const inFlight = pool.size * 3;
  if (run.needsCollection) {
    let done = 0;
    const submit = (b: { records: DetectRecord[] }) => pool.request({ type: "prepare", records: b.records });
    for await (const [batch, prepared] of pipelined(batches(source, size), submit, inFlight)) {
      const list = prepared as unknown[][];
      for (let i = 0; i < batch.records.length; i++) {
        run.addPrepared(list[i]!, batch.records[i]!, batch.start + i);
        if (++done % 5000 === 0) opts.onProgress?.({ phase: "collect", done });
      }
    }
    run.finish();
    await pool.broadcast({ type: "collected", data: run.collected() });
  }
  // A teacher that scores on the workers (BM25): its data-set pass here, each record's lookups here
  // (cheap), the scoring with the detection on the workers. Otherwise the teacher runs here.
  const onWorkers = teacherOnWorkers(opts.teacher);
  let lookup: ((record: DetectRecord) => unknown) | undefined;
  if (onWorkers) {
    const started = await onWorkers.start();
    await pool.broadcast({ type: "teacher", init: started.init });
    lookup = started.lookup;
  }
  const teacherFor = lookup ? undefined : teacherReader(opts.teacher);
  type Batch = {
    start: number;
    records: DetectRecord[];
    teacher: (TeacherResult | undefined)[];
    teacherInput?: unknown[];
  };
  const withTeacher = async function* (): AsyncGenerator<Batch> {
    for await (const b of batches(source, size)) {
      const teacher: (TeacherResult | undefined)[] = [];
      if (lookup) {
        yield { ...b, teacher, teacherInput: b.records.map(lookup) };
        continue;
      }
      for (let i = 0; i < b.records.length; i++) teacher.push(await teacherFor!(b.start + i));
      yield { ...b, teacher };
    }
  };
  const submit = (b: Batch) =>
    pool.request({
      type: "detect",
      records: b.records,
      keys: b.records.map((_, i) => b.start + i),
      teacher: b.teacher,
      ...(b.teacherInput ? { teacherInput: b.teacherInput } : {}),
    });
  for await (const [batch, found] of pipelined(withTeacher(), submit, inFlight)) {
    const flags = found as Flag[][];
    for (let i = 0; i < batch.records.length; i++) {
      const key = batch.start + i;
      yield { key, record: batch.records[i]!, flags: flags[i]! };
      if ((key + 1) % 1000 === 0) opts.onProgress?.({ phase: "detect", done: key + 1 });
    }
  }
}

/** The source in batches of `size` records, with the key of each batch's first record. */
async function* batches(
  source: AsyncRecordSource,
  size: number,
): AsyncGenerator<{ start: number; records: DetectRecord[] }> {
  let start = 0;
  let records: DetectRecord[] = [];
  for await (const record of source()) {
    records.push(record);
    if (records.length >= size) {
      yield { start, records };
      start += records.length;
      records = [];
    }
  }
  if (records.length) yield { start, records };
}

/** Submits items as they come, keeping up to `depth` in flight; yields [item, answer] in item order. */
async function* pipelined<T, R>(
  items: AsyncIterable<T>,
  submit: (item: T) => Promise<R>,
  depth: number,
): AsyncGenerator<[T, R]> {
  const queue: { item: T; answer: Promise<R> }[] = [];
  for await (const item of items) {
    const answer = submit(item);
    answer.catch(() => {}); // awaited below, in order; keep an early failure from being "unhandled"
    queue.push({ item, answer });
    while (queue.length >= depth) {
      const head = queue.shift()!;
      yield [head.item, await head.answer];
    }
  }
  while (queue.length) {
    const head = queue.shift()!;
    yield [head.item, await head.answer];
  }
}
