import type { RawSql } from "../client";

/**
 * Columns of `records` derived from other rows, kept in step so that filters and sorts read one
 * indexed row instead of joining flags and negatives:
 * - flag_count, defects, max_flag_score — from the data set's current flags;
 * - flags.best — each record's highest-scored flag per run and defect;
 * - teacher_margin — positive score − best kept negative score.
 */

/**
 * Which records to recompute: one (its id), those a subquery of the code's own returns (e.g.
 * "SELECT record_id FROM bulk_hit"), or — omitted — every record of the data set.
 */
type Scope = number | { idsSql: string } | undefined;

/**
 * `column = ANY(ARRAY(ids))`: the rows a bulk statement touches, looked up by key in key order.
 * Joined against a subquery or a temp table instead (`IN (…)`, `FROM t WHERE …`), the planner hashes
 * all of `records` (a sequential scan of ~1 GB at a million records) to update 80,000 of them:
 * 22.8–29.5 s against 17.3–18.4 s for the same reject rule, measured back to back on PostgreSQL.
 */
export const byKey = (column: string, idsSql: string) => `${column} = ANY(ARRAY(${idsSql}))`;

function scopeSql(scope: Scope, column: string, param: string): string {
  if (scope === undefined) return "";
  return typeof scope === "number" ? `AND ${column} = ${param}` : `AND ${byKey(column, scope.idsSql)}`;
}
const scopeParams = (scope: Scope) => (typeof scope === "number" ? [scope] : []);

/**
 * Recomputes the flag summary (flag_count, defects, max_flag_score) from the data set's current run,
 * and the run's best-flag marks (refreshBestFlags) unless the writer set them (`bestGiven`).
 */
export async function refreshFlagSummary(
  tx: RawSql,
  p: { datasetId: number; runId: number | null; records?: Scope; bestGiven?: boolean },
): Promise<void> {
  if (!p.bestGiven) await refreshBestFlags(tx, p);
  await tx.query(
    `UPDATE records r
        SET flag_count = coalesce(f.n, 0), defects = coalesce(f.defects, '{}'::text[]), max_flag_score = f.top
       FROM records r2
       LEFT JOIN (SELECT record_id, count(*)::int AS n, array_agg(DISTINCT defect ORDER BY defect) AS defects,
                         max(score) AS top
                    FROM flags WHERE dataset_id = $1 AND run_id IS NOT DISTINCT FROM $2::int ${scopeSql(p.records, "record_id", "$3")}
                   GROUP BY 1) f ON f.record_id = r2.id
      WHERE r.id = r2.id AND r2.dataset_id = $1 ${scopeSql(p.records, "r2.id", "$3")}
        AND (r.flag_count IS DISTINCT FROM coalesce(f.n, 0)
             OR r.defects IS DISTINCT FROM coalesce(f.defects, '{}'::text[])
             OR r.max_flag_score IS DISTINCT FROM f.top)`,
    [p.datasetId, p.runId, ...scopeParams(p.records)],
  );
}

/**
 * Marks, per record, run and defect, the one flag with the highest score (ties: the lowest id) as
 * `best`, and clears the mark elsewhere; rows already right are not rewritten.
 */
export async function refreshBestFlags(
  tx: RawSql,
  p: { datasetId: number; runId: number | null; records?: Scope },
): Promise<void> {
  await tx.query(
    `UPDATE flags f SET best = b.should
       FROM (SELECT id, best, row_number() OVER (PARTITION BY record_id, defect ORDER BY score DESC, id) = 1 AS should
               FROM flags WHERE dataset_id = $1 AND run_id IS NOT DISTINCT FROM $2::int ${scopeSql(p.records, "record_id", "$3")}) b
      WHERE f.id = b.id AND f.best <> b.should`,
    [p.datasetId, p.runId, ...scopeParams(p.records)],
  );
}

/** Recomputes the teacher margin (after decisions changed negatives' statuses or scores); unchanged rows are not rewritten. */
export async function refreshTeacherMargin(tx: RawSql, records: Exclude<Scope, undefined>): Promise<void> {
  await tx.query(
    `UPDATE records r SET teacher_margin = m.margin
       FROM (SELECT x.id, x.positive_score - (SELECT max(n.teacher_score) FROM negatives n
                                               WHERE n.record_id = x.id AND n.status = 'kept') AS margin
               FROM records x WHERE true ${scopeSql(records, "x.id", "$1")}) m
      WHERE r.id = m.id AND r.teacher_margin IS DISTINCT FROM m.margin`,
    scopeParams(records),
  );
}

/** The margin as the importer stores it: null unless the positive and at least one negative are scored. */
export function teacherMargin(
  positiveScore: number | undefined,
  negativeScores: (number | undefined)[],
): number | null {
  if (positiveScore === undefined || !Number.isFinite(positiveScore)) return null;
  let best = Number.NEGATIVE_INFINITY;
  for (const s of negativeScores) if (s !== undefined && Number.isFinite(s) && s > best) best = s;
  return best === Number.NEGATIVE_INFINITY ? null : positiveScore - best;
}
