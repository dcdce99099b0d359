import { type DefectEstimate, estimateDefectRate } from "./estimate";
import {
  type AuditCell,
  type DefectRow,
  defectRows,
  isDefectiveStatus,
  type RateRow,
  rateRows,
  type Status,
  type StatusCounts,
  sampleStrata,
  totalRow,
} from "./rates";

/** A reviewer's decisions on the data set (db/queries/audit.ts). */
export interface ReviewerInput {
  actor: string;
  /** Decisions other than undos, and undos. */
  decisions: number;
  undos: number;
  /** Distinct records decided. */
  records: number;
  first: Date;
  last: Date;
  /** Time between consecutive decisions, gaps longer than ACTIVE_GAP_MINUTES left out. */
  activeSeconds: number;
}

/** A pause longer than this between two decisions is a break, not review time. */
export const ACTIVE_GAP_MINUTES = 30;

export interface ReviewerRow extends Omit<ReviewerInput, "first" | "last"> {
  first: string;
  last: string;
  /** Decisions per hour of active time; null under a minute of activity. */
  perHour: number | null;
}

export function decisionsPerHour(decisions: number, activeSeconds: number): number | null {
  return activeSeconds >= 60 ? (decisions / activeSeconds) * 3600 : null;
}

/** Record counts of one audit sample (or of all samples together: sampleId null) per task and status. */
export interface SampleCell {
  sampleId: number | null;
  task: string | null;
  status: Status;
  n: number;
}

export interface SampleInput {
  id: number;
  perTask: number;
  seed: number;
  actor: string;
  createdAt: Date;
  size: number;
}

export interface SampleRow extends Omit<SampleInput, "createdAt"> {
  createdAt: string;
  /** Sample records that still exist, and how many of them are reviewed / defective. */
  found: number;
  reviewed: number;
  defective: number;
  tasks: number;
  /** The data set's defect rate estimated with this sample (null until a sample record is reviewed). */
  estimate: DefectEstimate | null;
}

export interface AuditReport {
  dataset: { id: number; name: string };
  generatedAt: string;
  total: RateRow;
  defects: DefectRow[];
  byTask: RateRow[];
  byFamily: RateRow[];
  byLanguage: RateRow[];
  reviewers: ReviewerRow[];
  samples: SampleRow[];
  estimate: {
    /** From every reviewed record, per task × flagged / unflagged. */
    reviewed: DefectEstimate | null;
    /** From the audit samples' reviewed records (all samples together), per task. */
    samples: DefectEstimate | null;
  };
}

export interface AuditInput {
  dataset: { id: number; name: string };
  cells: readonly AuditCell[];
  reviewers: readonly ReviewerInput[];
  samples: readonly SampleInput[];
  sampleCells: readonly SampleCell[];
  now?: Date;
}

function estimateFromSample(byTask: readonly RateRow[], cells: readonly SampleCell[]) {
  const observed = new Map<string | null, { n: number; k: number }>();
  let found = 0;
  let reviewed = 0;
  let defective = 0;
  for (const c of cells) {
    found += c.n;
    if (c.status === "pending") continue;
    reviewed += c.n;
    const o = observed.get(c.task) ?? { n: 0, k: 0 };
    o.n += c.n;
    if (isDefectiveStatus(c.status)) {
      o.k += c.n;
      defective += c.n;
    }
    observed.set(c.task, o);
  }
  const tasks = new Set(cells.map((c) => c.task)).size;
  return {
    found,
    reviewed,
    defective,
    tasks,
    estimate: reviewed ? estimateDefectRate(sampleStrata(byTask, observed)) : null,
  };
}

/** Everything the audit page, its downloads and `pairsift audit` show, from a few grouped queries. */
export function buildAuditReport(input: AuditInput): AuditReport {
  const byTask = rateRows(input.cells, "task");
  const total = totalRow(input.cells);
  const cellsBySample = new Map<number | null, SampleCell[]>();
  for (const c of input.sampleCells) {
    const list = cellsBySample.get(c.sampleId) ?? [];
    list.push(c);
    cellsBySample.set(c.sampleId, list);
  }
  return {
    dataset: input.dataset,
    generatedAt: (input.now ?? new Date()).toISOString(),
    total,
    defects: defectRows(input.cells),
    byTask,
    byFamily: rateRows(input.cells, "family"),
    byLanguage: rateRows(input.cells, "language"),
    reviewers: input.reviewers
      .map((r) => ({
        ...r,
        first: r.first.toISOString(),
        last: r.last.toISOString(),
        perHour: decisionsPerHour(r.decisions, r.activeSeconds),
      }))
      .sort((a, b) => b.decisions - a.decisions || a.actor.localeCompare(b.actor)),
    samples: input.samples.map((s) => ({
      ...s,
      createdAt: s.createdAt.toISOString(),
      ...estimateFromSample(byTask, cellsBySample.get(s.id) ?? []),
    })),
    estimate: {
      reviewed: total.estimate,
      samples: estimateFromSample(byTask, cellsBySample.get(null) ?? []).estimate,
    },
  };
}

export type { StatusCounts };
