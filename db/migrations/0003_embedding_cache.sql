CREATE TABLE "embedding_cache" (
	"key" text PRIMARY KEY NOT NULL,
	"vector" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
