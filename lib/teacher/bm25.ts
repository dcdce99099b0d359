/**
 * BM25 teacher: built in, offline, no model. Scores each record's passages for its query over the
 * data set's passage pool (every positive, extra positive and negative, deduplicated by exact text)
 * and ranks them in that pool.
 *
 * Terms (`bm25Terms`), by script rather than by the record's declared language, so queries and
 * passages of a mixed pool (bitext) are treated alike:
 * - spaced scripts: lower-cased words (lib/detect/tokens.ts; same word boundaries as Intl.Segmenter
 *   for practical purposes, ~20× faster);
 * - Chinese / Japanese (Han, Kana): overlapping character bigrams within each run of CJK characters
 *   (a lone character is a unigram) — the standard choice for CJK BM25 without a dictionary;
 * - Korean: each eojeol (space-separated Hangul word) plus its character bigrams. The whole word
 *   rewards exact forms; the bigrams match a stem across particles (서울에서 / 서울은 share 서울).
 *
 * Index: an inverted index in typed arrays (CSR: term offsets, doc ids Uint32, term frequencies
 * Uint8 capped at 255), built from one pass over the source; ~5 bytes per (term, passage) pair.
 *
 * Ranking a record: rank = 1 + the number of pool passages scoring strictly higher for its query
 * (a relative tolerance of 1e-9 absorbs float summation order). Scores are accumulated only over
 * the postings of the query's terms, rarest term first, with MaxScore-style pruning: once the terms
 * left (the frequent ones) cannot lift a passage that has none of the earlier terms above what still
 * matters — the lowest score among the record's own passages, raised to the score that `rankDepth`
 * passages are known to reach (record passages below it are deeper than the depth anyway) — their
 * postings are no longer walked; they are looked up (galloping search over sorted doc ids) only for
 * the passages that can still pass. Ranks are exact up to `rankDepth` (default 1000); deeper passages
 * get rankDepth + 1 and the result carries `rankDepth` (Linq's rules look at ranks 10, 30 and 100).
 *
 * Speed and memory (bench/bm25.ts, 1 positive + 3 negatives of ~200-290 words per record, 2 cores):
 *   generated E5-style text (small vocabulary: every query term in thousands of passages)
 *     20k records: index 3.2k records/s, scoring 1.7k records/s; 100k records (370k passages):
 *     index 2.6k records/s, scoring 270 records/s (3.9 ms CPU a record; 2 ms with rankDepth 200),
 *     214 MB held;
 *   random text over a 100k-word Zipf vocabulary, 6-word queries
 *     20k records: scoring 2.8k records/s; 100k records (400k passages): index 2.8k records/s,
 *     scoring 1.6k records/s, 407 MB held (postings ~5 bytes per distinct term of a passage).
 * The cost per record grows with how many pool passages contain the query's rarer terms.
 */
import { hash53 } from "@/lib/detect/fasthash";
import { growU8, growU32 } from "@/lib/detect/growable";
import { forEachToken, TOKEN_CJK, TOKEN_HANGUL } from "@/lib/detect/tokens";
import type { DetectRecord, TeacherResult } from "@/lib/detect/types";
import {
  type KeyedTeacherResult,
  type RecordSource,
  recordPassages,
  TEACHER_ON_WORKERS,
  type Teacher,
  type TeacherOnWorkers,
  type TeacherRunOptions,
  throwIfAborted,
  type WorkerTeacherInit,
} from "./types";

export interface Bm25Options {
  k1?: number;
  b?: number;
  /**
   * Ranks are exact up to this depth; a passage ranked deeper gets depth + 1 (and results carry
   * `rankDepth`). Infinity: exact everywhere (slower when queries match much of the pool).
   */
  rankDepth?: number;
}

/** Deep enough for Linq's rules (30..100, top 10) with room to spare. */
export const DEFAULT_RANK_DEPTH = 1000;

/** BM25 terms of a text (see the file comment). */
export function bm25Terms(text: string): string[] {
  const out: string[] = [];
  let run = ""; // current CJK run
  let runEnd = -1;
  const flush = () => {
    if (run.length === 1) out.push(run);
    else for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
    run = "";
  };
  forEachToken(text, (t, start, end, kind) => {
    if (kind === TOKEN_CJK) {
      if (start !== runEnd && run) flush();
      run += t;
      runEnd = end;
      return;
    }
    if (run) flush();
    if (kind === TOKEN_HANGUL) {
      out.push(t);
      if (t.length > 2) for (let i = 0; i + 1 < t.length; i++) out.push(t.slice(i, i + 2));
    } else {
      out.push(t);
    }
  });
  if (run) flush();
  return out;
}

/** What a builder hands to the index. */
export interface Bm25Parts {
  vocab: Map<string, number>;
  docByHash: Map<number, number>;
  offsets: Uint32Array;
  postDoc: Uint32Array;
  postTf: Uint8Array;
  docLen: Uint32Array;
  maxTf: Uint8Array;
  k1: number;
  b: number;
}

/**
 * What scoring needs of an index, as typed arrays on SharedArrayBuffers: posted to a worker thread,
 * it is shared, not copied, so detector workers score BM25 against the one index the main thread
 * built (Bm25Index.fromShared). The vocabulary and the passage lookup stay on the main thread.
 */
export interface Bm25Shared {
  N: number;
  avgdl: number;
  k1: number;
  offsets: Uint32Array;
  postDoc: Uint32Array;
  postTf: Uint8Array;
  idf: Float64Array;
  bound: Float64Array;
  norm: Float64Array;
}

/** A typed array of `length` elements on a SharedArrayBuffer. */
function shared<T extends Uint8Array | Uint32Array | Float64Array>(
  ctor: { new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number },
  length: number,
): T {
  return new ctor(new SharedArrayBuffer(Math.max(1, length) * ctor.BYTES_PER_ELEMENT));
}

/** The scoring arrays of an index from a builder's parts (idf, bounds, length norms). */
function scoringCore(init: Bm25Parts): Bm25Shared {
  const N = init.docLen.length;
  let total = 0;
  for (let d = 0; d < N; d++) total += init.docLen[d]!;
  const avgdl = N > 0 ? Math.max(1e-9, total / N) : 1;
  const norm = shared(Float64Array, N).subarray(0, N);
  let minNorm = Number.POSITIVE_INFINITY;
  for (let d = 0; d < N; d++) {
    const v = init.k1 * (1 - init.b + (init.b * init.docLen[d]!) / avgdl);
    norm[d] = v;
    if (v < minNorm) minNorm = v;
  }
  const V = init.offsets.length - 1;
  const idf = shared(Float64Array, V).subarray(0, V);
  const bound = shared(Float64Array, V).subarray(0, V);
  for (let t = 0; t < V; t++) {
    const df = init.offsets[t + 1]! - init.offsets[t]!;
    const idfT = Math.log(1 + (N - df + 0.5) / (df + 0.5));
    idf[t] = idfT;
    const m = init.maxTf[t]!;
    bound[t] = (idfT * m * (init.k1 + 1)) / (m + minNorm);
  }
  return {
    N,
    avgdl,
    k1: init.k1,
    offsets: init.offsets,
    postDoc: init.postDoc,
    postTf: init.postTf,
    idf,
    bound,
    norm,
  };
}

/** An immutable BM25 index over a pool of passages. */
export class Bm25Index {
  readonly N: number;
  readonly avgdl: number;
  private readonly vocab: Map<string, number> | undefined;
  private readonly docByHash: Map<number, number> | undefined;
  /** CSR postings: for term t, entries offsets[t] .. offsets[t+1]. */
  private readonly offsets: Uint32Array;
  private readonly postDoc: Uint32Array;
  private readonly postTf: Uint8Array;
  private readonly idf: Float64Array;
  private readonly bound: Float64Array;
  /** k1 · (1 − b + b · dl / avgdl) per passage. */
  private readonly norm: Float64Array;
  private readonly k1: number;
  private acc: Float64Array;
  private touched: Uint32Array;
  private scratchScores: Float64Array;
  private scratchDocs: Uint32Array;
  private readonly radixCount = new Uint32Array(2048);

  private constructor(core: Bm25Shared, vocab?: Map<string, number>, docByHash?: Map<number, number>) {
    this.vocab = vocab;
    this.docByHash = docByHash;
    this.N = core.N;
    this.avgdl = core.avgdl;
    this.k1 = core.k1;
    this.offsets = core.offsets;
    this.postDoc = core.postDoc;
    this.postTf = core.postTf;
    this.idf = core.idf;
    this.bound = core.bound;
    this.norm = core.norm;
    const N = core.N;
    this.acc = new Float64Array(N);
    this.touched = new Uint32Array(N);
    this.scratchScores = new Float64Array(N);
    this.scratchDocs = new Uint32Array(N);
  }

  /** The scoring arrays, shared (see Bm25Shared): post them to a worker, then `fromShared` there. */
  get shared(): Bm25Shared {
    return {
      N: this.N,
      avgdl: this.avgdl,
      k1: this.k1,
      offsets: this.offsets,
      postDoc: this.postDoc,
      postTf: this.postTf,
      idf: this.idf,
      bound: this.bound,
      norm: this.norm,
    };
  }

  /**
   * An index for scoring on another thread, over the arrays of `shared` (no copy): `countAbove`,
   * `scoreDoc` and `bm25Rank` work; `docId` and `queryTerms` (the main thread's lookups) do not.
   */
  static fromShared(core: Bm25Shared): Bm25Index {
    return new Bm25Index(core);
  }

  /** Builds the index from passages (duplicates by exact text are indexed once). */
  static async build(
    passages: Iterable<string> | AsyncIterable<string>,
    options: Bm25Options & { onPassage?: () => void } = {},
  ): Promise<Bm25Index> {
    const builder = new Bm25Builder();
    for await (const text of passages) {
      builder.add(text);
      options.onPassage?.();
    }
    return builder.finish(options);
  }

  /** @internal used by the builder. */
  static fromParts(parts: Bm25Parts): Bm25Index {
    return new Bm25Index(scoringCore(parts), parts.vocab, parts.docByHash);
  }

  private lookups(): { vocab: Map<string, number>; docByHash: Map<number, number> } {
    if (!this.vocab || !this.docByHash)
      throw new Error("BM25: this index only scores (built from shared arrays); look up on the main thread");
    return { vocab: this.vocab, docByHash: this.docByHash };
  }

  /** Passage id of an exact text in the pool, or undefined. */
  docId(text: string): number | undefined {
    return this.lookups().docByHash.get(hash53(text));
  }

  /** Term ids of a query (unique, unknown terms dropped). */
  queryTerms(query: string): number[] {
    const { vocab } = this.lookups();
    const ids = new Set<number>();
    for (const term of bm25Terms(query)) {
      const id = vocab.get(term);
      if (id !== undefined) ids.add(id);
    }
    return [...ids];
  }

  private tf(term: number, doc: number): number {
    let lo = this.offsets[term]!;
    let hi = this.offsets[term + 1]!;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const d = this.postDoc[mid]!;
      if (d === doc) return this.postTf[mid]!;
      if (d < doc) lo = mid + 1;
      else hi = mid;
    }
    return 0;
  }

  private termScore(term: number, tf: number, doc: number): number {
    return (this.idf[term]! * tf * (this.k1 + 1)) / (tf + this.norm[doc]!);
  }

  /** Sorts doc ids in place: LSD radix sort, 11 bits a pass (2 passes below 4M passages). */
  private sortDocs(a: Uint32Array): void {
    const n = a.length;
    if (n < 256) {
      a.sort();
      return;
    }
    const count = this.radixCount;
    let src = a;
    let dst = this.scratchDocs.subarray(0, n);
    const passes = this.N <= 1 << 22 ? 2 : 3;
    for (let pass = 0; pass < passes; pass++) {
      const shift = pass * 11;
      count.fill(0);
      for (let i = 0; i < n; i++) count[(src[i]! >>> shift) & 2047]!++;
      let sum = 0;
      for (let c = 0; c < 2048; c++) {
        const x = count[c]!;
        count[c] = sum;
        sum += x;
      }
      for (let i = 0; i < n; i++) {
        const v = src[i]!;
        dst[count[(v >>> shift) & 2047]!++] = v;
      }
      [src, dst] = [dst, src];
    }
    if (src !== a) a.set(src);
  }

  /** BM25 score of one pool passage for the query terms. */
  scoreDoc(terms: readonly number[], doc: number): number {
    let s = 0;
    for (const t of terms) {
      const tf = this.tf(t, doc);
      if (tf) s += this.termScore(t, tf, doc);
    }
    return s;
  }

  /**
   * For each threshold (ascending), how many pool passages score strictly above it for the query
   * terms. Counts are exact up to `depth`; a threshold below the score of the depth-th best passage
   * gets `depth` (its rank is beyond the depth). MaxScore pruning never drops a passage that matters.
   */
  countAbove(
    terms: readonly number[],
    thresholds: Float64Array,
    depth = Number.POSITIVE_INFINITY,
  ): Int32Array {
    const P = thresholds.length;
    const counts = new Int32Array(P);
    if (P === 0) return counts;
    const theta = thresholds[0]!;
    const { offsets, acc, touched, postDoc, postTf, norm, bound, idf } = this;
    const k1p = this.k1 + 1;
    // Terms from the rarest to the most frequent. suffix[i]: the most that terms i.. can add.
    const df = (t: number) => offsets[t + 1]! - offsets[t]!;
    const order = [...terms].sort((a, b) => df(a) - df(b));
    const T = order.length;
    const suffix = new Float64Array(T + 1);
    for (let i = T - 1; i >= 0; i--) suffix[i] = suffix[i + 1]! + bound[order[i]!]!;
    // Accumulate term by term until the remaining (frequent) terms cannot lift a passage that has
    // none of the earlier terms above the floor: max(theta, the depth-th best partial score, which
    // at least depth passages reach). The remaining terms are looked up for candidates only.
    let floor = theta;
    // Thresholds below the floor are beyond the depth; only passages above the smallest threshold at
    // or over the floor (`need`) can change a count that is still exact.
    let need = theta;
    const raiseFloor = (L: number) => {
      if (L <= floor) return;
      floor = L;
      let j = 0;
      while (j < P && thresholds[j]! < floor) j++;
      need = j < P ? thresholds[j]! : Number.POSITIVE_INFINITY;
    };
    let nTouched = 0;
    let maxPartial = 0;
    let i = 0;
    while (i < T && suffix[i]! > need) {
      const t = order[i++]!;
      const idfK = idf[t]! * k1p;
      const end = offsets[t + 1]!;
      for (let j = offsets[t]!; j < end; j++) {
        const d = postDoc[j]!;
        const tf = postTf[j]!;
        if (acc[d] === 0) touched[nTouched++] = d;
        const v = acc[d]! + (idfK * tf) / (tf + norm[d]!);
        acc[d] = v;
        if (v > maxPartial) maxPartial = v;
      }
      if (nTouched > depth && i < T && suffix[i]! > need && maxPartial >= suffix[i]!) {
        const partial = this.scratchScores.subarray(0, nTouched);
        for (let x = 0; x < nTouched; x++) partial[x] = acc[touched[x]!]!;
        raiseFloor(kthLargest(partial, depth));
      }
    }
    const cum = suffix[i]!;
    const nonEssential = order.slice(i).sort((a, b) => bound[b]! - bound[a]!); // largest bound first
    // Candidates in doc order; then the non-essential terms term-at-a-time, each posting list walked
    // by galloping search against the sorted candidates, dropping the candidates that can no longer
    // pass the floor after each term.
    if (nTouched > depth && need !== Number.POSITIVE_INFINITY && maxPartial + cum > need) {
      const partial = this.scratchScores.subarray(0, nTouched);
      for (let x = 0; x < nTouched; x++) partial[x] = acc[touched[x]!]!;
      raiseFloor(kthLargest(partial, depth));
    }
    // keep the candidates that can pass `need`, in doc order
    let n = 0;
    for (let x = 0; x < nTouched; x++) {
      const d = touched[x]!;
      if (acc[d]! + cum > need) touched[n++] = d;
      else acc[d] = 0;
    }
    const alive = touched.subarray(0, n);
    this.sortDocs(alive);
    let rem = cum;
    for (let k = 0; k < nonEssential.length && n > 0; k++) {
      const t = nonEssential[k]!;
      const idfK = idf[t]! * k1p;
      let j = offsets[t]!;
      const end = offsets[t + 1]!;
      for (let i = 0; i < n && j < end; i++) {
        const d = alive[i]!;
        if (postDoc[j]! < d) {
          // gallop to the first j with postDoc[j] >= d
          let step = 1;
          let lo = j;
          while (lo + step < end && postDoc[lo + step]! < d) {
            lo += step;
            step *= 2;
          }
          let hi = Math.min(end, lo + step);
          lo++;
          while (lo < hi) {
            const mid = (lo + hi) >>> 1;
            if (postDoc[mid]! < d) lo = mid + 1;
            else hi = mid;
          }
          j = lo;
          if (j >= end) break;
        }
        if (postDoc[j] === d) {
          const tf = postTf[j]!;
          acc[d]! += (idfK * tf) / (tf + norm[d]!);
          j++;
        }
      }
      rem -= bound[t]!;
      let m = 0;
      for (let i = 0; i < n; i++) {
        const d = alive[i]!;
        if (acc[d]! + rem > need) alive[m++] = d;
        else acc[d] = 0;
      }
      n = m;
    }
    // bucket[b]: passages whose score is above exactly the thresholds 0..b-1
    const bucket = new Int32Array(P + 1);
    for (let i = 0; i < n; i++) {
      const d = alive[i]!;
      const f = acc[d]!;
      acc[d] = 0;
      if (f <= theta) continue;
      let lo = 0;
      let hi = P;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (thresholds[mid]! < f) lo = mid + 1;
        else hi = mid;
      }
      bucket[lo]!++;
    }
    let run = 0;
    for (let j = P - 1; j >= 0; j--) {
      run += bucket[j + 1]!;
      counts[j] = thresholds[j]! < floor ? Math.max(run, depth) : run;
    }
    return counts;
  }

  /** Memory held by the index arrays, in bytes (the vocabulary and hash maps not counted). */
  get arrayBytes(): number {
    return (
      this.offsets.byteLength +
      this.postDoc.byteLength +
      this.postTf.byteLength +
      this.idf.byteLength +
      this.bound.byteLength +
      this.norm.byteLength +
      this.acc.byteLength +
      this.touched.byteLength +
      this.scratchScores.byteLength +
      this.scratchDocs.byteLength
    );
  }
}

/** The k-th largest value (1-based) of `a`, by quickselect (reorders `a`). */
function kthLargest(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  const target = k - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! > pivot) i++;
      while (a[j]! < pivot) j--;
      if (i <= j) {
        const x = a[i]!;
        a[i] = a[j]!;
        a[j] = x;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return a[target]!;
}

const tolerance = (s: number) => 1e-9 * Math.max(1, Math.abs(s));

/** Builds a Bm25Index passage by passage (forward lists first, then the inverted CSR arrays). */
export class Bm25Builder {
  private readonly vocab = new Map<string, number>();
  private readonly docByHash = new Map<number, number>();
  private fwdTerm = growU32(1 << 16);
  private fwdTf = growU8(1 << 16);
  private docStart = growU32(1024);
  private readonly docLen = growU32(1024);
  private readonly df = growU32(1024);
  private readonly maxTf = growU8(1024);

  get size(): number {
    return this.docLen.length;
  }

  /** Adds a passage unless the same text is already in the pool; returns its id. */
  add(text: string): number {
    const h = hash53(text);
    const known = this.docByHash.get(h);
    if (known !== undefined) return known;
    const id = this.docLen.length;
    this.docByHash.set(h, id);
    const terms = bm25Terms(text);
    const ids = new Uint32Array(terms.length);
    for (let i = 0; i < terms.length; i++) {
      const term = terms[i]!;
      let t = this.vocab.get(term);
      if (t === undefined) {
        t = this.vocab.size;
        this.vocab.set(term, t);
        this.df.push(0);
        this.maxTf.push(0);
      }
      ids[i] = t;
    }
    ids.sort();
    this.docStart.push(this.fwdTerm.length);
    this.docLen.push(terms.length);
    for (let i = 0; i < ids.length; ) {
      const t = ids[i]!;
      let j = i + 1;
      while (j < ids.length && ids[j] === t) j++;
      const tf = Math.min(255, j - i);
      this.fwdTerm.push(t);
      this.fwdTf.push(tf);
      this.df.set(t, this.df.get(t) + 1);
      if (tf > this.maxTf.get(t)) this.maxTf.set(t, tf);
      i = j;
    }
    return id;
  }

  finish(options: Bm25Options = {}): Bm25Index {
    const V = this.vocab.size;
    // on SharedArrayBuffers: detector workers score against these very arrays (Bm25Shared)
    const offsets = shared(Uint32Array, V + 1).subarray(0, V + 1);
    for (let t = 0; t < V; t++) offsets[t + 1] = offsets[t]! + this.df.get(t);
    const total = offsets[V]!;
    const postDoc = shared(Uint32Array, total).subarray(0, total);
    const postTf = shared(Uint8Array, total).subarray(0, total);
    const fill = offsets.slice(0, V);
    const fwdTerm = this.fwdTerm.view();
    const fwdTf = this.fwdTf.view();
    const starts = this.docStart.view();
    const N = this.docLen.length;
    for (let d = 0; d < N; d++) {
      const end = d + 1 < N ? starts[d + 1]! : fwdTerm.length;
      for (let j = starts[d]!; j < end; j++) {
        const t = fwdTerm[j]!;
        const at = fill[t]!++;
        postDoc[at] = d;
        postTf[at] = fwdTf[j]!;
      }
    }
    // the forward lists are no longer needed: let them go before scoring starts
    this.fwdTerm = growU32(16);
    this.fwdTf = growU8(16);
    this.docStart = growU32(16);
    return Bm25Index.fromParts({
      vocab: this.vocab,
      docByHash: this.docByHash,
      offsets,
      postDoc,
      postTf,
      docLen: this.docLen.toArray(),
      maxTf: this.maxTf.toArray(),
      k1: options.k1 ?? 1.2,
      b: options.b ?? 0.75,
    });
  }
}

/**
 * What scoring a record needs besides the index's scoring arrays: its query's term ids and its
 * passages' pool ids (positive, extra positives, negatives). Looked up on the thread that holds the
 * vocabulary (the one that built the index); small enough to post to a worker with the record.
 */
export interface Bm25Lookup {
  terms: number[];
  docs: number[];
  /** 1 + extra positives. */
  nPos: number;
}

/** The lookups of one record (main thread: needs the index's vocabulary and passage table). */
export function bm25Lookup(index: Bm25Index, record: DetectRecord): Bm25Lookup {
  const terms = index.queryTerms(record.query);
  const texts = recordPassages(record);
  const docs = texts.map((t) => {
    const d = index.docId(t);
    if (d === undefined)
      throw new Error("BM25: a passage is missing from the pool (did the data set change?)");
    return d;
  });
  return { terms, docs, nPos: 1 + record.extraPositives.length };
}

/** Scores and ranks one record from its lookups (any thread: `Bm25Index.fromShared` will do). */
export function bm25Rank(
  index: Bm25Index,
  lookup: Bm25Lookup,
  name = "bm25",
  depth = DEFAULT_RANK_DEPTH,
): TeacherResult {
  const { terms, docs, nPos } = lookup;
  const scores = docs.map((d) => index.scoreDoc(terms, d));
  const thresholds = Float64Array.from(scores, (s) => s + tolerance(s)).sort();
  // deeper by the other positives, which the positive's rank leaves out
  const counts = index.countAbove(terms, thresholds, depth + nPos - 1);
  const cap = (r: number) => Math.min(r, depth + 1);
  const rankOf = (i: number) => {
    const t = scores[i]! + tolerance(scores[i]!);
    let lo = 0;
    while (thresholds[lo]! < t) lo++;
    return 1 + counts[lo]!;
  };
  let positiveRank = rankOf(0);
  // The positive's rank ignores the record's other positives.
  const seen = new Set<number>([docs[0]!]);
  for (let j = 1; j < nPos; j++) {
    if (seen.has(docs[j]!)) continue;
    seen.add(docs[j]!);
    if (scores[j]! > scores[0]! + tolerance(scores[0]!)) positiveRank--;
  }
  return {
    teacher: name,
    positive: scores[0],
    negatives: scores.slice(nPos),
    positiveRank: cap(positiveRank),
    negativeRanks: scores.slice(nPos).map((_, i) => cap(rankOf(nPos + i))),
    ...(Number.isFinite(depth) ? { rankDepth: depth } : {}),
  };
}

/** Scores and ranks one record against a built index. */
export function bm25Result(
  index: Bm25Index,
  record: DetectRecord,
  name = "bm25",
  depth = DEFAULT_RANK_DEPTH,
): TeacherResult {
  return bm25Rank(index, bm25Lookup(index, record), name, depth);
}

/** What detector workers get to score BM25 (see TEACHER_ON_WORKERS). */
export interface Bm25WorkerInit extends WorkerTeacherInit {
  kind: "bm25";
  shared: Bm25Shared;
  name: string;
  depth: number;
}

/** A worker's BM25 scorer: the lookups of a record (bm25Lookup, main thread) → its result. */
export function bm25WorkerScorer(init: Bm25WorkerInit): (lookup: unknown) => TeacherResult {
  const index = Bm25Index.fromShared(init.shared);
  return (lookup) => bm25Rank(index, lookup as Bm25Lookup, init.name, init.depth);
}

/**
 * The BM25 teacher (k1 1.2, b 0.75 by default). Reads the source twice: pool, then scoring. Its
 * stream also offers the scoring to detector workers (TEACHER_ON_WORKERS): the index is built here,
 * on SharedArrayBuffers, and each worker scores its records against it.
 */
export function bm25Teacher(options: Bm25Options = {}): Teacher {
  const depth = options.rankDepth ?? DEFAULT_RANK_DEPTH;
  return {
    name: "bm25",
    score(source: RecordSource, run: TeacherRunOptions = {}): AsyncIterable<KeyedTeacherResult> {
      let n = 0;
      const build = async (): Promise<Bm25Index> => {
        const builder = new Bm25Builder();
        for await (const { record } of source()) {
          throwIfAborted(run.signal);
          for (const text of recordPassages(record)) builder.add(text);
          if (++n % 1000 === 0) run.onProgress?.({ phase: "index", done: n });
        }
        run.onProgress?.({ phase: "index", done: n, total: n });
        return builder.finish(options);
      };
      async function* scored(): AsyncGenerator<KeyedTeacherResult> {
        const index = await build();
        let done = 0;
        for await (const { key, record } of source()) {
          throwIfAborted(run.signal);
          yield { key, result: bm25Result(index, record, "bm25", depth) };
          if (++done % 1000 === 0) run.onProgress?.({ phase: "score", done, total: n });
        }
        run.onProgress?.({ phase: "score", done, total: n });
      }
      const onWorkers: TeacherOnWorkers = {
        async start() {
          const index = await build();
          const init: Bm25WorkerInit = { kind: "bm25", shared: index.shared, name: "bm25", depth };
          return { init, lookup: (record) => bm25Lookup(index, record) };
        },
      };
      return Object.assign(scored(), { [TEACHER_ON_WORKERS]: onWorkers });
    },
  };
}
