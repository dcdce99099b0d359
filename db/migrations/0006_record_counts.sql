CREATE TABLE "record_counts" (
	"dataset_id" integer NOT NULL,
	"task" text,
	"task_family" text NOT NULL,
	"language" text,
	"flagged" boolean NOT NULL,
	"status" text NOT NULL,
	"defects" text[] NOT NULL,
	"n" bigint NOT NULL,
	CONSTRAINT "record_counts_key" UNIQUE NULLS NOT DISTINCT("dataset_id","task","task_family","language","flagged","status","defects")
);
--> statement-breakpoint
ALTER TABLE "record_counts" ADD CONSTRAINT "record_counts_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Kept exact by statement-level triggers with transition tables: one grouped upsert per statement (a COPY batch,
-- a decision, a bulk rule), rows taken in key order so concurrent writers cannot deadlock on them.
CREATE FUNCTION "record_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO record_counts AS c (dataset_id, task, task_family, language, flagged, status, defects, n)
    SELECT x.dataset_id, x.task, x.task_family, x.language, x.flag_count > 0, x.status, x.defects, count(*)
      FROM new_rows x WHERE EXISTS (SELECT 1 FROM datasets d WHERE d.id = x.dataset_id)
     GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ON CONSTRAINT record_counts_key DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO record_counts AS c (dataset_id, task, task_family, language, flagged, status, defects, n)
    SELECT dataset_id, task, task_family, language, flagged, status, defects, sum(d)
      FROM (SELECT x.dataset_id, x.task, x.task_family, x.language, x.flag_count > 0 AS flagged, x.status, x.defects, -1 AS d
              FROM old_rows x
            UNION ALL
            SELECT x.dataset_id, x.task, x.task_family, x.language, x.flag_count > 0, x.status, x.defects, 1
              FROM new_rows x) u
     WHERE EXISTS (SELECT 1 FROM datasets d WHERE d.id = u.dataset_id)
     GROUP BY 1, 2, 3, 4, 5, 6, 7 HAVING sum(d) <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ON CONSTRAINT record_counts_key DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSE
    INSERT INTO record_counts AS c (dataset_id, task, task_family, language, flagged, status, defects, n)
    SELECT x.dataset_id, x.task, x.task_family, x.language, x.flag_count > 0, x.status, x.defects, -count(*)
      FROM old_rows x WHERE EXISTS (SELECT 1 FROM datasets d WHERE d.id = x.dataset_id)
     GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT ON CONSTRAINT record_counts_key DO UPDATE SET n = c.n + EXCLUDED.n;
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "records_counts_insert" AFTER INSERT ON "records" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "record_counts_apply"();--> statement-breakpoint
CREATE TRIGGER "records_counts_update" AFTER UPDATE ON "records" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "record_counts_apply"();--> statement-breakpoint
CREATE TRIGGER "records_counts_delete" AFTER DELETE ON "records" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "record_counts_apply"();--> statement-breakpoint
INSERT INTO "record_counts" ("dataset_id", "task", "task_family", "language", "flagged", "status", "defects", "n")
SELECT "dataset_id", "task", "task_family", "language", "flag_count" > 0, "status", "defects", count(*)
  FROM "records" GROUP BY 1, 2, 3, 4, 5, 6, 7;
