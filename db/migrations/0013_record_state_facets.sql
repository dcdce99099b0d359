-- The record's columns the review filters and facets read (task, family, language, defects, flag count, highest flag
-- score, teacher margin) are copied into its state row, kept by the triggers on records: the summary of a search or a
-- score range, and a bulk rule, then read the narrow state rows alone, never the wide records rows (at a million
-- records, reading 30,000 searched records' rows was half of the search's summary). record_counts is now kept from
-- record_state alone, which holds every column it groups by. The table is rebuilt rather than updated in place (an
-- UPDATE of every row would leave a dead copy of each behind and write every index twice).
DROP TRIGGER "records_counts_insert" ON "records";--> statement-breakpoint
DROP TRIGGER "records_counts_update" ON "records";--> statement-breakpoint
DROP TRIGGER "records_counts_delete" ON "records";--> statement-breakpoint
DROP FUNCTION "record_counts_records"();--> statement-breakpoint
CREATE TABLE "record_state_new" (
	"record_id" bigint NOT NULL,
	"dataset_id" integer NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"last_decision_at" timestamp with time zone,
	"last_decision_by" text,
	"task" text,
	"task_family" text NOT NULL,
	"language" text,
	"defects" text[] DEFAULT '{}'::text[] NOT NULL,
	"flag_count" integer DEFAULT 0 NOT NULL,
	"max_flag_score" real,
	"teacher_margin" real
);
--> statement-breakpoint
INSERT INTO "record_state_new"
SELECT s."record_id", s."dataset_id", s."status", s."version", s."last_decision_at", s."last_decision_by",
       r."task", r."task_family", r."language", r."defects", r."flag_count", r."max_flag_score", r."teacher_margin"
  FROM "record_state" s JOIN "records" r ON r."id" = s."record_id"
 ORDER BY s."record_id";--> statement-breakpoint
DROP TABLE "record_state";--> statement-breakpoint
DROP FUNCTION "record_counts_state"();--> statement-breakpoint
ALTER TABLE "record_state_new" RENAME TO "record_state";--> statement-breakpoint
ALTER TABLE "record_state" ADD CONSTRAINT "record_state_pkey" PRIMARY KEY ("record_id");--> statement-breakpoint
-- Checked at commit: a record's state is removed by the records delete trigger (below), which runs after the delete's
-- row-level checks.
ALTER TABLE "record_state" ADD CONSTRAINT "record_state_record_id_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."records"("id") ON DELETE no action ON UPDATE no action DEFERRABLE INITIALLY DEFERRED;--> statement-breakpoint
CREATE INDEX "record_state_dataset_status_idx" ON "record_state" USING btree ("dataset_id","status","record_id");--> statement-breakpoint
CREATE INDEX "record_state_dataset_decided_idx" ON "record_state" USING btree ("dataset_id","last_decision_at","record_id") WHERE "record_state"."last_decision_at" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "record_state_dataset_reviewer_idx" ON "record_state" USING btree ("dataset_id","last_decision_by","record_id") WHERE "record_state"."last_decision_by" IS NOT NULL;--> statement-breakpoint
-- The records triggers keep each record's state: made with the record, its copies updated when the record's change
-- (only those rows are written; they are locked in key order first, as bulk rules lock theirs, so that a detection
-- run and a bulk rule cannot deadlock), removed with the record.
CREATE FUNCTION "record_state_sync"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO record_state (record_id, dataset_id, task, task_family, language, defects, flag_count, max_flag_score,
                              teacher_margin)
    SELECT x.id, x.dataset_id, x.task, x.task_family, x.language, x.defects, x.flag_count, x.max_flag_score,
           x.teacher_margin
      FROM new_rows x ORDER BY x.id;
  ELSIF TG_OP = 'UPDATE' THEN
    WITH changed AS (
      SELECT n.id, n.task, n.task_family, n.language, n.defects, n.flag_count, n.max_flag_score, n.teacher_margin
        FROM new_rows n JOIN record_state s ON s.record_id = n.id
       WHERE (s.task, s.task_family, s.language, s.defects, s.flag_count, s.max_flag_score, s.teacher_margin)
             IS DISTINCT FROM (n.task, n.task_family, n.language, n.defects, n.flag_count, n.max_flag_score, n.teacher_margin)
       ORDER BY n.id FOR UPDATE OF s
    )
    UPDATE record_state s
       SET task = c.task, task_family = c.task_family, language = c.language, defects = c.defects,
           flag_count = c.flag_count, max_flag_score = c.max_flag_score, teacher_margin = c.teacher_margin
      FROM changed c WHERE s.record_id = c.id;
  ELSE
    DELETE FROM record_state s USING old_rows x WHERE s.record_id = x.id;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
-- record_counts stays exact, kept from record_state's own rows: one grouped upsert per statement, taken in key order so
-- that concurrent writers cannot deadlock on them; an update counts only the rows whose counted columns changed.
CREATE FUNCTION "record_counts_state"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO record_counts AS c (dataset_id, task, task_family, language, flagged, status, defects, last_decision_by, n)
    SELECT x.dataset_id, x.task, x.task_family, x.language, x.flag_count > 0, x.status, x.defects, x.last_decision_by, count(*)
      FROM new_rows x WHERE EXISTS (SELECT 1 FROM datasets d WHERE d.id = x.dataset_id)
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT ON CONSTRAINT record_counts_key DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO record_counts AS c (dataset_id, task, task_family, language, flagged, status, defects, last_decision_by, n)
    SELECT o.dataset_id, v.task, v.task_family, v.language, v.flagged, v.status, v.defects, v.last_decision_by, sum(v.d)
      FROM old_rows o JOIN new_rows n ON n.record_id = o.record_id
      CROSS JOIN LATERAL (VALUES (o.task, o.task_family, o.language, o.flag_count > 0, o.status, o.defects, o.last_decision_by, -1),
                                 (n.task, n.task_family, n.language, n.flag_count > 0, n.status, n.defects, n.last_decision_by, 1))
                         AS v(task, task_family, language, flagged, status, defects, last_decision_by, d)
     WHERE (o.task, o.task_family, o.language, o.flag_count > 0, o.status, o.defects, o.last_decision_by)
           IS DISTINCT FROM (n.task, n.task_family, n.language, n.flag_count > 0, n.status, n.defects, n.last_decision_by)
       AND EXISTS (SELECT 1 FROM datasets d WHERE d.id = o.dataset_id)
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8 HAVING sum(v.d) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
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
CREATE TRIGGER "records_state_insert" AFTER INSERT ON "records" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "record_state_sync"();--> statement-breakpoint
CREATE TRIGGER "records_state_update" AFTER UPDATE ON "records" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "record_state_sync"();--> statement-breakpoint
CREATE TRIGGER "records_state_delete" AFTER DELETE ON "records" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "record_state_sync"();--> statement-breakpoint
CREATE TRIGGER "record_state_counts_insert" AFTER INSERT ON "record_state" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "record_counts_state"();--> statement-breakpoint
CREATE TRIGGER "record_state_counts_update" AFTER UPDATE ON "record_state" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "record_counts_state"();--> statement-breakpoint
CREATE TRIGGER "record_state_counts_delete" AFTER DELETE ON "record_state" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "record_counts_state"();--> statement-breakpoint
ANALYZE "record_state";
