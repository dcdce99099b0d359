import type { ReviewFlag } from "@/db/queries/review";
import { type Span, segmentText } from "@/lib/review/highlight";

/** Evidence spans of the current flags that point into one text (field + negative position). */
export function spansFor(flags: readonly ReviewFlag[], field: string, position?: number): Span[] {
  const out: Span[] = [];
  for (const f of flags) {
    for (const e of f.evidence) {
      if (e.field !== field) continue;
      if (field === "negative" && e.negativeIndex !== position) continue;
      if (e.end <= e.start) continue;
      out.push({ start: e.start, end: e.end, note: `${f.defect}: ${e.note}` });
    }
  }
  return out;
}

/** Notes of flags on a text that have no span to highlight (lengths, language, duplicates…). */
export function notesFor(flags: readonly ReviewFlag[], field: string, position?: number) {
  const out: { defect: string; note: string }[] = [];
  for (const f of flags) {
    for (const e of f.evidence) {
      if (e.field !== field || e.end > e.start) continue;
      if (field === "negative" && e.negativeIndex !== position) continue;
      out.push({ defect: f.defect, note: e.note });
    }
  }
  return out;
}

/**
 * A text with its evidence spans marked in place. The text is always rendered as React text (never
 * as HTML): passages are untrusted.
 */
export function HighlightedText({
  text,
  spans,
  className,
}: {
  text: string;
  spans: Span[];
  className?: string;
}) {
  const segments = segmentText(text, spans);
  return (
    <p className={`whitespace-pre-wrap break-words ${className ?? ""}`}>
      {segments.map((s) =>
        s.notes.length ? (
          <mark
            key={s.start}
            title={s.notes.join("\n")}
            className="rounded-sm bg-amber-200 px-0.5 text-amber-950 ring-1 ring-amber-300"
          >
            {s.text}
          </mark>
        ) : (
          <span key={s.start}>{s.text}</span>
        ),
      )}
    </p>
  );
}

export function FlagNotes({ notes }: { notes: { defect: string; note: string }[] }) {
  if (!notes.length) return null;
  return (
    <ul className="mt-2 space-y-0.5 text-xs text-amber-900">
      {notes.map((n, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static list, notes may repeat
        <li key={i}>
          <span className="font-medium">{n.defect}</span>: {n.note}
        </li>
      ))}
    </ul>
  );
}
