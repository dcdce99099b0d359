/**
 * duplicate_negative: a hard negative that is not a different passage.
 *
 * (a) a negative identical or near-identical to the positive or to an extra positive;
 * (b) a negative identical or near-identical to an earlier negative of the same record (the later
 *     one is flagged);
 * (c) one negative text reused in at least `reuseMinRecords` records of the data set (collector:
 *     exact match after normalisation, plus MinHash LSH for near-identical copies).
 *
 * Identical means equal after normalisation (case, whitespace, punctuation, Unicode width).
 * Near-identical means token similarity ≥ `minSimilarity` (2·LCS/(n+m), 0.9 by default) AND no
 * meaningful edit: a counterfactual negative — the positive with a number, a name or a negation
 * changed ("opens at 9am" / "opens at 10am", "X is Y" / "X is not Y") — is a legitimate hard
 * negative and is never flagged by (a) or (b) (see lib/detect/near-duplicate.ts).
 *
 * Evidence: the negative's span that repeats the other text (from its first to its last shared
 * token), and for (a) with the positive also the positive's span. Notes number negatives from 1.
 * Each negative gets at most one flag, for the first reason that applies: (a), then (b), then (c).
 *
 * STS pairs whose two sentences are identical (S1 = S2) are a duplicate record, not a duplicate
 * negative: see duplicate-record.ts.
 */
import { z } from "zod";
import { clamp01 } from "./common";
import { hash53Ints } from "./fasthash";
import { growF64, growI32 } from "./growable";
import { bandKeys, LshIndex, MinHasher, orderByHash, shingleHashes, UnionFind } from "./minhash";
import {
  compareSeqs,
  type NearMatch,
  overlapBound,
  type TokenSeq,
  tokenIds,
  tokenSeq,
} from "./near-duplicate";
import type { Detector, DetectRecord, Evidence, Flag } from "./types";

const VERSION = 1;

export const duplicateNegativeOptions = z.object({
  /** Token similarity (2·LCS/(n+m)) from which two texts are near-identical. */
  minSimilarity: z.number().min(0.5).max(1).default(0.9),
  /** A changed number/name/negation spanning at most this many words (CJK: characters − 1) is a counterfactual. */
  maxEditTokens: z.number().int().min(0).default(3),
  /** (b): negatives duplicating each other within a record. */
  withinNegatives: z.boolean().default(true),
  /** (c): one negative reused across records. */
  reuse: z.boolean().default(true),
  /** (c): flag a negative found in at least this many records (K). */
  reuseMinRecords: z.number().int().min(2).default(3),
  /** (c): also count near-identical copies (MinHash LSH; 76 bytes per negative instead of 12). */
  reuseNear: z.boolean().default(true),
  /** (c): estimated shingle Jaccard from which copies count as the same text. */
  reuseNearSimilarity: z.number().min(0.5).max(1).default(0.8),
  /** (c): shorter negatives (in tokens) are not counted — a label or a stock phrase is reused by nature. */
  reuseMinTokens: z.number().int().min(1).default(5),
  /** (c): families whose negatives are labels or categories, reused by design. */
  reuseSkipFamilies: z.array(z.string()).default(["long-short", "classification", "clustering"]),
});
export type DuplicateNegativeOptions = z.infer<typeof duplicateNegativeOptions>;

/** What the collection pass keeps for (c): normalised-text hash → records that hold it. */
export interface ReuseData {
  byHash: Map<number, { records: number; firstKey: number }>;
  /** Negatives counted and the memory they took (for reports). */
  occurrences: number;
  /** The records holding a negative of `byHash` (only these are tokenised again for (c)). */
  reusedKeys?: Set<number>;
  /**
   * Flags (a) and (b), by key: record-local, so they are found in the collection pass (which
   * tokenises the negatives anyway) instead of tokenising every passage again in detection.
   */
  within?: Map<number, Flag[]>;
}

/**
 * Token 2-shingles for reuse: one dropped word in a 25-word negative keeps Jaccard ~0.88 (3-shingles:
 * ~0.8, at the edge of the LSH threshold); unrelated passages stay far below.
 */
const REUSE_SHINGLE = 2;
const LSH_BANDS = 16;
const LSH_ROWS = 8;
const hasher = new MinHasher(LSH_BANDS * LSH_ROWS, 7);

interface ReusePrepared {
  hashes: number[];
  bands?: Uint32Array;
  within?: Flag[];
}

/** Collector for (c). Memory: 12 bytes per negative, plus 64 with `reuseNear`. */
export class ReuseCollector {
  private readonly hashes = growF64(1024);
  private readonly keys = growI32(1024);
  private readonly lsh: LshIndex | undefined;
  private readonly scratch = new Uint32Array(LSH_BANDS);
  private readonly within = new Map<number, Flag[]>();
  private shingles = new Uint32Array(1024);
  private readonly sig = new Uint32Array(LSH_BANDS * LSH_ROWS);

  constructor(private readonly o: DuplicateNegativeOptions) {
    this.lsh = o.reuse && o.reuseNear ? new LshIndex({ bands: LSH_BANDS, rows: LSH_ROWS }) : undefined;
  }

  add(record: DetectRecord, key: number): void {
    this.addPrepared(this.prepare(record), key);
  }

  /**
   * The record's flags (a) and (b), its distinct negative hashes and (with `reuseNear`) their LSH
   * band keys.
   */
  prepare(record: DetectRecord): ReusePrepared {
    const negIds = record.negatives.map((n) => tokenIds(n.text));
    const within = withinRecord(record, this.o, negIds);
    const out: ReusePrepared = { hashes: [] };
    if (within.length) out.within = within;
    if (!this.o.reuse || this.o.reuseSkipFamilies.includes(record.taskFamily)) return out;
    const seen = new Set<number>();
    const hashes = out.hashes;
    const bands = this.lsh ? new Uint32Array(LSH_BANDS * record.negatives.length) : undefined;
    for (const ids of negIds) {
      if (ids.length < this.o.reuseMinTokens) continue;
      const h = hash53Ints(ids);
      if (seen.has(h)) continue;
      seen.add(h);
      if (bands) {
        // the signature of shinglesOf(ids), without sorting the shingles (a minimum needs no order)
        if (this.shingles.length < ids.length) this.shingles = new Uint32Array(ids.length * 2);
        const sig = hasher.signature(shingleHashes(ids, REUSE_SHINGLE, this.shingles), this.sig);
        bands.set(bandKeys(sig, LSH_BANDS, LSH_ROWS, this.scratch), hashes.length * LSH_BANDS);
      }
      hashes.push(h);
    }
    if (bands) out.bands = bands.slice(0, hashes.length * LSH_BANDS);
    return out;
  }

  addPrepared(prepared: unknown, key: number): void {
    const p = prepared as ReusePrepared;
    if (p.within) this.within.set(key, p.within);
    for (let i = 0; i < p.hashes.length; i++) {
      this.hashes.push(p.hashes[i]!);
      this.keys.push(key);
      if (this.lsh && p.bands) this.lsh.addKeys(p.bands.subarray(i * LSH_BANDS, (i + 1) * LSH_BANDS));
    }
  }

  finish(): ReuseData {
    const n = this.hashes.length;
    const hashes = this.hashes.view();
    const keys = this.keys.view();
    const uf = new UnionFind(n);
    // exact copies: radix sort by the low 32 bits, then confirm the high bits within each run
    const { lo, idx } = orderByHash(hashes, n);
    for (let s = 0; s < n; ) {
      let e = s + 1;
      while (e < n && lo[e] === lo[s]) e++;
      for (let x = s + 1; x < e; x++) {
        const h = hashes[idx[x]!];
        if (h === hashes[idx[s]!]) {
          uf.union(idx[x]!, idx[s]!);
          continue;
        }
        // the low 32 bits collide but not the text: look back a little for its own copies
        for (let y = x - 1; y > s && y >= x - 64; y--) {
          if (hashes[idx[y]!] === h) {
            uf.union(idx[x]!, idx[y]!);
            break;
          }
        }
      }
      s = e;
    }
    if (this.lsh) {
      const minShared = this.lsh.minSharedBands(this.o.reuseNearSimilarity);
      this.lsh.forEachPair((a, b, shared) => {
        if (shared >= minShared) uf.union(a, b);
      });
    }
    // distinct records per cluster (occurrences arrive in key order)
    const count = new Int32Array(n);
    const lastKey = new Int32Array(n).fill(-1);
    const firstKey = new Int32Array(n).fill(-1);
    const roots = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const r = uf.find(i);
      roots[i] = r;
      if (lastKey[r] !== keys[i]) {
        count[r]!++;
        lastKey[r] = keys[i]!;
        if (firstKey[r] === -1) firstKey[r] = keys[i]!;
      }
    }
    const byHash = new Map<number, { records: number; firstKey: number }>();
    for (let i = 0; i < n; i++) {
      const r = roots[i]!;
      if (count[r]! >= this.o.reuseMinRecords)
        byHash.set(hashes[i]!, { records: count[r]!, firstKey: firstKey[r]! });
    }
    const reusedKeys = new Set<number>();
    if (byHash.size) for (let i = 0; i < n; i++) if (byHash.has(hashes[i]!)) reusedKeys.add(keys[i]!);
    return { byHash, occurrences: n, reusedKeys, within: this.within };
  }
}

function span(seq: TokenSeq, from = 0, to = seq.ids.length): [number, number] {
  if (to <= from || !seq.start || !seq.end) return [0, 0]; // no token: an empty span
  return [seq.start[from]!, seq.end[to - 1]!];
}

/** Text of the negative's first differing hunk, for the note. */
function diffSnippet(neg: TokenSeq, negText: string, m: NearMatch, negIsB: boolean): string {
  const h = m.hunks[0];
  if (!h || !neg.start || !neg.end) return "";
  const [s, e] = negIsB ? [h.bStart, h.bEnd] : [h.aStart, h.aEnd];
  if (e <= s) return "";
  const t = negText.slice(neg.start[s]!, neg.end[e - 1]!);
  return t.length > 40 ? `${t.slice(0, 39)}…` : t;
}

function describeMatch(m: NearMatch, what: string, snippet: string): string {
  if (m.reordered)
    return `same words as ${what} in another order (${Math.round(m.similarity * 100)}% shared)`;
  if (m.hunks.length === 0) return `identical to ${what}`;
  const pct = Math.round(m.similarity * 100);
  return `near-identical to ${what} (${pct}% of words shared${snippet ? `; differs at “${snippet}”` : ""})`;
}

/** Token ids as a sequence for `overlapBound` (no flags or offsets), with a 4096-bit id filter. */
type Bare = TokenSeq & { bits?: Uint32Array };
const bare = (ids: Uint32Array): Bare => ({ ids, flags: EMPTY_FLAGS });
const EMPTY_FLAGS = new Uint8Array(0);

function bitsOf(s: Bare): Uint32Array {
  if (!s.bits) {
    const bits = new Uint32Array(128);
    for (let i = 0; i < s.ids.length; i++) {
      const id = s.ids[i]!;
      bits[(id >>> 5) & 127]! |= 1 << (id & 31);
    }
    s.bits = bits;
  }
  return s.bits;
}

/** Tokens of `a` whose bit is set in `b`'s filter (at least the tokens `a` shares with `b`). */
function sharedBits(a: Bare, b: Bare): number {
  const bits = bitsOf(b);
  let shared = 0;
  for (let i = 0; i < a.ids.length; i++) {
    const id = a.ids[i]!;
    if (bits[(id >>> 5) & 127]! & (1 << (id & 31))) shared++;
  }
  return shared;
}

/**
 * An upper bound of `overlapBound` without sorting: a token of `a` can only be shared with `b` when
 * its bit is set in `b`'s filter, and the other way round.
 */
function filterBound(a: Bare, b: Bare): number {
  const n = a.ids.length + b.ids.length;
  const ab = sharedBits(a, b);
  if ((2 * ab) / n < 0.5) return (2 * ab) / n;
  return (2 * Math.min(ab, sharedBits(b, a))) / n;
}

/**
 * Whether `compareSeqs` could find a match at all, from the token ids alone (its own cheap exits:
 * lengths too far apart, or a multiset overlap below the threshold). False means it returns undefined.
 */
function mayMatch(a: Bare, b: Bare, minSimilarity: number): boolean {
  const n = a.ids.length;
  const m = b.ids.length;
  if (n + m === 0) return true;
  if ((2 * Math.min(n, m)) / (n + m) < minSimilarity) return false;
  let same = n === m;
  for (let i = 0; same && i < n; i++) if (a.ids[i] !== b.ids[i]) same = false;
  if (same) return true;
  if (filterBound(a, b) < minSimilarity) return false;
  return overlapBound(a, b) >= minSimilarity;
}

/** A duplicate_negative flag on negative i (score rounded to 3 decimals). */
function negativeFlag(i: number, score: number, evidence: Evidence[]): Flag {
  return {
    defect: "duplicate_negative",
    target: "negative",
    negativeIndex: i,
    score: Math.round(clamp01(score) * 1000) / 1000,
    evidence,
    detector: `duplicate_negative@${VERSION}`,
  };
}

/**
 * Flags (a) and (b) of one record. `negIds` are the negatives' token ids; full token sequences
 * (flags and offsets) are built only for the pairs that can match.
 */
function withinRecord(record: DetectRecord, o: DuplicateNegativeOptions, negIds: Uint32Array[]): Flag[] {
  const negatives = record.negatives;
  if (negatives.length === 0) return [];
  const near = { minSimilarity: o.minSimilarity, maxEditTokens: o.maxEditTokens };
  const positives = [record.positive, ...record.extraPositives];
  const negBare = negIds.map(bare);
  const posBare = positives.map((p) => bare(tokenIds(p.text)));
  const negSeq = (i: number) => tokenSeq(negatives[i]!.text);
  const posSeq = (p: number) => tokenSeq(positives[p]!.text);
  const flags: Flag[] = [];
  const flagged = new Set<number>();
  const flag = (i: number, score: number, evidence: Evidence[]) => {
    flagged.add(i);
    flags.push(negativeFlag(i, score, evidence));
  };

  // (a) against the positives
  for (let i = 0; i < negatives.length; i++) {
    for (let p = 0; p < positives.length; p++) {
      if (!mayMatch(posBare[p]!, negBare[i]!, near.minSimilarity)) continue;
      const neg = negSeq(i);
      const m = compareSeqs(posSeq(p), neg, near);
      if (!m || m.edit) continue;
      const what = p === 0 ? "the positive" : `extra positive ${p}`;
      const [s, e] = span(neg);
      const ev: Evidence[] = [
        {
          field: "negative",
          negativeIndex: i,
          start: s,
          end: e,
          note: describeMatch(m, what, diffSnippet(neg, negatives[i]!.text, m, true)),
        },
      ];
      if (p === 0) {
        const [ps, pe] = span(posSeq(0));
        ev.push({ field: "positive", start: ps, end: pe, note: `repeated by negative ${i + 1}` });
      }
      flag(i, m.similarity, ev);
      break;
    }
  }

  // (b) negatives repeating an earlier negative
  if (o.withinNegatives) {
    for (let j = 1; j < negatives.length; j++) {
      if (flagged.has(j)) continue;
      for (let i = 0; i < j; i++) {
        if (!mayMatch(negBare[i]!, negBare[j]!, near.minSimilarity)) continue;
        const a = negSeq(i);
        const b = negSeq(j);
        const m = compareSeqs(a, b, near);
        if (!m || m.edit) continue;
        const [s, e] = span(b);
        const [s0, e0] = span(a);
        flag(j, m.similarity, [
          {
            field: "negative",
            negativeIndex: j,
            start: s,
            end: e,
            note: describeMatch(m, `negative ${i + 1}`, diffSnippet(b, negatives[j]!.text, m, true)),
          },
          {
            field: "negative",
            negativeIndex: i,
            start: s0,
            end: e0,
            note: `repeated by negative ${j + 1}`,
          },
        ]);
        break;
      }
    }
  }
  return flags;
}

export const duplicateNegative: Detector<DuplicateNegativeOptions, ReuseData> = {
  defect: "duplicate_negative",
  version: VERSION,
  description:
    "A negative identical or near-identical to the positive (or an extra positive), to another negative of " +
    "the record, or reused across many records. Counterfactual negatives (a number, name or negation changed) " +
    "are legitimate and not flagged.",
  optionsSchema: duplicateNegativeOptions,
  collect: (o) => new ReuseCollector(o),
  detect(record, ctx, o): Flag[] {
    const negatives = record.negatives;
    if (negatives.length === 0) return [];
    // (a) and (b): found by the collection pass when there was one
    const within =
      ctx.data?.within !== undefined
        ? (ctx.data.within.get(ctx.key) ?? [])
        : withinRecord(
            record,
            o,
            negatives.map((n) => tokenIds(n.text)),
          );
    const flags: Flag[] = within.slice();
    const flagged = new Set<number>(within.map((f) => f.negativeIndex!));
    const flag = (i: number, score: number, evidence: Evidence[]) => {
      flagged.add(i);
      flags.push(negativeFlag(i, score, evidence));
    };

    // (c) reused across records
    const reuse = ctx.data?.byHash;
    if (
      o.reuse &&
      reuse &&
      reuse.size > 0 &&
      !o.reuseSkipFamilies.includes(record.taskFamily) &&
      (!ctx.data.reusedKeys || ctx.data.reusedKeys.has(ctx.key))
    ) {
      const negSeqs = negatives.map((n) => tokenSeq(n.text));
      for (let i = 0; i < negatives.length; i++) {
        if (flagged.has(i)) continue;
        const ids = negSeqs[i]!.ids;
        if (ids.length < o.reuseMinTokens) continue;
        const hit = reuse.get(hash53Ints(ids));
        if (!hit || hit.records < o.reuseMinRecords) continue;
        const others = hit.records - 1;
        const first = hit.firstKey === ctx.key ? "" : `; first in record #${hit.firstKey}`;
        const [s, e] = span(negSeqs[i]!);
        // 0.6 at K records, 1 from 2K on
        const score = 0.6 + (0.4 * (hit.records - o.reuseMinRecords)) / Math.max(1, o.reuseMinRecords);
        flag(i, score, [
          {
            field: "negative",
            negativeIndex: i,
            start: s,
            end: e,
            note: `also in ${others} other record${others === 1 ? "" : "s"}${first}`,
          },
        ]);
      }
    }
    return flags.sort((x, y) => x.negativeIndex! - y.negativeIndex!);
  },
};
