import path from "node:path";
import { SingleBar } from "cli-progress";
import type { Database } from "@/db/client";
import { getDatasetByName } from "@/db/queries/datasets";
import { type ExportProgress, exportToFile, planExport } from "@/db/queries/export";
import { describeIssues, EXPORT_FORMATS, type ExportOptions, exportOptionsSchema } from "@/lib/export";
import { filterOf, parseRecordView, type RecordFilter } from "@/lib/review/filter";
import type { ProgressMode } from "./progress";

/** `pairsift export` options as commander hands them over (strings, unparsed). */
export interface ExportCliOptions {
  dataset: string;
  out: string;
  format: string;
  filter?: string;
  include: string;
  negatives: string;
  rankMin?: string;
  rankMax?: string;
  template?: string;
  instruction: boolean;
  symmetric: string;
  order: string;
  batchSize: string;
  mixedFraction: string;
  partialBatches: string;
  seed: string;
  devFraction: string;
  progress: ProgressMode;
}

export const EXPORT_HELP = `
Examples:
  pairsift export --dataset e5-run-3 --format flagembedding --out train.jsonl
  pairsift export --dataset e5-run-3 --format sentence-transformers-parquet --negatives 3 --out st.parquet
  pairsift export --dataset e5-run-3 --filter 'family=short-long&defect=query_leakage&match=none' \\
                  --include accepted,relabeled,pending --dev-fraction 0.05 --seed 7 --out e5.jsonl

--filter takes the review table's URL query (what the page's address shows after "?"): the export
holds exactly the records that view shows, in the statuses given by --include (rejected never).
Formats: ${EXPORT_FORMATS.join(", ")}.
The file is written to FILE.partial and renamed when complete; FILE.manifest.json lists the data set,
filter, options, counts per task and status, detector versions, decisions and the sha256 of every output.
With --dev-fraction, the outputs are NAME.train.EXT and NAME.dev.EXT beside FILE.
"\\n" in --template stands for a newline.`;

/** Parses the CLI's strings into a filter and options; throws with a usage message. */
export function parseExportCli(o: ExportCliOptions): { filter: RecordFilter; options: ExportOptions } {
  let filter: RecordFilter = filterOf(parseRecordView(new URLSearchParams()).view);
  if (o.filter !== undefined) {
    const raw = o.filter.trim().replace(/^\?/, "");
    const parsed = parseRecordView(new URLSearchParams(raw));
    if (parsed.ignored.length) {
      throw new Error(`--filter: invalid value for ${parsed.ignored.join(", ")}`);
    }
    const known = new Set(Object.keys(parsed.view));
    const unknown = [...new URLSearchParams(raw).keys()].filter((k) => !known.has(k));
    if (unknown.length) throw new Error(`--filter: unknown key ${[...new Set(unknown)].join(", ")}`);
    filter = filterOf(parsed.view);
  }
  const template = o.instruction
    ? o.template === undefined
      ? undefined
      : o.template.replaceAll("\\n", "\n")
    : null;
  const parsed = exportOptionsSchema.safeParse({
    format: o.format,
    statuses: o.include
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
    negatives: o.negatives === "all" ? "all" : o.negatives,
    rankMin: o.rankMin,
    rankMax: o.rankMax,
    template,
    symmetric: o.symmetric,
    order: o.order,
    batchSize: o.batchSize,
    mixedFraction: o.mixedFraction,
    partialBatches: o.partialBatches,
    seed: o.seed,
    devFraction: o.devFraction,
  });
  if (!parsed.success) throw new Error(describeIssues(parsed.error));
  return { filter, options: parsed.data };
}

function progressBar(stream: NodeJS.WriteStream, label: string, mode: ProgressMode) {
  if (mode === "json") {
    return {
      update: (p: ExportProgress) =>
        stream.write(`${JSON.stringify({ type: "progress", file: label, ...p })}\n`),
      stop: () => {},
    };
  }
  if (mode === "none" || (mode === "auto" && !stream.isTTY)) return { update: () => {}, stop: () => {} };
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {percentage}% | {written} records | {rate} rec/s | {mb} MB`,
    barCompleteChar: "█",
    barIncompleteChar: "░",
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(1, 0, { written: 0, rate: 0, mb: "0.0" });
  return {
    update(p: ExportProgress) {
      bar.setTotal(Math.max(1, p.total));
      bar.update(p.done, {
        written: p.written,
        rate: p.elapsedMs > 0 ? Math.round((p.done / p.elapsedMs) * 1000) : 0,
        mb: (p.bytes / 1024 / 1024).toFixed(1),
      });
    },
    stop: () => bar.stop(),
  };
}

export type ExportCliResult = { ok: true; summary: string } | { ok: false; usage: string };

/** Runs `pairsift export` on an open database. */
export async function runExportCli(
  database: Database,
  o: ExportCliOptions,
  filter: RecordFilter,
  options: ExportOptions,
  signal?: AbortSignal,
): Promise<ExportCliResult> {
  const ds = await getDatasetByName(database, o.dataset);
  if (!ds) return { ok: false, usage: `no data set named "${o.dataset}" (see: pairsift datasets)` };
  const t0 = Date.now();
  const plan = await planExport(database, { datasetId: ds.id, filter, options });
  if (!plan) return { ok: false, usage: `no data set named "${o.dataset}"` };
  const bar = progressBar(process.stderr, path.basename(o.out), o.progress);
  const { manifest, files, manifestFile } = await exportToFile(database, plan, o.out, {
    signal,
    onProgress: bar.update,
  }).finally(() => bar.stop());
  const sec = (Date.now() - t0) / 1000;
  const lines = manifest.outputs.map((x, i) => {
    const skipped = Object.entries(x.skipped)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k.replaceAll("_", " ")}`);
    return `  ${files[i]}: ${x.records} records${skipped.length ? ` (left out: ${skipped.join(", ")})` : ""}, sha256 ${x.sha256}`;
  });
  const rate = sec > 0 ? Math.round(manifest.counts.records / sec) : 0;
  return {
    ok: true,
    summary:
      `"${ds.name}" → ${options.format}: ${manifest.counts.records} of ${manifest.matched} matching records ` +
      `in ${sec.toFixed(1)} s (${rate} records/s)\n${lines.join("\n")}\n  manifest: ${manifestFile}\n`,
  };
}
