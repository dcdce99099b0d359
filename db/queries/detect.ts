import { and, desc, eq, sql } from "drizzle-orm";
import {
  DETECTORS,
  type DetectorOptionsInput,
  detectorOptionsFromSettings,
  detectorOptionsSchema,
} from "@/lib/detect";
import { PARALLEL_MIN_RECORDS, runDetectorsAsync } from "@/lib/detect/run-async";
import type { DetectRecord, Flag } from "@/lib/detect/types";
import { createTeacher } from "@/lib/teacher";
import type { KeyedRecord } from "@/lib/teacher/types";
import type { Database } from "../client";
import { autovacuumRuns } from "../maintenance";
import { type DetectionRun, datasets, detectionRuns, flags } from "../schema";
import { refreshFlagSummary } from "./derived";
import { DbEmbeddingCache } from "./embedding-cache";
import { copyField } from "./import";

interface RowInfo {
  id: number;
  negativeIds: number[];
  positions: number[];
}

const PAGE = 1000;

/**
 * Streams a data set's records as detector input, keyset-paged (two queries a page: the records,
 * then their kept negatives). Dropped and promoted negatives are not shown to the detectors.
 */
export function datasetSource(database: Database, datasetId: number, info?: WeakMap<DetectRecord, RowInfo>) {
  return async function* (): AsyncGenerator<DetectRecord> {
    let after = 0;
    for (;;) {
      const rows = await database.raw.query<{
        id: string | number;
        task: string | null;
        task_family: DetectRecord["taskFamily"];
        language: string | null;
        query: string;
        positive: string;
        positive_score: number | null;
        extra_positives: { text: string; score?: number }[] | null;
        label: string | null;
        misleading_label: string | null;
        params: Record<string, string | number | boolean>;
      }>(
        `SELECT id, task, task_family, language, query, positive, positive_score, extra_positives, label,
                misleading_label, params
           FROM records WHERE dataset_id = $1 AND id > $2 ORDER BY id LIMIT ${PAGE}`,
        [datasetId, after],
      );
      if (!rows.length) return;
      const first = Number(rows[0]!.id);
      const last = Number(rows.at(-1)!.id);
      const negs = await database.raw.query<{
        id: string | number;
        record_id: string | number;
        position: number;
        text: string;
        teacher_score: number | null;
      }>(
        `SELECT n.id, n.record_id, n.position, n.text, n.teacher_score FROM negatives n
           JOIN records r ON r.id = n.record_id
          WHERE r.dataset_id = $1 AND n.record_id BETWEEN $2 AND $3 AND n.status = 'kept'
          ORDER BY n.record_id, n.position`,
        [datasetId, first, last],
      );
      let j = 0;
      for (const r of rows) {
        const id = Number(r.id);
        const record: DetectRecord = {
          task: r.task ?? undefined,
          taskFamily: r.task_family,
          language: r.language ?? undefined,
          query: r.query,
          positive: { text: r.positive, score: r.positive_score ?? undefined },
          extraPositives: r.extra_positives ?? [],
          negatives: [],
          label: r.label ?? undefined,
          misleadingLabel: r.misleading_label ?? undefined,
          params: r.params ?? {},
        };
        const ri: RowInfo = { id, negativeIds: [], positions: [] };
        while (j < negs.length && Number(negs[j]!.record_id) < id) j++;
        while (j < negs.length && Number(negs[j]!.record_id) === id) {
          const n = negs[j]!;
          record.negatives.push({ text: n.text, score: n.teacher_score ?? undefined });
          ri.negativeIds.push(Number(n.id));
          ri.positions.push(n.position);
          j++;
        }
        info?.set(record, ri);
        yield record;
      }
      after = last;
    }
  };
}

const FLAG_COLUMNS = [
  "dataset_id",
  "record_id",
  "negative_id",
  "defect",
  "target",
  "negative_index",
  "score",
  "evidence",
  "detector",
  "run_id",
  "best",
] as const;

export interface DetectionOptions {
  /** A teacher kind, or an embeddings endpoint (its vectors are cached in the database). */
  teacher?: "scores" | "bm25" | "none" | { kind: "http"; url: string; model: string; apiKey?: string };
  options?: DetectorOptionsInput;
  onProgress?: (p: { phase: string; done: number; total: number }) => void;
  /**
   * Detector worker threads (lib/detect/pool.ts): 0 runs in this thread, "auto" one per core.
   * Default: "auto" from PARALLEL_MIN_RECORDS records on (starting workers takes a second or so).
   */
  workers?: number | "auto";
}

/**
 * Runs every detector over a data set and makes its flags current. Flags are written under a new
 * run id while the old ones stay visible; the switch (and the per-record flag counts) happens in
 * one transaction at the end, so an interrupted run changes nothing a reviewer sees. Decisions are
 * never touched.
 */
export async function runDetection(
  database: Database,
  datasetId: number,
  opts: DetectionOptions = {},
): Promise<DetectionRun> {
  const spec = opts.teacher ?? "scores";
  const [ds] = await database.db
    .select({ settings: datasets.settings })
    .from(datasets)
    .where(eq(datasets.id, datasetId));
  const detectorOptions = opts.options ?? detectorOptionsFromSettings(ds?.settings);
  const teacherKind = typeof spec === "string" ? spec : `http:${spec.model}`;
  const [{ total } = { total: 0 }] = await database.raw.query<{ total: number }>(
    "SELECT count(*)::int AS total FROM records WHERE dataset_id = $1",
    [datasetId],
  );
  const [run] = await database.db
    .insert(detectionRuns)
    .values({
      datasetId,
      teacher: teacherKind,
      detectors: DETECTORS.map((d) => `${d.defect}@${d.version}`),
      recordsTotal: total,
      pid: process.pid,
    })
    .returning();
  if (!run) throw new Error("could not create the detection run");
  try {
    // Leftovers of runs that never finished.
    await database.raw.query(
      `DELETE FROM flags WHERE dataset_id = $1 AND run_id IS DISTINCT FROM
         (SELECT flags_run_id FROM datasets WHERE id = $1)`,
      [datasetId],
    );
    const info = new WeakMap<DetectRecord, RowInfo>();
    const source = datasetSource(database, datasetId, info);
    const teacher =
      spec === "none"
        ? undefined
        : typeof spec === "string"
          ? createTeacher({ kind: spec })
          : createTeacher(spec, { cache: new DbEmbeddingCache(database) });
    const keyed = async function* (): AsyncGenerator<KeyedRecord> {
      let key = 0;
      for await (const record of source()) yield { key: key++, record };
    };
    let buf = "";
    let pending = 0;
    let written = 0;
    let done = 0;
    const flush = async () => {
      if (!buf) return;
      const data = buf;
      buf = "";
      await database.rawTransaction(async (tx) => {
        await tx.copyIn("flags", FLAG_COLUMNS, data);
        await tx.query("UPDATE detection_runs SET records_done = $2, flags = $3 WHERE id = $1", [
          run.id,
          done,
          written + pending,
        ]);
      });
      written += pending;
      pending = 0;
    };
    for await (const { record, flags: found } of runDetectorsAsync(source, {
      options: detectorOptions,
      teacher: teacher?.score(keyed),
      onProgress: (p) => opts.onProgress?.({ ...p, total }),
      workers: opts.workers ?? (total >= PARALLEL_MIN_RECORDS ? "auto" : 0),
    })) {
      done++;
      const row = info.get(record);
      if (!row) throw new Error("detector input lost its row");
      const best = bestFlags(found);
      for (const [i, f] of found.entries()) {
        buf += flagCopyLine(datasetId, run.id, row, f, best.has(i));
        pending++;
      }
      if (pending >= 2000) await flush();
    }
    await flush();
    await database.rawTransaction(async (tx) => {
      await tx.query("UPDATE datasets SET flags_run_id = $2, updated_at = now() WHERE id = $1", [
        datasetId,
        run.id,
      ]);
      await tx.query("DELETE FROM flags WHERE dataset_id = $1 AND run_id <> $2", [datasetId, run.id]);
      await refreshFlagSummary(tx, { datasetId, runId: run.id, bestGiven: true });
      await tx.query(
        "UPDATE detection_runs SET state = 'done', records_done = $2, flags = $3, finished_at = now() WHERE id = $1",
        [run.id, done, written],
      );
    });
    await refreshStatistics(database);
    const [fresh] = await database.db.select().from(detectionRuns).where(eq(detectionRuns.id, run.id));
    return fresh!;
  } catch (e) {
    await database.db
      .update(detectionRuns)
      .set({ state: "failed", finishedAt: new Date(), message: e instanceof Error ? e.message : String(e) })
      .where(eq(detectionRuns.id, run.id))
      .catch(() => {});
    throw e;
  }
}

/**
 * After a run has rewritten a data set's flags and the records' flag columns (and their copies in
 * record_state): fresh planner statistics (the defect and score distributions the review filters are
 * planned on just changed wholesale), and — where no autovacuum runs — a VACUUM: on a PostgreSQL server
 * without it, index-only scans fall back to the heap for every record the run touched (measured at a
 * million records: a reviewer facet 924 ms before, ~10 ms after); record_state, which every summary of a
 * search reads, is vacuumed on PGlite too (a small table: its dead copies would double it).
 * Best effort: a failure here leaves the run done.
 */
async function refreshStatistics(database: Database): Promise<void> {
  try {
    const autovacuum = await autovacuumRuns(database);
    await database.raw.query(autovacuum ? "ANALYZE record_state" : "VACUUM (ANALYZE) record_state");
    if (database.kind === "postgres" && !autovacuum) {
      await database.raw.query("VACUUM (ANALYZE) records");
      await database.raw.query("VACUUM (ANALYZE) flags");
      return;
    }
    await database.raw.query("ANALYZE records");
    await database.raw.query("ANALYZE flags");
  } catch {
    // Statistics are an optimisation; the run's results are already committed.
  }
}

/**
 * Which of a record's flags are `best` (flags.best): per defect, the first with the highest score as
 * stored (a real), which is also the lowest id among them, since ids follow this order.
 */
export function bestFlags(found: readonly Flag[]): Set<number> {
  const top = new Map<string, number>();
  for (const [i, f] of found.entries()) {
    const j = top.get(f.defect);
    if (j === undefined || Math.fround(f.score) > Math.fround(found[j]!.score)) top.set(f.defect, i);
  }
  return new Set(top.values());
}

function flagCopyLine(datasetId: number, runId: number, row: RowInfo, f: Flag, best: boolean): string {
  const negIdx = f.negativeIndex;
  const negativeId = negIdx !== undefined ? row.negativeIds[negIdx] : undefined;
  const position = negIdx !== undefined ? row.positions[negIdx] : undefined;
  // Evidence offsets for negatives are re-keyed to the stored position as well.
  const evidence = f.evidence.map((e) =>
    e.negativeIndex !== undefined
      ? { ...e, negativeIndex: row.positions[e.negativeIndex] ?? e.negativeIndex }
      : e,
  );
  return `${[
    datasetId,
    row.id,
    copyField(negativeId),
    f.defect,
    f.target,
    copyField(position),
    f.score,
    copyField(JSON.stringify(evidence)),
    copyField(f.detector),
    runId,
    best ? "t" : "f",
  ].join("\t")}\n`;
}

/** Flag counts per defect for a data set's current run. */
export async function flagCounts(database: Database, datasetId: number) {
  return database.db
    .select({
      defect: flags.defect,
      flags: sql<number>`count(*)`.mapWith(Number),
      records: sql<number>`count(distinct ${flags.recordId})`.mapWith(Number),
    })
    .from(flags)
    .innerJoin(datasets, and(eq(datasets.id, flags.datasetId), eq(datasets.flagsRunId, flags.runId)))
    .where(eq(flags.datasetId, datasetId))
    .groupBy(flags.defect)
    .orderBy(desc(sql`count(distinct ${flags.recordId})`));
}

/** The flags of some records (current run), for the records table. */
export async function flagsForRecords(database: Database, datasetId: number, recordIds: number[]) {
  if (!recordIds.length) return [];
  return database.raw.query<{
    record_id: string | number;
    defect: string;
    target: string;
    negative_index: number | null;
    score: number;
    evidence: { field: string; negativeIndex?: number; start: number; end: number; note: string }[];
    detector: string;
  }>(
    `SELECT f.record_id, f.defect, f.target, f.negative_index, f.score, f.evidence, f.detector
       FROM flags f JOIN datasets d ON d.id = f.dataset_id AND d.flags_run_id = f.run_id
      WHERE f.dataset_id = $1 AND f.record_id = ANY($2::bigint[])
      ORDER BY f.record_id, f.score DESC`,
    [datasetId, recordIds],
  );
}

export async function latestDetectionRun(database: Database, datasetId: number) {
  const [row] = await database.db
    .select()
    .from(detectionRuns)
    .where(eq(detectionRuns.datasetId, datasetId))
    .orderBy(desc(detectionRuns.id))
    .limit(1);
  return row ?? null;
}

/** Stores a data set's detector thresholds (validated; merged over what is stored) for every later run. */
export async function setDetectorOptions(database: Database, datasetId: number, input: unknown) {
  const [ds] = await database.db
    .select({ settings: datasets.settings })
    .from(datasets)
    .where(eq(datasets.id, datasetId));
  const current = (ds?.settings ?? {}) as Record<string, unknown>;
  const stored = (current.detectors ?? {}) as Record<string, Record<string, unknown>>;
  const patch = (input ?? {}) as Record<string, Record<string, unknown>>;
  const merged: Record<string, Record<string, unknown>> = { ...stored };
  for (const [k, v] of Object.entries(patch)) merged[k] = { ...(stored[k] ?? {}), ...v };
  const detectors = detectorOptionsSchema.parse(merged);
  await database.db
    .update(datasets)
    .set({ settings: { ...current, detectors } })
    .where(eq(datasets.id, datasetId));
  return detectors;
}
