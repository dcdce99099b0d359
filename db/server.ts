import "server-only";
import { readEnv } from "@/lib/env";
import { type Database, openDatabase, openOptionsFromEnv } from "./client";
import { loadDemoIfEmpty } from "./queries/demo";

const g = globalThis as unknown as { __pairsiftDb?: Promise<Database> };

async function init(): Promise<Database> {
  const env = readEnv();
  const database = await openDatabase(openOptionsFromEnv(env, "pairsift web server"));
  if (!env.PAIRSIFT_NO_DEMO) await loadDemoIfEmpty(database);
  return database;
}

/**
 * The server's one database handle, opened lazily (never at import time, so `next build` does not
 * touch the data folder) and shared through globalThis across route modules and hot reloads.
 */
export function getDatabase(): Promise<Database> {
  if (!g.__pairsiftDb) {
    g.__pairsiftDb = init().catch((e) => {
      g.__pairsiftDb = undefined; // let the next request retry (e.g. after the lock holder exits)
      throw e;
    });
  }
  return g.__pairsiftDb;
}

export function engineLabel(database: Database): string {
  return database.kind === "pglite" ? `embedded PGlite (${database.dataDir ?? "in memory"})` : "PostgreSQL";
}
