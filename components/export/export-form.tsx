"use client";

import { useId, useRef, useState } from "react";
import { fmtInt } from "@/components/ui/format";
import {
  DEFAULT_TEMPLATE,
  describeIssues,
  EXPORT_FORMAT_INFO,
  EXPORT_FORMATS,
  EXPORT_ORDERS,
  EXPORTABLE_STATUSES,
  type ExportableStatus,
  type ExportFormat,
  type ExportOptions,
  type ExportOrder,
  exportOptionsSchema,
  exportOptionsToParams,
} from "@/lib/export/options";

type Phase =
  | { kind: "idle" }
  | { kind: "running"; output: string; bytes: number; records: number | null; planned: number }
  | { kind: "done"; files: { name: string; bytes: number; records: number | null }[] }
  | { kind: "error"; message: string };

const ORDER_LABELS: Record<ExportOrder, string> = {
  "task-homogeneous": "Task-homogeneous batches, tasks interleaved (SFR, Linq)",
  "homogeneous-then-mixed": "Task by task, then a mixed-task tail (Linq)",
  plain: "Plain (record id order)",
};

const inputClass = "mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm";
const labelClass = "block text-sm font-medium";

function fmtBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

/** Saves a blob under a file name (the browser's download). */
function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const fileNameOf = (res: Response, fallback: string) =>
  /filename="([^"]+)"/.exec(res.headers.get("content-disposition") ?? "")?.[1] ?? fallback;

/**
 * The export form: options checked with the same zod schema as the route, then each output is
 * fetched as a stream with progress (bytes, and records for JSON Lines) and saved. The manifest
 * comes from the same route with `manifest=1`.
 */
export function ExportForm({
  datasetId,
  filterQuery,
  counts,
  rejected,
}: {
  datasetId: number;
  /** The review view's filter as search params (carried into every request). */
  filterQuery: string;
  counts: Record<ExportableStatus, number>;
  rejected: number;
}) {
  const id = useId();
  const ids = (k: string) => `${id}-${k}`;
  const [format, setFormat] = useState<ExportFormat>("flagembedding");
  const [statuses, setStatuses] = useState<ExportableStatus[]>(["accepted", "relabeled"]);
  const [negatives, setNegatives] = useState("1");
  const [allNegatives, setAllNegatives] = useState(false);
  const [rankMin, setRankMin] = useState("");
  const [rankMax, setRankMax] = useState("");
  const [instruct, setInstruct] = useState(true);
  const [template, setTemplate] = useState(DEFAULT_TEMPLATE);
  const [symmetric, setSymmetric] = useState<"instruct" | "none">("instruct");
  const [order, setOrder] = useState<ExportOrder>("task-homogeneous");
  const [batchSize, setBatchSize] = useState("2048");
  const [mixedFraction, setMixedFraction] = useState("0.1");
  const [partial, setPartial] = useState<"end" | "drop">("end");
  const [seed, setSeed] = useState("42");
  const [devFraction, setDevFraction] = useState("0");
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const abortRef = useRef<AbortController | null>(null);
  const busy = phase.kind === "running";

  const parsed = exportOptionsSchema.safeParse({
    format,
    statuses,
    negatives: allNegatives ? "all" : negatives,
    rankMin: rankMin || undefined,
    rankMax: rankMax || undefined,
    template: instruct ? template : null,
    symmetric,
    order,
    batchSize,
    mixedFraction,
    partialBatches: partial,
    seed,
    devFraction,
  });
  const selected = statuses.reduce((s, x) => s + counts[x], 0);
  const jsonl = EXPORT_FORMAT_INFO[format].extension === "jsonl";

  const url = (o: ExportOptions, extra: Record<string, string> = {}) => {
    const p = new URLSearchParams(filterQuery);
    for (const [k, v] of exportOptionsToParams(o)) p.append(k, v);
    for (const [k, v] of Object.entries(extra)) p.set(k, v);
    return `/api/datasets/${datasetId}/export?${p}`;
  };

  const errorOf = async (res: Response) => {
    try {
      return ((await res.json()) as { error?: string }).error ?? `The server answered ${res.status}.`;
    } catch {
      return `The server answered ${res.status}.`;
    }
  };

  const run = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!parsed.success) return;
    const o = parsed.data;
    const abort = new AbortController();
    abortRef.current = abort;
    const splits = o.devFraction > 0 ? ["train", "dev"] : ["all"];
    const files: { name: string; bytes: number; records: number | null }[] = [];
    try {
      for (const split of splits) {
        const res = await fetch(url(o, { split }), { signal: abort.signal });
        if (!res.ok || !res.body) {
          setPhase({ kind: "error", message: await errorOf(res) });
          return;
        }
        const name = fileNameOf(res, `export.${EXPORT_FORMAT_INFO[o.format].extension}`);
        const planned = Number(res.headers.get("x-pairsift-records") ?? 0);
        const reader = res.body.getReader();
        const chunks: Uint8Array[] = [];
        let bytes = 0;
        let records: number | null = jsonl ? 0 : null;
        let last = 0;
        setPhase({ kind: "running", output: name, bytes, records, planned });
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          chunks.push(value);
          bytes += value.byteLength;
          if (records !== null) for (const b of value) if (b === 10) records++;
          const now = performance.now();
          if (now - last > 100) {
            last = now;
            setPhase({ kind: "running", output: name, bytes, records, planned });
          }
        }
        save(new Blob(chunks as BlobPart[], { type: res.headers.get("content-type") ?? undefined }), name);
        files.push({ name, bytes, records });
      }
      setPhase({ kind: "done", files });
    } catch (err) {
      setPhase({
        kind: "error",
        message: abort.signal.aborted
          ? "Export cancelled: nothing was saved."
          : `The export failed: ${err instanceof Error ? err.message : String(err)}`,
      });
    } finally {
      abortRef.current = null;
    }
  };

  const downloadManifest = async () => {
    if (!parsed.success) return;
    setPhase({ kind: "running", output: "manifest", bytes: 0, records: null, planned: 0 });
    const res = await fetch(url(parsed.data, { manifest: "1" }));
    if (!res.ok) {
      setPhase({ kind: "error", message: await errorOf(res) });
      return;
    }
    const blob = await res.blob();
    save(blob, `export-${datasetId}.manifest.json`);
    setPhase({ kind: "done", files: [{ name: "manifest", bytes: blob.size, records: null }] });
  };

  const toggleStatus = (s: ExportableStatus, on: boolean) =>
    setStatuses((prev) => (on ? [...prev, s] : prev.filter((x) => x !== s)));

  return (
    <form onSubmit={run} className="space-y-4" aria-label="Export options">
      <div className="grid gap-4 lg:grid-cols-2">
        <section aria-labelledby={ids("what")} className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id={ids("what")} className="text-sm font-semibold text-slate-700">
            What
          </h2>
          <div className="mt-3 space-y-4">
            <div>
              <label htmlFor={ids("format")} className={labelClass}>
                Format
              </label>
              <select
                id={ids("format")}
                value={format}
                disabled={busy}
                onChange={(e) => setFormat(e.target.value as ExportFormat)}
                className={inputClass}
              >
                {EXPORT_FORMATS.map((f) => (
                  <option key={f} value={f}>
                    {EXPORT_FORMAT_INFO[f].label}
                  </option>
                ))}
              </select>
              <p className="mt-1 text-xs text-slate-500">{EXPORT_FORMAT_INFO[format].description}</p>
            </div>
            <fieldset>
              <legend className={labelClass}>Statuses</legend>
              <div className="mt-1 flex flex-wrap gap-4">
                {EXPORTABLE_STATUSES.map((s) => (
                  <label key={s} className="flex items-center gap-1.5 text-sm">
                    <input
                      type="checkbox"
                      checked={statuses.includes(s)}
                      disabled={busy}
                      onChange={(e) => toggleStatus(s, e.target.checked)}
                    />
                    {s} <span className="tabular-nums text-slate-500">({fmtInt(counts[s])})</span>
                  </label>
                ))}
              </div>
              <p className="mt-1 text-xs text-slate-500">
                {fmtInt(selected)} records selected · {fmtInt(rejected)} rejected in this view, never exported
              </p>
            </fieldset>
            <div className="grid grid-cols-3 gap-3">
              <div>
                <label htmlFor={ids("neg")} className={labelClass}>
                  Negatives per query
                </label>
                <input
                  id={ids("neg")}
                  type="number"
                  min={0}
                  max={256}
                  value={negatives}
                  disabled={busy || allNegatives}
                  onChange={(e) => setNegatives(e.target.value)}
                  className={inputClass}
                />
                <label className="mt-1 flex items-center gap-1.5 text-xs">
                  <input
                    type="checkbox"
                    checked={allNegatives}
                    disabled={busy}
                    onChange={(e) => setAllNegatives(e.target.checked)}
                  />
                  all kept
                </label>
              </div>
              <div>
                <label htmlFor={ids("rmin")} className={labelClass}>
                  Teacher rank from
                </label>
                <input
                  id={ids("rmin")}
                  type="number"
                  min={1}
                  placeholder="any"
                  value={rankMin}
                  disabled={busy}
                  onChange={(e) => setRankMin(e.target.value)}
                  className={inputClass}
                />
              </div>
              <div>
                <label htmlFor={ids("rmax")} className={labelClass}>
                  Teacher rank to
                </label>
                <input
                  id={ids("rmax")}
                  type="number"
                  min={1}
                  placeholder="any"
                  value={rankMax}
                  disabled={busy}
                  onChange={(e) => setRankMax(e.target.value)}
                  className={inputClass}
                />
              </div>
            </div>
            <p className="text-xs text-slate-500">
              Kept negatives only, in their order; a rank window (Linq: 30–100) applies to negatives that have
              a teacher rank.
            </p>
          </div>
        </section>

        <section aria-labelledby={ids("how")} className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id={ids("how")} className="text-sm font-semibold text-slate-700">
            How
          </h2>
          <div className="mt-3 space-y-4">
            <div>
              <label className="flex items-center gap-1.5 text-sm font-medium">
                <input
                  type="checkbox"
                  checked={instruct}
                  disabled={busy}
                  onChange={(e) => setInstruct(e.target.checked)}
                />
                Query instruction
              </label>
              <label htmlFor={ids("tpl")} className="sr-only">
                Instruction template
              </label>
              <textarea
                id={ids("tpl")}
                rows={2}
                value={template}
                disabled={busy || !instruct}
                onChange={(e) => setTemplate(e.target.value)}
                className={`${inputClass} font-mono`}
              />
              <p className="mt-1 text-xs text-slate-500">
                {"{task}"} and {"{query}"} are filled in; FlagEmbedding gets the part before {"{query}"} as{" "}
                <code>prompt</code>; E5 keeps the task as its own field.
              </p>
              <label htmlFor={ids("sym")} className={`${labelClass} mt-2`}>
                Symmetric tasks (STS, bitext)
              </label>
              <select
                id={ids("sym")}
                value={symmetric}
                disabled={busy || !instruct}
                onChange={(e) => setSymmetric(e.target.value as "instruct" | "none")}
                className={inputClass}
              >
                <option value="instruct">Same instruction</option>
                <option value="none">No instruction</option>
              </select>
            </div>
            <div>
              <label htmlFor={ids("order")} className={labelClass}>
                Order
              </label>
              <select
                id={ids("order")}
                value={order}
                disabled={busy}
                onChange={(e) => setOrder(e.target.value as ExportOrder)}
                className={inputClass}
              >
                {EXPORT_ORDERS.map((o) => (
                  <option key={o} value={o}>
                    {ORDER_LABELS[o]}
                  </option>
                ))}
              </select>
            </div>
            <div className="grid grid-cols-3 gap-3">
              <div>
                <label htmlFor={ids("batch")} className={labelClass}>
                  Batch size
                </label>
                <input
                  id={ids("batch")}
                  type="number"
                  min={1}
                  value={batchSize}
                  disabled={busy || order === "plain"}
                  onChange={(e) => setBatchSize(e.target.value)}
                  className={inputClass}
                />
              </div>
              <div>
                <label htmlFor={ids("partial")} className={labelClass}>
                  Smaller batches
                </label>
                <select
                  id={ids("partial")}
                  value={partial}
                  disabled={busy || order === "plain"}
                  onChange={(e) => setPartial(e.target.value as "end" | "drop")}
                  className={inputClass}
                >
                  <option value="end">At the end</option>
                  <option value="drop">Leave out</option>
                </select>
              </div>
              <div>
                <label htmlFor={ids("mixed")} className={labelClass}>
                  Mixed tail
                </label>
                <input
                  id={ids("mixed")}
                  type="number"
                  min={0}
                  max={1}
                  step={0.01}
                  value={mixedFraction}
                  disabled={busy || order !== "homogeneous-then-mixed"}
                  onChange={(e) => setMixedFraction(e.target.value)}
                  className={inputClass}
                />
              </div>
              <div>
                <label htmlFor={ids("seed")} className={labelClass}>
                  Seed
                </label>
                <input
                  id={ids("seed")}
                  type="number"
                  min={0}
                  value={seed}
                  disabled={busy}
                  onChange={(e) => setSeed(e.target.value)}
                  className={inputClass}
                />
              </div>
              <div>
                <label htmlFor={ids("dev")} className={labelClass}>
                  Dev fraction
                </label>
                <input
                  id={ids("dev")}
                  type="number"
                  min={0}
                  max={0.9}
                  step={0.01}
                  value={devFraction}
                  disabled={busy}
                  onChange={(e) => setDevFraction(e.target.value)}
                  className={inputClass}
                />
              </div>
            </div>
          </div>
        </section>
      </div>

      {!parsed.success ? (
        <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-800 ring-1 ring-red-200">
          {describeIssues(parsed.error)}
        </p>
      ) : null}

      <div className="flex flex-wrap items-center gap-3">
        <button
          type="submit"
          disabled={busy || !parsed.success || selected === 0}
          className="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:cursor-not-allowed disabled:opacity-50"
        >
          Export
        </button>
        <button
          type="button"
          onClick={downloadManifest}
          disabled={busy || !parsed.success}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-50"
        >
          Download manifest
        </button>
        {busy ? (
          <button
            type="button"
            onClick={() => abortRef.current?.abort()}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm hover:bg-slate-50"
          >
            Cancel
          </button>
        ) : null}
        {parsed.success ? (
          <a
            href={url(parsed.data, parsed.data.devFraction > 0 ? { split: "train" } : {})}
            className="text-sm text-slate-600 underline hover:text-slate-900"
          >
            Direct download link{parsed.data.devFraction > 0 ? " (train)" : ""}
          </a>
        ) : null}
      </div>

      <div aria-live="polite" className="text-sm">
        {phase.kind === "running" ? (
          <div role="status" className="space-y-1">
            <p>
              {phase.output === "manifest"
                ? "Computing the manifest (the export runs once, without being sent)…"
                : `Receiving ${phase.output}: ${fmtBytes(phase.bytes)}${
                    phase.records !== null
                      ? ` · ${fmtInt(phase.records)} of ${fmtInt(phase.planned)} records`
                      : ""
                  }`}
            </p>
            {phase.records !== null && phase.planned > 0 ? (
              <progress
                aria-label="Export progress"
                className="h-2 w-full max-w-md"
                max={phase.planned}
                value={phase.records}
              />
            ) : null}
          </div>
        ) : null}
        {phase.kind === "done" ? (
          <p role="status" className="text-emerald-800">
            Saved{" "}
            {phase.files
              .map(
                (f) =>
                  `${f.name} (${fmtBytes(f.bytes)}${f.records !== null ? `, ${fmtInt(f.records)} records` : ""})`,
              )
              .join(" and ")}
            .
          </p>
        ) : null}
        {phase.kind === "error" ? (
          <p role="alert" className="text-red-700">
            {phase.message}
          </p>
        ) : null}
      </div>
    </form>
  );
}
