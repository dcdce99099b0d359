"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { fmtInt, plural } from "@/components/ui/format";

export interface FormatOption {
  id: string;
  label: string;
}

interface ImportResult {
  jobId: number;
  datasetId: number;
  dataset: string;
  format: string | null;
  state: string;
  read: number;
  loaded: number;
  duplicate: number;
  rejected: number;
  elapsedMs: number;
  message: string | null;
  errors: { line: number; reason: string }[];
}

type Progress = { read: number; loaded: number; duplicate: number; rejected: number; fraction: number };

type Phase =
  | { kind: "idle" }
  | { kind: "uploading"; sent: number; total: number }
  | { kind: "importing"; progress: Progress | null }
  | { kind: "done"; result: ImportResult }
  | { kind: "error"; message: string };

function datasetNameFromFile(name: string): string {
  return name.replace(/\.(gz)$/i, "").replace(/\.(jsonl|json|csv|tsv|parquet)$/i, "");
}

/** Streams a file to POST /api/import with upload progress, then shows the summary and rejected lines. */
export function UploadPanel({ formats }: { formats: FormatOption[] }) {
  const router = useRouter();
  const ids = { file: useId(), name: useId(), format: useId(), strict: useId() };
  const [file, setFile] = useState<File | null>(null);
  const [dataset, setDataset] = useState("");
  const [format, setFormat] = useState("auto");
  const [strict, setStrict] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: "idle" });
  const xhrRef = useRef<XMLHttpRequest | null>(null);
  const busy = phase.kind === "uploading" || phase.kind === "importing";

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!file) return;
    const params = new URLSearchParams({
      dataset: dataset.trim() || datasetNameFromFile(file.name),
      filename: file.name,
      format,
      strict: strict ? "1" : "0",
    });
    const xhr = new XMLHttpRequest();
    xhrRef.current = xhr;
    xhr.open("POST", `/api/import?${params}`);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.onprogress = (ev) => {
      if (ev.loaded < file.size) setPhase({ kind: "uploading", sent: ev.loaded, total: file.size });
    };
    xhr.upload.onload = () => setPhase({ kind: "importing", progress: null });
    // The server answers NDJSON: progress lines while it imports, then one done/error line.
    let seen = 0;
    let final: { type: string } | null = null;
    const consume = () => {
      const text = xhr.responseText;
      let nl = text.indexOf("\n", seen);
      while (nl !== -1) {
        const line = text.slice(seen, nl);
        seen = nl + 1;
        nl = text.indexOf("\n", seen);
        let msg: { type: string } & Record<string, unknown>;
        try {
          msg = JSON.parse(line);
        } catch {
          continue;
        }
        if (msg.type === "progress") setPhase({ kind: "importing", progress: msg as unknown as Progress });
        else final = msg;
      }
    };
    xhr.onprogress = () => {
      if (xhr.status === 200) consume();
    };
    xhr.onload = () => {
      if (xhr.status === 200) {
        consume();
        const f = final as ({ type: string; error?: string } & Partial<ImportResult>) | null;
        if (f?.type === "done") {
          setPhase({ kind: "done", result: f as ImportResult });
          router.refresh();
        } else {
          setPhase({ kind: "error", message: f?.error ?? "The import ended without a result." });
        }
        return;
      }
      let msg = `The server answered ${xhr.status}.`;
      try {
        msg = (JSON.parse(xhr.responseText) as { error?: string }).error ?? msg;
      } catch {
        // keep the status message
      }
      setPhase({ kind: "error", message: msg });
    };
    xhr.onerror = () =>
      setPhase({ kind: "error", message: "The upload failed: the server could not be reached." });
    xhr.onabort = () => setPhase({ kind: "error", message: "Upload cancelled: nothing was imported." });
    setPhase({ kind: "uploading", sent: 0, total: file.size });
    xhr.send(file);
  };

  return (
    <section aria-labelledby="upload-heading" className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="upload-heading" className="text-lg font-semibold">
        Import a file
      </h2>
      <p className="mt-1 text-sm text-slate-600">
        JSONL, JSON array, CSV/TSV or Parquet, optionally gzip-compressed: E5 synthetic output (every task
        family), FlagEmbedding, sentence-transformers or Tevatron. Lines that cannot be read are listed with
        their line number; everything else loads. Importing the same file twice adds nothing.
      </p>
      <form onSubmit={submit} className="mt-4 grid gap-4 md:grid-cols-[2fr_1.5fr_1fr_auto] md:items-end">
        <div>
          <label htmlFor={ids.file} className="block text-sm font-medium">
            File
          </label>
          <input
            id={ids.file}
            type="file"
            accept=".jsonl,.json,.csv,.tsv,.parquet,.gz"
            disabled={busy}
            onChange={(e) => {
              const f = e.target.files?.[0] ?? null;
              setFile(f);
              if (f && !dataset) setDataset(datasetNameFromFile(f.name));
            }}
            className="mt-1 block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm hover:file:bg-slate-200"
          />
        </div>
        <div>
          <label htmlFor={ids.name} className="block text-sm font-medium">
            Data set name
          </label>
          <input
            id={ids.name}
            type="text"
            value={dataset}
            maxLength={200}
            disabled={busy}
            placeholder="from the file name"
            onChange={(e) => setDataset(e.target.value)}
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          />
        </div>
        <div>
          <label htmlFor={ids.format} className="block text-sm font-medium">
            Format
          </label>
          <select
            id={ids.format}
            value={format}
            disabled={busy}
            onChange={(e) => setFormat(e.target.value)}
            className="mt-1 block w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          >
            <option value="auto">Detect automatically</option>
            {formats.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <div className="flex items-center gap-4">
          <label htmlFor={ids.strict} className="flex items-center gap-1.5 text-sm">
            <input
              id={ids.strict}
              type="checkbox"
              checked={strict}
              disabled={busy}
              onChange={(e) => setStrict(e.target.checked)}
            />
            Strict
          </label>
          <button
            type="submit"
            disabled={!file || busy}
            className="rounded-md bg-indigo-600 px-4 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:cursor-not-allowed disabled:opacity-50"
          >
            Import
          </button>
        </div>
      </form>
      <p className="mt-1 text-xs text-slate-500">Strict: load nothing if any line is rejected.</p>

      <div aria-live="polite" className="mt-4 space-y-3">
        {phase.kind === "uploading" ? (
          <div>
            <progress
              aria-label="Import progress"
              className="h-2 w-full"
              max={phase.total || 1}
              value={phase.sent}
            />
            <p className="mt-1 text-sm text-slate-600">
              Uploading… {Math.round((phase.sent / (phase.total || 1)) * 100)}%{" "}
              <button type="button" onClick={() => xhrRef.current?.abort()} className="ml-2 underline">
                Cancel
              </button>
            </p>
          </div>
        ) : null}
        {phase.kind === "importing" ? (
          <div>
            <progress
              aria-label="Import progress"
              className="h-2 w-full"
              max={phase.progress ? 1 : undefined}
              value={phase.progress ? phase.progress.fraction : undefined}
            />
            <p className="mt-1 text-sm text-slate-600">
              {phase.progress
                ? `Importing… ${fmtInt(phase.progress.loaded + phase.progress.duplicate)} records, ${fmtInt(phase.progress.rejected)} rejected (${Math.round(phase.progress.fraction * 100)}%)`
                : "Importing…"}
            </p>
          </div>
        ) : null}
        {phase.kind === "error" ? (
          <p
            role="alert"
            className="rounded-md border border-red-200 bg-red-50 p-3 text-sm whitespace-pre-wrap text-red-800"
          >
            {phase.message}
          </p>
        ) : null}
        {phase.kind === "done" ? <ImportResultView result={phase.result} /> : null}
      </div>
    </section>
  );
}

function ImportResultView({ result }: { result: ImportResult }) {
  const ok = result.state === "done";
  return (
    <div
      role="status"
      className={`rounded-md border p-3 text-sm ${ok ? "border-emerald-200 bg-emerald-50" : "border-amber-200 bg-amber-50"}`}
    >
      <p>
        <strong>{ok ? "Imported" : `Import ${result.state}`}</strong> into{" "}
        <Link className="text-indigo-700 underline" href={`/datasets/${result.datasetId}`}>
          {result.dataset}
        </Link>{" "}
        ({result.format ?? "unknown format"}): {plural(result.loaded, "record")} loaded,{" "}
        {fmtInt(result.duplicate)} already present, {plural(result.rejected, "line")} rejected, in{" "}
        {(result.elapsedMs / 1000).toFixed(1)} s.
      </p>
      {result.message ? <p className="mt-1">{result.message}</p> : null}
      {result.loaded > 0 ? (
        <p className="mt-1 text-slate-600">
          The detectors are checking the new records; the data set page shows their progress.
        </p>
      ) : null}
      {result.errors.length ? <RejectedLines errors={result.errors} total={result.rejected} /> : null}
    </div>
  );
}

export function RejectedLines({
  errors,
  total,
}: {
  errors: { line: number; reason: string }[];
  total: number;
}) {
  return (
    <div className="mt-3">
      <table className="w-full text-left text-xs" aria-label="Rejected lines">
        <thead className="text-slate-500">
          <tr>
            <th scope="col" className="w-20 py-1 pr-3">
              Line
            </th>
            <th scope="col" className="py-1">
              Reason
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-black/5">
          {errors.slice(0, 200).map((e) => (
            <tr key={`${e.line}-${e.reason}`}>
              <td className="py-1 pr-3 tabular-nums">{e.line}</td>
              <td className="py-1 break-all">{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {total > Math.min(errors.length, 200) ? (
        <p className="mt-1 text-xs text-slate-600">
          Showing {Math.min(errors.length, 200)} of {fmtInt(total)} rejected lines.
        </p>
      ) : null}
    </div>
  );
}
