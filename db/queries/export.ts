import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { type SQL, sql } from "drizzle-orm";
import {
  buildManifest,
  createWriter,
  EXPORT_FORMAT_INFO,
  type ExportNegative,
  type ExportOptions,
  type ExportRecord,
  exportStatuses,
  IdTaskList,
  type Manifest,
  type ManifestOutput,
  manifestOutput,
  OutputStats,
  outputFileName,
  planSplits,
  type Split,
  taskKey,
} from "@/lib/export";
import { type EncodedBatch, encodeRecords, recordFromJson } from "@/lib/export/encode";
import { Spool } from "@/lib/export/spool";
import type { RecordFilter } from "@/lib/review/filter";
import type { Database } from "../client";
import { filterCondition, REVIEW_FROM, rawQuery } from "./filter";

/**
 * Export: plan on (id, task) pairs, then read the records in id order and write them in plan order.
 *
 * 1. `planExport` reads only ids and tasks of the records the view's filter and the export's
 *    statuses match (keyset pages of 50k), and computes the split, order and batches in lib/export.
 * 2. `exportBytes` fetches the records by runs of ascending ids (`WHERE id = ANY(…)`, the filter
 *    applied again, so a record rejected meanwhile is never written) — the order the tables hold
 *    them in, so the reads are sequential like a COPY's. A split in id order streams as it is read;
 *    a shuffled one is encoded into a spool file in id order, then read back from it in plan order.
 *    Memory stays flat at any size (12 bytes per record for the spool's index).
 */

export interface ExportRequest {
  datasetId: number;
  filter: RecordFilter;
  options: ExportOptions;
}

export interface ExportPlan extends ExportRequest {
  dataset: { id: number; name: string };
  /** The filter actually applied: the view's, with the export's statuses (never rejected). */
  effective: RecordFilter | null;
  /** Records matched when planned. */
  matched: number;
  splits: Split[];
}

export interface ExportProgress {
  /** Records read so far (written + skipped), over all outputs. */
  done: number;
  total: number;
  written: number;
  bytes: number;
  elapsedMs: number;
}

const PLAN_PAGE = 50_000;
const DEFAULT_CHUNK = 500;
/** Ids per fetch (ascending): large enough to read the tables in runs, small enough to stay young in memory. */
const DEFAULT_FETCH = 1000;

/**
 * ANALYZE records / negatives when their statistics are missing or stale (right after a large
 * import, before autovacuum has run; PGlite has none). Without them the planner reads a chunk of
 * 500 ids with a sequential scan of the whole table, and an export turns quadratic.
 */
export async function ensureStatistics(database: Database): Promise<string[]> {
  const rows = await database.raw.query<{
    relname: string;
    live: string | number;
    mod: string | number;
    never: boolean;
  }>(
    `SELECT relname, n_live_tup AS live, n_mod_since_analyze AS mod,
            (last_analyze IS NULL AND last_autoanalyze IS NULL) AS never
       FROM pg_stat_user_tables WHERE relname IN ('records', 'negatives')`,
  );
  const stale = rows.filter((r) => {
    const live = Number(r.live);
    const mod = Number(r.mod);
    return (r.never && live + mod > 1000) || mod > Math.max(1000, 0.2 * live);
  });
  for (const r of stale)
    await database.raw.query(`ANALYZE ${r.relname === "records" ? "records" : "negatives"}`);
  return stale.map((r) => r.relname);
}

/** Reads the (id, task) pairs the export covers and orders them. Null when the data set does not exist. */
export async function planExport(database: Database, req: ExportRequest): Promise<ExportPlan | null> {
  await ensureStatistics(database);
  const [ds] = await database.raw.query<{ id: number; name: string }>(
    "SELECT id, name FROM datasets WHERE id = $1",
    [req.datasetId],
  );
  if (!ds) return null;
  const statuses = exportStatuses(req.filter.status, req.options.statuses);
  const effective = statuses.length ? { ...req.filter, status: statuses } : null;
  const list = new IdTaskList();
  if (effective) {
    const cond = filterCondition(req.datasetId, effective);
    let after = 0;
    for (;;) {
      // The id bound on both sides of the join: the planner carries equalities across it, not ranges.
      const page = sql`SELECT r.id, r.task, r.task_family FROM ${REVIEW_FROM}
                        WHERE ${cond} AND r.id > ${after} AND s.record_id > ${after}
                        ORDER BY r.id LIMIT ${PLAN_PAGE}`;
      // PGlite decodes rows field by field in JavaScript: a page as one JSON text costs a fraction.
      const rows =
        database.kind === "pglite"
          ? (
              JSON.parse(
                (
                  await rawQuery<{ j: string | null }>(
                    database.raw,
                    sql`SELECT json_agg(json_build_array(p.id, p.task, p.task_family) ORDER BY p.id)::text AS j
                          FROM (${page}) p`,
                  )
                )[0]?.j ?? "[]",
              ) as [number, string | null, string][]
            ).map(([id, task, task_family]) => ({ id, task, task_family }))
          : await rawQuery<{ id: string | number; task: string | null; task_family: string }>(
              database.raw,
              page,
            );
      for (const r of rows) list.add(Number(r.id), taskKey(r.task, r.task_family));
      if (rows.length < PLAN_PAGE) break;
      after = Number(rows.at(-1)!.id);
    }
  }
  return {
    ...req,
    dataset: { id: ds.id, name: ds.name },
    effective,
    matched: list.size,
    splits: planSplits(list, req.options),
  };
}

/** The columns of a record the export reads, over `records r` and its state `s` (REVIEW_FROM). */
const RECORD_COLUMNS = `r.id, r.external_id, r.task, r.task_family, r.language, s.status, r.query, r.positive,
    r.positive_score, r.positive_meta, r.extra_positives, r.label, r.misleading_label, r.params, r.meta`;

/**
 * PGlite: one record and its negatives as one JSON array per row (lib/export/encode.ts
 * RecordTuple). PGlite decodes rows in JavaScript, field by field, which costs more than the query
 * itself: one field per row and one JSON.parse give every value.
 */
function recordJson(o?: NegativeOptions) {
  return sql`json_build_array(${sql.raw(RECORD_COLUMNS)},
    (SELECT json_agg(json_build_array(n.position, n.text, n.teacher_score, n.teacher_rank, n.status, n.meta)
                     ORDER BY n.position)
       FROM ${negativesOf(sql`n.record_id = r.id`, o)} n))::text`;
}

/** The negative columns an export reads. */
const NEGATIVE_COLS = "n.record_id, n.position, n.text, n.teacher_score, n.teacher_rank, n.status, n.meta";
type NegativeOptions = Pick<ExportOptions, "negatives" | "rankMin" | "rankMax">;

/**
 * The negatives of the records `which` selects that an export with options `o` can write, as a
 * table expression: every promoted one (they become positives) and the kept ones in the teacher
 * rank window, at most `o.negatives` of those per record, the first by position — exactly what
 * prepareRecord takes, so the rest is never read (a FlagEmbedding export with the default one
 * negative reads a quarter of the text of records with four). Without options: every negative.
 */
function negativesOf(which: SQL, o?: NegativeOptions): SQL {
  const cols = sql.raw(NEGATIVE_COLS);
  if (!o) return sql`(SELECT ${cols} FROM negatives n WHERE ${which})`;
  const window: SQL[] = [];
  if (o.rankMin !== undefined) window.push(sql`n.teacher_rank >= ${o.rankMin}`);
  if (o.rankMax !== undefined) window.push(sql`n.teacher_rank <= ${o.rankMax}`);
  const kept = window.length
    ? sql`n.status = 'kept' AND (n.teacher_rank IS NULL OR (${sql.join(window, sql` AND `)}))`
    : sql`n.status = 'kept'`;
  if (o.negatives === "all")
    return sql`(SELECT ${cols} FROM negatives n WHERE ${which} AND (n.status = 'promoted' OR (${kept})))`;
  return sql`(SELECT ${cols} FROM negatives n WHERE ${which} AND n.status = 'promoted'
              UNION ALL
              SELECT ${cols}
                FROM (SELECT ${cols}, row_number() OVER (PARTITION BY n.record_id ORDER BY n.position) AS k
                        FROM negatives n WHERE ${which} AND ${kept}) n
               WHERE n.k <= ${o.negatives})`;
}

/** PostgreSQL: records and their negatives as plain columns, by two set-based queries. */
interface RecordDbRow {
  id: string | number;
  external_id: string | null;
  task: string | null;
  task_family: ExportRecord["taskFamily"];
  language: string | null;
  status: ExportRecord["status"];
  query: string;
  positive: string;
  positive_score: number | null;
  positive_meta: Record<string, unknown> | string | null;
  extra_positives: ExportRecord["extraPositives"] | string | null;
  label: string | null;
  misleading_label: string | null;
  params: ExportRecord["params"] | string | null;
  meta: Record<string, unknown> | string | null;
}
interface NegativeDbRow {
  record_id: string | number;
  position: number;
  text: string;
  teacher_score: number | null;
  teacher_rank: number | null;
  status: ExportNegative["status"];
  meta: Record<string, unknown> | string | null;
}

const asObject = <T>(v: unknown): T | null =>
  typeof v === "string" ? (JSON.parse(v) as T) : (v as T | null);

function recordOfRow(r: RecordDbRow): ExportRecord {
  return {
    id: Number(r.id),
    externalId: r.external_id,
    task: r.task,
    taskFamily: r.task_family,
    language: r.language,
    status: r.status,
    query: r.query,
    positive: r.positive,
    positiveScore: r.positive_score,
    positiveMeta: asObject(r.positive_meta),
    extraPositives: asObject<ExportRecord["extraPositives"]>(r.extra_positives) ?? [],
    label: r.label,
    misleadingLabel: r.misleading_label,
    params: asObject<ExportRecord["params"]>(r.params) ?? {},
    meta: asObject<Record<string, unknown>>(r.meta) ?? {},
    negatives: [],
  };
}

/**
 * The records of `ids` that still match `filter`, in id order; with `o`, only the negatives an
 * export with those options writes (negativesOf), else all of them.
 */
export async function fetchExportRecords(
  database: Database,
  datasetId: number,
  filter: RecordFilter,
  ids: readonly number[],
  o?: NegativeOptions,
): Promise<ExportRecord[]> {
  if (!ids.length) return [];
  const idArray = `{${ids.join(",")}}`;
  const cond = filterCondition(datasetId, filter);
  if (database.kind === "pglite") {
    const rows = await rawQuery<{ j: string }>(
      database.raw,
      sql`SELECT ${recordJson(o)} AS j FROM ${REVIEW_FROM} WHERE r.id = ANY(${idArray}::bigint[]) AND ${cond}`,
    );
    return rows.map((r) => recordFromJson(r.j)).sort((a, b) => a.id - b.id);
  }
  // PostgreSQL: no JSON to build (that is most of the server's work), both queries pipelined in
  // one read-only snapshot, so a record and its negatives are read as of the same moment.
  const [recs, negs] = await database.rawTransaction(async (tx) => {
    await tx.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    return Promise.all([
      rawQuery<RecordDbRow>(
        tx,
        sql`SELECT ${sql.raw(RECORD_COLUMNS)} FROM ${REVIEW_FROM}
             WHERE r.id = ANY(${idArray}::bigint[]) AND ${cond}`,
      ),
      rawQuery<NegativeDbRow>(
        tx,
        sql`SELECT n.record_id, n.position, n.text, n.teacher_score, n.teacher_rank, n.status, n.meta
              FROM ${negativesOf(sql`n.record_id = ANY(${idArray}::bigint[])`, o)} n
             ORDER BY n.record_id, n.position`,
      ),
    ]);
  });
  const out = recs.map(recordOfRow).sort((a, b) => a.id - b.id);
  let j = 0;
  for (const r of out) {
    while (j < negs.length && Number(negs[j]!.record_id) < r.id) j++;
    for (; j < negs.length && Number(negs[j]!.record_id) === r.id; j++) {
      const n = negs[j]!;
      r.negatives.push({
        position: n.position,
        text: n.text,
        score: n.teacher_score,
        rank: n.teacher_rank,
        status: n.status,
        meta: asObject<Record<string, unknown>>(n.meta),
      });
    }
  }
  return out;
}

export interface ExportBytesOptions {
  /** Records per output chunk (and per Parquet row group). */
  chunkSize?: number;
  /** Records per fetch (ids in ascending order). */
  fetchSize?: number;
  signal?: AbortSignal;
  /** Called after every chunk with the records read and written so far in this output. */
  onChunk?: (read: number, stats: OutputStats) => void;
}

/** Positions of `ids` in ascending id order; null when `ids` already ascend. */
function positionsById(ids: readonly number[]): Uint32Array | null {
  let sorted = true;
  for (let i = 1; i < ids.length && sorted; i++) sorted = ids[i - 1]! < ids[i]!;
  if (sorted) return null;
  const order = new Uint32Array(ids.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => ids[a]! - ids[b]!);
}

/** One fetch of an output: ascending positions [from, to), the ids read (ascending) and their encoding. */
interface EncodedFetch {
  from: number;
  to: number;
  ids: number[];
  batch: EncodedBatch;
}

/**
 * The records of a split in ascending id order (the tables' physical order), by fetches of
 * `fetchSize` ids, encoded. On PostgreSQL the next fetches run on connections of their own while
 * the current one is encoded; PGlite runs its queries on this thread (encoding on a worker thread
 * instead was measured slower: copying the records there costs more than it frees here).
 */
async function* encodedInIdOrder(
  database: Database,
  plan: ExportPlan,
  ids: readonly number[],
  byId: Uint32Array | null,
  fetchSize: number,
  signal?: AbortSignal,
): AsyncGenerator<EncodedFetch> {
  const filter = plan.effective;
  const writer = createWriter(plan.options.format, plan.options);
  const fetchAt = async (from: number): Promise<EncodedFetch> => {
    const to = Math.min(from + fetchSize, ids.length);
    const chunk = new Array<number>(to - from);
    for (let k = from; k < to; k++) chunk[k - from] = ids[byId ? byId[k]! : k]!;
    if (!filter || !chunk.length)
      return { from, to, ids: [], batch: encodeRecords([], writer, plan.options) };
    const records = await fetchExportRecords(database, plan.datasetId, filter, chunk, plan.options);
    return { from, to, ids: records.map((r) => r.id), batch: encodeRecords(records, writer, plan.options) };
  };
  // PostgreSQL serves the fetches ahead on connections of their own while this one is worked on;
  // PGlite is one connection, so one ahead is enough there.
  const ahead = database.kind === "postgres" ? 2 : 1;
  const queue: Promise<EncodedFetch>[] = [];
  let queued = 0;
  const fill = () => {
    while (queue.length < ahead && queued < ids.length) {
      const p = fetchAt(queued);
      // Surface a failed prefetch at its own await, not as an unhandled rejection.
      p.catch(() => {});
      queue.push(p);
      queued += fetchSize;
    }
  };
  try {
    for (let from = 0; from < ids.length; from += fetchSize) {
      if (signal?.aborted) throw new Error("The export was cancelled.");
      fill();
      const got = await queue.shift()!;
      fill();
      yield got;
    }
  } finally {
    // Let fetches still running settle before the connection is handed back.
    await Promise.allSettled(queue);
  }
}

/**
 * The bytes of one output, chunk by chunk, counting into `stats` (records, tasks, statuses,
 * skipped, bytes, and the sha256 once the last chunk is out).
 *
 * Records are read in id order, which is the order the tables hold them in (reading them in the
 * export's shuffled order costs random heap and TOAST access), and encoded a fetch at a time. An
 * output in id order (`plain`) streams as it is read; any other order goes through a spool file
 * first: the encoded records are appended to it in id order, then the output is read back from it
 * in export order. Memory stays flat at any size either way.
 */
export async function* exportBytes(
  database: Database,
  plan: ExportPlan,
  split: Split,
  stats: OutputStats & { sha256?: string },
  opts: ExportBytesOptions = {},
): AsyncGenerator<Uint8Array> {
  const chunkSize = opts.chunkSize ?? DEFAULT_CHUNK;
  const fetchSize = opts.fetchSize ?? DEFAULT_FETCH;
  const writer = createWriter(plan.options.format, plan.options);
  const hash = createHash("sha256");
  const emit = (b: Uint8Array) => {
    hash.update(b);
    stats.bytes += b.byteLength;
    return b;
  };
  const first = writer.start();
  if (first.byteLength) yield emit(first);
  const ids = split.ids;
  const byId = positionsById(ids);
  const spool = byId ? new Spool(ids.length) : null;
  try {
    /** In id order: the encoded records of the output chunk being collected (plain order). */
    let pieces: Uint8Array[] = [];
    let lengths: number[] = [];
    let chunkEnd = Math.min(chunkSize, ids.length);
    for await (const { from, to, ids: read, batch } of encodedInIdOrder(
      database,
      plan,
      ids,
      byId,
      fetchSize,
      opts.signal,
    )) {
      stats.merge(batch.counts);
      const at: number[] = [];
      const spooled: Uint8Array[] = [];
      const spooledLengths: number[] = [];
      let j = 0;
      let offset = 0;
      for (let k = from; k < to; k++) {
        if (!spool) {
          while (k >= chunkEnd) {
            const out = writer.writeEncoded(Buffer.concat(pieces), lengths);
            pieces = [];
            lengths = [];
            if (out.byteLength) yield emit(out);
            opts.onChunk?.(chunkEnd, stats);
            chunkEnd = Math.min(chunkEnd + chunkSize, ids.length);
          }
        }
        const pos = byId ? byId[k]! : k;
        const id = ids[pos]!;
        while (j < read.length && read[j]! < id) offset += Math.max(0, batch.lengths[j++]!);
        if (j >= read.length || read[j] !== id) {
          stats.vanished++;
          continue;
        }
        const len = batch.lengths[j++]!;
        if (len < 0) continue; // the format cannot carry it: counted in batch.counts.skipped
        const bytes = batch.bytes.subarray(offset, offset + len);
        offset += len;
        if (spool) {
          spooled.push(bytes);
          spooledLengths.push(len);
          at.push(pos);
        } else {
          pieces.push(bytes);
          lengths.push(len);
        }
      }
      if (spool) {
        spool.appendBytes(Buffer.concat(spooled), spooledLengths, at);
        opts.onChunk?.(to, stats);
      }
    }
    if (spool) {
      for (let i = 0; i < ids.length; i += chunkSize) {
        if (opts.signal?.aborted) throw new Error("The export was cancelled.");
        const end = Math.min(i + chunkSize, ids.length);
        const { bytes, lengths } = spool.read(i, end);
        const out = writer.writeEncoded(bytes, lengths);
        if (out.byteLength) yield emit(out);
        opts.onChunk?.(ids.length, stats);
      }
    } else if (ids.length) {
      const out = writer.writeEncoded(Buffer.concat(pieces), lengths);
      if (out.byteLength) yield emit(out);
      opts.onChunk?.(ids.length, stats);
    }
  } finally {
    spool?.close();
  }
  const last = writer.finish();
  if (last.byteLength) yield emit(last);
  stats.sha256 = hash.digest("hex");
}

/** Detector versions of the current detection run and the number of decisions, for the manifest. */
export async function manifestContext(
  database: Database,
  datasetId: number,
): Promise<{ detectors: string[]; detectionRunId: number | null; decisions: number }> {
  const [row] = await database.raw.query<{
    run_id: number | null;
    detectors: string[] | string | null;
    decisions: string | number;
  }>(
    `SELECT d.flags_run_id AS run_id, dr.detectors,
            (SELECT count(*) FROM decisions x WHERE x.dataset_id = d.id) AS decisions
       FROM datasets d LEFT JOIN detection_runs dr ON dr.id = d.flags_run_id
      WHERE d.id = $1`,
    [datasetId],
  );
  const detectors = asObject<string[]>(row?.detectors ?? null) ?? [];
  return { detectors, detectionRunId: row?.run_id ?? null, decisions: Number(row?.decisions ?? 0) };
}

export interface RunExportOptions {
  /** The output file name base (without extension), for the manifest and the split names. */
  base: string;
  /** Where each output's bytes go; null: computed (counted, hashed) and discarded. */
  sink?: (split: Split, fileName: string) => { write(b: Uint8Array): Promise<void>; close(): Promise<void> };
  chunkSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: ExportProgress) => void;
}

/** Runs every output of a plan through its sink (or none, for `?manifest=1`) and returns the manifest. */
export async function runExport(
  database: Database,
  plan: ExportPlan,
  opts: RunExportOptions,
): Promise<Manifest> {
  const started = Date.now();
  const total = plan.splits.reduce((s, x) => s + x.ids.length, 0);
  const ext = EXPORT_FORMAT_INFO[plan.options.format].extension;
  const outputs: ManifestOutput[] = [];
  let doneBefore = 0;
  let writtenBefore = 0;
  let bytesBefore = 0;
  for (const split of plan.splits) {
    const file = outputFileName(opts.base, ext, split.name);
    const stats = new OutputStats() as OutputStats & { sha256?: string };
    const sink = opts.sink?.(split, file);
    try {
      for await (const chunk of exportBytes(database, plan, split, stats, {
        chunkSize: opts.chunkSize,
        signal: opts.signal,
        onChunk: (read, s) =>
          opts.onProgress?.({
            done: doneBefore + read,
            total,
            written: writtenBefore + s.records,
            bytes: bytesBefore + s.bytes,
            elapsedMs: Date.now() - started,
          }),
      })) {
        if (sink) await sink.write(chunk);
      }
    } finally {
      await sink?.close();
    }
    doneBefore += split.ids.length;
    writtenBefore += stats.records;
    bytesBefore += stats.bytes;
    outputs.push(manifestOutput(split, file, stats, stats.sha256 ?? "", plan.options.order !== "plain"));
  }
  const ctx = await manifestContext(database, plan.datasetId);
  return buildManifest({
    dataset: plan.dataset,
    filter: plan.filter,
    options: plan.options,
    matched: plan.matched,
    outputs,
    ...ctx,
  });
}

function fileSink(file: string) {
  const out = fs.createWriteStream(file, { highWaterMark: 4 << 20 });
  let failed: Error | null = null;
  out.on("error", (e) => {
    failed = e;
  });
  return {
    async write(b: Uint8Array) {
      if (failed) throw failed;
      if (!out.write(b)) await new Promise<void>((r) => out.once("drain", () => r()));
    },
    close: () =>
      new Promise<void>((resolve, reject) =>
        out.end((e?: Error | null) => (e || failed ? reject(e ?? failed) : resolve())),
      ),
  };
}

/**
 * Writes an export to disk: each output to `NAME.partial` first, renamed when every output is
 * complete, then the manifest to `FILE.manifest.json`. A failed export leaves no file under a
 * final name (and removes its partial files).
 */
export async function exportToFile(
  database: Database,
  plan: ExportPlan,
  file: string,
  opts: Omit<RunExportOptions, "base" | "sink"> = {},
): Promise<{ manifest: Manifest; files: string[]; manifestFile: string }> {
  const dir = path.dirname(file);
  const ext = `.${EXPORT_FORMAT_INFO[plan.options.format].extension}`;
  const name = path.basename(file);
  const base = name.endsWith(ext) ? name.slice(0, -ext.length) : name;
  const single = plan.splits.length === 1;
  // A single output goes exactly where asked; splits go to base.train.ext / base.dev.ext beside it.
  const target = (fileName: string) => path.join(dir, single ? name : fileName);
  const partials: string[] = [];
  try {
    const manifest = await runExport(database, plan, {
      ...opts,
      base,
      sink: (_split, fileName) => {
        const p = `${target(fileName)}.partial`;
        partials.push(p);
        return fileSink(p);
      },
    });
    if (single) manifest.outputs[0]!.file = name;
    const files = partials.map((p) => p.slice(0, -".partial".length));
    const manifestFile = `${file}.manifest.json`;
    fs.writeFileSync(`${manifestFile}.partial`, `${JSON.stringify(manifest, null, 2)}\n`);
    partials.push(`${manifestFile}.partial`);
    partials.forEach((p, i) => {
      fs.renameSync(p, i < files.length ? files[i]! : manifestFile);
    });
    return { manifest, files, manifestFile };
  } catch (e) {
    for (const p of partials) fs.rmSync(p, { force: true });
    throw e;
  }
}
