ALTER TABLE "record_counts" DROP CONSTRAINT "record_counts_key";--> statement-breakpoint
ALTER TABLE "record_counts" ADD COLUMN "last_decision_by" text;--> statement-breakpoint
ALTER TABLE "record_counts" ADD CONSTRAINT "record_counts_key" UNIQUE NULLS NOT DISTINCT("dataset_id","task","task_family","language","flagged","status","defects","last_decision_by");--> statement-breakpoint
-- The counts gain the reviewer of the last decision, so the reviewer facet and reviewer filters read this small
-- table instead of every decided record. Same trigger as 0006 with the column added.
CREATE OR REPLACE FUNCTION "record_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO record_counts AS c (dataset_id, task, task_family, language, flagged, status, defects, last_decision_by, n)
    SELECT x.dataset_id, x.task, x.task_family, x.language, x.flag_count > 0, x.status, x.defects, x.last_decision_by, count(*)
      FROM new_rows x WHERE EXISTS (SELECT 1 FROM datasets d WHERE d.id = x.dataset_id)
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT ON CONSTRAINT record_counts_key DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO record_counts AS c (dataset_id, task, task_family, language, flagged, status, defects, last_decision_by, n)
    SELECT dataset_id, task, task_family, language, flagged, status, defects, last_decision_by, sum(d)
      FROM (SELECT x.dataset_id, x.task, x.task_family, x.language, x.flag_count > 0 AS flagged, x.status, x.defects,
                   x.last_decision_by, -1 AS d
              FROM old_rows x
            UNION ALL
            SELECT x.dataset_id, x.task, x.task_family, x.language, x.flag_count > 0, x.status, x.defects,
                   x.last_decision_by, 1
              FROM new_rows x) u
     WHERE EXISTS (SELECT 1 FROM datasets d WHERE d.id = u.dataset_id)
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT ON CONSTRAINT record_counts_key DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSE
    INSERT INTO record_counts AS c (dataset_id, task, task_family, language, flagged, status, defects, last_decision_by, n)
    SELECT x.dataset_id, x.task, x.task_family, x.language, x.flag_count > 0, x.status, x.defects, x.last_decision_by, -count(*)
      FROM old_rows x WHERE EXISTS (SELECT 1 FROM datasets d WHERE d.id = x.dataset_id)
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT ON CONSTRAINT record_counts_key DO UPDATE SET n = c.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
DELETE FROM "record_counts";--> statement-breakpoint
INSERT INTO "record_counts" ("dataset_id", "task", "task_family", "language", "flagged", "status", "defects", "last_decision_by", "n")
SELECT "dataset_id", "task", "task_family", "language", "flag_count" > 0, "status", "defects", "last_decision_by", count(*)
  FROM "records" GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
