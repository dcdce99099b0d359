import type { Interval } from "@/lib/audit/wilson";

export const pct = (x: number | null | undefined, digits = 1) =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : `${(x * 100).toFixed(digits)}%`;

export const ci = (i: Interval | null | undefined, digits = 1) =>
  i ? `${pct(i.low, digits)}–${pct(i.high, digits)}` : "";

/** Fixed colours per defect, in the order the report lists them (most frequent first). */
export const DEFECT_COLORS = [
  "#e11d48",
  "#f59e0b",
  "#6366f1",
  "#10b981",
  "#0ea5e9",
  "#a855f7",
  "#f97316",
  "#84cc16",
  "#64748b",
  "#ec4899",
  "#92400e",
  "#14b8a6",
];
export const defectColor = (i: number) => DEFECT_COLORS[i % DEFECT_COLORS.length]!;
