import { DEFECTS, type Defect, type DetectRecord, type Flag } from "@/lib/detect";
import { PARALLEL_MIN_RECORDS, runDetectorsAsync } from "@/lib/detect/run-async";
import { type FormatId, parseInput } from "@/lib/formats";
import { openInput } from "@/lib/formats/node";
import { createTeacher, type TeacherSpec } from "@/lib/teacher";
import type { KeyedRecord } from "@/lib/teacher/types";

export interface ScanOptions {
  file: string;
  format: FormatId | "auto";
  teacher: TeacherSpec["kind"] | "auto";
  /** For the http teacher: endpoint, model and API key. */
  teacherUrl?: string;
  teacherModel?: string;
  teacherApiKey?: string;
  json: boolean;
  failOver?: number;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Detector worker threads: 0 in-process, "auto" one per core (default: auto for 2,000+ records). */
  workers?: number | "auto";
}

export interface ScanSummary {
  records: number;
  rejected: number;
  /** Records flagged per defect. */
  byDefect: Map<Defect, number>;
  /** Records flagged per task and defect. */
  byTask: Map<string, { records: number; defects: Map<Defect, number> }>;
  failed: Defect[];
}

/** Every detector over a file, no database: a linter for data sets in a pipeline. */
export async function scanFile(o: ScanOptions): Promise<ScanSummary> {
  const rejected: { line: number; reason: string }[] = [];
  const lines: number[] = [];
  let firstPass = true;
  let hasScores = false;
  const source = async function* (): AsyncGenerator<DetectRecord> {
    const input = await parseInput({ ...(await openInput(o.file)), format: o.format });
    for await (const ev of input.events) {
      if (ev.kind === "error") {
        if (firstPass) rejected.push({ line: ev.line, reason: ev.reason });
        continue;
      }
      if (firstPass) {
        lines.push(ev.line);
        if (
          ev.record.positive.score !== undefined ||
          ev.record.negatives.some((n) => n.score !== undefined)
        ) {
          hasScores = true;
        }
      }
      yield ev.record;
    }
    firstPass = false;
  };
  // One pass first: counts, rejected lines, and whether the file carries teacher scores.
  for await (const _ of source()) {
    // counted in the pass
  }
  const kind: TeacherSpec["kind"] = o.teacher === "auto" ? (hasScores ? "scores" : "bm25") : o.teacher;
  const teacher =
    kind === "none"
      ? undefined
      : kind === "http"
        ? createTeacher({
            kind,
            url: o.teacherUrl ?? "",
            model: o.teacherModel ?? "",
            apiKey: o.teacherApiKey,
          })
        : createTeacher({ kind });
  const keyed = async function* (): AsyncGenerator<KeyedRecord> {
    let key = 0;
    for await (const record of source()) yield { key: key++, record };
  };

  const summary: ScanSummary = {
    records: 0,
    rejected: rejected.length,
    byDefect: new Map(),
    byTask: new Map(),
    failed: [],
  };
  const workers = o.workers ?? (lines.length >= PARALLEL_MIN_RECORDS ? "auto" : 0);
  for await (const { key, record, flags } of runDetectorsAsync(source, {
    teacher: teacher?.score(keyed),
    workers,
  })) {
    summary.records++;
    const task = record.task ?? "(no task)";
    let t = summary.byTask.get(task);
    if (!t) {
      t = { records: 0, defects: new Map() };
      summary.byTask.set(task, t);
    }
    t.records++;
    const seen = new Set<Defect>();
    for (const f of flags) seen.add(f.defect);
    for (const d of seen) {
      summary.byDefect.set(d, (summary.byDefect.get(d) ?? 0) + 1);
      t.defects.set(d, (t.defects.get(d) ?? 0) + 1);
    }
    if (o.json) {
      o.out.write(
        `${JSON.stringify({ line: key + 1, source_line: lines[key], flags: flags.map(toJsonFlag) })}\n`,
      );
    }
  }
  for (const r of rejected.slice(0, 20)) o.err.write(`line ${r.line}: ${r.reason}\n`);
  if (rejected.length > 20) o.err.write(`… and ${rejected.length - 20} more rejected lines\n`);
  printSummary(summary, kind, o.err);
  if (o.failOver !== undefined) {
    for (const [d, n] of summary.byDefect) {
      if (summary.records > 0 && n / summary.records > o.failOver) summary.failed.push(d);
    }
  }
  return summary;
}

function toJsonFlag(f: Flag) {
  return {
    defect: f.defect,
    target: f.target,
    ...(f.negativeIndex !== undefined ? { negative: f.negativeIndex } : {}),
    score: Math.round(f.score * 1000) / 1000,
    evidence: f.evidence,
    detector: f.detector,
  };
}

function printSummary(s: ScanSummary, teacher: string, err: NodeJS.WritableStream) {
  const pct = (n: number, of: number) => (of ? `${((n / of) * 100).toFixed(1)}%` : "-");
  const rows: string[][] = [["defect", "task", "records", "rate"]];
  for (const d of DEFECTS) {
    const n = s.byDefect.get(d);
    if (!n) continue;
    rows.push([d, "(all)", String(n), pct(n, s.records)]);
    const tasks = [...s.byTask.entries()]
      .filter(([, t]) => t.defects.get(d))
      .sort((a, b) => (b[1].defects.get(d) ?? 0) - (a[1].defects.get(d) ?? 0))
      .slice(0, 5);
    for (const [task, t] of tasks) {
      const k = t.defects.get(d) ?? 0;
      rows.push(["", task.length > 60 ? `${task.slice(0, 59)}…` : task, String(k), pct(k, t.records)]);
    }
  }
  err.write(
    `scanned ${s.records} records (${s.rejected} lines rejected), teacher: ${teacher}; ${s.byDefect.size ? "records flagged per defect:" : "no defects found"}\n`,
  );
  if (rows.length === 1) return;
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    err.write(`${r.map((c, i) => (i >= 2 ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join("  ")}\n`);
}
