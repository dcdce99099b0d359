import type { Defect, DetectRecord, Evidence, Flag, Target } from "./types";

/** One text of a record that a flag can point at. */
export interface FieldText {
  target: Target;
  /** Set when target is "negative". */
  negativeIndex?: number;
  text: string;
}

/**
 * The positive and the negatives of a record, in order. Extra positives are not listed: flags and
 * evidence cannot point at them (see types.ts), so detectors leave them alone.
 */
export function passagesOf(record: DetectRecord): FieldText[] {
  const out: FieldText[] = [{ target: "positive", text: record.positive.text }];
  record.negatives.forEach((n, i) => {
    out.push({ target: "negative", negativeIndex: i, text: n.text });
  });
  return out;
}

/** The query, then the positive and the negatives. */
export function fieldsOf(record: DetectRecord): FieldText[] {
  return [{ target: "query", text: record.query }, ...passagesOf(record)];
}

export function evidence(field: FieldText, start: number, end: number, note: string): Evidence {
  const e: Evidence = { field: field.target, start, end, note };
  if (field.negativeIndex !== undefined) e.negativeIndex = field.negativeIndex;
  return e;
}

export function makeFlag(
  defect: Defect,
  version: number,
  field: FieldText,
  score: number,
  evidenceList: Evidence[],
): Flag {
  const f: Flag = {
    defect,
    target: field.target,
    score: Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000,
    evidence: evidenceList,
    detector: `${defect}@${version}`,
  };
  if (field.negativeIndex !== undefined) f.negativeIndex = field.negativeIndex;
  return f;
}

export const clamp01 = (x: number): number => Math.max(0, Math.min(1, x));
