CREATE TABLE "record_search" (
	"record_id" bigint PRIMARY KEY NOT NULL,
	"body" text NOT NULL
);
--> statement-breakpoint
DROP INDEX "records_search_trgm";--> statement-breakpoint
DO $$
BEGIN
  ALTER TABLE "record_search" ALTER COLUMN "body" SET COMPRESSION lz4;
EXCEPTION WHEN others THEN
  RAISE NOTICE 'lz4 compression not available, keeping the default';
END $$;--> statement-breakpoint
INSERT INTO "record_search" ("record_id", "body") SELECT "id", "query" || ' ' || "positive" FROM "records";--> statement-breakpoint
ALTER TABLE "record_search" ADD CONSTRAINT "record_search_record_id_records_id_fk" FOREIGN KEY ("record_id") REFERENCES "public"."records"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "record_search_trgm" ON "record_search" USING gin ("body" gin_trgm_ops);