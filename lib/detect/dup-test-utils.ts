/** Test helpers for the duplicate and teacher-based detectors (not part of the library API). */
import { openInput } from "@/lib/formats/node";
import { fixture, parseAll } from "@/lib/formats/test-utils";
import type { Detector, DetectRecord, Flag, TeacherResult } from "./types";

export type LinedRecord = DetectRecord & { line: number };

/** The records of a real fixture file, with their line numbers. */
export async function realRecords(name: string): Promise<LinedRecord[]> {
  const { source, fileName } = await openInput(fixture("real", name));
  const parsed = await parseAll(source, fileName);
  return parsed.records;
}

/** Runs one detector over a data set: collection pass, then detection; flags by record index. */
export function runOne<O, C>(
  detector: Detector<O, C>,
  records: readonly DetectRecord[],
  options: Partial<O> = {},
  teacher?: (key: number) => TeacherResult | undefined,
): Flag[][] {
  const o = detector.optionsSchema.parse(options);
  let data: C | undefined;
  if (detector.collect) {
    const c = detector.collect(o);
    records.forEach((r, k) => {
      c.add(r, k);
    });
    data = c.finish();
  }
  return records.map((r, key) => detector.detect(r, { key, data: data as C, teacher: teacher?.(key) }, o));
}

export const rec = (
  query: string,
  positive: string,
  negatives: string[],
  extra: string[] = [],
  more: Partial<DetectRecord> = {},
): DetectRecord => ({
  query,
  positive: { text: positive },
  extraPositives: extra.map((text) => ({ text })),
  negatives: negatives.map((text) => ({ text })),
  taskFamily: "short-long",
  params: {},
  ...more,
});
