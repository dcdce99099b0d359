/**
 * The detector registry and the runners.
 *
 *   const flags = [...runDetectors(records, { options: dataSet.settings })];
 *   const flags = runDetectors(() => readRecords(file), { teacher: (key) => scores[key] });
 *
 * `runDetectors` makes one collection pass (only when an active detector has a collector), then
 * yields each record's flags in input order. Given a factory, it calls it once per pass, so a file
 * can be streamed twice instead of held in memory; only what the collectors keep stays in memory.
 */
import { z } from "zod";
import { duplicateNegative } from "./duplicate-negative";
import { duplicateRecord } from "./duplicate-record";
import { emptyOrTruncated } from "./empty-or-truncated";
import { falseNegative } from "./false-negative";
import { instructionEcho } from "./instruction-echo";
import { languageMismatch } from "./language-mismatch";
import { lengthMismatch } from "./length-mismatch";
import { queryLeakage } from "./query-leakage";
import { negativeRank, positiveRank } from "./rank";
import { selfExplanation } from "./self-explanation";
import type { Collector, Defect, Detector, DetectRecord, Flag, TeacherResult } from "./types";

export * from "./types";

// biome-ignore lint/suspicious/noExplicitAny: a registry of detectors with different option and collector types
export type AnyDetector = Detector<any, any>;

/** Every detector, in a stable order (the order flags come out in). */
export const DETECTORS: AnyDetector[] = [
  selfExplanation,
  queryLeakage,
  lengthMismatch,
  duplicateNegative,
  falseNegative,
  negativeRank,
  positiveRank,
  emptyOrTruncated,
  duplicateRecord,
  languageMismatch,
  instructionEcho,
];

export const DETECTOR_BY_DEFECT: ReadonlyMap<Defect, AnyDetector> = new Map(
  DETECTORS.map((d) => [d.defect, d]),
);

/**
 * Per-defect options, every key optional with the detector's defaults: what a data set stores as
 * its detection settings. `{}` parses to the full defaults.
 */
export const detectorOptionsSchema = z.object({
  self_explanation: selfExplanation.optionsSchema.prefault({}),
  query_leakage: queryLeakage.optionsSchema.prefault({}),
  length_mismatch: lengthMismatch.optionsSchema.prefault({}),
  duplicate_negative: duplicateNegative.optionsSchema.prefault({}),
  false_negative: falseNegative.optionsSchema.prefault({}),
  negative_rank: negativeRank.optionsSchema.prefault({}),
  positive_rank: positiveRank.optionsSchema.prefault({}),
  empty_or_truncated: emptyOrTruncated.optionsSchema.prefault({}),
  duplicate_record: duplicateRecord.optionsSchema.prefault({}),
  language_mismatch: languageMismatch.optionsSchema.prefault({}),
  instruction_echo: instructionEcho.optionsSchema.prefault({}),
} satisfies Record<Defect, z.ZodType>);
export type DetectorOptions = z.infer<typeof detectorOptionsSchema>;
export type DetectorOptionsInput = z.input<typeof detectorOptionsSchema>;

/** A data set's stored settings (`datasets.settings`): detector thresholds under `detectors`. */
export const datasetSettingsSchema = z.looseObject({ detectors: detectorOptionsSchema.optional() });

/** The detector options a data set's settings hold (defaults when none); a clear error when invalid. */
export function detectorOptionsFromSettings(settings: unknown): DetectorOptions {
  const parsed = datasetSettingsSchema.safeParse(settings ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new Error(`invalid detector settings: ${issues}`);
  }
  return parsed.data.detectors ?? resolveOptions();
}

/** Full options from a partial object (throws a ZodError on invalid values). */
export function resolveOptions(partial?: DetectorOptionsInput | null): DetectorOptions {
  return detectorOptionsSchema.parse(partial ?? {});
}

export interface RunOptions {
  /** Partial or resolved options; defaults everywhere else. */
  options?: DetectorOptionsInput;
  /** Teacher relevance per record key (position in the input). */
  teacher?: (key: number) => TeacherResult | undefined;
  /** Run only these defects' detectors. */
  only?: readonly Defect[];
}

export type RecordSource = readonly DetectRecord[] | (() => Iterable<DetectRecord>);

const iterate = (source: RecordSource): Iterable<DetectRecord> =>
  typeof source === "function" ? source() : source;

/**
 * One detection run's machinery, shared by the sync and async runners: the active detectors with
 * their collectors; `add` feeds the collection pass, `finish` closes it, `detect` flags one record.
 */
export function createDetection(opts: Omit<RunOptions, "teacher"> = {}) {
  const options = resolveOptions(opts.options);
  const active = opts.only ? DETECTORS.filter((d) => opts.only?.includes(d.defect)) : DETECTORS;
  const collectors = new Map<Defect, Collector<unknown>>();
  for (const d of active) {
    if (d.collect) collectors.set(d.defect, d.collect(options[d.defect]));
  }
  const list = [...collectors.values()];
  let data = new Map<Defect, unknown>();
  return {
    /** Resolved options (what worker threads are started with). */
    options,
    /** Whether a collection pass is needed at all. */
    needsCollection: list.length > 0,
    add(record: DetectRecord, key: number): void {
      for (const c of list) c.add(record, key);
    },
    /**
     * Parallel collection, first half (any thread): each collector's per-record work, in collector
     * order; `undefined` for a collector that has no `prepare` (`addPrepared` then needs the record).
     */
    prepare(record: DetectRecord): unknown[] {
      return list.map((c) => (c.prepare && c.addPrepared ? c.prepare(record) : undefined));
    },
    /** Parallel collection, second half (the collecting thread, in key order). */
    addPrepared(prepared: readonly unknown[], record: DetectRecord, key: number): void {
      list.forEach((c, i) => {
        if (c.prepare && c.addPrepared) c.addPrepared(prepared[i], key);
        else c.add(record, key);
      });
    },
    finish(): void {
      for (const [defect, c] of collectors) data.set(defect, c.finish());
    },
    /** What the collectors built (after `finish`), to hand to other threads. */
    collected(): Map<Defect, unknown> {
      return data;
    },
    /** Uses collector results built elsewhere (a worker thread gets the main thread's). */
    setCollected(built: Map<Defect, unknown>): void {
      data = built;
    },
    detect(record: DetectRecord, key: number, teacher: TeacherResult | undefined): Flag[] {
      const flags: Flag[] = [];
      for (const d of active) {
        const ctx = { key, data: data.get(d.defect), teacher };
        for (const f of d.detect(record, ctx, options[d.defect as Defect])) flags.push(f);
      }
      return flags;
    },
  };
}

/**
 * Runs the detectors: a collection pass over all records for detectors with a collector, then
 * detection per record, in input order. `key` is the record's position in the input.
 */
export function* runDetectors(
  records: RecordSource,
  opts: RunOptions = {},
): Generator<{ key: number; flags: Flag[] }> {
  const run = createDetection(opts);
  if (run.needsCollection) {
    let key = 0;
    for (const record of iterate(records)) run.add(record, key++);
    run.finish();
  }
  let key = 0;
  for (const record of iterate(records)) {
    yield { key, flags: run.detect(record, key, opts.teacher?.(key)) };
    key++;
  }
}

/** Flags of a single record (collectors see just this record, with key 0). */
export function detectOne(
  record: DetectRecord,
  opts: Omit<RunOptions, "teacher"> & { teacher?: TeacherResult | RunOptions["teacher"] } = {},
): Flag[] {
  const t = opts.teacher;
  const teacher = typeof t === "function" ? t : t ? () => t : undefined;
  for (const r of runDetectors([record], { ...opts, teacher })) return r.flags;
  return [];
}
