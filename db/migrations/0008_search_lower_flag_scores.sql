CREATE INDEX "flags_dataset_run_defect_score_idx" ON "flags" USING btree ("dataset_id","run_id","defect","score","record_id");--> statement-breakpoint
-- record_search.body is stored lowercased by the database's own lower() (the function ILIKE applies to both
-- sides in a UTF-8 database), so search runs `body LIKE lower(pattern)` — the same matches as ILIKE — without
-- lowercasing each candidate's text at every search. One trigger covers every writer (import, text edits).
CREATE FUNCTION "record_search_lower"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.body := lower(NEW.body);
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "record_search_lower" BEFORE INSERT OR UPDATE OF "body" ON "record_search"
  FOR EACH ROW EXECUTE FUNCTION "record_search_lower"();--> statement-breakpoint
DROP INDEX "record_search_trgm";--> statement-breakpoint
UPDATE "record_search" SET "body" = "body";--> statement-breakpoint
CREATE INDEX "record_search_trgm" ON "record_search" USING gin ("body" gin_trgm_ops);
