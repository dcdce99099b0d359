import { type Interval, wilsonFromRate } from "./wilson";

/**
 * One stratum of a data set for the defect-rate estimate (a task, or a task's flagged or unflagged
 * records). Reviewed records are known: a record is defective when it was rejected or relabeled. The
 * pending ones are estimated from `n` observed records of the stratum, `k` of them defective.
 */
export interface EstimateStratum {
  total: number;
  /** Reviewed records found defective (rejected or relabeled). */
  defective: number;
  /** Records not reviewed yet. */
  pending: number;
  /** Observations the pending records' rate is estimated from, and how many were defective. */
  n: number;
  k: number;
}

export interface DefectEstimate extends Interval {
  /** Records of the strata the estimate covers (observed, or with nothing pending), and of all strata. */
  coveredRecords: number;
  totalRecords: number;
  /** Defective records known from reviews, in the covered strata. */
  knownDefective: number;
  /** Pending records in the covered strata, and their estimated defect rate. */
  pending: number;
  pendingRate: Interval | null;
  /** Observations behind the estimate, and the effective sample size of the pending rate. */
  observations: number;
  effectiveN: number | null;
}

/**
 * The data set's true defect rate: the defects reviewers found plus the estimated defects among the
 * records nobody reviewed yet, each stratum's pending records at its observed rate (a stratified
 * estimate). The 95 % interval is Wilson's, on the pending records' rate with the effective sample
 * size n_eff = q(1−q)/Var(q) (Kish; when every stratum saw 0 % or 100 %, n_eff from the weights
 * alone), capped at the number of observations; the known part adds no uncertainty.
 * Strata with pending records but no observation cannot be estimated and are left out: the result
 * says how many records it covers. Null when it covers nothing.
 */
export function estimateDefectRate(strata: readonly EstimateStratum[]): DefectEstimate | null {
  let totalRecords = 0;
  let covered = 0;
  let known = 0;
  let pending = 0;
  let observations = 0;
  const est: { pending: number; p: number; n: number }[] = [];
  for (const s of strata) {
    totalRecords += s.total;
    if (s.pending > 0 && s.n <= 0) continue;
    covered += s.total;
    known += s.defective;
    if (s.pending > 0) {
      pending += s.pending;
      observations += s.n;
      est.push({ pending: s.pending, p: s.k / s.n, n: s.n });
    }
  }
  if (covered === 0) return null;
  const base = {
    coveredRecords: covered,
    totalRecords,
    knownDefective: known,
    pending,
    observations,
  };
  if (pending === 0) {
    const rate = known / covered;
    return { ...base, rate, low: rate, high: rate, pendingRate: null, effectiveN: null };
  }
  let q = 0;
  let variance = 0;
  let weightTerm = 0;
  for (const e of est) {
    const w = e.pending / pending;
    q += w * e.p;
    variance += (w * w * e.p * (1 - e.p)) / e.n;
    weightTerm += (w * w) / e.n;
  }
  q = Math.min(1, Math.max(0, q));
  const nEff = Math.min(observations, variance > 1e-15 ? (q * (1 - q)) / variance : 1 / weightTerm);
  const pendingRate = wilsonFromRate(q, nEff);
  const share = pending / covered;
  const knownRate = known / covered;
  const rate = knownRate + share * q;
  return {
    ...base,
    rate,
    low: pendingRate ? knownRate + share * pendingRate.low : rate,
    high: pendingRate ? knownRate + share * pendingRate.high : rate,
    pendingRate,
    effectiveN: nEff,
  };
}
