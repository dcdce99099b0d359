CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "audit_samples" (
	"id" serial PRIMARY KEY NOT NULL,
	"dataset_id" integer NOT NULL,
	"per_task" integer NOT NULL,
	"seed" integer NOT NULL,
	"record_ids" jsonb NOT NULL,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bulk_rules" (
	"id" serial PRIMARY KEY NOT NULL,
	"dataset_id" integer NOT NULL,
	"name" text NOT NULL,
	"rule" jsonb NOT NULL,
	"actor" text NOT NULL,
	"affected" integer DEFAULT 0 NOT NULL,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	"undone_at" timestamp with time zone,
	"undone_by" text
);
--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "defects" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "max_flag_score" real;--> statement-breakpoint
ALTER TABLE "records" ADD COLUMN "teacher_margin" real;--> statement-breakpoint
UPDATE "records" r SET "teacher_margin" = r."positive_score" - m.best
  FROM (SELECT n."record_id", max(n."teacher_score") AS best FROM "negatives" n
         WHERE n."status" = 'kept' AND n."teacher_score" IS NOT NULL GROUP BY 1) m
 WHERE m."record_id" = r."id" AND r."positive_score" IS NOT NULL;--> statement-breakpoint
UPDATE "records" r SET "defects" = f.defects, "max_flag_score" = f.top
  FROM (SELECT fl."record_id", array_agg(DISTINCT fl."defect" ORDER BY fl."defect") AS defects, max(fl."score") AS top
          FROM "flags" fl JOIN "datasets" d ON d."id" = fl."dataset_id" AND fl."run_id" IS NOT DISTINCT FROM d."flags_run_id"
         GROUP BY 1) f
 WHERE f."record_id" = r."id";--> statement-breakpoint
ALTER TABLE "audit_samples" ADD CONSTRAINT "audit_samples_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bulk_rules" ADD CONSTRAINT "bulk_rules_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_samples_dataset_idx" ON "audit_samples" USING btree ("dataset_id","id");--> statement-breakpoint
CREATE INDEX "bulk_rules_dataset_idx" ON "bulk_rules" USING btree ("dataset_id","id");--> statement-breakpoint
CREATE INDEX "records_dataset_flag_count_idx" ON "records" USING btree ("dataset_id","flag_count","id");--> statement-breakpoint
CREATE INDEX "records_dataset_score_idx" ON "records" USING btree ("dataset_id","max_flag_score","id");--> statement-breakpoint
CREATE INDEX "records_dataset_margin_idx" ON "records" USING btree ("dataset_id","teacher_margin","id");--> statement-breakpoint
CREATE INDEX "records_dataset_decided_idx" ON "records" USING btree ("dataset_id","last_decision_at","id");--> statement-breakpoint
CREATE INDEX "records_dataset_reviewer_idx" ON "records" USING btree ("dataset_id","last_decision_by","id");--> statement-breakpoint
CREATE INDEX "records_defects_gin" ON "records" USING gin ("defects");--> statement-breakpoint
CREATE INDEX "records_search_trgm" ON "records" USING gin (("query" || ' ' || "positive") gin_trgm_ops);