/**
 * Evidence spans → text segments, for highlighting flags in place. The UI renders each segment as
 * React text (marked segments inside <mark>), never as HTML: passages are untrusted.
 */

export interface Span {
  start: number;
  end: number;
  /** What the span is evidence of ("self_explanation: …"). */
  note: string;
}

export interface Segment {
  text: string;
  start: number;
  end: number;
  /** Notes of every span covering this segment; empty when unmarked. */
  notes: string[];
}

/**
 * Cuts `text` at every span boundary. Spans outside the text, empty spans and overlapping spans are
 * all handled: overlaps produce segments carrying the notes of each span over them.
 */
export function segmentText(text: string, spans: readonly Span[]): Segment[] {
  const valid = spans
    .map((s) => ({ ...s, start: Math.max(0, s.start), end: Math.min(text.length, s.end) }))
    .filter((s) => s.end > s.start);
  if (!valid.length) return text ? [{ text, start: 0, end: text.length, notes: [] }] : [];
  const cuts = new Set<number>([0, text.length]);
  for (const s of valid) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i]!;
    const end = points[i + 1]!;
    const notes = [...new Set(valid.filter((s) => s.start <= start && s.end >= end).map((s) => s.note))];
    const prev = out.at(-1);
    if (prev && prev.notes.length === 0 && notes.length === 0) {
      prev.text += text.slice(start, end);
      prev.end = end;
    } else out.push({ text: text.slice(start, end), start, end, notes });
  }
  return out;
}

export interface EvidenceLike {
  field: string;
  negativeIndex?: number;
  start: number;
  end: number;
  note: string;
}

/** Defects whose spans are text a reviewer may want to cut out. */
export const STRIPPABLE_DEFECTS = new Set(["self_explanation", "query_leakage", "instruction_echo"]);

export interface StripTarget {
  field: "query" | "positive" | "negative" | "task";
  position?: number;
  start: number;
  end: number;
  note: string;
  defect: string;
}

/**
 * The span `x` strips: in the selected negative when one is selected, else the first strippable
 * span of the query, the positive, then the negatives. Spans covering a whole text are skipped
 * (that is a drop or an edit, not a strip).
 */
export function stripTarget(
  flags: readonly { defect: string; evidence: readonly EvidenceLike[] }[],
  textOf: (field: string, position?: number) => string | undefined,
  selectedPosition?: number,
): StripTarget | undefined {
  const candidates: StripTarget[] = [];
  for (const f of flags) {
    if (!STRIPPABLE_DEFECTS.has(f.defect)) continue;
    for (const e of f.evidence) {
      if (!["query", "positive", "negative", "task"].includes(e.field)) continue;
      const text = textOf(e.field, e.negativeIndex);
      if (text === undefined || e.end <= e.start || e.end > text.length) continue;
      if (e.start === 0 && e.end >= text.trimEnd().length) continue;
      candidates.push({
        field: e.field as StripTarget["field"],
        position: e.field === "negative" ? e.negativeIndex : undefined,
        start: e.start,
        end: e.end,
        note: e.note,
        defect: f.defect,
      });
    }
  }
  const order = (t: StripTarget) =>
    t.field === "query" ? 0 : t.field === "positive" ? 1 : t.field === "task" ? 3 : 2;
  candidates.sort(
    (a, b) => order(a) - order(b) || (a.position ?? 0) - (b.position ?? 0) || a.start - b.start,
  );
  if (selectedPosition !== undefined) {
    return candidates.find((c) => c.field === "negative" && c.position === selectedPosition);
  }
  return candidates[0];
}
