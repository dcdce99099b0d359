import type { RawSql } from "../client";

/**
 * Columns of `records` derived from other rows, kept in step so that filters and sorts read one
 * indexed row instead of joining flags and negatives:
 * - flag_count, defects, max_flag_score — from the data set's current flags;
 * - teacher_margin — positive score − best kept negative score.
 */

/** Recomputes the flag summary of one record, or of every record of a data set when `recordId` is omitted. */
export async function refreshFlagSummary(
  tx: RawSql,
  p: { datasetId: number; runId: number | null; recordId?: number },
): Promise<void> {
  const one = p.recordId !== undefined;
  await tx.query(
    `UPDATE records r
        SET flag_count = coalesce(f.n, 0), defects = coalesce(f.defects, '{}'::text[]), max_flag_score = f.top
       FROM records r2
       LEFT JOIN (SELECT record_id, count(*)::int AS n, array_agg(DISTINCT defect ORDER BY defect) AS defects,
                         max(score) AS top
                    FROM flags WHERE dataset_id = $1 AND run_id IS NOT DISTINCT FROM $2::int ${one ? "AND record_id = $3" : ""}
                   GROUP BY 1) f ON f.record_id = r2.id
      WHERE r.id = r2.id AND r2.dataset_id = $1 ${one ? "AND r2.id = $3" : ""}
        AND (r.flag_count IS DISTINCT FROM coalesce(f.n, 0)
             OR r.defects IS DISTINCT FROM coalesce(f.defects, '{}'::text[])
             OR r.max_flag_score IS DISTINCT FROM f.top)`,
    one ? [p.datasetId, p.runId, p.recordId] : [p.datasetId, p.runId],
  );
}

/** Recomputes the teacher margin of one record (after a decision changed its negatives or scores). */
export async function refreshTeacherMargin(tx: RawSql, recordId: number): Promise<void> {
  await tx.query(
    `UPDATE records r SET teacher_margin = r.positive_score - (
        SELECT max(n.teacher_score) FROM negatives n WHERE n.record_id = r.id AND n.status = 'kept')
      WHERE r.id = $1`,
    [recordId],
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
