/**
 * `npm run bench` — pairsift's steps timed against raw PostgreSQL in the same run.
 *
 *   npm run bench                                  # 100k records, PGlite + PostgreSQL (when reachable)
 *   npm run bench -- --records 1000000 --engines postgres
 *   npm run bench -- --records 20000 --engines pglite
 *
 * Step "import": `importFile` (parse + validate + hash + dedupe + COPY into indexed tables, one
 * transaction per batch) against a baseline of raw `COPY` of the very same rows (already serialised,
 * untimed) into unindexed tables of the same shape, in the same database, in the same run. Figures are
 * records/s and the ratio import ÷ raw COPY. Step "detect": every detector over a second data set of
 * the same size in a uniform shape (1 positive + `--detect-negatives` negatives of ~`--detect-words`
 * words, every record short-long), reading it back from the database and storing the flags, without a
 * teacher and with BM25, on one detector worker thread and on one per core (ratio: ÷ one worker).
 * Peak RSS is sampled every 50 ms.
 * PostgreSQL: DATABASE_URL if set, else postgres://postgres@127.0.0.1:5432/postgres; a fresh database
 * is created and dropped. PGlite: a fresh data folder on disk (as `npm start` uses).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import postgres from "postgres";
import { type Database, openDatabase } from "@/db/client";
import { importFile } from "@/db/import-file";
import { runDetection } from "@/db/queries/detect";
import { batchToCopy, NEGATIVE_COLUMNS, RECORD_COLUMNS } from "@/db/queries/import";
import { parseInput } from "@/lib/formats";
import { openInput } from "@/lib/formats/node";
import type { CanonicalRecord } from "@/lib/formats/types";
import { exportBench } from "./export";
import { generateFlagEmbedding, generateRecords, toJson } from "./generate";
import { bulkRuleTiming, type LatencyRow, printLatency, reviewLatency } from "./review";

const { values: args } = parseArgs({
  options: {
    records: { type: "string", default: "100000" },
    seed: { type: "string", default: "42" },
    engines: { type: "string", default: "pglite,postgres" },
    format: { type: "string", default: "flagembedding" },
    batch: { type: "string", default: "1000" },
    "skip-detect": { type: "boolean", default: false },
    "detect-negatives": { type: "string", default: "3" },
    "detect-words": { type: "string", default: "200" },
    "detect-workers": { type: "string", default: String(os.availableParallelism()) },
    "detect-records": { type: "string" },
    keep: { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
    "skip-export": { type: "boolean", default: false },
    "skip-review": { type: "boolean", default: false },
    search: { type: "string", default: "warranty" },
  },
});
if (args.help) {
  console.log(`Usage: npm run bench -- [options]
  --records N            records per data set (default 100000)
  --seed N               generator seed (default 42)
  --engines LIST         pglite,postgres (default both; PostgreSQL at DATABASE_URL or local 5432)
  --format F             import data: flagembedding (1-7 negatives, mixed families) or e5
  --batch N              records per import transaction (default 1000)
  --skip-detect          no detection steps
  --detect-negatives N   detection data set: negatives per record (default 3)
  --detect-words N       detection data set: words per passage, num_words (default 200)
  --detect-workers N     detection: worker threads of the "all workers" steps (default: cores)
  --detect-records N     size of the uniform detection data set (default: min(records, 20000))
  --keep                 PostgreSQL: keep the bench database afterwards (its URL is printed)
  --skip-export          no export steps
  --skip-review          no review-table latency / bulk rule steps
  --search WORD          the review step's full-text search term (default "warranty")`);
  process.exit(0);
}
const N = Number(args.records);
const SEED = Number(args.seed);
const BATCH = Number(args.batch);
const engines = String(args.engines).split(",");

interface StepResult {
  step: string;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  peakRssMb: number;
  ratio?: number;
  baseline?: string;
}

function rssSampler() {
  let peak = process.memoryUsage.rss();
  const t = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 50);
  return () => {
    clearInterval(t);
    return Math.round(Math.max(peak, process.memoryUsage.rss()) / 1024 / 1024);
  };
}

/** Shape of the detection data set: negatives per record and words per passage. */
const DETECT_SHAPE = {
  negatives: Number(args["detect-negatives"]),
  words: Number(args["detect-words"]),
  records: Number(args["detect-records"] ?? Math.min(N, 20_000)),
};

async function dataFile(shape?: typeof DETECT_SHAPE): Promise<string> {
  const dir = path.join(import.meta.dirname, "out");
  fs.mkdirSync(dir, { recursive: true });
  const name = shape
    ? `flagembedding-${shape.negatives}neg-${shape.words}w-${shape.records}-seed${SEED}.jsonl`
    : `${args.format}-${N}-seed${SEED}.jsonl`;
  const file = path.join(dir, name);
  if (fs.existsSync(file)) return file;
  const t0 = performance.now();
  const gen = shape
    ? generateFlagEmbedding({
        records: shape.records,
        seed: SEED,
        negatives: shape.negatives,
        passageWords: shape.words,
      })
    : args.format === "e5"
      ? generateRecords({ records: N, seed: SEED })
      : generateFlagEmbedding({ records: N, seed: SEED });
  await pipeline(
    (async function* () {
      let buf = "";
      for (const r of gen) {
        buf += `${toJson(r)}\n`;
        if (buf.length > 1 << 20) {
          yield buf;
          buf = "";
        }
      }
      if (buf) yield buf;
    })(),
    fs.createWriteStream(`${file}.tmp`),
  );
  fs.renameSync(`${file}.tmp`, file);
  const mb = fs.statSync(file).size / 1024 / 1024;
  console.error(
    `generated ${shape ? shape.records : N} ${shape ? name : args.format} records (${mb.toFixed(0)} MB) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  return file;
}

async function openEngine(
  engine: string,
): Promise<{ database: Database; cleanup: () => Promise<void> } | null> {
  if (engine === "pglite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairsift-bench-"));
    const database = await openDatabase({ kind: "pglite", dataDir: dir, lockCommand: "pairsift bench" });
    return {
      database,
      cleanup: async () => {
        await database.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
  const name = `pairsift_bench_${Date.now().toString(36)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } catch (e) {
    console.error(`PostgreSQL not reachable at ${url} (${(e as Error).message}); skipping it`);
    await admin.end();
    return null;
  }
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = await openDatabase({ kind: "postgres", url: u.toString() });
  return {
    database,
    cleanup: async () => {
      await database.close();
      if (args.keep) {
        console.log(`kept the bench database: ${u.toString()}`);
        return;
      }
      const a = postgres(url, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

/** Baseline: raw COPY of the same rows into unindexed tables; only the COPY calls are timed. */
async function rawCopy(database: Database, file: string): Promise<StepResult> {
  await database.raw.query(
    "CREATE TABLE bench_raw_records (LIKE records INCLUDING DEFAULTS INCLUDING COMPRESSION)",
  );
  await database.raw.query(
    "CREATE TABLE bench_raw_negatives (LIKE negatives INCLUDING DEFAULTS INCLUDING COMPRESSION)",
  );
  const input = await parseInput({ ...(await openInput(file)), format: "auto" });
  const peak = rssSampler();
  let ms = 0;
  let n = 0;
  let batch: { line: number; record: CanonicalRecord; hash: string }[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const ids = batch.map((_, i) => n + i + 1);
    const copy = batchToCopy(batch, ids, 1, 1);
    const t0 = performance.now();
    await database.rawTransaction(async (tx) => {
      await tx.copyIn("bench_raw_records", RECORD_COLUMNS, copy.records);
      await tx.copyIn("bench_raw_negatives", NEGATIVE_COLUMNS, copy.negatives);
    });
    ms += performance.now() - t0;
    n += batch.length;
    batch = [];
  };
  for await (const ev of input.events) {
    if (ev.kind !== "record") continue;
    batch.push(ev);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return {
    step: "raw COPY (baseline)",
    records: n,
    seconds: ms / 1000,
    recordsPerSecond: n / (ms / 1000),
    peakRssMb: peak(),
  };
}

async function importStep(database: Database, file: string): Promise<StepResult> {
  const peak = rssSampler();
  const t0 = performance.now();
  const s = await importFile(database, { path: file, dataset: "bench", batchSize: BATCH });
  const sec = (performance.now() - t0) / 1000;
  if (s.state !== "done" || s.loaded + s.duplicate + s.rejected !== N)
    throw new Error(`import incomplete: ${JSON.stringify(s)}`);
  return {
    step: "pairsift import",
    records: s.loaded,
    seconds: sec,
    recordsPerSecond: s.loaded / sec,
    peakRssMb: peak(),
  };
}

const DETECT_DATASET = "bench-detect";

async function detectStep(
  database: Database,
  teacher: "none" | "bm25",
  workers: number,
): Promise<StepResult> {
  const [ds] = await database.raw.query<{ id: number }>("SELECT id FROM datasets WHERE name = $1", [
    DETECT_DATASET,
  ]);
  const peak = rssSampler();
  const t0 = performance.now();
  const run = await runDetection(database, ds!.id, { teacher, workers });
  const sec = (performance.now() - t0) / 1000;
  return {
    step: `detect (teacher ${teacher}, ${workers} worker${workers === 1 ? "" : "s"})`,
    records: run.recordsDone,
    seconds: sec,
    recordsPerSecond: run.recordsDone / sec,
    peakRssMb: peak(),
  };
}

function printTable(engine: string, rows: StepResult[]) {
  console.log(
    `\n${engine} — ${N.toLocaleString("en-US")} records (${args.format}), ${os.cpus().length} cores, node ${process.version}`,
  );
  const head = ["step", "records", "seconds", "records/s", "ratio", "peak RSS MB"];
  const body = rows.map((r) => [
    r.step,
    r.records.toLocaleString("en-US"),
    r.seconds.toFixed(1),
    Math.round(r.recordsPerSecond).toLocaleString("en-US"),
    r.ratio === undefined
      ? r.step.startsWith("raw")
        ? "1.00 (baseline)"
        : "—"
      : `${r.ratio.toFixed(2)}× ${r.baseline}`,
    String(r.peakRssMb),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (c: string[]) =>
    console.log(c.map((x, i) => (i === 0 ? x.padEnd(w[i]!) : x.padStart(w[i]!))).join("  "));
  line(head);
  for (const b of body) line(b);
}

async function main() {
  const file = await dataFile();
  const date = new Date().toISOString().slice(0, 10);
  for (const engine of engines) {
    const opened = await openEngine(engine);
    if (!opened) continue;
    const { database, cleanup } = opened;
    try {
      const raw = await rawCopy(database, file);
      const imp = await importStep(database, file);
      imp.ratio = imp.recordsPerSecond / raw.recordsPerSecond;
      imp.baseline = "raw COPY";
      const rows = [raw, imp];
      if (!args["skip-detect"]) {
        // A data set of uniform shape for detection (imported untimed apart from this row).
        const shaped = await dataFile(DETECT_SHAPE);
        const t0 = performance.now();
        const s = await importFile(database, { path: shaped, dataset: DETECT_DATASET, batchSize: BATCH });
        const sec = (performance.now() - t0) / 1000;
        rows.push({
          step: `import ${DETECT_DATASET} (1 pos + ${DETECT_SHAPE.negatives} neg × ~${DETECT_SHAPE.words} words)`,
          records: s.loaded,
          seconds: sec,
          recordsPerSecond: s.loaded / sec,
          peakRssMb: Math.round(process.memoryUsage.rss() / 2 ** 20),
        });
        const all = Math.max(1, Number(args["detect-workers"]));
        for (const teacher of ["none", "bm25"] as const) {
          const one = await detectStep(database, teacher, 1);
          const many = await detectStep(database, teacher, all);
          many.ratio = many.recordsPerSecond / one.recordsPerSecond;
          many.baseline = "1 worker";
          rows.push(one, many);
        }
      }
      let review: LatencyRow[] = [];
      if (!args["skip-review"]) {
        // The review table needs flags: detect on the import data set (timed, for the record).
        const [ds] = await database.raw.query<{ id: number }>("SELECT id FROM datasets WHERE name = 'bench'");
        const peakD = rssSampler();
        const t0 = performance.now();
        const run = await runDetection(database, ds!.id, {
          teacher: "none",
          workers: Math.max(1, Number(args["detect-workers"])),
        });
        const sec = (performance.now() - t0) / 1000;
        rows.push({
          step: "detect bench (teacher none, all workers)",
          records: run.recordsDone,
          seconds: sec,
          recordsPerSecond: run.recordsDone / sec,
          peakRssMb: peakD(),
        });
        await database.raw.query(database.kind === "pglite" ? "VACUUM ANALYZE" : "ANALYZE");
        review = await reviewLatency(database, ds!.id, { search: String(args.search) });
        const peakB = rssSampler();
        const b = await bulkRuleTiming(database, ds!.id);
        const peakMb = peakB();
        rows.push(
          {
            step: `bulk rule: reject ${b.changed.toLocaleString("en-US")} pending records`,
            records: b.changed,
            seconds: b.applySeconds,
            recordsPerSecond: b.changed / b.applySeconds,
            peakRssMb: peakMb,
          },
          {
            step: "bulk rule: undo it as a whole",
            records: b.restored,
            seconds: b.undoSeconds,
            recordsPerSecond: b.restored / b.undoSeconds,
            peakRssMb: peakMb,
          },
        );
      }
      if (!args["skip-export"]) {
        // Export vs raw COPY TO of the same rows (every record, negatives as JSON), same run.
        const [copyTo, ...exports] = await exportBench(database, "bench", rssSampler);
        for (const exp of exports) {
          exp.ratio = exp.recordsPerSecond / copyTo!.recordsPerSecond;
          exp.baseline = "raw COPY TO";
        }
        rows.push(copyTo!, ...exports);
      }
      printTable(engine, rows);
      if (review.length) {
        console.log(
          `\nreview table — server time of a page (100 rows + exact count + facet counts), ${engine}`,
        );
        printLatency(review);
      }
      // A run that skipped steps gets a name of its own: it must not replace a full run's file.
      const skipped = (["detect", "review", "export"] as const).filter((step) => args[`skip-${step}`]);
      const suffix = skipped.length ? `-without-${skipped.join("-")}` : "";
      const out = path.join(import.meta.dirname, "results", `${date}-${engine}-${N}${suffix}.json`);
      fs.writeFileSync(
        out,
        `${JSON.stringify(
          {
            date: new Date().toISOString(),
            engine,
            records: N,
            format: args.format,
            seed: SEED,
            batch: BATCH,
            detectShape: { positives: 1, ...DETECT_SHAPE, family: "short-long" },
            machine: {
              cpus: os.cpus().length,
              cpuModel: os.cpus()[0]?.model,
              memGb: Math.round(os.totalmem() / 2 ** 30),
              node: process.version,
            },
            steps: rows,
            review,
          },
          null,
          2,
        )}\n`,
      );
      console.log(`→ ${path.relative(process.cwd(), out)}`);
    } finally {
      await cleanup();
    }
  }
}

await main();
