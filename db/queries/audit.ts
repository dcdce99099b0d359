import {
  type AuditCell,
  type AuditReport,
  buildAuditReport,
  type Dimension,
  type PendingStratum,
  planSample,
  type ReviewerInput,
  type SampleCell,
  type SampleInput,
  type Status,
} from "@/lib/audit";
import type { Database } from "../client";

/**
 * Data access for the audit (lib/audit holds the arithmetic). Everything is counted by a few
 * GROUP BY queries over `records` — the `defects` array gives the flagged defects without touching
 * `flags` — so the cost does not grow with what the page shows.
 */

const DIM: Record<number, Dimension> = { 0: "task", 1: "family", 2: "language" };

/**
 * Record counts per (task | family | language) × flagged × status, each record once with a null
 * defect and once per defect flagged on it. Read from `record_counts` (kept exact by triggers on
 * records), so the cost depends on the number of distinct groups, not of records.
 */
export async function auditCells(database: Database, datasetId: number): Promise<AuditCell[]> {
  const rows = await database.raw.query<{
    dim: number;
    key: string | null;
    flagged: boolean;
    status: Status;
    defect: string | null;
    n: string | number;
  }>(
    `SELECT CASE WHEN GROUPING(task) = 0 THEN 0 WHEN GROUPING(task_family) = 0 THEN 1 ELSE 2 END AS dim,
            CASE WHEN GROUPING(task) = 0 THEN task WHEN GROUPING(task_family) = 0 THEN task_family ELSE lang END AS key,
            flagged, status, defect, sum(n) AS n
       FROM (SELECT c.task, c.task_family, coalesce(c.language, 'und') AS lang, c.flagged, c.status, d.defect, c.n
               FROM record_counts c
              CROSS JOIN LATERAL unnest(array_prepend(NULL::text, c.defects)) AS d(defect)
              WHERE c.dataset_id = $1 AND c.n <> 0) x
      GROUP BY GROUPING SETS ((task, flagged, status, defect), (task_family, flagged, status, defect),
                              (lang, flagged, status, defect))`,
    [datasetId],
  );
  return rows.map((r) => ({
    dim: DIM[Number(r.dim)] ?? "task",
    key: r.key,
    flagged: r.flagged,
    status: r.status,
    defect: r.defect,
    n: Number(r.n),
  }));
}

/**
 * Each reviewer's decisions on the data set: count (undos apart), distinct records, first and last,
 * and active time — the sum of the gaps between consecutive decisions, gaps over ACTIVE_GAP_MINUTES
 * left out. Kept as decisions are written (reviewer_activity, migration 0012): one row per reviewer,
 * whatever the number of decisions.
 */
export async function reviewerStats(database: Database, datasetId: number): Promise<ReviewerInput[]> {
  const rows = await database.raw.query<{
    actor: string;
    decisions: string | number;
    undos: string | number;
    records: string | number;
    first: Date | string;
    last: Date | string;
    active_seconds: string | number | null;
  }>(
    `SELECT actor, decisions, undos, records, first_at AS first, last_at AS last, active_seconds
       FROM reviewer_activity WHERE dataset_id = $1 ORDER BY actor`,
    [datasetId],
  );
  return rows.map((r) => ({
    actor: r.actor,
    decisions: Number(r.decisions),
    undos: Number(r.undos),
    records: Number(r.records),
    first: new Date(r.first),
    last: new Date(r.last),
    activeSeconds: Number(r.active_seconds ?? 0),
  }));
}

/** The data set's audit samples, newest first, with their record counts per task and status. */
export async function auditSampleCounts(
  database: Database,
  datasetId: number,
): Promise<{ samples: SampleInput[]; cells: SampleCell[] }> {
  const [samples, cells] = await Promise.all([
    database.raw.query<{
      id: number;
      per_task: number;
      seed: number;
      actor: string;
      created_at: Date | string;
      size: string | number;
    }>(
      `SELECT id, per_task, seed, actor, created_at, jsonb_array_length(record_ids) AS size
         FROM audit_samples WHERE dataset_id = $1 ORDER BY id DESC`,
      [datasetId],
    ),
    // Per sample, and (sample_id null) over the distinct records of all samples together.
    database.raw.query<{ sample_id: number | null; task: string | null; status: Status; n: string | number }>(
      `WITH ids AS (
         SELECT s.id AS sample_id, e.rid::bigint AS record_id
           FROM audit_samples s CROSS JOIN LATERAL jsonb_array_elements_text(s.record_ids) AS e(rid)
          WHERE s.dataset_id = $1)
       SELECT i.sample_id, r.task, s.status, count(*) AS n
         FROM ids i JOIN records r ON r.id = i.record_id AND r.dataset_id = $1
         JOIN record_state s ON s.record_id = r.id
        GROUP BY 1, 2, 3
       UNION ALL
       SELECT NULL, r.task, s.status, count(*)
         FROM records r JOIN record_state s ON s.record_id = r.id
        WHERE r.dataset_id = $1 AND r.id IN (SELECT record_id FROM ids)
        GROUP BY 2, 3`,
      [datasetId],
    ),
  ]);
  return {
    samples: samples.map((s) => ({
      id: s.id,
      perTask: s.per_task,
      seed: s.seed,
      actor: s.actor,
      createdAt: new Date(s.created_at),
      size: Number(s.size),
    })),
    cells: cells.map((c) => ({
      sampleId: c.sample_id === null ? null : Number(c.sample_id),
      task: c.task,
      status: c.status,
      n: Number(c.n),
    })),
  };
}

/** The full audit of a data set (null when there is no such data set). */
export async function getAuditReport(database: Database, datasetId: number): Promise<AuditReport | null> {
  const [ds] = await database.raw.query<{ id: number; name: string }>(
    "SELECT id, name FROM datasets WHERE id = $1",
    [datasetId],
  );
  if (!ds) return null;
  const [cells, reviewers, samples] = await Promise.all([
    auditCells(database, datasetId),
    reviewerStats(database, datasetId),
    auditSampleCounts(database, datasetId),
  ]);
  return buildAuditReport({
    dataset: { id: ds.id, name: ds.name },
    cells,
    reviewers,
    samples: samples.samples,
    sampleCells: samples.cells,
  });
}

// A task key for matching strata in SQL: NULL tasks cannot be compared with `=`.
const NULL_TASK = "\u0001(no task)";

export interface DrawSampleResult {
  id: number;
  size: number;
  tasks: number;
}

/**
 * Draws and stores an audit sample: `perTask` pending records of every task, flagged and unflagged
 * in proportion (lib/audit planSample, seeded). The plan picks positions within each stratum's
 * id-ordered records; one windowed query turns them into ids. Deterministic for a seed and the same
 * pending records.
 */
export async function drawAuditSample(
  database: Database,
  input: { datasetId: number; perTask: number; seed: number; actor: string },
): Promise<DrawSampleResult> {
  return database.rawTransaction(async (tx) => {
    const strata = await tx.query<{ task: string | null; flagged: boolean; n: string | number }>(
      `SELECT task, flagged, sum(n) AS n FROM record_counts
        WHERE dataset_id = $1 AND status = 'pending' GROUP BY 1, 2 HAVING sum(n) > 0`,
      [input.datasetId],
    );
    const plan = planSample(
      strata.map((s): PendingStratum => ({ task: s.task, flagged: s.flagged, count: Number(s.n) })),
      input.perTask,
      input.seed,
    );
    const keys: string[] = [];
    const flagged: number[] = [];
    const positions: number[] = [];
    for (const p of plan) {
      for (const pos of p.positions) {
        keys.push(p.task ?? NULL_TASK);
        flagged.push(p.flagged ? 1 : 0);
        positions.push(pos + 1);
      }
    }
    let ids: number[] = [];
    if (positions.length) {
      const rows = await tx.query<{ id: string | number }>(
        `WITH pick AS (SELECT * FROM unnest($2::text[], $3::int[], $4::bigint[]) AS p(task, flagged, pos)),
              ranked AS (
                SELECT r.id, coalesce(r.task, $5) AS task, (r.flag_count > 0)::int AS flagged,
                       row_number() OVER (PARTITION BY r.task, r.flag_count > 0 ORDER BY r.id) AS pos
                  FROM records r JOIN record_state s ON s.record_id = r.id
                 WHERE r.dataset_id = $1 AND s.status = 'pending'
                   AND coalesce(r.task, $5) IN (SELECT DISTINCT task FROM pick))
         SELECT r.id FROM ranked r JOIN pick p ON p.task = r.task AND p.flagged = r.flagged AND p.pos = r.pos
          ORDER BY r.id`,
        [input.datasetId, keys, flagged, positions, NULL_TASK],
      );
      ids = rows.map((r) => Number(r.id));
    }
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO audit_samples (dataset_id, per_task, seed, record_ids, actor)
       VALUES ($1, $2, $3, $4::text::jsonb, $5) RETURNING id`,
      [input.datasetId, input.perTask, input.seed, JSON.stringify(ids), input.actor],
    );
    return { id: row!.id, size: ids.length, tasks: new Set(plan.map((p) => p.task)).size };
  });
}

/** The record ids of one audit sample (for the review table's `sample` filter). */
export async function getAuditSample(database: Database, datasetId: number, sampleId: number) {
  const [row] = await database.raw.query<{
    id: number;
    per_task: number;
    seed: number;
    actor: string;
    created_at: Date | string;
    record_ids: number[];
  }>(
    "SELECT id, per_task, seed, actor, created_at, record_ids FROM audit_samples WHERE dataset_id = $1 AND id = $2",
    [datasetId, sampleId],
  );
  if (!row) return null;
  return {
    id: row.id,
    perTask: row.per_task,
    seed: row.seed,
    actor: row.actor,
    createdAt: new Date(row.created_at),
    recordIds: row.record_ids.map(Number),
  };
}
