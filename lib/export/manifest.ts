/**
 * The manifest written beside every export: what was exported from where, how, and a checksum of
 * every output, so a training run can name exactly the data it saw.
 */
import type { RecordFilter } from "@/lib/review/filter";
import type { ExportFormat, ExportOptions } from "./options";
import type { Split } from "./order";
import { type PreparedRecord, taskKey, taskLabel } from "./record";
import { SKIP_REASONS, type SkipReason } from "./writers";

export const MANIFEST_VERSION = 1;

/** Counts of one output, kept while it is written. */
export class OutputStats {
  records = 0;
  positives = 0;
  negatives = 0;
  bytes = 0;
  byTask = new Map<string, number>();
  byStatus = new Map<string, number>();
  skipped: Record<SkipReason, number> = Object.fromEntries(SKIP_REASONS.map((r) => [r, 0])) as Record<
    SkipReason,
    number
  >;
  /** Ids that were planned but no longer match when read (changed by a reviewer meanwhile). */
  vanished = 0;

  add(p: PreparedRecord): void {
    this.records++;
    this.positives += p.positives.length;
    this.negatives += p.negatives.length;
    const t = taskKey(p.record.task, p.record.taskFamily);
    this.byTask.set(t, (this.byTask.get(t) ?? 0) + 1);
    this.byStatus.set(p.record.status, (this.byStatus.get(p.record.status) ?? 0) + 1);
  }

  /** Adds the record counts of another (a batch's: lib/export/encode.ts). */
  merge(c: OutputStats): void {
    this.records += c.records;
    this.positives += c.positives;
    this.negatives += c.negatives;
    for (const [k, v] of c.byTask) this.byTask.set(k, (this.byTask.get(k) ?? 0) + v);
    for (const [k, v] of c.byStatus) this.byStatus.set(k, (this.byStatus.get(k) ?? 0) + v);
    for (const r of SKIP_REASONS) this.skipped[r] += c.skipped[r];
  }
}

export interface ManifestOutput {
  split: Split["name"];
  file: string;
  records: number;
  bytes: number;
  sha256: string;
  positives: number;
  negatives: number;
  /** Records planned for this output that were not written, by reason. */
  skipped: Record<SkipReason | "partial_batch_dropped" | "changed_during_export", number>;
  batches: { full: number; partialRecords: number; mixedRecords: number } | null;
  byTask: Record<string, number>;
  byStatus: Record<string, number>;
}

export interface Manifest {
  manifestVersion: number;
  tool: string;
  createdAt: string;
  dataset: { id: number; name: string };
  format: ExportFormat;
  /** The review view's filter the export was taken from ("export = view"). */
  filter: RecordFilter;
  options: ExportOptions;
  /** Records the filter and statuses matched when the export was planned. */
  matched: number;
  outputs: ManifestOutput[];
  /** Totals over all outputs. */
  counts: { records: number; byTask: Record<string, number>; byStatus: Record<string, number> };
  /** "defect@version" of the detection run whose flags were current (datasets.flags_run_id). */
  detectors: string[];
  detectionRunId: number | null;
  /** Review decisions in the data set when the export ran. */
  decisions: number;
}

const sortedObject = (m: Map<string, number>, label: (k: string) => string = (k) => k) =>
  Object.fromEntries(
    [...m.entries()].map(([k, v]) => [label(k), v] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1)),
  );

export function manifestOutput(
  split: Split,
  file: string,
  stats: OutputStats,
  sha256: string,
  batched: boolean,
): ManifestOutput {
  return {
    split: split.name,
    file,
    records: stats.records,
    bytes: stats.bytes,
    sha256,
    positives: stats.positives,
    negatives: stats.negatives,
    skipped: {
      ...stats.skipped,
      partial_batch_dropped: split.dropped,
      changed_during_export: stats.vanished,
    },
    batches: batched
      ? { full: split.fullBatches, partialRecords: split.partialRecords, mixedRecords: split.mixedRecords }
      : null,
    byTask: sortedObject(stats.byTask, taskLabel),
    byStatus: sortedObject(stats.byStatus),
  };
}

export function buildManifest(input: {
  dataset: { id: number; name: string };
  filter: RecordFilter;
  options: ExportOptions;
  matched: number;
  outputs: ManifestOutput[];
  detectors: string[];
  detectionRunId: number | null;
  decisions: number;
  createdAt?: Date;
}): Manifest {
  const byTask = new Map<string, number>();
  const byStatus = new Map<string, number>();
  for (const o of input.outputs) {
    for (const [k, v] of Object.entries(o.byTask)) byTask.set(k, (byTask.get(k) ?? 0) + v);
    for (const [k, v] of Object.entries(o.byStatus)) byStatus.set(k, (byStatus.get(k) ?? 0) + v);
  }
  return {
    manifestVersion: MANIFEST_VERSION,
    tool: "pairsift 0.1.0",
    createdAt: (input.createdAt ?? new Date()).toISOString(),
    dataset: input.dataset,
    format: input.options.format,
    filter: input.filter,
    options: input.options,
    matched: input.matched,
    outputs: input.outputs,
    counts: {
      records: input.outputs.reduce((s, o) => s + o.records, 0),
      byTask: sortedObject(byTask),
      byStatus: sortedObject(byStatus),
    },
    detectors: input.detectors,
    detectionRunId: input.detectionRunId,
    decisions: input.decisions,
  };
}

/** The file name of one output: `base.ext`, or `base.train.ext` / `base.dev.ext`. */
export function outputFileName(base: string, extension: string, split: Split["name"]): string {
  return split === "all" ? `${base}.${extension}` : `${base}.${split}.${extension}`;
}
