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
import { bandKeys, LshIndex, MinHasher, orderByHash, shinglesOf, UnionFind } from "./minhash";
import { compareSeqs, type NearMatch, type TokenSeq, tokenIds, tokenSeq } from "./near-duplicate";
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
}

/**
 * Token 2-shingles for reuse: one dropped word in a 25-word negative keeps Jaccard ~0.88 (3-shingles:
 * ~0.8, at the edge of the LSH threshold); unrelated passages stay far below.
 */
const REUSE_SHINGLE = 2;
const LSH_BANDS = 16;
const LSH_ROWS = 8;
const hasher = new MinHasher(LSH_BANDS * LSH_ROWS, 7);

/** Collector for (c). Memory: 12 bytes per negative, plus 64 with `reuseNear`. */
export class ReuseCollector {
  private readonly hashes = growF64(1024);
  private readonly keys = growI32(1024);
  private readonly lsh: LshIndex | undefined;
  private readonly scratch = new Uint32Array(LSH_BANDS);

  constructor(private readonly o: DuplicateNegativeOptions) {
    this.lsh = o.reuse && o.reuseNear ? new LshIndex({ bands: LSH_BANDS, rows: LSH_ROWS }) : undefined;
  }

  add(record: DetectRecord, key: number): void {
    if (!this.o.reuse || this.o.reuseSkipFamilies.includes(record.taskFamily)) return;
    const seen = new Set<number>();
    for (const n of record.negatives) {
      const ids = tokenIds(n.text);
      if (ids.length < this.o.reuseMinTokens) continue;
      const h = hash53Ints(ids);
      if (seen.has(h)) continue;
      seen.add(h);
      this.hashes.push(h);
      this.keys.push(key);
      if (this.lsh) {
        const sig = hasher.signature(shinglesOf(ids, REUSE_SHINGLE));
        this.lsh.addKeys(bandKeys(sig, LSH_BANDS, LSH_ROWS, this.scratch));
      }
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
      for (const p of this.lsh.pairs()) if (p.shared >= minShared) uf.union(p.a, p.b);
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
    return { byHash, occurrences: n };
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
    const near = { minSimilarity: o.minSimilarity, maxEditTokens: o.maxEditTokens };
    const negSeqs = negatives.map((n) => tokenSeq(n.text));
    const positives = [record.positive, ...record.extraPositives];
    const posSeqs = positives.map((p) => tokenSeq(p.text));
    const flags: Flag[] = [];
    const flagged = new Set<number>();
    const flag = (i: number, score: number, evidence: Evidence[]) => {
      flagged.add(i);
      flags.push({
        defect: "duplicate_negative",
        target: "negative",
        negativeIndex: i,
        score: Math.round(clamp01(score) * 1000) / 1000,
        evidence,
        detector: `duplicate_negative@${VERSION}`,
      });
    };

    // (a) against the positives
    for (let i = 0; i < negatives.length; i++) {
      const neg = negSeqs[i]!;
      for (let p = 0; p < positives.length; p++) {
        const m = compareSeqs(posSeqs[p]!, neg, near);
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
          const [ps, pe] = span(posSeqs[0]!);
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
          const m = compareSeqs(negSeqs[i]!, negSeqs[j]!, near);
          if (!m || m.edit) continue;
          const [s, e] = span(negSeqs[j]!);
          const [s0, e0] = span(negSeqs[i]!);
          flag(j, m.similarity, [
            {
              field: "negative",
              negativeIndex: j,
              start: s,
              end: e,
              note: describeMatch(
                m,
                `negative ${i + 1}`,
                diffSnippet(negSeqs[j]!, negatives[j]!.text, m, true),
              ),
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

    // (c) reused across records
    const reuse = ctx.data?.byHash;
    if (o.reuse && reuse && reuse.size > 0 && !o.reuseSkipFamilies.includes(record.taskFamily)) {
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
