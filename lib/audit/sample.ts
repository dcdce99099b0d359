import { hashSeed, mulberry32, sampleIndices } from "./prng";

/** Unreviewed records of one task, flagged or not (the strata a sample is drawn from). */
export interface PendingStratum {
  task: string | null;
  flagged: boolean;
  /** Records in the stratum. Positions 0..count-1 are the records in id order. */
  count: number;
}

/** What to take from one stratum: positions (0-based, ascending) in its id-ordered records. */
export interface StratumPick {
  task: string | null;
  flagged: boolean;
  positions: number[];
}

const taskKey = (task: string | null) => (task === null ? "\u0000null" : `t:${task}`);

/**
 * Plans a stratified random sample: `perTask` records of every task (all of them when the task has
 * fewer), split between its flagged and unflagged records in proportion to their counts, so that the
 * sample covers what the detectors miss as well as what they flag and each task's sample is
 * self-weighting (its plain defect share estimates the task's unreviewed records). A fractional share
 * is rounded up with the probability of its fraction, which keeps the expected allocation exactly
 * proportional. Each task draws from its own PRNG stream (seed, task), so the plan does not depend on
 * the order of `strata`, and the same seed over the same records gives the same sample.
 */
export function planSample(strata: readonly PendingStratum[], perTask: number, seed: number): StratumPick[] {
  if (!Number.isInteger(perTask) || perTask < 1) throw new RangeError("perTask must be a positive integer");
  const byTask = new Map<string, { task: string | null; flagged: number; unflagged: number }>();
  for (const s of strata) {
    if (s.count <= 0) continue;
    const k = taskKey(s.task);
    const t = byTask.get(k) ?? { task: s.task, flagged: 0, unflagged: 0 };
    if (s.flagged) t.flagged += s.count;
    else t.unflagged += s.count;
    byTask.set(k, t);
  }
  const picks: StratumPick[] = [];
  for (const [key, t] of [...byTask].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const rng = mulberry32(hashSeed(seed, key));
    const total = t.flagged + t.unflagged;
    let kFlagged: number;
    let kUnflagged: number;
    if (total <= perTask) {
      kFlagged = t.flagged;
      kUnflagged = t.unflagged;
    } else {
      const expected = (perTask * t.flagged) / total;
      const whole = Math.floor(expected);
      kFlagged = whole + (rng() < expected - whole ? 1 : 0);
      kFlagged = Math.min(t.flagged, Math.max(perTask - t.unflagged, kFlagged));
      kUnflagged = perTask - kFlagged;
    }
    if (kFlagged > 0) {
      picks.push({ task: t.task, flagged: true, positions: sampleIndices(rng, t.flagged, kFlagged) });
    }
    if (kUnflagged > 0) {
      picks.push({ task: t.task, flagged: false, positions: sampleIndices(rng, t.unflagged, kUnflagged) });
    }
  }
  return picks;
}
