import { detectOne, detectorOptionsFromSettings } from "@/lib/detect";
import type { DetectRecord, Evidence, Flag } from "@/lib/detect/types";
import {
  apply,
  contentChanged,
  describeAction,
  type NegativeStatus,
  normalizeState,
  type RecordState,
  type RecordStatus,
  type ReviewAction,
  ReviewRuleError,
  sameState,
} from "@/lib/review";
import { expandPatch, isStatusPatch, matchesPatch, type StatusPatch } from "@/lib/review/bulk";
import { givenScoresResult } from "@/lib/teacher/scores";
import type { Database, RawSql } from "../client";
import type { RecordRow, RecordStateRow } from "../schema";
import { refreshFlagSummary, refreshTeacherMargin } from "./derived";
import { searchBody } from "./import";

export { ReviewRuleError };

/** The record changed since the reviewer loaded it: nothing was written. Carries the fresh state. */
export class StaleVersionError extends Error {
  override name = "StaleVersionError";
  constructor(
    readonly expectedVersion: number,
    readonly fresh: { version: number; state: RecordState },
  ) {
    super(
      `The record is at version ${fresh.version}, not ${expectedVersion}: it was changed since it was loaded.`,
    );
  }
}

export class RecordNotFoundError extends Error {
  override name = "RecordNotFoundError";
}

export interface ReviewFlag {
  id: number;
  defect: string;
  target: "query" | "positive" | "negative";
  /** The negative's stored position (target "negative"). */
  negativeIndex: number | null;
  score: number;
  /** Evidence; negativeIndex is the negative's stored position. */
  evidence: Evidence[];
  detector: string;
}

export interface ReviewNegative {
  id: number;
  position: number;
  text: string;
  status: NegativeStatus;
  teacherScore: number | null;
  teacherRank: number | null;
}

export interface ReviewDecision {
  id: number;
  actor: string;
  action: string;
  reason: string | null;
  undoesId: number | null;
  /** A later undo restored what this decision changed. */
  undone: boolean;
  createdAt: Date;
}

export interface ReviewView {
  dataset: { id: number; name: string };
  record: Pick<RecordStateRow, "version" | "status" | "lastDecisionAt" | "lastDecisionBy"> &
    Pick<
      RecordRow,
      | "id"
      | "externalId"
      | "sourceLine"
      | "task"
      | "taskFamily"
      | "language"
      | "query"
      | "positive"
      | "positiveScore"
      | "label"
      | "misleadingLabel"
      | "params"
      | "flagCount"
    > & { extraPositives: NonNullable<RecordRow["extraPositives"]> };
  /** Every negative, dropped and promoted ones included, by position. */
  negatives: ReviewNegative[];
  /** The current detection run's flags, most confident first. */
  flags: ReviewFlag[];
  /** Newest first. */
  decisions: ReviewDecision[];
  /** The decision `undo` would undo now (null: nothing to undo). */
  undoableDecisionId: number | null;
  nav: { prevId: number | null; nextId: number | null; nextFlaggedId: number | null };
}

interface RecordDbRow {
  id: string | number;
  dataset_id: number;
  external_id: string | null;
  source_line: number | null;
  version: number;
  status: RecordStatus;
  task: string | null;
  task_family: RecordRow["taskFamily"];
  language: string | null;
  query: string;
  positive: string;
  positive_score: number | null;
  label: string | null;
  misleading_label: string | null;
  params: Record<string, string | number | boolean> | null;
  extra_positives: { text: string; score?: number }[] | null;
  flag_count: number;
  last_decision_at: Date | string | null;
  last_decision_by: string | null;
}

interface NegativeDbRow {
  id: string | number;
  position: number;
  text: string;
  status: NegativeStatus;
  teacher_score: number | null;
  teacher_rank: number | null;
}

interface DecisionDbRow {
  id: string | number;
  actor: string;
  action: string;
  reason: string | null;
  undoes_id: string | number | null;
  /** A snapshot, or a status patch for bulk decisions (lib/review/bulk.ts). */
  before: RecordState | StatusPatch | null;
  after: RecordState | StatusPatch | null;
  created_at: Date | string;
}

/** The columns of a record and its review state (`r`, `s`) the record view and decisions read. */
const RECORD_COLUMN_LIST = [
  "r.id",
  "r.dataset_id",
  "r.external_id",
  "r.source_line",
  "s.version",
  "s.status",
  "r.task",
  "r.task_family",
  "r.language",
  "r.query",
  "r.positive",
  "r.positive_score",
  "r.label",
  "r.misleading_label",
  "r.params",
  "r.extra_positives",
  "r.flag_count",
  "s.last_decision_at",
  "s.last_decision_by",
];
const RECORD_COLUMNS = RECORD_COLUMN_LIST.join(", ");

const num = (v: string | number | null | undefined): number | null =>
  v === null || v === undefined ? null : Number(v);
const date = (v: Date | string | null): Date | null =>
  v === null ? null : v instanceof Date ? v : new Date(v);

function toState(r: RecordDbRow, negs: NegativeDbRow[]): RecordState {
  return normalizeState({
    status: r.status,
    task: r.task,
    language: r.language,
    query: r.query,
    positive: r.positive,
    positiveScore: r.positive_score,
    label: r.label,
    misleadingLabel: r.misleading_label,
    negatives: negs.map((n) => ({
      position: n.position,
      text: n.text,
      status: n.status,
      teacherScore: n.teacher_score,
    })),
  });
}

/**
 * The decision an undo undoes now: the newest decision that is not itself an undo and that no undo
 * has undone yet. Undos run in stack order, so its `after` is the record's current state.
 */
function undoable(decisions: DecisionDbRow[]): DecisionDbRow | undefined {
  const undone = new Set<number>();
  for (const d of decisions) {
    if (d.action === "undo") {
      if (d.undoes_id !== null) undone.add(Number(d.undoes_id));
      continue;
    }
    if (!undone.has(Number(d.id))) return d;
  }
  return undefined;
}

async function loadDecisions(q: RawSql, recordId: number): Promise<DecisionDbRow[]> {
  return q.query<DecisionDbRow>(
    `SELECT id, actor, action, reason, undoes_id, before, after, created_at FROM decisions
      WHERE record_id = $1 ORDER BY id DESC`,
    [recordId],
  );
}

/** Everything the record view shows, or null when the record is not in that data set. */
export async function getRecordForReview(
  database: Database,
  datasetId: number,
  recordId: number,
): Promise<ReviewView | null> {
  const q = database.raw;
  const [row] = await q.query<RecordDbRow & { dataset_name: string }>(
    `SELECT ${RECORD_COLUMNS}, d.name AS dataset_name
       FROM records r JOIN record_state s ON s.record_id = r.id JOIN datasets d ON d.id = r.dataset_id
      WHERE r.id = $1 AND r.dataset_id = $2`,
    [recordId, datasetId],
  );
  if (!row) return null;
  const [negs, flagRows, decisionRows, nav] = await Promise.all([
    q.query<NegativeDbRow>(
      "SELECT id, position, text, status, teacher_score, teacher_rank FROM negatives WHERE record_id = $1 ORDER BY position",
      [recordId],
    ),
    q.query<{
      id: string | number;
      defect: string;
      target: ReviewFlag["target"];
      negative_index: number | null;
      score: number;
      evidence: Evidence[];
      detector: string;
    }>(
      `SELECT f.id, f.defect, f.target, f.negative_index, f.score, f.evidence, f.detector
         FROM flags f JOIN datasets d ON d.id = f.dataset_id AND d.flags_run_id = f.run_id
        WHERE f.dataset_id = $1 AND f.record_id = $2
        ORDER BY f.score DESC, f.id`,
      [datasetId, recordId],
    ),
    loadDecisions(q, recordId),
    q.query<{
      prev_id: string | number | null;
      next_id: string | number | null;
      next_flagged_id: string | number | null;
    }>(
      `SELECT
         (SELECT id FROM records WHERE dataset_id = $1 AND id < $2 ORDER BY id DESC LIMIT 1) AS prev_id,
         (SELECT id FROM records WHERE dataset_id = $1 AND id > $2 ORDER BY id LIMIT 1) AS next_id,
         coalesce(
           (SELECT id FROM records WHERE dataset_id = $1 AND flag_count > 0 AND id > $2 ORDER BY id LIMIT 1),
           (SELECT id FROM records WHERE dataset_id = $1 AND flag_count > 0 AND id < $2 ORDER BY id LIMIT 1)
         ) AS next_flagged_id`,
      [datasetId, recordId],
    ),
  ]);
  const undoneIds = new Set(
    decisionRows.filter((d) => d.action === "undo" && d.undoes_id !== null).map((d) => Number(d.undoes_id)),
  );
  const n = nav[0];
  return {
    dataset: { id: datasetId, name: row.dataset_name },
    record: {
      id: Number(row.id),
      externalId: row.external_id,
      sourceLine: row.source_line,
      version: row.version,
      status: row.status,
      task: row.task,
      taskFamily: row.task_family,
      language: row.language,
      query: row.query,
      positive: row.positive,
      positiveScore: row.positive_score,
      label: row.label,
      misleadingLabel: row.misleading_label,
      params: row.params ?? {},
      extraPositives: row.extra_positives ?? [],
      flagCount: row.flag_count,
      lastDecisionAt: date(row.last_decision_at),
      lastDecisionBy: row.last_decision_by,
    },
    negatives: negs.map((x) => ({
      id: Number(x.id),
      position: x.position,
      text: x.text,
      status: x.status,
      teacherScore: x.teacher_score,
      teacherRank: x.teacher_rank,
    })),
    flags: flagRows.map((f) => ({
      id: Number(f.id),
      defect: f.defect,
      target: f.target,
      negativeIndex: f.negative_index,
      score: f.score,
      evidence: f.evidence ?? [],
      detector: f.detector,
    })),
    decisions: decisionRows.map((d) => ({
      id: Number(d.id),
      actor: d.actor,
      action: d.action,
      reason: d.reason,
      undoesId: num(d.undoes_id),
      undone: undoneIds.has(Number(d.id)),
      createdAt: date(d.created_at)!,
    })),
    undoableDecisionId: num(undoable(decisionRows)?.id),
    nav: { prevId: num(n?.prev_id), nextId: num(n?.next_id), nextFlaggedId: num(n?.next_flagged_id) },
  };
}

export interface DecideInput {
  datasetId: number;
  recordId: number;
  expectedVersion: number;
  actor: string;
  action: ReviewAction;
}

export interface DecideResult {
  decisionId: number;
  version: number;
  status: RecordStatus;
  state: RecordState;
  /** Whether the detectors ran again (the content changed) and how many flags the record has now. */
  redetected: boolean;
  flagCount: number;
}

/**
 * Records one decision in one transaction: locks the record, refuses a stale version
 * (StaleVersionError, nothing written), applies the rule, writes the record and its negatives,
 * appends the decision (before → after), bumps the version; when the content changed, runs the
 * detectors on the record again and replaces its current flags.
 */
export async function decide(database: Database, input: DecideInput): Promise<DecideResult> {
  const { datasetId, recordId, expectedVersion, actor, action } = input;
  return database.rawTransaction(async (tx) => {
    const [row] = await tx.query<RecordDbRow>(
      `SELECT ${RECORD_COLUMNS} FROM records r JOIN record_state s ON s.record_id = r.id
        WHERE r.id = $1 AND r.dataset_id = $2 FOR UPDATE OF s`,
      [recordId, datasetId],
    );
    if (!row) throw new RecordNotFoundError(`Record ${recordId} is not in data set ${datasetId}.`);
    const negs = await tx.query<NegativeDbRow>(
      "SELECT id, position, text, status, teacher_score, teacher_rank FROM negatives WHERE record_id = $1 ORDER BY position",
      [recordId],
    );
    const state = toState(row, negs);
    if (row.version !== expectedVersion) {
      throw new StaleVersionError(expectedVersion, { version: row.version, state });
    }

    let undoesId: number | null = null;
    let ctx = {};
    if (action.type === "undo") {
      const target = undoable(await loadDecisions(tx, recordId));
      if (!target || Number(target.id) !== action.decisionId) {
        throw new ReviewRuleError("Only the latest decision that is not undone yet can be undone.");
      }
      if (!target.before || !target.after)
        throw new ReviewRuleError("That decision has no snapshot to restore.");
      // A bulk decision stores status patches, not snapshots: compare and restore statuses only.
      const { before, after } = target;
      const matches = isStatusPatch(after) ? matchesPatch(state, after) : sameState(after, state);
      if (!matches) {
        throw new ReviewRuleError(
          "The record no longer matches what that decision left; it cannot be undone.",
        );
      }
      undoesId = Number(target.id);
      ctx = {
        undo: {
          before: isStatusPatch(before) ? expandPatch(state, before) : before,
        },
      };
    }
    const { after, status } = apply(state, action, ctx);

    const [updated] = await tx.query<{ version: number }>(
      `UPDATE record_state SET status = $2, version = version + 1, last_decision_at = now(), last_decision_by = $3
        WHERE record_id = $1 RETURNING version`,
      [recordId, status, actor],
    );
    if (
      after.task !== state.task ||
      after.language !== state.language ||
      after.query !== state.query ||
      after.positive !== state.positive ||
      after.positiveScore !== state.positiveScore ||
      after.label !== state.label ||
      after.misleadingLabel !== state.misleadingLabel
    ) {
      await tx.query(
        `UPDATE records SET task = $2, language = $3, query = $4, positive = $5, positive_score = $6,
                label = $7, misleading_label = $8, updated_at = now()
          WHERE id = $1`,
        [
          recordId,
          after.task,
          after.language,
          after.query,
          after.positive,
          after.positiveScore,
          after.label,
          after.misleadingLabel,
        ],
      );
    }
    const beforeByPosition = new Map(state.negatives.map((x) => [x.position, x]));
    for (const n of after.negatives) {
      const b = beforeByPosition.get(n.position);
      if (b && b.text === n.text && b.status === n.status && b.teacherScore === n.teacherScore) continue;
      await tx.query(
        `UPDATE negatives SET text = $3, status = $4, teacher_score = $5,
                teacher_rank = CASE WHEN teacher_score IS NOT DISTINCT FROM $5 THEN teacher_rank END
          WHERE record_id = $1 AND position = $2`,
        [recordId, n.position, n.text, n.status, n.teacherScore],
      );
    }
    if (after.query !== state.query || after.positive !== state.positive) {
      await tx.query("UPDATE record_search SET body = $2 WHERE record_id = $1", [
        recordId,
        searchBody(after.query, after.positive),
      ]);
    }
    await refreshTeacherMargin(tx, recordId);
    const reason = action.type === "reject" ? action.reason : describeAction(action);
    const [decision] = await tx.query<{ id: string | number }>(
      `INSERT INTO decisions (dataset_id, record_id, actor, action, before, after, reason, undoes_id)
       VALUES ($1, $2, $3, $4, $5::text::jsonb, $6::text::jsonb, $7, $8) RETURNING id`,
      [
        datasetId,
        recordId,
        actor,
        action.type,
        JSON.stringify(state),
        JSON.stringify(after),
        reason,
        undoesId,
      ],
    );

    let flagCount = row.flag_count;
    const redetected = contentChanged(state, after);
    if (redetected) {
      flagCount = await redetect(tx, {
        datasetId,
        recordId,
        row,
        negativeIds: new Map(negs.map((x) => [x.position, Number(x.id)])),
        before: state,
        after,
      });
    }
    return {
      decisionId: Number(decision!.id),
      version: updated!.version,
      status,
      state: after,
      redetected,
      flagCount,
    };
  });
}

/**
 * Defects whose flags depend on more than the record itself (the whole data set, or a teacher's
 * pool): `detectOne` cannot reproduce them, so their flags are kept unless they point at a text the
 * decision changed; the next full detection run recomputes them.
 */
const DATASET_DEFECTS = new Set(["duplicate_negative", "duplicate_record", "length_mismatch"]);
const TEACHER_DEFECTS = new Set(["false_negative", "negative_rank", "positive_rank"]);

function changedFields(a: RecordState, b: RecordState): Set<string> {
  const out = new Set<string>();
  if (a.query !== b.query) out.add("query");
  if (a.positive !== b.positive || a.positiveScore !== b.positiveScore) out.add("positive");
  if (a.task !== b.task) out.add("task");
  const byPos = new Map(a.negatives.map((n) => [n.position, n]));
  for (const n of b.negatives) {
    const o = byPos.get(n.position);
    if (!o || o.text !== n.text || o.status !== n.status || o.teacherScore !== n.teacherScore) {
      out.add(`negative:${n.position}`);
    }
  }
  return out;
}

const fieldKey = (field: string, negativeIndex?: number | null) =>
  field === "negative" ? `negative:${negativeIndex}` : field;

async function redetect(
  tx: RawSql,
  p: {
    datasetId: number;
    recordId: number;
    row: RecordDbRow;
    negativeIds: Map<number, number>;
    before: RecordState;
    after: RecordState;
  },
): Promise<number> {
  const [run] = await tx.query<{ run_id: number | null; teacher: string | null; settings: unknown }>(
    `SELECT d.flags_run_id AS run_id, r.teacher, d.settings FROM datasets d LEFT JOIN detection_runs r ON r.id = d.flags_run_id
      WHERE d.id = $1`,
    [p.datasetId],
  );
  const runId = run?.run_id ?? null;
  // No detection has run yet: there are no current flags to keep up to date.
  if (runId === null) return p.row.flag_count;

  // Detectors see the kept negatives only (dropped ones are gone, promoted ones are positives now).
  const kept = p.after.negatives.filter((n) => n.status === "kept");
  const record: DetectRecord = {
    task: p.after.task ?? undefined,
    taskFamily: p.row.task_family,
    language: p.after.language ?? undefined,
    query: p.after.query,
    positive: { text: p.after.positive, score: p.after.positiveScore ?? undefined },
    extraPositives: p.row.extra_positives ?? [],
    negatives: kept.map((n) => ({ text: n.text, score: n.teacherScore ?? undefined })),
    label: p.after.label ?? undefined,
    misleadingLabel: p.after.misleadingLabel ?? undefined,
    params: p.row.params ?? {},
  };
  const scoresTeacher = run?.teacher === "scores";
  const fresh = detectOne(record, {
    options: detectorOptionsFromSettings(run?.settings),
    teacher: scoresTeacher ? givenScoresResult(record) : undefined,
  });
  const positions = kept.map((n) => n.position);
  const rekeyed = fresh.map((f) => ({
    ...f,
    negativeIndex: f.negativeIndex !== undefined ? positions[f.negativeIndex] : undefined,
    evidence: f.evidence.map((e) =>
      e.negativeIndex !== undefined
        ? { ...e, negativeIndex: positions[e.negativeIndex] ?? e.negativeIndex }
        : e,
    ),
  }));
  const freshKeys = new Set(rekeyed.map((f) => `${f.defect}|${fieldKey(f.target, f.negativeIndex)}`));

  const changed = changedFields(p.before, p.after);
  const gone = new Set(p.after.negatives.filter((n) => n.status !== "kept").map((n) => n.position));
  const old = await tx.query<{
    id: string | number;
    defect: string;
    target: string;
    negative_index: number | null;
    evidence: Evidence[] | null;
  }>("SELECT id, defect, target, negative_index, evidence FROM flags WHERE record_id = $1 AND run_id = $2", [
    p.recordId,
    runId,
  ]);
  const keep = old.filter((f) => {
    const contextual = DATASET_DEFECTS.has(f.defect) || (!scoresTeacher && TEACHER_DEFECTS.has(f.defect));
    if (!contextual) return false;
    if (freshKeys.has(`${f.defect}|${fieldKey(f.target, f.negative_index)}`)) return false;
    if (f.target === "negative" && f.negative_index !== null && gone.has(f.negative_index)) return false;
    const touched = [
      fieldKey(f.target, f.negative_index),
      ...(f.evidence ?? []).map((e) => fieldKey(e.field, e.negativeIndex)),
    ];
    return !touched.some((k) => changed.has(k));
  });
  await tx.query("DELETE FROM flags WHERE record_id = $1 AND run_id = $2 AND NOT (id = ANY($3::bigint[]))", [
    p.recordId,
    runId,
    keep.map((f) => Number(f.id)),
  ]);
  for (const f of rekeyed) await insertFlag(tx, p.datasetId, p.recordId, runId, p.negativeIds, f);
  const count = keep.length + rekeyed.length;
  await refreshFlagSummary(tx, { datasetId: p.datasetId, runId, records: p.recordId });
  return count;
}

async function insertFlag(
  tx: RawSql,
  datasetId: number,
  recordId: number,
  runId: number,
  negativeIds: Map<number, number>,
  f: Omit<Flag, "negativeIndex"> & { negativeIndex?: number },
): Promise<void> {
  await tx.query(
    `INSERT INTO flags (dataset_id, record_id, negative_id, defect, target, negative_index, score, evidence, detector, run_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8::text::jsonb, $9, $10)`,
    [
      datasetId,
      recordId,
      f.negativeIndex !== undefined ? (negativeIds.get(f.negativeIndex) ?? null) : null,
      f.defect,
      f.target,
      f.negativeIndex ?? null,
      f.score,
      JSON.stringify(f.evidence),
      f.detector,
      runId,
    ],
  );
}
