import type { DefectEstimate } from "./estimate";
import type { RateRow } from "./rates";
import type { AuditReport } from "./report";
import type { Interval } from "./wilson";

export const pct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : `${(x * 100).toFixed(digits)}%`;

/** "12.3% (95% CI 10.1–14.9%)". */
export const fmtInterval = (i: Interval | null | undefined, digits = 1) =>
  i ? `${pct(i.rate, digits)} (95% CI ${pct(i.low, digits)}–${pct(i.high, digits)})` : "—";

const int = (n: number) => n.toLocaleString("en-US");

/** A plain-text table: columns padded, numbers right-aligned. */
export function textTable(
  header: readonly string[],
  rows: readonly string[][],
  rightAlign: readonly boolean[],
) {
  const width = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (rightAlign[i] ? c.padStart(width[i]!) : c.padEnd(width[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), line(width.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function estimateLine(label: string, e: DefectEstimate | null): string {
  if (!e) return `${label}: — (nothing reviewed yet)`;
  const cover =
    e.coveredRecords < e.totalRecords
      ? `, covers ${int(e.coveredRecords)} of ${int(e.totalRecords)} records`
      : "";
  return `${label}: ${fmtInterval(e)} — ${int(e.knownDefective)} defective found, ${int(e.pending)} pending estimated from ${int(e.observations)} reviewed${cover}`;
}

function rateTable(title: string, rows: readonly RateRow[]): string {
  return `${title}\n${textTable(
    [
      "value",
      "records",
      "flagged",
      "flag rate",
      "reviewed",
      "defective",
      "precision",
      "est. true rate (95% CI)",
    ],
    rows.map((r) => [
      clip(r.key ?? "(none)", 60),
      int(r.records),
      int(r.flagged),
      pct(r.rate),
      int(r.reviewed),
      int(r.defective),
      pct(r.precision.precision?.rate),
      fmtInterval(r.estimate),
    ]),
    [false, true, true, true, true, true, true, false],
  )}`;
}

/** What `pairsift audit` prints. */
export function formatAuditText(report: AuditReport): string {
  const t = report.total;
  const parts: string[] = [];
  parts.push(
    `Audit of "${report.dataset.name}" — ${int(t.records)} records, ${int(t.flagged)} flagged (${pct(t.rate)}), ` +
      `${int(t.reviewed)} reviewed (${int(t.status.accepted)} accepted, ${int(t.status.rejected)} rejected, ` +
      `${int(t.status.relabeled)} relabeled), ${int(t.status.pending)} pending`,
  );
  parts.push(
    [
      "Estimated true defect rate (a reviewed record is defective when rejected or relabeled):",
      `  ${estimateLine("from audit samples", report.estimate.samples)}`,
      `  ${estimateLine("from all reviewed records", report.estimate.reviewed)}`,
    ].join("\n"),
  );
  parts.push(
    `Detectors (precision: of the flagged records reviewers decided, the share rejected or relabeled)\n${textTable(
      ["defect", "records", "rate", "decided", "confirmed", "accepted", "precision (95% CI)"],
      report.defects.map((d) => [
        d.defect,
        int(d.records),
        pct(d.rate),
        int(d.decided),
        int(d.confirmed),
        int(d.accepted),
        fmtInterval(d.precision),
      ]),
      [false, true, true, true, true, true, false],
    )}`,
  );
  parts.push(rateTable("By task", report.byTask));
  parts.push(rateTable("By task family", report.byFamily));
  parts.push(rateTable("By language", report.byLanguage));
  parts.push(
    `Review progress by task\n${textTable(
      ["task", "pending", "accepted", "rejected", "relabeled", "done"],
      report.byTask.map((r) => [
        clip(r.key ?? "(none)", 60),
        int(r.status.pending),
        int(r.status.accepted),
        int(r.status.rejected),
        int(r.status.relabeled),
        pct(r.records ? r.reviewed / r.records : 0, 0),
      ]),
      [false, true, true, true, true, true],
    )}`,
  );
  parts.push(
    report.reviewers.length
      ? `Reviewers\n${textTable(
          ["reviewer", "decisions", "undos", "records", "active", "per hour", "first", "last"],
          report.reviewers.map((r) => [
            r.actor,
            int(r.decisions),
            int(r.undos),
            int(r.records),
            `${(r.activeSeconds / 60).toFixed(0)} min`,
            r.perHour === null ? "—" : r.perHour.toFixed(0),
            r.first.slice(0, 16).replace("T", " "),
            r.last.slice(0, 16).replace("T", " "),
          ]),
          [false, true, true, true, true, true, false, false],
        )}`
      : "Reviewers: no decisions yet",
  );
  parts.push(
    report.samples.length
      ? `Audit samples\n${textTable(
          ["sample", "drawn", "by", "per task", "seed", "reviewed", "defective", "estimate (95% CI)"],
          report.samples.map((s) => [
            `#${s.id}`,
            s.createdAt.slice(0, 16).replace("T", " "),
            s.actor,
            int(s.perTask),
            String(s.seed),
            `${int(s.reviewed)}/${int(s.size)}`,
            int(s.defective),
            fmtInterval(s.estimate),
          ]),
          [false, false, false, true, true, true, true, false],
        )}`
      : "Audit samples: none drawn yet (the audit page in the app draws one)",
  );
  return `${parts.join("\n\n")}\n`;
}
