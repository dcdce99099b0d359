ALTER TABLE "flags" ADD COLUMN "best" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Existing flags: mark each record's highest-scored flag per run and defect (ties to the lowest id).
UPDATE "flags" SET "best" = true WHERE "id" IN (
  SELECT DISTINCT ON ("record_id", "run_id", "defect") "id" FROM "flags"
   ORDER BY "record_id", "run_id", "defect", "score" DESC, "id"
);--> statement-breakpoint
CREATE INDEX "flags_best_score_idx" ON "flags" USING btree ("dataset_id","run_id","defect","score","record_id") WHERE "flags"."best";
