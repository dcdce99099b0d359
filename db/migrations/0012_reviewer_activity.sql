CREATE TABLE "reviewer_activity" (
	"dataset_id" integer NOT NULL,
	"actor" text NOT NULL,
	"decisions" bigint NOT NULL,
	"undos" bigint NOT NULL,
	"records" bigint NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"last_at" timestamp with time zone NOT NULL,
	"active_seconds" double precision NOT NULL,
	CONSTRAINT "reviewer_activity_dataset_id_actor_pk" PRIMARY KEY("dataset_id","actor")
);
--> statement-breakpoint
CREATE TABLE "reviewer_records" (
	"dataset_id" integer NOT NULL,
	"actor" text NOT NULL,
	"record_id" bigint NOT NULL,
	CONSTRAINT "reviewer_records_dataset_id_actor_record_id_pk" PRIMARY KEY("dataset_id","actor","record_id")
);
--> statement-breakpoint
ALTER TABLE "reviewer_activity" ADD CONSTRAINT "reviewer_activity_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- What the audit used to derive from every decision on each visit (1.4-2.0 s at 800k decisions), from the decisions
-- there are now; from here on a statement-level trigger adds each statement's decisions.
INSERT INTO "reviewer_records" ("dataset_id", "actor", "record_id")
SELECT DISTINCT "dataset_id", "actor", "record_id" FROM "decisions";--> statement-breakpoint
INSERT INTO "reviewer_activity" ("dataset_id", "actor", "decisions", "undos", "records", "first_at", "last_at", "active_seconds")
SELECT dataset_id, actor, count(*) FILTER (WHERE action <> 'undo'), count(*) FILTER (WHERE action = 'undo'),
       count(DISTINCT record_id), min(created_at), max(created_at),
       coalesce(sum(extract(epoch FROM gap)) FILTER (WHERE gap <= interval '30 minutes'), 0)
  FROM (SELECT dataset_id, actor, action, record_id, created_at,
               created_at - lag(created_at) OVER (PARTITION BY dataset_id, actor ORDER BY created_at, id) AS gap
          FROM decisions) d
 GROUP BY 1, 2;--> statement-breakpoint
-- A statement's decisions, per reviewer: counts; records decided for the first time; first and last; active time —
-- the gaps between its distinct decision times (a bulk rule's decisions share one), and the gap from the reviewer's
-- last decision before it, each counted when at most 30 minutes (ACTIVE_GAP_MINUTES in lib/audit/report.ts).
-- Decisions are append-only. Two transactions of one reviewer that commit out of time order lose the gap between
-- them (a few seconds at most); the audit's active time is an estimate anyway.
CREATE FUNCTION "reviewer_activity_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH fresh AS (
    INSERT INTO reviewer_records AS r (dataset_id, actor, record_id)
    SELECT DISTINCT x.dataset_id, x.actor, x.record_id FROM new_rows x ORDER BY 1, 2, 3
    ON CONFLICT DO NOTHING
    RETURNING r.dataset_id, r.actor
  ), fresh_n AS (
    SELECT dataset_id, actor, count(*) AS n FROM fresh GROUP BY 1, 2
  ), moments AS (
    SELECT x.dataset_id, x.actor, x.created_at,
           count(*) FILTER (WHERE x.action <> 'undo') AS d, count(*) FILTER (WHERE x.action = 'undo') AS u
      FROM new_rows x GROUP BY 1, 2, 3
  ), gaps AS (
    SELECT m.*, m.created_at - lag(m.created_at) OVER (PARTITION BY m.dataset_id, m.actor ORDER BY m.created_at) AS gap
      FROM moments m
  ), g AS (
    SELECT dataset_id, actor, sum(d) AS d, sum(u) AS u, min(created_at) AS first_at, max(created_at) AS last_at,
           coalesce(sum(extract(epoch FROM gap)) FILTER (WHERE gap <= interval '30 minutes'), 0) AS active
      FROM gaps GROUP BY 1, 2
  )
  INSERT INTO reviewer_activity AS a (dataset_id, actor, decisions, undos, records, first_at, last_at, active_seconds)
  SELECT g.dataset_id, g.actor, g.d, g.u, coalesce(f.n, 0), g.first_at, g.last_at, g.active
    FROM g LEFT JOIN fresh_n f ON f.dataset_id = g.dataset_id AND f.actor = g.actor
   ORDER BY 1, 2
  ON CONFLICT (dataset_id, actor) DO UPDATE SET
    decisions = a.decisions + EXCLUDED.decisions,
    undos = a.undos + EXCLUDED.undos,
    records = a.records + EXCLUDED.records,
    active_seconds = a.active_seconds + EXCLUDED.active_seconds
      + CASE WHEN EXCLUDED.first_at > a.last_at AND EXCLUDED.first_at - a.last_at <= interval '30 minutes'
             THEN extract(epoch FROM EXCLUDED.first_at - a.last_at) ELSE 0 END,
    first_at = least(a.first_at, EXCLUDED.first_at),
    last_at = greatest(a.last_at, EXCLUDED.last_at);
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "decisions_reviewer_activity" AFTER INSERT ON "decisions" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "reviewer_activity_add"();--> statement-breakpoint
CREATE FUNCTION "reviewer_records_forget"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM reviewer_records r USING old_rows d WHERE r.dataset_id = d.id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "datasets_reviewer_records_delete" AFTER DELETE ON "datasets" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "reviewer_records_forget"();
