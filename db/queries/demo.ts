import path from "node:path";
import { sql } from "drizzle-orm";
import type { Database } from "../client";
import { importFile } from "../import-file";
import { datasets } from "../schema";
import { runDetection } from "./detect";

/** The demo data sets (files in demo/, attribution in demo/README.md). */
export const DEMO_DATASETS = [
  { name: "e5-synthetic-demo (generated)", file: "e5_synthetic_generated.jsonl" },
  { name: "t2ranking-zh (demo)", file: "zh_t2ranking_100.jsonl" },
  { name: "msmarco-scored (demo)", file: "flagemb_msmarco_scored.jsonl" },
  { name: "intel-llm-queries (demo)", file: "intel_llm_augmented_queries.jsonl" },
] as const;

export function demoFolder(): string {
  return path.join(process.env.PAIRSIFT_ROOT ?? process.cwd(), "demo");
}

/** Loads the demo data sets into an empty database (no data sets at all); returns how many it loaded. */
export async function loadDemoIfEmpty(database: Database): Promise<number> {
  const [row] = await database.db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(datasets);
  if ((row?.n ?? 0) > 0) return 0;
  let loaded = 0;
  for (const d of DEMO_DATASETS) {
    const summary = await importFile(database, { path: path.join(demoFolder(), d.file), dataset: d.name });
    loaded += summary.loaded;
    await runDetection(database, summary.datasetId);
  }
  return loaded;
}
