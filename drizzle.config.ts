import { defineConfig } from "drizzle-kit";

// Generates SQL migrations from db/schema.ts. Migrations are applied by the app and the CLI at start-up
// (db/migrate.ts), on PGlite and on PostgreSQL alike — keep to SQL that PostgreSQL 15 supports.
export default defineConfig({
  dialect: "postgresql",
  schema: "./db/schema.ts",
  out: "./db/migrations",
});
