import { createDetection, type DetectorOptionsInput } from "./index";
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
}

/**
 * `runDetectors` for sources that stream (files, database cursors): a collection pass for the
 * detectors that need the whole data set, then detection per record in source order — so memory
 * holds what collectors keep, never the data set.
 */
export async function* runDetectorsAsync(
  source: AsyncRecordSource,
  opts: AsyncRunOptions = {},
): AsyncGenerator<{ key: number; record: DetectRecord; flags: Flag[] }> {
  const run = createDetection(opts);
  if (run.needsCollection) {
    let key = 0;
    for await (const record of source()) {
      run.add(record, key++);
      if (key % 5000 === 0) opts.onProgress?.({ phase: "collect", done: key });
    }
    run.finish();
  }
  const t = opts.teacher;
  const lookup = typeof t === "function" ? t : undefined;
  const stream = t && typeof t !== "function" ? t[Symbol.asyncIterator]() : undefined;
  let key = 0;
  for await (const record of source()) {
    let teacher = lookup?.(key);
    if (stream) {
      const next = await stream.next();
      if (!next.done) {
        if (next.value.key !== key)
          throw new Error(`teacher result ${next.value.key} out of step with record ${key}`);
        teacher = next.value.result;
      }
    }
    const flags = run.detect(record, key, teacher);
    yield { key, record, flags };
    key++;
    if (key % 1000 === 0) opts.onProgress?.({ phase: "detect", done: key });
  }
}
