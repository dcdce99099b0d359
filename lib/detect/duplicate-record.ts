/**
 * duplicate_record: the same example more than once in a data set, and degenerate pairs.
 *
 * Across records (collector), the later occurrence is flagged with a pointer to the first:
 * - the same record: query and positive equal after normalisation (case, spacing, punctuation)
 *   → score 1, "same query and positive as record #12";
 * - the same query with another positive → score 0.8, "same query as record #12";
 * - a near-identical query (token similarity ≥ `minSimilarity`, no changed number/name/negation/word:
 *   "how old is Obama" and "how old is Biden" are different queries) → its similarity × 0.8,
 *   "near-identical query to record #12". Candidates come from MinHash LSH over the queries' word
 *   unigrams and bigrams, and are confirmed with the exact token diff (lib/detect/near-duplicate.ts).
 * Record numbers in notes are the collection pass's keys (the position of the record in the data set,
 * from 0), which is what a caller maps back to its own record ids.
 *
 * Within a record: a positive identical to its query (after normalisation). In STS and pair data
 * this is an S1 = S2 pair (KorSTS has 5, JSTS 4) — a pair that teaches nothing and, as a positive,
 * is a copy of the anchor. It is flagged here (target "positive", score 1) rather than as a duplicate
 * negative, because nothing is wrong with the negatives; duplicate_negative handles copies among the
 * passages.
 *
 * Memory of the collection pass per record: two 53-bit hashes (16 bytes), the query's token ids and
 * flags (5 bytes a token) and 10 LSH band keys (40 bytes) — ~110 bytes for a 10-word query.
 */
import { z } from "zod";
import { fmix32, hash53, hash53Ints, hashCombine } from "./fasthash";
import { growF64, growU8, growU32 } from "./growable";
import { bandKeys, LshIndex, MinHasher, orderByHash, uniqueSorted } from "./minhash";
import { compareSeqs, type TokenSeq, tokenIds, tokenSeq } from "./near-duplicate";
import type { Detector, DetectRecord, Flag } from "./types";

const VERSION = 1;

export const duplicateRecordOptions = z.object({
  /** Near-identical queries: token similarity (2·LCS/(n+m)) from which two queries are the same. */
  minSimilarity: z.number().min(0.5).max(1).default(0.9),
  /** Look for near-identical (not only identical) queries. */
  near: z.boolean().default(true),
  /** Queries shorter than this many tokens are only matched exactly (a near match of 3 words is noise). */
  nearMinTokens: z.number().int().min(1).default(4),
  /** Only records of the same task count as duplicates (task-homogeneous batches never mix tasks). */
  sameTaskOnly: z.boolean().default(false),
  /** Flag a positive identical to its own query (STS S1 = S2). */
  positiveEqualsQuery: z.boolean().default(true),
  /** A changed word spanning at most this many tokens makes two near queries different. */
  maxEditTokens: z.number().int().min(0).default(3),
});
export type DuplicateRecordOptions = z.infer<typeof duplicateRecordOptions>;

export interface DuplicateInfo {
  firstKey: number;
  kind: "record" | "query" | "near";
  similarity: number;
}

/** What the collection pass yields: the later occurrences, by key. */
export interface DuplicateRecordData {
  later: Map<number, DuplicateInfo>;
  /**
   * Records whose positive is identical to the query, by key: [positive start, end, query start,
   * end]. Found in the collection pass (which tokenises both anyway).
   */
  positiveEqualsQuery?: Map<number, number[]>;
}

const BANDS = 10;
const ROWS = 4;
const hasher = new MinHasher(BANDS * ROWS, 11);

function queryShingles(ids: Uint32Array): Uint32Array {
  const out = new Uint32Array(ids.length * 2);
  let m = 0;
  for (let i = 0; i < ids.length; i++) {
    out[m++] = fmix32(ids[i]! ^ 0x1234567);
    if (i + 1 < ids.length) out[m++] = fmix32(hashCombine(ids[i]!, ids[i + 1]!));
  }
  return uniqueSorted(out.subarray(0, m));
}

interface RecordPrepared {
  ids: Uint32Array;
  flags: Uint8Array;
  qh: number;
  rh: number;
  task: number;
  bands?: Uint32Array;
  /** The positive equals the query: [positive start, end, query start, end]. */
  equal?: number[];
}

/** Equal non-empty token id sequences. */
function sameIds(a: Uint32Array, b: Uint32Array): boolean {
  if (a.length !== b.length || a.length === 0) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class DuplicateRecordCollector {
  private readonly keys = growU32(1024);
  private readonly qHash = growF64(1024);
  private readonly rHash = growF64(1024);
  private readonly taskHash = growF64(1024);
  private readonly tokStart = growU32(1024);
  private readonly tokIds = growU32(8192);
  private readonly tokFlags = growU8(8192);
  private readonly lsh: LshIndex | undefined;
  /** LSH item → record position in this collector. */
  private readonly lshItem = growU32(1024);
  private readonly equal = new Map<number, number[]>();

  constructor(private readonly o: DuplicateRecordOptions) {
    this.lsh = o.near ? new LshIndex({ bands: BANDS, rows: ROWS }) : undefined;
  }

  add(record: DetectRecord, key: number): void {
    this.addPrepared(this.prepare(record), key);
  }

  /** The record's hashes, its query's tokens and (for near matching) the query's LSH band keys. */
  prepare(record: DetectRecord): RecordPrepared {
    const q = tokenSeq(record.query);
    const task = this.o.sameTaskOnly ? hash53((record.task ?? "").trim()) : 0;
    const qh = hash53Ints(q.ids, task % 4294967296);
    const pIds = tokenIds(record.positive.text);
    const ph = hash53Ints(pIds);
    const rh = hash53Ints([
      qh % 4294967296,
      Math.floor(qh / 4294967296),
      ph % 4294967296,
      Math.floor(ph / 4294967296),
    ]);
    const bands =
      this.lsh && q.ids.length >= this.o.nearMinTokens
        ? bandKeys(hasher.signature(queryShingles(q.ids)), BANDS, ROWS)
        : undefined;
    const out: RecordPrepared = { ids: q.ids, flags: q.flags, qh, rh, task, bands };
    if (this.o.positiveEqualsQuery && sameIds(pIds, q.ids)) {
      const ps = tokenSeq(record.positive.text);
      out.equal = [ps.start![0]!, ps.end![ps.ids.length - 1]!, q.start![0]!, q.end![q.ids.length - 1]!];
    }
    return out;
  }

  addPrepared(prepared: unknown, key: number): void {
    const p = prepared as RecordPrepared;
    if (p.equal) this.equal.set(key, p.equal);
    const at = this.keys.length;
    this.keys.push(key);
    this.qHash.push(p.qh);
    if (this.o.sameTaskOnly) this.taskHash.push(p.task);
    this.rHash.push(p.rh);
    this.tokStart.push(this.tokIds.length);
    for (let i = 0; i < p.ids.length; i++) {
      this.tokIds.push(p.ids[i]!);
      this.tokFlags.push(p.flags[i]!);
    }
    if (this.lsh && p.bands) {
      this.lsh.addKeys(p.bands);
      this.lshItem.push(at);
    }
  }

  private seq(i: number): TokenSeq {
    const s = this.tokStart.get(i);
    const e = i + 1 < this.tokStart.length ? this.tokStart.get(i + 1) : this.tokIds.length;
    return { ids: this.tokIds.view().slice(s, e), flags: this.tokFlags.view().slice(s, e) };
  }

  finish(): DuplicateRecordData {
    const n = this.keys.length;
    const later = new Map<number, DuplicateInfo>();
    const keys = this.keys.view();
    // exact: group by hash (low 32 bits radix-sorted, full hash compared within runs), earliest first
    const firstOf = (hashes: Float64Array, kind: "record" | "query") => {
      const { lo, idx } = orderByHash(hashes, n);
      for (let s = 0; s < n; ) {
        let e = s + 1;
        while (e < n && lo[e] === lo[s]) e++;
        for (let x = s + 1; x < e; x++) {
          const ix = idx[x]!;
          if (later.has(keys[ix]!)) continue;
          for (let y = s; y < x; y++) {
            const iy = idx[y]!;
            if (hashes[iy] === hashes[ix]) {
              later.set(keys[ix]!, { firstKey: keys[iy]!, kind, similarity: 1 });
              break;
            }
          }
        }
        s = e;
      }
    };
    firstOf(this.rHash.view(), "record");
    firstOf(this.qHash.view(), "query");
    // near: LSH candidates confirmed by the token diff
    if (this.lsh) {
      const items = this.lshItem.view();
      const qh = this.qHash.view();
      const best = new Map<number, DuplicateInfo>();
      const opts = { minSimilarity: this.o.minSimilarity, maxEditTokens: this.o.maxEditTokens };
      this.lsh.forEachPair((pa, pb) => {
        const a = items[pa]!;
        const b = items[pb]!; // a < b: insertion order is key order
        if (qh[a] === qh[b]) return;
        const kb = keys[b]!;
        if (later.has(kb)) return;
        const m = compareSeqs(this.seq(a), this.seq(b), opts);
        if (!m || m.edit) return;
        if (this.o.sameTaskOnly && !this.sameTask(a, b)) return;
        const prev = best.get(kb);
        if (!prev || keys[a]! < prev.firstKey)
          best.set(kb, { firstKey: keys[a]!, kind: "near", similarity: m.similarity });
      });
      for (const [k, v] of best) if (!later.has(k)) later.set(k, v);
    }
    return { later, positiveEqualsQuery: this.equal };
  }

  /** With sameTaskOnly the task is folded into the exact hashes; near pairs compare it here. */
  private sameTask(a: number, b: number): boolean {
    return this.taskHash.get(a) === this.taskHash.get(b);
  }
}

export const duplicateRecord: Detector<DuplicateRecordOptions, DuplicateRecordData> = {
  defect: "duplicate_record",
  version: VERSION,
  description:
    "The same record, the same query, or a near-identical query seen earlier in the data set (the later one is " +
    "flagged, pointing to the first); and a positive identical to its own query (STS pairs with S1 = S2).",
  optionsSchema: duplicateRecordOptions,
  collect: (o) => new DuplicateRecordCollector(o),
  detect(record, ctx, o): Flag[] {
    const flags: Flag[] = [];
    const detector = `duplicate_record@${VERSION}`;
    const qSpan = (): [number, number] => {
      const qs = tokenSeq(record.query);
      return qs.ids.length ? [qs.start![0]!, qs.end![qs.ids.length - 1]!] : [0, record.query.length];
    };
    if (o.positiveEqualsQuery) {
      // found by the collection pass when there was one
      let equal: number[] | undefined;
      if (ctx.data?.positiveEqualsQuery) equal = ctx.data.positiveEqualsQuery.get(ctx.key);
      else {
        const qs = tokenSeq(record.query);
        const ps = tokenSeq(record.positive.text);
        if (sameIds(ps.ids, qs.ids)) equal = [ps.start![0]!, ps.end![ps.ids.length - 1]!, ...qSpan()];
      }
      if (equal) {
        flags.push({
          defect: "duplicate_record",
          target: "positive",
          score: 1,
          evidence: [
            {
              field: "positive",
              start: equal[0]!,
              end: equal[1]!,
              note: "positive is identical to the query",
            },
            { field: "query", start: equal[2]!, end: equal[3]!, note: "the query it repeats" },
          ],
          detector,
        });
      }
    }
    const info = ctx.data?.later.get(ctx.key);
    if (info) {
      const [s, e] = qSpan();
      const note =
        info.kind === "record"
          ? `same query and positive as record #${info.firstKey}`
          : info.kind === "query"
            ? `same query as record #${info.firstKey}`
            : `near-identical query to record #${info.firstKey} (${Math.round(info.similarity * 100)}% of words shared)`;
      const score = info.kind === "record" ? 1 : info.kind === "query" ? 0.8 : 0.8 * info.similarity;
      flags.push({
        defect: "duplicate_record",
        target: "query",
        score: Math.round(score * 1000) / 1000,
        evidence: [{ field: "query", start: s, end: e, note }],
        detector,
      });
    }
    return flags;
  },
};
