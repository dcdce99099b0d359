/** A proportion with its 95 % confidence interval. */
export interface Interval {
  /** Point estimate in [0, 1]. */
  rate: number;
  low: number;
  high: number;
}

/** z for a two-sided 95 % interval. */
export const Z95 = 1.959963984540054;

/**
 * Wilson score interval for a proportion `p` observed on `n` trials (n may be an effective sample
 * size, not an integer). Null when n is 0: there is nothing to estimate from.
 */
export function wilsonFromRate(p: number, n: number, z = Z95): Interval | null {
  if (!(n > 0) || !Number.isFinite(p)) return null;
  const rate = Math.min(1, Math.max(0, p));
  if (!Number.isFinite(n)) return { rate, low: rate, high: rate };
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (rate + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((rate * (1 - rate)) / n + z2 / (4 * n * n));
  // Clamp: rounding can leave the bound a hair past the estimate at p = 0 or 1.
  return {
    rate,
    low: Math.max(0, Math.min(rate, centre - half)),
    high: Math.min(1, Math.max(rate, centre + half)),
  };
}

/** Wilson score interval for k successes out of n. */
export function wilson(k: number, n: number, z = Z95): Interval | null {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || k > n) {
    throw new RangeError(`wilson: need integers 0 <= k <= n, got k=${k}, n=${n}`);
  }
  return n === 0 ? null : wilsonFromRate(k / n, n, z);
}
