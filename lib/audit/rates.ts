import { type DefectEstimate, type EstimateStratum, estimateDefectRate } from "./estimate";
import { type Interval, wilson } from "./wilson";

export const STATUSES = ["pending", "accepted", "rejected", "relabeled"] as const;
export type Status = (typeof STATUSES)[number];
export const DIMENSIONS = ["task", "family", "language"] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/**
 * One group-by cell over a data set's records (db/queries/audit.ts): records of one task, family or
 * language, flagged or not, in one status — counted once with `defect: null`, and once more under
 * each defect flagged on them.
 */
export interface AuditCell {
  dim: Dimension;
  /** Task (null: records without a task), family, or language ("und" when unknown). */
  key: string | null;
  flagged: boolean;
  status: Status;
  defect: string | null;
  n: number;
}

export type StatusCounts = Record<Status, number>;
const zeroStatus = (): StatusCounts => ({ pending: 0, accepted: 0, rejected: 0, relabeled: 0 });

/** A reviewed record is defective when it was rejected or relabeled. */
export const isDefectiveStatus = (s: Status) => s === "rejected" || s === "relabeled";

/** Reviewers' verdicts on flagged records: confirmed (rejected or relabeled) vs accepted. */
export interface Precision {
  decided: number;
  confirmed: number;
  accepted: number;
  /** confirmed / decided with its Wilson interval; null when nothing was decided. */
  precision: Interval | null;
}

function precisionOf(confirmed: number, accepted: number): Precision {
  const decided = confirmed + accepted;
  return { decided, confirmed, accepted, precision: wilson(confirmed, decided) };
}

/** One row of a defect-rate table (a task, a family or a language, or the whole data set). */
export interface RateRow {
  key: string | null;
  records: number;
  /** Records with at least one flag, and their share. */
  flagged: number;
  rate: number;
  /** Records flagged with each defect. */
  byDefect: Record<string, number>;
  status: StatusCounts;
  reviewed: number;
  /** Reviewed records rejected or relabeled. */
  defective: number;
  /** Detector precision over the row's flagged records that reviewers decided. */
  precision: Precision;
  /** Estimated true defect rate from reviewed records (strata: flagged / unflagged). */
  estimate: DefectEstimate | null;
}

/** One detector (defect) over the data set. */
export interface DefectRow extends Precision {
  defect: string;
  records: number;
  rate: number;
}

interface Acc {
  records: number;
  flagged: number;
  byDefect: Map<string, number>;
  status: StatusCounts;
  flaggedStatus: StatusCounts;
  unflaggedStatus: StatusCounts;
}

const newAcc = (): Acc => ({
  records: 0,
  flagged: 0,
  byDefect: new Map(),
  status: zeroStatus(),
  flaggedStatus: zeroStatus(),
  unflaggedStatus: zeroStatus(),
});

function add(acc: Acc, c: AuditCell) {
  if (c.defect !== null) {
    acc.byDefect.set(c.defect, (acc.byDefect.get(c.defect) ?? 0) + c.n);
    return;
  }
  acc.records += c.n;
  if (c.flagged) acc.flagged += c.n;
  acc.status[c.status] += c.n;
  (c.flagged ? acc.flaggedStatus : acc.unflaggedStatus)[c.status] += c.n;
}

/** Strata for the estimate from reviewed records: a group's flagged and its unflagged records. */
function strataOf(acc: Acc): EstimateStratum[] {
  return [acc.flaggedStatus, acc.unflaggedStatus].map((s) => {
    const reviewed = s.accepted + s.rejected + s.relabeled;
    const defective = s.rejected + s.relabeled;
    return {
      total: reviewed + s.pending,
      defective,
      pending: s.pending,
      n: reviewed,
      k: defective,
    };
  });
}

function toRow(key: string | null, acc: Acc): RateRow {
  const reviewed = acc.status.accepted + acc.status.rejected + acc.status.relabeled;
  const fs = acc.flaggedStatus;
  return {
    key,
    records: acc.records,
    flagged: acc.flagged,
    rate: acc.records ? acc.flagged / acc.records : 0,
    byDefect: Object.fromEntries([...acc.byDefect].sort((a, b) => b[1] - a[1])),
    status: acc.status,
    reviewed,
    defective: acc.status.rejected + acc.status.relabeled,
    precision: precisionOf(fs.rejected + fs.relabeled, fs.accepted),
    estimate: estimateDefectRate(strataOf(acc)),
  };
}

/** The rate table of one dimension, largest groups first. */
export function rateRows(cells: readonly AuditCell[], dim: Dimension): RateRow[] {
  const groups = new Map<string | null, Acc>();
  for (const c of cells) {
    if (c.dim !== dim) continue;
    let acc = groups.get(c.key);
    if (!acc) {
      acc = newAcc();
      groups.set(c.key, acc);
    }
    add(acc, c);
  }
  return [...groups]
    .map(([k, acc]) => toRow(k, acc))
    .sort((a, b) => b.records - a.records || String(a.key).localeCompare(String(b.key)));
}

/**
 * The whole data set as one row (from the task cells: every record has exactly one task key). Its
 * estimate weights flagged and unflagged records apart (reviewers pick flagged records first).
 */
export function totalRow(cells: readonly AuditCell[]): RateRow {
  const acc = newAcc();
  for (const c of cells) if (c.dim === "task") add(acc, c);
  return toRow(null, acc);
}

/**
 * Per detector: records flagged with the defect, their share of the data set, and the precision
 * reviewers confirm (of the flagged records they decided, the share rejected or relabeled).
 */
export function defectRows(cells: readonly AuditCell[]): DefectRow[] {
  let total = 0;
  const by = new Map<string, { records: number; confirmed: number; accepted: number }>();
  for (const c of cells) {
    if (c.dim !== "task") continue;
    if (c.defect === null) {
      total += c.n;
      continue;
    }
    const d = by.get(c.defect) ?? { records: 0, confirmed: 0, accepted: 0 };
    d.records += c.n;
    if (isDefectiveStatus(c.status)) d.confirmed += c.n;
    else if (c.status === "accepted") d.accepted += c.n;
    by.set(c.defect, d);
  }
  return [...by]
    .map(([defect, d]) => ({
      defect,
      records: d.records,
      rate: total ? d.records / total : 0,
      ...precisionOf(d.confirmed, d.accepted),
    }))
    .sort((a, b) => b.records - a.records || a.defect.localeCompare(b.defect));
}

/** Strata for the audit-sample estimate: one per task, its pending records at the sample's rate. */
export function sampleStrata(
  taskRows: readonly RateRow[],
  observed: ReadonlyMap<string | null, { n: number; k: number }>,
): EstimateStratum[] {
  return taskRows.map((r) => {
    const o = observed.get(r.key) ?? { n: 0, k: 0 };
    return { total: r.records, defective: r.defective, pending: r.status.pending, n: o.n, k: o.k };
  });
}
