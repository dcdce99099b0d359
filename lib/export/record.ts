/**
 * A record as the export reads it from the database (current texts after review), and the
 * relabeled form every writer works from: the positives (the positive, further positives and
 * negatives a reviewer promoted), the chosen kept negatives, and the query instruction.
 */
import type { CanonicalRecord, Passage, TaskFamily } from "@/lib/formats/types";
import { type ExportOptions, SYMMETRIC_FAMILIES } from "./options";

export type ExportStatus = "pending" | "accepted" | "relabeled" | "rejected";

export interface ExportNegative {
  position: number;
  text: string;
  score: number | null;
  rank: number | null;
  status: "kept" | "dropped" | "promoted";
  meta: Record<string, unknown> | null;
}

export interface ExportRecord {
  id: number;
  externalId: string | null;
  task: string | null;
  taskFamily: TaskFamily;
  language: string | null;
  status: ExportStatus;
  query: string;
  positive: string;
  positiveScore: number | null;
  positiveMeta: Record<string, unknown> | null;
  extraPositives: Passage[];
  label: string | null;
  misleadingLabel: string | null;
  params: Record<string, string | number | boolean>;
  meta: Record<string, unknown>;
  /** Every negative by position, dropped and promoted ones included. */
  negatives: ExportNegative[];
}

export interface PreparedRecord {
  record: ExportRecord;
  /** The positive first, then further positives, then promoted negatives. */
  positives: Passage[];
  /** Kept negatives in the rank window, in stored order, at most `negatives` of them. */
  negatives: Passage[];
  /** The query with the instruction applied (ST, Tevatron). */
  instructedQuery: string;
  /** The instruction alone, as FlagEmbedding's `prompt` (the template up to {query}); null: none. */
  prompt: string | null;
}

/** The key task-homogeneous batching groups by: the task, or the family when a record has no task. */
export function taskKey(task: string | null, family: string): string {
  return task ?? `\u0000${family}`;
}

/** Human form of a task key, for the manifest. */
export function taskLabel(key: string): string {
  return key.startsWith("\u0000") ? `(no task: ${key.slice(1)})` : key;
}

const passage = (text: string, score: number | null | undefined, meta?: Record<string, unknown> | null) => {
  const p: Passage = { text };
  if (typeof score === "number") p.score = score;
  if (meta && Object.keys(meta).length) p.meta = meta;
  return p;
};

/** Whether a negative's teacher rank lies in the window (a negative without a rank always does). */
export function inRankWindow(rank: number | null, min?: number, max?: number): boolean {
  if (rank === null) return true;
  if (min !== undefined && rank < min) return false;
  if (max !== undefined && rank > max) return false;
  return true;
}

/**
 * The instruction for a record: `template` with {task} filled in, split at {query}. No template,
 * no task while the template asks for one, or a symmetric family under `symmetric: "none"` → none.
 */
export function instructionFor(
  task: string | null,
  family: TaskFamily,
  o: Pick<ExportOptions, "template" | "symmetric">,
): { before: string; after: string } | null {
  if (o.template === null) return null;
  if (o.symmetric === "none" && (SYMMETRIC_FAMILIES as readonly string[]).includes(family)) return null;
  if (o.template.includes("{task}") && !task?.trim()) return null;
  const filled = o.template.replaceAll("{task}", task ?? "");
  const at = filled.lastIndexOf("{query}");
  return { before: filled.slice(0, at), after: filled.slice(at + "{query}".length) };
}

/** Instructions by task and family, per options object (an export asks for a few, a million times). */
const instructions = new WeakMap<object, Map<string, ReturnType<typeof instructionFor>>>();

function cachedInstruction(task: string | null, family: TaskFamily, o: ExportOptions) {
  let byKey = instructions.get(o);
  if (!byKey) {
    byKey = new Map();
    instructions.set(o, byKey);
  }
  const key = `${family}\u0000${task ?? "\u0001"}`;
  let ins = byKey.get(key);
  if (ins === undefined && !byKey.has(key)) {
    ins = instructionFor(task, family, o);
    // Options are not meant to change once an export runs; a bounded cache all the same.
    if (byKey.size < 10_000) byKey.set(key, ins);
  }
  return ins ?? null;
}

const byPosition = (a: ExportNegative, b: ExportNegative) => a.position - b.position;

function inPositionOrder(ns: readonly ExportNegative[]): readonly ExportNegative[] {
  for (let i = 1; i < ns.length; i++)
    if (ns[i - 1]!.position > ns[i]!.position) return [...ns].sort(byPosition);
  return ns;
}

export function prepareRecord(r: ExportRecord, o: ExportOptions): PreparedRecord {
  const positives: Passage[] = [passage(r.positive, r.positiveScore, r.positiveMeta), ...r.extraPositives];
  const kept: Passage[] = [];
  for (const n of inPositionOrder(r.negatives)) {
    if (n.status === "promoted") positives.push(passage(n.text, n.score, n.meta));
    else if (n.status === "kept" && inRankWindow(n.rank, o.rankMin, o.rankMax))
      kept.push(passage(n.text, n.score, n.meta));
  }
  const negatives = o.negatives === "all" ? kept : kept.slice(0, o.negatives);
  const ins = cachedInstruction(r.task, r.taskFamily, o);
  return {
    record: r,
    positives,
    negatives,
    instructedQuery: ins ? `${ins.before}${r.query}${ins.after}` : r.query,
    prompt: ins && !ins.after ? ins.before : null,
  };
}

/** A canonical (just parsed) record as the export sees it, all negatives kept: for `scan`-like uses and tests. */
export function exportRecordFromCanonical(
  id: number,
  r: CanonicalRecord,
  status: ExportStatus = "accepted",
): ExportRecord {
  return {
    id,
    externalId: r.externalId ?? null,
    task: r.task ?? null,
    taskFamily: r.taskFamily,
    language: r.language ?? null,
    status,
    query: r.query,
    positive: r.positive.text,
    positiveScore: r.positive.score ?? null,
    positiveMeta: r.positive.meta ?? null,
    extraPositives: r.extraPositives,
    label: r.label ?? null,
    misleadingLabel: r.misleadingLabel ?? null,
    params: r.params,
    meta: r.meta,
    negatives: r.negatives.map((n, position) => ({
      position,
      text: n.text,
      score: n.score ?? null,
      rank: null,
      status: "kept",
      meta: n.meta ?? null,
    })),
  };
}
