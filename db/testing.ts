import postgres from "postgres";
import { type Database, openDatabase } from "./client";

export type Engine = "pglite" | "postgres";

/** PGlite always; PostgreSQL too when DATABASE_URL is set (CI sets it). */
export const ENGINES: Engine[] = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

/**
 * A fresh, migrated database for one test file. On PostgreSQL each call creates its own database
 * (pairsift_test_<random>) and drops it on close, so tests never depend on what a server holds.
 */
export async function openTestDatabase(engine: Engine): Promise<Database> {
  if (engine === "pglite") return openDatabase({ kind: "pglite", dataDir: null });
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  const name = `pairsift_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ kind: "postgres", url: u.toString(), max: 4 });
  const close = database.close;
  database.close = async () => {
    await close();
    const a = postgres(url, { max: 1, onnotice: () => {} });
    await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await a.end();
  };
  return database;
}

/**
 * The best-flag marks of a data set checked against their definition (flags.best): groups of flags
 * per record, run and defect; those with more than one flag; and those whose marks are wrong (not
 * exactly one best, or the best not at the group's highest score).
 */
export async function bestFlagCheck(
  database: Database,
  datasetId: number,
): Promise<{ groups: number; multi: number; wrong: number }> {
  const [row] = await database.raw.query<{ groups: number; multi: number; wrong: number }>(
    `SELECT count(*)::int AS groups, count(*) FILTER (WHERE n > 1)::int AS multi,
            count(*) FILTER (WHERE nb <> 1 OR bs IS DISTINCT FROM top)::int AS wrong
       FROM (SELECT count(*) AS n, count(*) FILTER (WHERE best) AS nb, max(score) AS top,
                    max(score) FILTER (WHERE best) AS bs
               FROM flags WHERE dataset_id = $1 GROUP BY record_id, run_id, defect) g`,
    [datasetId],
  );
  return row!;
}
