/**
 * The review-table latency step of `npm run bench` on a data set already in a database — for sizes
 * where generating and importing again costs too long (a 1M-record run), or for your own data:
 *
 *   tsx bench/review-on.ts --url postgres://…/db --dataset bench [--search warranty] [--detect] [--bulk]
 *
 * --detect runs the detectors first (no teacher, all cores) when the data set has no flags yet.
 * --bulk then times a bulk rule (reject ~100,000 pending records, whole tasks) and its undo.
 * Prints the same table as `npm run bench` (server time of a page = rows + exact count + every facet).
 */
import { parseArgs } from "node:util";
import { openDatabase } from "@/db/client";
import { runDetection } from "@/db/queries/detect";
import { bulkRuleTiming, printLatency, reviewLatency } from "./review";

const { values: args } = parseArgs({
  options: {
    url: { type: "string" },
    dataset: { type: "string", default: "bench" },
    search: { type: "string", default: "warranty" },
    detect: { type: "boolean", default: false },
    bulk: { type: "boolean", default: false },
    workers: { type: "string", default: "2" },
  },
});
if (!args.url) {
  console.error("usage: tsx bench/review-on.ts --url postgres://… --dataset NAME [--search TERM] [--detect]");
  process.exit(2);
}

const database = await openDatabase({ kind: "postgres", url: args.url });
try {
  const [ds] = await database.raw.query<{ id: number; flags_run_id: number | null }>(
    "SELECT id, flags_run_id FROM datasets WHERE name = $1",
    [args.dataset],
  );
  if (!ds) throw new Error(`no data set named ${args.dataset}`);
  const [{ n } = { n: 0 }] = await database.raw.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM records WHERE dataset_id = $1",
    [ds.id],
  );
  console.log(`${args.dataset}: ${n.toLocaleString("en-US")} records`);
  if (args.detect && ds.flags_run_id === null) {
    const t0 = performance.now();
    const run = await runDetection(database, ds.id, { teacher: "none", workers: Number(args.workers) });
    const sec = (performance.now() - t0) / 1000;
    console.log(
      `detect: ${run.recordsDone} records in ${sec.toFixed(0)} s = ${(run.recordsDone / sec).toFixed(0)}/s`,
    );
  }
  await database.raw.query("ANALYZE");
  printLatency(await reviewLatency(database, ds.id, { search: args.search }));
  if (args.bulk) {
    const b = await bulkRuleTiming(database, ds.id);
    console.log(
      `bulk rule: rejected ${b.changed} in ${b.applySeconds.toFixed(1)} s; undo restored ${b.restored} in ${b.undoSeconds.toFixed(1)} s`,
    );
  }
} finally {
  await database.close();
}
