/**
 * The rules of review decisions: what each action does to a record's state. Pure (no database, no
 * React), so the server, the CLI and the tests share one implementation.
 *
 *   const { after, status } = apply(before, { type: "drop_negative", position: 2 });
 *
 * - `accept` / `reject` set the status only.
 * - Any change to a text, a negative, the task, the language or the label makes the record
 *   `relabeled` (a reviewer changed the data, so it is no longer the generator's record as given).
 * - `undo` restores the `before` snapshot of an earlier decision (passed in `ctx.undo`); the undo is
 *   itself a decision, so the log stays append-only.
 */
import type { NEGATIVE_STATUSES, RECORD_STATUSES, ReviewAction } from "./schema";

export type RecordStatus = (typeof RECORD_STATUSES)[number];
export type NegativeStatus = (typeof NEGATIVE_STATUSES)[number];

export interface NegativeState {
  /** The stored position (stable: flags and evidence point at it). */
  position: number;
  text: string;
  status: NegativeStatus;
  teacherScore: number | null;
}

/** What a decision changes, as stored in decisions.before / decisions.after. */
export interface RecordState {
  status: RecordStatus;
  task: string | null;
  language: string | null;
  query: string;
  positive: string;
  positiveScore: number | null;
  label: string | null;
  misleadingLabel: string | null;
  /** Ordered by position. */
  negatives: NegativeState[];
}

/** An action that does not fit the record (no such negative, a span out of range, an empty text…). */
export class ReviewRuleError extends Error {
  override name = "ReviewRuleError";
}

export interface ApplyContext {
  /** For `undo`: the `before` snapshot of the decision being undone. */
  undo?: { before: RecordState };
}

export interface ApplyResult {
  after: RecordState;
  status: RecordStatus;
}

const clone = (s: RecordState): RecordState => ({ ...s, negatives: s.negatives.map((n) => ({ ...n })) });

function negativeAt(state: RecordState, position: number) {
  const n = state.negatives.find((x) => x.position === position);
  if (!n) throw new ReviewRuleError(`This record has no negative at position ${position}.`);
  return n;
}

function keptNegative(state: RecordState, position: number) {
  const n = negativeAt(state, position);
  if (n.status !== "kept") throw new ReviewRuleError(`Negative ${position + 1} is already ${n.status}.`);
  return n;
}

function nonEmpty(text: string, what: string): string {
  if (!text.trim()) throw new ReviewRuleError(`The ${what} cannot be empty.`);
  return text;
}

const optional = (v: string | null | undefined): string | null => {
  const t = v?.trim();
  return t ? t : null;
};

/** The text an edit or strip targets. */
function readField(state: RecordState, field: string, position?: number): string {
  switch (field) {
    case "query":
      return state.query;
    case "positive":
      return state.positive;
    case "task":
      return state.task ?? "";
    case "label":
      return state.label ?? "";
    case "negative":
      if (position === undefined) throw new ReviewRuleError("Which negative? A position is needed.");
      return negativeAt(state, position).text;
    default:
      throw new ReviewRuleError(`Unknown field ${field}.`);
  }
}

function writeField(state: RecordState, field: string, text: string, position?: number): void {
  switch (field) {
    case "query":
      state.query = nonEmpty(text, "query");
      return;
    case "positive":
      state.positive = nonEmpty(text, "positive");
      return;
    case "task":
      state.task = optional(text);
      return;
    case "label":
      state.label = optional(text);
      return;
    case "negative": {
      const n = negativeAt(state, position ?? -1);
      n.text = nonEmpty(text, `negative ${(position ?? 0) + 1}`);
      return;
    }
  }
}

const CLOSING = /^[.,;:!?)\]}»”’、。，；：！？）]/u;

/**
 * Removes text[start, end) and tidies the seam: one whitespace run instead of two (a paragraph break
 * survives), no space before closing punctuation, no leading or trailing whitespace.
 */
export function stripSpan(text: string, start: number, end: number): string {
  if (!(Number.isInteger(start) && Number.isInteger(end)) || start < 0 || end > text.length || start >= end) {
    throw new ReviewRuleError(`The span ${start}–${end} is not inside the text (${text.length} characters).`);
  }
  let left = text.slice(0, start);
  let right = text.slice(end);
  const lw = /\s+$/u.exec(left)?.[0] ?? "";
  const rw = /^\s+/u.exec(right)?.[0] ?? "";
  left = left.slice(0, left.length - lw.length);
  right = right.slice(rw.length);
  let seam = "";
  if (lw || rw) {
    const ws = lw + rw;
    seam = /\n\s*\n/.test(ws) ? "\n\n" : ws.includes("\n") ? "\n" : " ";
  }
  if (!left || !right || CLOSING.test(right)) seam = "";
  return (left + seam + right).trim();
}

/** Fields other than the status: a change to any of them counts as a relabel. */
export function contentChanged(a: RecordState, b: RecordState): boolean {
  return JSON.stringify({ ...a, status: null }) !== JSON.stringify({ ...b, status: null });
}

export function sameState(a: RecordState, b: RecordState): boolean {
  return JSON.stringify(normalizeState(a)) === JSON.stringify(normalizeState(b));
}

/** Key order and negative order fixed, so snapshots compare by value. */
export function normalizeState(s: RecordState): RecordState {
  return {
    status: s.status,
    task: s.task ?? null,
    language: s.language ?? null,
    query: s.query,
    positive: s.positive,
    positiveScore: s.positiveScore ?? null,
    label: s.label ?? null,
    misleadingLabel: s.misleadingLabel ?? null,
    negatives: [...s.negatives]
      .sort((x, y) => x.position - y.position)
      .map((n) => ({
        position: n.position,
        text: n.text,
        status: n.status,
        teacherScore: n.teacherScore ?? null,
      })),
  };
}

/** Applies one action to a record state; throws ReviewRuleError when the action does not fit. */
export function apply(state: RecordState, action: ReviewAction, ctx: ApplyContext = {}): ApplyResult {
  const after = clone(normalizeState(state));
  const relabel = (): ApplyResult => {
    after.status = "relabeled";
    return { after, status: after.status };
  };
  switch (action.type) {
    case "accept":
      after.status = "accepted";
      return { after, status: after.status };
    case "reject":
      after.status = "rejected";
      return { after, status: after.status };
    case "drop_negative":
      keptNegative(after, action.position).status = "dropped";
      return relabel();
    case "mark_false_negative":
      keptNegative(after, action.position).status = action.mode === "promote" ? "promoted" : "dropped";
      return relabel();
    case "swap_positive": {
      const n = keptNegative(after, action.position);
      const [text, score] = [after.positive, after.positiveScore];
      after.positive = n.text;
      after.positiveScore = n.teacherScore;
      n.text = text;
      n.teacherScore = score;
      return relabel();
    }
    case "edit_text": {
      const old = readField(after, action.field, action.position);
      if (old === action.text) throw new ReviewRuleError("The text is unchanged.");
      writeField(after, action.field, action.text, action.position);
      return relabel();
    }
    case "strip_span": {
      const old = readField(after, action.field, action.position);
      writeField(after, action.field, stripSpan(old, action.start, action.end), action.position);
      return relabel();
    }
    case "set_task":
      after.task = optional(action.task);
      return relabel();
    case "set_language":
      after.language = optional(action.language);
      return relabel();
    case "set_label":
      after.label = optional(action.label);
      if (action.misleadingLabel !== undefined) after.misleadingLabel = optional(action.misleadingLabel);
      return relabel();
    case "undo": {
      if (!ctx.undo) throw new ReviewRuleError("Undo needs the decision it undoes.");
      const restored = clone(normalizeState(ctx.undo.before));
      return { after: restored, status: restored.status };
    }
  }
}

/** A short human description of an action, for the decisions log. */
export function describeAction(action: ReviewAction): string {
  switch (action.type) {
    case "accept":
      return "accepted";
    case "reject":
      return `rejected: ${action.reason}`;
    case "drop_negative":
      return `dropped negative ${action.position + 1}`;
    case "mark_false_negative":
      return action.mode === "promote"
        ? `promoted negative ${action.position + 1} to a positive (false negative)`
        : `dropped negative ${action.position + 1} as a false negative`;
    case "swap_positive":
      return `swapped negative ${action.position + 1} with the positive`;
    case "edit_text":
      return `edited the ${action.field}${action.field === "negative" ? ` ${(action.position ?? 0) + 1}` : ""}`;
    case "strip_span":
      return `removed characters ${action.start}–${action.end} from the ${action.field}${
        action.field === "negative" ? ` ${(action.position ?? 0) + 1}` : ""
      }`;
    case "set_task":
      return "changed the task";
    case "set_language":
      return `set the language to ${action.language ?? "unknown"}`;
    case "set_label":
      return `set the label to ${action.label ?? "none"}`;
    case "undo":
      return `undid decision #${action.decisionId}`;
  }
}

/** The reject reason offered by default: the defects the detectors found, most confident first. */
export function defaultRejectReason(flags: readonly { defect: string; score: number }[]): string {
  const seen = new Set<string>();
  for (const f of [...flags].sort((a, b) => b.score - a.score)) seen.add(f.defect);
  return [...seen].join(", ");
}
