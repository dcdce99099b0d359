import type { RateRow } from "./rates";
import type { AuditReport } from "./report";

type Cell = string | number | null | undefined;

/** One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF, or starts/ends with a space. */
export function csvField(v: Cell): string {
  if (v === null || v === undefined) return "";
  let s = typeof v === "number" ? (Number.isFinite(v) ? String(v) : "") : v;
  // A leading =, +, - or @ makes spreadsheets evaluate the cell: task texts are untrusted.
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]|^\s|\s$/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly Cell[][]): string {
  return `${[header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n")}\r\n`;
}

const r6 = (x: number | null | undefined) =>
  x === null || x === undefined ? null : Math.round(x * 1e6) / 1e6;

export const CSV_TABLES = ["rates", "reviewers", "samples"] as const;
export type CsvTable = (typeof CSV_TABLES)[number];

const RATE_HEADER = [
  "dimension",
  "value",
  "defect",
  "records",
  "flagged_records",
  "flag_rate",
  "pending",
  "accepted",
  "rejected",
  "relabeled",
  "precision_decided",
  "precision_confirmed",
  "precision",
  "precision_low",
  "precision_high",
  "est_defect_rate",
  "est_low",
  "est_high",
] as const;

function rateLines(dimension: string, row: RateRow, defects: readonly string[]): Cell[][] {
  const value = row.key ?? "";
  const p = row.precision;
  const e = row.estimate;
  const lines: Cell[][] = [
    [
      dimension,
      value,
      "",
      row.records,
      row.flagged,
      r6(row.rate),
      row.status.pending,
      row.status.accepted,
      row.status.rejected,
      row.status.relabeled,
      p.decided,
      p.confirmed,
      r6(p.precision?.rate),
      r6(p.precision?.low),
      r6(p.precision?.high),
      r6(e?.rate),
      r6(e?.low),
      r6(e?.high),
    ],
  ];
  for (const d of defects) {
    const n = row.byDefect[d] ?? 0;
    if (!n) continue;
    lines.push([dimension, value, d, row.records, n, r6(n / Math.max(1, row.records))]);
  }
  return lines;
}

/**
 * The defect-rate tables in long form: one line per dimension value (defect empty: any defect, with
 * review progress, precision and estimate), then one per value × defect flagged on it.
 * Dimension "dataset" is the whole data set, "defect" the detectors with their precision.
 */
export function ratesCsv(report: AuditReport): string {
  const defects = report.defects.map((d) => d.defect);
  const rows: Cell[][] = [...rateLines("dataset", report.total, defects)];
  for (const d of report.defects) {
    rows.push([
      "defect",
      d.defect,
      d.defect,
      report.total.records,
      d.records,
      r6(d.rate),
      null,
      null,
      null,
      null,
      d.decided,
      d.confirmed,
      r6(d.precision?.rate),
      r6(d.precision?.low),
      r6(d.precision?.high),
    ]);
  }
  for (const [dim, list] of [
    ["task", report.byTask],
    ["family", report.byFamily],
    ["language", report.byLanguage],
  ] as const) {
    for (const row of list) rows.push(...rateLines(dim, row, defects));
  }
  return toCsv(RATE_HEADER, rows);
}

export function reviewersCsv(report: AuditReport): string {
  return toCsv(
    ["reviewer", "decisions", "undos", "records", "first", "last", "active_seconds", "decisions_per_hour"],
    report.reviewers.map((r) => [
      r.actor,
      r.decisions,
      r.undos,
      r.records,
      r.first,
      r.last,
      Math.round(r.activeSeconds),
      r6(r.perHour),
    ]),
  );
}

export function samplesCsv(report: AuditReport): string {
  return toCsv(
    [
      "sample",
      "created_at",
      "actor",
      "per_task",
      "seed",
      "size",
      "reviewed",
      "defective",
      "est_defect_rate",
      "est_low",
      "est_high",
      "covered_records",
      "total_records",
    ],
    report.samples.map((s) => [
      s.id,
      s.createdAt,
      s.actor,
      s.perTask,
      s.seed,
      s.size,
      s.reviewed,
      s.defective,
      r6(s.estimate?.rate),
      r6(s.estimate?.low),
      r6(s.estimate?.high),
      s.estimate?.coveredRecords,
      s.estimate?.totalRecords,
    ]),
  );
}

export function auditCsv(report: AuditReport, table: CsvTable): string {
  return table === "reviewers"
    ? reviewersCsv(report)
    : table === "samples"
      ? samplesCsv(report)
      : ratesCsv(report);
}
