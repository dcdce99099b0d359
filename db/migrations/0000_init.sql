CREATE TABLE "datasets" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "datasets_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dataset_id" integer NOT NULL,
	"record_id" bigint NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"reason" text,
	"bulk_rule_id" integer,
	"undoes_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "flags" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dataset_id" integer NOT NULL,
	"record_id" bigint NOT NULL,
	"negative_id" bigint,
	"defect" text NOT NULL,
	"target" text NOT NULL,
	"negative_index" smallint,
	"score" real NOT NULL,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"detector" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "import_jobs" (
	"id" serial PRIMARY KEY NOT NULL,
	"dataset_id" integer NOT NULL,
	"source" text NOT NULL,
	"format" text,
	"container" text,
	"bytes" bigint,
	"strict" boolean DEFAULT false NOT NULL,
	"state" text DEFAULT 'running' NOT NULL,
	"rows_read" integer DEFAULT 0 NOT NULL,
	"rows_loaded" integer DEFAULT 0 NOT NULL,
	"rows_duplicate" integer DEFAULT 0 NOT NULL,
	"rows_rejected" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"message" text,
	"pid" integer,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "negatives" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"record_id" bigint NOT NULL,
	"position" smallint NOT NULL,
	"text" text NOT NULL,
	"teacher_score" real,
	"teacher_rank" integer,
	"status" text DEFAULT 'kept' NOT NULL,
	"meta" jsonb
);
--> statement-breakpoint
CREATE TABLE "records" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"dataset_id" integer NOT NULL,
	"external_id" text,
	"content_hash" text NOT NULL,
	"import_job_id" integer,
	"source_line" integer,
	"task" text,
	"task_family" text NOT NULL,
	"language" text,
	"query" text NOT NULL,
	"positive" text NOT NULL,
	"positive_score" real,
	"positive_meta" jsonb,
	"extra_positives" jsonb,
	"label" text,
	"misleading_label" text,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"meta" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"negative_count" smallint DEFAULT 0 NOT NULL,
	"flag_count" integer DEFAULT 0 NOT NULL,
	"last_decision_at" timestamp with time zone,
	"last_decision_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_record_id_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flags" ADD CONSTRAINT "flags_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flags" ADD CONSTRAINT "flags_record_id_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "flags" ADD CONSTRAINT "flags_negative_id_negatives_id_fk" FOREIGN KEY ("negative_id") REFERENCES "public"."negatives"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "import_jobs" ADD CONSTRAINT "import_jobs_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "negatives" ADD CONSTRAINT "negatives_record_id_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "records" ADD CONSTRAINT "records_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "decisions_record_idx" ON "decisions" USING btree ("record_id","id");--> statement-breakpoint
CREATE INDEX "decisions_dataset_created_idx" ON "decisions" USING btree ("dataset_id","created_at");--> statement-breakpoint
CREATE INDEX "flags_dataset_defect_idx" ON "flags" USING btree ("dataset_id","defect","record_id");--> statement-breakpoint
CREATE INDEX "flags_record_idx" ON "flags" USING btree ("record_id");--> statement-breakpoint
CREATE INDEX "import_jobs_dataset_idx" ON "import_jobs" USING btree ("dataset_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "negatives_record_position_uq" ON "negatives" USING btree ("record_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "records_dataset_hash_uq" ON "records" USING btree ("dataset_id","content_hash");--> statement-breakpoint
CREATE INDEX "records_dataset_id_idx" ON "records" USING btree ("dataset_id","id");--> statement-breakpoint
CREATE INDEX "records_dataset_status_idx" ON "records" USING btree ("dataset_id","status","id");--> statement-breakpoint
CREATE INDEX "records_dataset_task_idx" ON "records" USING btree ("dataset_id","task","id");--> statement-breakpoint
CREATE INDEX "records_dataset_family_idx" ON "records" USING btree ("dataset_id","task_family","id");--> statement-breakpoint
CREATE INDEX "records_dataset_language_idx" ON "records" USING btree ("dataset_id","language","id");--> statement-breakpoint
CREATE INDEX "records_dataset_flagged_idx" ON "records" USING btree ("dataset_id","id") WHERE "records"."flag_count" > 0;