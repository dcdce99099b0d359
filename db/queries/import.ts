import { and, eq, sql } from "drizzle-orm";
import type { CanonicalRecord, ParseEvent } from "@/lib/formats/types";
import type { Database, RawSql } from "../client";
import { datasets, type ImportError, type ImportJob, importJobs } from "../schema";
import { teacherMargin } from "./derived";

/** What a parser hands to the importer (lib/formats parseInput). */
export interface ParsedInput {
  format: string;
  container: string;
  events: AsyncIterable<ParseEvent>;
}

export interface ImportProgress {
  /** Lines / rows read so far (records + rejected). */
  read: number;
  loaded: number;
  /** Records skipped because the data set already holds the same content. */
  duplicate: number;
  rejected: number;
  elapsedMs: number;
}

export interface ImportSummary extends ImportProgress {
  jobId: number;
  datasetId: number;
  dataset: string;
  format: string | null;
  container: string | null;
  state: ImportJob["state"];
  /** The first rejected lines (at most MAX_STORED_ERRORS); `rejected` has the full count. */
  errors: ImportError[];
  message: string | null;
}

export interface ImportOptions {
  dataset: string;
  /** File name shown to the user and stored in the import job. */
  source: string;
  bytes?: number;
  /** Under strict, one rejected line means nothing is loaded. */
  strict?: boolean;
  batchSize?: number;
  /** Opens the input; called twice under `strict` (a validation pass, then the load). */
  open: () => Promise<ParsedInput>;
  onProgress?: (p: ImportProgress) => void;
  /** Stop after the current batch (the job is then marked interrupted and can be rerun). */
  signal?: AbortSignal;
}

export const MAX_STORED_ERRORS = 1000;
const DEFAULT_BATCH = 1000;

export const RECORD_COLUMNS = [
  "id",
  "dataset_id",
  "external_id",
  "content_hash",
  "import_job_id",
  "source_line",
  "task",
  "task_family",
  "language",
  "query",
  "positive",
  "positive_score",
  "positive_meta",
  "extra_positives",
  "label",
  "misleading_label",
  "params",
  "meta",
  "negative_count",
  "teacher_margin",
] as const;
export const NEGATIVE_COLUMNS = ["record_id", "position", "text", "teacher_score", "meta"] as const;
export const SEARCH_COLUMNS = ["record_id", "body"] as const;

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_SPECIAL_G = /[\\\n\r\t]/g;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** One field in PostgreSQL COPY text format. */
export function copyField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "\\N";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : "\\N";
  return COPY_SPECIAL.test(v) ? v.replace(COPY_SPECIAL_G, (c) => COPY_ESCAPES[c]!) : v;
}

function jsonField(v: unknown): string {
  if (v === undefined || v === null) return "\\N";
  if (typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0) return "{}";
  return copyField(JSON.stringify(v));
}

/** The searchable text of a record (record_search.body): query and positive. */
export function searchBody(query: string, positive: string): string {
  return `${query} ${positive}`;
}

/** PostgreSQL text cannot hold NUL characters; such a record is rejected with a clear reason. */
function hasNul(r: CanonicalRecord): boolean {
  return JSON.stringify(r).includes("\\u0000");
}

/** Serialises a batch to COPY text for `records` and `negatives`, given pre-allocated ids. */
export function batchToCopy(
  batch: readonly { line: number; record: CanonicalRecord; hash: string }[],
  ids: readonly number[],
  datasetId: number,
  jobId: number,
): { records: string; negatives: string; search: string; negativeCount: number } {
  let recs = "";
  let search = "";
  let negs = "";
  let negativeCount = 0;
  for (let i = 0; i < batch.length; i++) {
    const { line, record: r, hash } = batch[i]!;
    const id = ids[i]!;
    recs += `${[
      id,
      datasetId,
      copyField(r.externalId),
      hash,
      jobId,
      line,
      copyField(r.task),
      r.taskFamily,
      copyField(r.language),
      copyField(r.query),
      copyField(r.positive.text),
      copyField(r.positive.score),
      jsonField(r.positive.meta),
      r.extraPositives.length ? jsonField(r.extraPositives) : "\\N",
      copyField(r.label),
      copyField(r.misleadingLabel),
      jsonField(r.params ?? {}),
      jsonField(r.meta ?? {}),
      r.negatives.length,
      copyField(
        teacherMargin(
          r.positive.score,
          r.negatives.map((n) => n.score),
        ),
      ),
    ].join("\t")}\n`;
    search += `${id}\t${copyField(searchBody(r.query, r.positive.text))}\n`;
    for (let p = 0; p < r.negatives.length; p++) {
      const n = r.negatives[p]!;
      negs += `${id}\t${p}\t${copyField(n.text)}\t${copyField(n.score)}\t${jsonField(n.meta)}\n`;
      negativeCount++;
    }
  }
  return { records: recs, negatives: negs, search, negativeCount };
}

async function ensureDataset(database: Database, name: string): Promise<number> {
  await database.db.insert(datasets).values({ name }).onConflictDoNothing({ target: datasets.name });
  const [row] = await database.db.select({ id: datasets.id }).from(datasets).where(eq(datasets.name, name));
  if (!row) throw new Error(`data set ${name} could not be created`);
  return row.id;
}

function pidAlive(pid: number | null): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Jobs left 'running' by a process that died (kill -9, power loss) are marked interrupted. */
async function markInterrupted(database: Database, datasetId: number): Promise<void> {
  const running = await database.db
    .select({ id: importJobs.id, pid: importJobs.pid })
    .from(importJobs)
    .where(and(eq(importJobs.datasetId, datasetId), eq(importJobs.state, "running")));
  for (const job of running) {
    if (job.pid === process.pid || pidAlive(job.pid)) continue;
    await database.db
      .update(importJobs)
      .set({
        state: "interrupted",
        finishedAt: new Date(),
        message: "The import stopped before it finished; run it again to complete the data set.",
      })
      .where(eq(importJobs.id, job.id));
  }
}

type Pending = { line: number; record: CanonicalRecord; hash: string };

async function writeBatch(
  tx: RawSql,
  datasetId: number,
  jobId: number,
  batch: Pending[],
): Promise<{ loaded: number; duplicate: number }> {
  const hashes = batch.map((b) => b.hash);
  const existing = await tx.query<{ content_hash: string }>(
    "SELECT content_hash FROM records WHERE dataset_id = $1 AND content_hash = ANY($2::text[])",
    [datasetId, hashes],
  );
  const have = new Set(existing.map((e) => e.content_hash));
  const fresh = have.size ? batch.filter((b) => !have.has(b.hash)) : batch;
  if (fresh.length) {
    const idRows = await tx.query<{ id: string | number }>(
      "SELECT nextval(pg_get_serial_sequence('records', 'id')) AS id FROM generate_series(1, $1::int)",
      [fresh.length],
    );
    const ids = idRows.map((r) => Number(r.id));
    const copy = batchToCopy(fresh, ids, datasetId, jobId);
    await tx.copyIn("records", RECORD_COLUMNS, copy.records);
    await tx.copyIn("record_search", SEARCH_COLUMNS, copy.search);
    if (copy.negativeCount) await tx.copyIn("negatives", NEGATIVE_COLUMNS, copy.negatives);
  }
  return { loaded: fresh.length, duplicate: batch.length - fresh.length };
}

/**
 * Streams parsed records into a data set. Each batch is one transaction that also advances the
 * job's counters, so a killed import leaves whole batches only, and a rerun skips what is already
 * there (records are unique per data set by content hash).
 */
export async function importIntoDataset(database: Database, opts: ImportOptions): Promise<ImportSummary> {
  const started = Date.now();
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  // Open (and detect the format) before writing anything: an unreadable file changes nothing.
  let input = await opts.open();
  const datasetId = await ensureDataset(database, opts.dataset);
  await markInterrupted(database, datasetId);
  const [job] = await database.db
    .insert(importJobs)
    .values({ datasetId, source: opts.source, bytes: opts.bytes, strict: !!opts.strict, pid: process.pid })
    .returning();
  if (!job) throw new Error("could not create the import job");

  const progress: ImportProgress = { read: 0, loaded: 0, duplicate: 0, rejected: 0, elapsedMs: 0 };
  const errors: ImportError[] = [];
  const format: string | null = input.format;
  const container: string | null = input.container;
  const report = () => {
    progress.elapsedMs = Date.now() - started;
    opts.onProgress?.({ ...progress });
  };
  const reject = (line: number, reason: string) => {
    progress.rejected++;
    if (errors.length < MAX_STORED_ERRORS) errors.push({ line, reason });
  };
  const finish = async (state: ImportJob["state"], message: string | null): Promise<ImportSummary> => {
    progress.elapsedMs = Date.now() - started;
    await database.db
      .update(importJobs)
      .set({
        state,
        message,
        format,
        container,
        finishedAt: new Date(),
        rowsRead: progress.read,
        rowsLoaded: progress.loaded,
        rowsDuplicate: progress.duplicate,
        rowsRejected: progress.rejected,
        errors,
      })
      .where(eq(importJobs.id, job.id));
    await database.db.update(datasets).set({ updatedAt: new Date() }).where(eq(datasets.id, datasetId));
    return {
      ...progress,
      jobId: job.id,
      datasetId,
      dataset: opts.dataset,
      format,
      container,
      state,
      errors,
      message,
    };
  };

  try {
    if (opts.strict) {
      // Validation pass: nothing is written unless every line is valid.
      for await (const ev of input.events) {
        progress.read++;
        if (ev.kind === "error") reject(ev.line, ev.reason);
        else if (hasNul(ev.record)) reject(ev.line, "text contains a NUL character (\\u0000)");
        if (progress.read % 5000 === 0) report();
      }
      if (progress.rejected > 0) {
        return await finish("failed", `--strict: ${progress.rejected} line(s) rejected, nothing was loaded.`);
      }
      progress.read = 0;
      input = await opts.open();
    }

    await database.db.update(importJobs).set({ format, container }).where(eq(importJobs.id, job.id));

    let batch: Pending[] = [];
    // Hashes of the batch being filled and of the one being written: an in-flight batch is not
    // visible to the next batch's existence check yet.
    let seen = new Set<string>();
    let seenInFlight = new Set<string>();
    let dupInBatch = 0;
    /** The batch being written while the next one is parsed (the database works meanwhile). */
    let inFlight: Promise<void> | null = null;

    const write = async (current: Pending[], dups: number, read: number, rejected: number, errs: string) => {
      for (let attempt = 1; ; attempt++) {
        try {
          const res = await database.rawTransaction(async (tx) => {
            const r = current.length
              ? await writeBatch(tx, datasetId, job.id, current)
              : { loaded: 0, duplicate: 0 };
            await tx.query(
              `UPDATE import_jobs SET rows_read = $2, rows_loaded = rows_loaded + $3,
                 rows_duplicate = rows_duplicate + $4, rows_rejected = $5, errors = $6::jsonb WHERE id = $1`,
              [job.id, read, r.loaded, r.duplicate + dups, rejected, errs],
            );
            return r;
          });
          progress.loaded += res.loaded;
          progress.duplicate += res.duplicate + dups;
          break;
        } catch (e) {
          // Another import into the same data set may have raced us on a content hash (the unique
          // index refuses the batch): the retry re-checks which hashes exist. Other errors repeat.
          if (attempt < 3) continue;
          throw e;
        }
      }
      report();
    };
    const flush = async () => {
      if (inFlight) await inFlight;
      inFlight = null;
      if (!batch.length && !errors.length && !dupInBatch) return;
      const current = batch;
      const args = [dupInBatch, progress.read, progress.rejected, JSON.stringify(errors)] as const;
      batch = [];
      seenInFlight = seen;
      seen = new Set();
      dupInBatch = 0;
      inFlight = write(current, ...args);
      // Surface a failure at the next await, not as an unhandled rejection.
      inFlight.catch(() => {});
    };

    for await (const ev of input.events) {
      progress.read++;
      if (ev.kind === "error") {
        reject(ev.line, ev.reason);
        continue;
      }
      if (hasNul(ev.record)) {
        reject(ev.line, "text contains a NUL character (\\u0000), which cannot be stored");
        continue;
      }
      if (seen.has(ev.hash) || seenInFlight.has(ev.hash)) {
        dupInBatch++;
        continue;
      }
      seen.add(ev.hash);
      batch.push(ev);
      if (batch.length >= batchSize) {
        await flush();
        if (opts.signal?.aborted) {
          await inFlight;
          return await finish("interrupted", "Stopped by the user; run the import again to complete it.");
        }
      }
    }
    await flush();
    await inFlight;
    if (database.kind === "pglite" && progress.loaded > 5000) {
      // PGlite runs no autovacuum: keep the planner's statistics current after a large load.
      await database.raw.query("ANALYZE records");
      await database.raw.query("ANALYZE record_state");
      await database.raw.query("ANALYZE negatives");
    }
    return await finish("done", null);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    await finish("failed", message).catch(() => {});
    throw e;
  }
}

/** All import jobs of a data set, newest first. */
export async function listImportJobs(database: Database, datasetId: number) {
  return database.db
    .select()
    .from(importJobs)
    .where(eq(importJobs.datasetId, datasetId))
    .orderBy(sql`${importJobs.id} desc`);
}
