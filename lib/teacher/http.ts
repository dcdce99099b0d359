/**
 * Embedding teacher over an OpenAI-compatible `POST /v1/embeddings` endpoint (text-embeddings-inference,
 * vLLM, Ollama, infinity, OpenAI itself…). Scores are cosine similarities between the query (with the
 * E5 instruction template) and each passage (no prefix, as in E5/SFR/Linq training).
 *
 * Passes over the source:
 * 1. every distinct passage of the data set (positives, extra positives, negatives; exact text) is
 *    embedded once, in batches, at most `concurrency` requests in flight, each looked up in the cache
 *    first; vectors are L2-normalised into one Float32Array (pool size × dimension);
 * 2. records are read again in chunks; their queries are embedded (cached too) and every record gets
 *    its scores and ranks. Ranks are exact by brute force: one dot product per pool passage per query,
 *    O(records × pool × dim). Fine up to ~100k passages (10k records × 40k passages × 768 dims ≈ 3·10¹¹
 *    multiply-adds, a few minutes); beyond that, score a sample or give ranks another way.
 *
 * Failures: 429, 5xx, network errors and timeouts are retried with exponential backoff (plus
 * Retry-After when given) up to `maxAttempts` attempts in all; other 4xx fail at once. The error
 * says which endpoint and why ("teacher endpoint http://… failed after 4 attempts: connect
 * ECONNREFUSED 127.0.0.1:8080"). Every batch is written to the cache as soon as it arrives, so a run
 * that fails keeps what it embedded and a rerun only sends the rest.
 *
 * The API key is passed in (the CLI reads PAIRSIFT_TEACHER_API_KEY); this module reads no environment.
 */
import { createHash } from "node:crypto";
import { hash53 } from "@/lib/detect/fasthash";
import type { DetectRecord, TeacherResult } from "@/lib/detect/types";
import {
  type KeyedRecord,
  type KeyedTeacherResult,
  type RecordSource,
  recordPassages,
  type Teacher,
  type TeacherRunOptions,
  throwIfAborted,
} from "./types";

/** Vectors by key; the lead's database-backed cache implements the same interface. */
export interface EmbeddingCache {
  get(keys: string[]): Promise<(Float32Array | undefined)[]>;
  set(entries: [string, Float32Array][]): Promise<void>;
}

/** Cache key of a text for a model: sha256(model + "\0" + text), hex. */
export function embeddingCacheKey(model: string, text: string): string {
  return createHash("sha256").update(model).update("\0").update(text).digest("hex");
}

export class MemoryEmbeddingCache implements EmbeddingCache {
  readonly map = new Map<string, Float32Array>();
  async get(keys: string[]): Promise<(Float32Array | undefined)[]> {
    return keys.map((k) => this.map.get(k));
  }
  async set(entries: [string, Float32Array][]): Promise<void> {
    for (const [k, v] of entries) this.map.set(k, v);
  }
  get size(): number {
    return this.map.size;
  }
}

export const DEFAULT_QUERY_TEMPLATE = "Instruct: {task}\nQuery: {query}";

export interface HttpTeacherOptions {
  /** Base URL ("http://localhost:8080", ".../v1") or the full embeddings URL (".../v1/embeddings"). */
  url: string;
  model: string;
  apiKey?: string;
  /** `{task}` and `{query}` are replaced; a record without a task gets just the query. */
  queryTemplate?: string;
  batchSize?: number;
  maxAttempts?: number;
  /** Per request, milliseconds. */
  timeoutMs?: number;
  concurrency?: number;
  /** First backoff delay in ms (doubled per attempt, ±25% jitter). */
  retryBaseMs?: number;
  cache?: EmbeddingCache;
  /** Injectable for tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Records per scoring chunk in pass 2 (queries embedded together). */
  chunkSize?: number;
}

export class TeacherEndpointError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = "TeacherEndpointError";
  }
}

/** The embeddings URL for a base URL. */
export function embeddingsUrl(url: string): string {
  const u = url.replace(/\/+$/, "");
  if (/\/embeddings$/.test(u)) return u;
  if (/\/v1$/.test(u)) return `${u}/embeddings`;
  return `${u}/v1/embeddings`;
}

/** The query text sent to the model. */
export function formatQuery(template: string, record: Pick<DetectRecord, "task" | "query">): string {
  const task = record.task?.trim();
  if (!task) return record.query;
  return template.replaceAll("{task}", task).replaceAll("{query}", record.query);
}

function describeError(err: unknown): string {
  if (err instanceof Error) {
    if (err.name === "TimeoutError") return "request timed out";
    const cause = (err as Error & { cause?: unknown }).cause;
    if (cause instanceof Error && cause.message) return cause.message;
    if (cause && typeof cause === "object" && "code" in cause)
      return String((cause as { code: unknown }).code);
    return err.message;
  }
  return String(err);
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });

/** A client for one embeddings endpoint: batching is the caller's; retries, timeouts and parsing are here. */
export class EmbeddingClient {
  readonly url: string;
  /** Requests sent (attempts included), for tests and progress. */
  requests = 0;
  private readonly options: Required<Pick<HttpTeacherOptions, "maxAttempts" | "timeoutMs" | "retryBaseMs">> &
    HttpTeacherOptions;

  constructor(options: HttpTeacherOptions) {
    this.url = embeddingsUrl(options.url);
    this.options = { maxAttempts: 4, timeoutMs: 30_000, retryBaseMs: 500, ...options };
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]> {
    const { maxAttempts, timeoutMs, retryBaseMs, apiKey, model } = this.options;
    const doFetch = this.options.fetch ?? fetch;
    let last = "";
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let retryAfterMs = 0;
      try {
        this.requests++;
        const timeout = AbortSignal.timeout(timeoutMs);
        const res = await doFetch(this.url, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
          },
          body: JSON.stringify({ model, input: texts }),
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        if (res.ok) return parseEmbeddings(await res.json(), texts.length);
        const body = (await res.text().catch(() => "")).slice(0, 200).trim();
        last = `HTTP ${res.status}${body ? `: ${body}` : ""}`;
        if (res.status !== 429 && res.status < 500) {
          throw new TeacherEndpointError(
            `teacher endpoint ${this.url} refused the request: ${last}`,
            attempt,
          );
        }
        const ra = Number(res.headers.get("retry-after"));
        if (Number.isFinite(ra) && ra > 0) retryAfterMs = Math.min(ra * 1000, 60_000);
      } catch (err) {
        if (err instanceof TeacherEndpointError) throw err;
        if (signal?.aborted) throw err;
        last = describeError(err);
      }
      if (attempt < maxAttempts) {
        const backoff = retryBaseMs * 2 ** (attempt - 1) * (0.75 + Math.random() * 0.5);
        await sleep(Math.max(backoff, retryAfterMs), signal);
      }
    }
    throw new TeacherEndpointError(
      `teacher endpoint ${this.url} failed after ${maxAttempts} attempts: ${last}`,
      maxAttempts,
    );
  }
}

function parseEmbeddings(json: unknown, expected: number): Float32Array[] {
  const data = (json as { data?: unknown })?.data;
  if (!Array.isArray(data) || data.length !== expected) {
    throw new TeacherEndpointError(
      `teacher endpoint answered without ${expected} embeddings (got ${Array.isArray(data) ? data.length : "no data array"})`,
      1,
    );
  }
  const out: Float32Array[] = new Array(expected);
  data.forEach((item, i) => {
    const e = (item as { embedding?: unknown; index?: unknown }).embedding;
    const at =
      typeof (item as { index?: unknown }).index === "number" ? (item as { index: number }).index : i;
    if (!Array.isArray(e) || at < 0 || at >= expected) {
      throw new TeacherEndpointError("teacher endpoint answered with a malformed embedding", 1);
    }
    out[at] = Float32Array.from(e as number[]);
  });
  return out;
}

/** In-place L2 normalisation (a zero vector stays zero). */
export function normalize(v: Float32Array): Float32Array {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i]! /= n;
  return v;
}

/**
 * Embeds texts through the cache: cached vectors are returned as they are, the rest are requested in
 * batches (at most `concurrency` at once) and cached batch by batch.
 */
export class CachedEmbedder {
  constructor(
    readonly client: EmbeddingClient,
    readonly model: string,
    readonly cache: EmbeddingCache,
    readonly batchSize: number,
    readonly concurrency: number,
  ) {}

  /** Embeds `texts` and calls `onVector(i, vector)` for each (any order). */
  async embedAll(
    texts: string[],
    onVector: (i: number, v: Float32Array) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const keys = texts.map((t) => embeddingCacheKey(this.model, t));
    const cached = await this.cache.get(keys);
    const missing: number[] = [];
    cached.forEach((v, i) => {
      if (v) onVector(i, v);
      else missing.push(i);
    });
    const batches: number[][] = [];
    for (let i = 0; i < missing.length; i += this.batchSize)
      batches.push(missing.slice(i, i + this.batchSize));
    let next = 0;
    let failed: unknown;
    const worker = async () => {
      while (next < batches.length && failed === undefined) {
        const batch = batches[next++]!;
        try {
          const vectors = await this.client.embed(
            batch.map((i) => texts[i]!),
            signal,
          );
          await this.cache.set(batch.map((i, j) => [keys[i]!, vectors[j]!]));
          batch.forEach((i, j) => {
            onVector(i, vectors[j]!);
          });
        } catch (err) {
          failed ??= err;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, batches.length) }, worker));
    if (failed !== undefined) throw failed;
  }
}

/** A growing matrix of unit vectors, one row per pool passage. */
class VectorPool {
  dim = 0;
  size = 0;
  data = new Float32Array(0);

  ensure(rows: number, dim: number): void {
    if (this.dim === 0) this.dim = dim;
    if (dim !== this.dim)
      throw new Error(`teacher endpoint returned vectors of ${dim} dimensions, expected ${this.dim}`);
    if (rows * dim > this.data.length) {
      const next = new Float32Array(Math.max(rows * dim, this.data.length * 2));
      next.set(this.data);
      this.data = next;
    }
    this.size = Math.max(this.size, rows);
  }

  put(row: number, v: Float32Array): void {
    this.ensure(row + 1, v.length);
    const u = normalize(Float32Array.from(v));
    this.data.set(u, row * this.dim);
  }

  dot(row: number, q: Float32Array): number {
    const { data, dim } = this;
    let s = 0;
    const o = row * dim;
    for (let i = 0; i < dim; i++) s += data[o + i]! * q[i]!;
    return s;
  }
}

const TOL = 1e-6;

/** Count of entries of an ascending array strictly below x. */
function countBelow(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Scores and pool ranks of one record given its query vector and its passages' pool rows. */
export function rankAgainstPool(
  pool: { size: number; dot(row: number, q: Float32Array): number },
  q: Float32Array,
  rows: number[],
  nPositives: number,
  name: string,
): TeacherResult {
  const scores = rows.map((r) => pool.dot(r, q));
  // For every pool passage, every record passage scoring below it (by more than TOL) moves down one.
  const sorted = Float64Array.from(scores).sort();
  const above = new Int32Array(sorted.length + 1); // above[j]: passages of the pool above sorted[j]
  for (let r = 0; r < pool.size; r++) {
    const s = pool.dot(r, q);
    // passages p with scores[p] + TOL < s, i.e. sorted[j] < s - TOL
    above[countBelow(sorted, s - TOL)]!++;
  }
  // prefix sums from the top: passages with sorted index < j are all below pools counted at >= j
  const higher = new Int32Array(sorted.length);
  let run = 0;
  for (let j = sorted.length; j >= 1; j--) {
    run += above[j]!;
    higher[j - 1] = run;
  }
  const rankOf = (s: number) => 1 + higher[countBelow(sorted, s)]!;
  let positiveRank = rankOf(scores[0]!);
  const seen = new Set([rows[0]!]);
  for (let j = 1; j < nPositives; j++) {
    if (seen.has(rows[j]!)) continue;
    seen.add(rows[j]!);
    if (scores[j]! > scores[0]! + TOL) positiveRank--;
  }
  return {
    teacher: name,
    positive: scores[0],
    negatives: scores.slice(nPositives),
    positiveRank,
    negativeRanks: scores.slice(nPositives).map((s) => rankOf(s)),
  };
}

/** The embedding teacher. */
export function httpTeacher(options: HttpTeacherOptions): Teacher {
  const client = new EmbeddingClient(options);
  const cache = options.cache ?? new MemoryEmbeddingCache();
  const embedder = new CachedEmbedder(
    client,
    options.model,
    cache,
    options.batchSize ?? 64,
    options.concurrency ?? 2,
  );
  const template = options.queryTemplate ?? DEFAULT_QUERY_TEMPLATE;
  const chunkSize = options.chunkSize ?? 1024;
  const name = `http:${options.model}`;
  return {
    name,
    async *score(source: RecordSource, run: TeacherRunOptions = {}): AsyncGenerator<KeyedTeacherResult> {
      const { signal, onProgress } = run;
      // Pass 1: the pool.
      const rowByHash = new Map<number, number>();
      const pool = new VectorPool();
      let pending: string[] = [];
      let pendingRows: number[] = [];
      let embedded = 0;
      const flush = async () => {
        const rows = pendingRows;
        await embedder.embedAll(pending, (i, v) => pool.put(rows[i]!, v), signal);
        embedded += pending.length;
        onProgress?.({ phase: "embed", done: embedded, total: rowByHash.size });
        pending = [];
        pendingRows = [];
      };
      for await (const { record } of source()) {
        throwIfAborted(signal);
        for (const text of recordPassages(record)) {
          const h = hash53(text);
          if (rowByHash.has(h)) continue;
          rowByHash.set(h, rowByHash.size);
          pending.push(text);
          pendingRows.push(rowByHash.size - 1);
        }
        if (pending.length >= embedder.batchSize * embedder.concurrency * 8) await flush();
      }
      if (pending.length) await flush();
      // Pass 2: queries, in chunks.
      let done = 0;
      let chunk: KeyedRecord[] = [];
      const scoreChunk = async function* (): AsyncGenerator<KeyedTeacherResult> {
        const queries = chunk.map(({ record }) => formatQuery(template, record));
        const vectors: Float32Array[] = new Array(queries.length);
        await embedder.embedAll(
          queries,
          (i, v) => {
            vectors[i] = normalize(Float32Array.from(v));
          },
          signal,
        );
        for (let i = 0; i < chunk.length; i++) {
          const { key, record } = chunk[i]!;
          const rows = recordPassages(record).map((t) => {
            const r = rowByHash.get(hash53(t));
            if (r === undefined)
              throw new Error(
                "embedding teacher: a passage is missing from the pool (did the data set change?)",
              );
            return r;
          });
          yield {
            key,
            result: rankAgainstPool(pool, vectors[i]!, rows, 1 + record.extraPositives.length, name),
          };
        }
        done += chunk.length;
        onProgress?.({ phase: "score", done });
        chunk = [];
      };
      for await (const item of source()) {
        throwIfAborted(signal);
        chunk.push(item);
        if (chunk.length >= chunkSize) yield* scoreChunk();
      }
      if (chunk.length) yield* scoreChunk();
    },
  };
}
