CREATE TABLE "detection_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"dataset_id" integer NOT NULL,
	"state" text DEFAULT 'running' NOT NULL,
	"teacher" text DEFAULT 'none' NOT NULL,
	"detectors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"records_total" integer DEFAULT 0 NOT NULL,
	"records_done" integer DEFAULT 0 NOT NULL,
	"flags" integer DEFAULT 0 NOT NULL,
	"message" text,
	"pid" integer,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "datasets" ADD COLUMN "flags_run_id" integer;--> statement-breakpoint
ALTER TABLE "flags" ADD COLUMN "run_id" integer;--> statement-breakpoint
ALTER TABLE "detection_runs" ADD CONSTRAINT "detection_runs_dataset_id_datasets_id_fk" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "detection_runs_dataset_idx" ON "detection_runs" USING btree ("dataset_id","id");