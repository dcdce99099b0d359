import type { Database } from "./client";

/**
 * Whether the database vacuums and analyzes its tables by itself: a PostgreSQL server with
 * autovacuum on. PGlite runs no autovacuum, and a server may have it off; writers that rewrite many
 * rows then refresh statistics (and vacuum) themselves.
 */
export async function autovacuumRuns(database: Database): Promise<boolean> {
  if (database.kind !== "postgres") return false;
  const [s] = await database.raw.query<{ on: string }>("SELECT current_setting('autovacuum') AS on");
  return s?.on !== "off";
}
