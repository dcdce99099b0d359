/**
 * MinHash signatures and an LSH index for near-duplicate search over millions of passages.
 *
 * Shingles (`shingleSet`), over the normalised tokens of lib/detect/tokens.ts (lower case, NFKC,
 * no punctuation or whitespace, so those kinds of noise never lower a similarity):
 * - spaced scripts (and Korean, whose eojeol are space-separated): word 3-shingles; texts of fewer
 *   than 3 words are one shingle of all their words;
 * - Chinese and Japanese (at least 30% of tokens are Han/Kana characters): character 3-grams over
 *   the token sequence (a Latin word or a number inside the text counts as one unit). Chinese words
 *   average ~1.6 characters, so a 3-gram spans about two words — the analogue of word 2-3-shingles.
 *   Measured on test/fixtures/real/zh_t2ranking_100.jsonl (7,500 pairs of different passages for the
 *   same query, i.e. topically close) against copies of its passages (first 200 characters) with one
 *   or three characters dropped:
 *
 *     n   related pairs p99 / p99.9   1 char dropped: min / p5   3 chars dropped: min / p5
 *     2   0.09 / 0.36                 0.88 / 0.94                0.80 / 0.91
 *     3   0.05 / 0.30                 0.81 / 0.91                0.77 / 0.87
 *     4   0.03 / 0.27                 0.73 / 0.87                0.65 / 0.84
 *     5   0.02 / 0.25                 0.65 / 0.83                0.58 / 0.80
 *
 *   2- and 3-grams separate near-duplicates from related passages equally well (gap ~0.5); 3-grams
 *   put related passages lower (fewer LSH candidates), 4-5-grams lose near-duplicates of short texts.
 *   (The related pairs' maximum, 0.85, is a real near-duplicate pair of positives in that file.)
 *
 * Signatures (`MinHasher`): one-permutation hashing with optimal densification (Shrivastava 2017):
 * each shingle is hashed once into one of k bins, the minimum per bin is kept, and empty bins borrow
 * from a pseudo-random non-empty bin chosen by a fixed probe sequence. Collision probability per
 * position equals the Jaccard similarity as for k independent permutations, at O(shingles + k)
 * instead of O(shingles × k): ~15× faster for 200-word passages and k = 128 (bench/minhash.ts).
 *
 * LSH (`LshIndex`): b bands of r rows; an item stores only its b band keys (32-bit hashes of r
 * signature values) — b·4 bytes per item (64 bytes for 16 bands), never the signature. Buckets are
 * found by radix-sorting each band's keys. Candidate pairs carry how many bands they share, which
 * estimates similarity without the signatures: P(band match) = s^r, so shared/b ≈ s^r.
 * `pairs()` therefore can confirm pairs by band agreement; callers that hold the texts (or shingle
 * sets) confirm with the exact Jaccard (`jaccard`) instead.
 */
import { fmix32, hash32, hashCombine } from "./fasthash";
import { type Growable, growU32 } from "./growable";
import { forEachToken, TOKEN_CJK } from "./tokens";

export interface ShingleOptions {
  /** "auto": char n-grams for Chinese/Japanese, word shingles otherwise. */
  mode?: "auto" | "word" | "char";
  wordN?: number;
  charN?: number;
  /** Share of Han/Kana tokens from which "auto" treats a text as Chinese/Japanese. */
  cjkShare?: number;
}

const SHINGLE_SEED = 0x9e3779b9;

/** Sorted, unique 32-bit shingle hashes of a text. */
export function shingleSet(text: string, options: ShingleOptions = {}): Uint32Array {
  const hashes: number[] = [];
  let cjk = 0;
  forEachToken(text, (t, _s, _e, kind) => {
    hashes.push(hash32(t, SHINGLE_SEED));
    if (kind === TOKEN_CJK) cjk++;
  });
  const mode = options.mode ?? "auto";
  const useChar = mode === "char" || (mode === "auto" && cjk >= (options.cjkShare ?? 0.3) * hashes.length);
  const n = useChar ? (options.charN ?? 3) : (options.wordN ?? 3);
  return shinglesOf(hashes, n);
}

/** Shingles of width n over a sequence of token hashes (all tokens as one shingle if fewer than n). */
export function shinglesOf(tokens: ArrayLike<number>, n: number): Uint32Array {
  const len = tokens.length;
  if (len === 0) return new Uint32Array(0);
  const width = Math.min(n, len);
  const out = new Uint32Array(len - width + 1);
  for (let i = 0; i + width <= len; i++) {
    let h = width;
    for (let j = 0; j < width; j++) h = hashCombine(h, tokens[i + j]!);
    out[i] = fmix32(h);
  }
  return uniqueSorted(out);
}

/**
 * The shingle hashes of `shinglesOf`, neither sorted nor deduplicated (into `out` when it is big
 * enough): what a MinHash signature needs, since neither order nor repeats change a minimum.
 */
export function shingleHashes(tokens: ArrayLike<number>, n: number, out?: Uint32Array): Uint32Array {
  const len = tokens.length;
  if (len === 0) return new Uint32Array(0);
  const width = Math.min(n, len);
  const count = len - width + 1;
  const buf = out && out.length >= count ? out : new Uint32Array(count);
  for (let i = 0; i + width <= len; i++) {
    let h = width;
    for (let j = 0; j < width; j++) h = hashCombine(h, tokens[i + j]!);
    buf[i] = fmix32(h);
  }
  return buf.subarray(0, count);
}

export function uniqueSorted(a: Uint32Array): Uint32Array {
  a.sort();
  let m = 0;
  for (let i = 0; i < a.length; i++) if (i === 0 || a[i] !== a[m - 1]) a[m++] = a[i]!;
  return a.subarray(0, m);
}

/** Exact Jaccard similarity of two sorted unique sets (1 for two empty sets). */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 1;
  let i = 0;
  let j = 0;
  let inter = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      inter++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return inter / (a.length + b.length - inter);
}

/** Densification probes precomputed per bin (a bin rarely needs more). */
const PROBES = 4;

/** MinHash signatures by one-permutation hashing with optimal densification. */
export class MinHasher {
  readonly k: number;
  private readonly seed: number;

  /** Scratch: which bins a signature filled. */
  private readonly filled: Uint8Array;
  /** 32 − log2(k) when k is a power of two (then bins are the top bits of a hash), else −1. */
  private readonly shift: number;

  /** The first PROBES bins of each bin's densification probe sequence (bin·PROBES + attempt − 1). */
  private readonly probes: Int32Array;

  constructor(k = 128, seed = 1) {
    if (!Number.isInteger(k) || k < 1) throw new Error("MinHasher: k must be a positive integer");
    this.k = k;
    this.seed = seed;
    this.filled = new Uint8Array(k);
    // k = 1: h >>> 32 would be h itself (shifts are mod 32), so the float path
    this.shift = k > 1 && (k & (k - 1)) === 0 ? 32 - Math.log2(k) : -1;
    this.probes = new Int32Array(k * PROBES);
    for (let i = 0; i < k; i++)
      for (let attempt = 1; attempt <= PROBES; attempt++)
        this.probes[i * PROBES + attempt - 1] = this.probe(i, attempt);
  }

  /** Bin `i`'s `attempt`-th probe: the same sequence for every text. */
  private probe(i: number, attempt: number): number {
    return Math.floor((fmix32(hashCombine(i + 1, attempt) ^ this.seed) / 4294967296) * this.k);
  }

  /** The signature of a set of shingle hashes (into `out` when it holds exactly k values). */
  signature(shingles: Uint32Array, out?: Uint32Array): Uint32Array {
    const k = this.k;
    const sig = out && out.length === k ? out.fill(0xffffffff) : new Uint32Array(k).fill(0xffffffff);
    if (shingles.length === 0) return sig;
    const filled = this.filled;
    filled.fill(0);
    const shift = this.shift;
    let nonEmpty = 0;
    for (let i = 0; i < shingles.length; i++) {
      const h = fmix32(shingles[i]! ^ this.seed);
      // floor(h / 2^32 · k): for a power of two k, the top bits of h
      const bin = shift >= 0 ? h >>> shift : Math.floor((h / 4294967296) * k);
      const v = fmix32(h ^ 0x5bd1e995);
      if (!filled[bin]) {
        filled[bin] = 1;
        nonEmpty++;
        sig[bin] = v;
      } else if (v < sig[bin]!) sig[bin] = v;
    }
    if (nonEmpty < k) {
      for (let i = 0; i < k; i++) {
        if (filled[i]) continue;
        // the same probe sequence for every text: bin i looks at bins chosen by hash(i, attempt)
        for (let attempt = 1; ; attempt++) {
          const j =
            attempt <= PROBES ? (this.probes[i * PROBES + attempt - 1] as number) : this.probe(i, attempt);
          if (filled[j]) {
            sig[i] = sig[j]!;
            break;
          }
        }
      }
    }
    return sig;
  }
}

/** Share of equal positions: the MinHash estimate of Jaccard similarity. */
export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let eq = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) eq++;
  return eq / a.length;
}

/** Band keys of a signature: one 32-bit hash per band of `rows` values. */
export function bandKeys(
  sig: Uint32Array,
  bands: number,
  rows: number,
  out: Uint32Array = new Uint32Array(bands),
): Uint32Array {
  for (let b = 0; b < bands; b++) {
    let h = b;
    for (let r = 0; r < rows; r++) h = hashCombine(h, sig[b * rows + r]!);
    out[b] = fmix32(h);
  }
  return out;
}

/**
 * Positions 0..n-1 ordered by the low 32 bits of their 53-bit hashes (equal hashes end up adjacent;
 * callers confirm the full hash within each run of equal `lo`).
 */
export function orderByHash(hashes: Float64Array, n: number): { lo: Uint32Array; idx: Uint32Array } {
  const lo = new Uint32Array(n);
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    lo[i] = hashes[i]! % 4294967296;
    idx[i] = i;
  }
  radixSortPairs(lo, idx);
  return { lo, idx };
}

/** Sorts `keys` ascending with `vals` alongside (LSD radix sort, 4 passes of 8 bits). */
export function radixSortPairs(keys: Uint32Array, vals: Uint32Array): void {
  const n = keys.length;
  let k1: Uint32Array = keys;
  let v1: Uint32Array = vals;
  let k2: Uint32Array = new Uint32Array(n);
  let v2: Uint32Array = new Uint32Array(n);
  const count = new Uint32Array(256);
  for (let shift = 0; shift < 32; shift += 8) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(k1[i]! >>> shift) & 255]!++;
    let sum = 0;
    for (let c = 0; c < 256; c++) {
      const x = count[c]!;
      count[c] = sum;
      sum += x;
    }
    for (let i = 0; i < n; i++) {
      const at = count[(k1[i]! >>> shift) & 255]!++;
      k2[at] = k1[i]!;
      v2[at] = v1[i]!;
    }
    [k1, k2] = [k2, k1];
    [v1, v2] = [v2, v1];
  }
  // after 4 passes the sorted data is back in the original arrays
}

export interface LshOptions {
  bands?: number;
  rows?: number;
  /** Buckets larger than this emit a chain (each member with the next) instead of all pairs. */
  maxBucketPairs?: number;
}

/** A candidate pair of item ids (a < b) and the number of bands they share. */
export interface CandidatePair {
  a: number;
  b: number;
  shared: number;
}

/**
 * Counts of unordered id pairs in an open-addressing hash table over typed arrays (linear probing,
 * grown at 70% load): memory is ~13 bytes per slot, and it holds as many pairs as memory allows.
 */
class PairCounts {
  private lo = new Uint32Array(1 << 16);
  private hi = new Uint32Array(1 << 16);
  private n = new Uint8Array(1 << 16);
  private size = 0;

  add(x: number, y: number): void {
    const a = Math.min(x, y);
    const b = Math.max(x, y);
    if (this.size * 10 >= this.lo.length * 7) this.grow();
    this.insert(a + 1, b, 1);
  }

  private insert(a1: number, b: number, c: number): void {
    const mask = this.lo.length - 1;
    let i = (Math.imul(a1, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) & mask;
    for (;;) {
      const k = this.lo[i]!;
      if (k === 0) {
        this.lo[i] = a1;
        this.hi[i] = b;
        this.n[i] = c;
        this.size++;
        return;
      }
      if (k === a1 && this.hi[i] === b) {
        this.n[i] = Math.min(255, this.n[i]! + c);
        return;
      }
      i = (i + 1) & mask;
    }
  }

  private grow(): void {
    const { lo, hi, n } = this;
    this.lo = new Uint32Array(lo.length * 2);
    this.hi = new Uint32Array(lo.length * 2);
    this.n = new Uint8Array(lo.length * 2);
    this.size = 0;
    for (let i = 0; i < lo.length; i++) if (lo[i] !== 0) this.insert(lo[i]!, hi[i]!, n[i]!);
  }

  forEach(fn: (a: number, b: number, count: number) => void): void {
    for (let i = 0; i < this.lo.length; i++)
      if (this.lo[i] !== 0) fn(this.lo[i]! - 1, this.hi[i]!, this.n[i]!);
  }
}

/**
 * LSH over band keys. Items are numbered in insertion order (0, 1, …); `add` takes a signature of
 * bands × rows values and keeps only its band keys.
 */
export class LshIndex {
  readonly bands: number;
  readonly rows: number;
  private readonly maxBucketPairs: number;
  private readonly keys: Growable<Uint32Array>;
  private readonly scratch: Uint32Array;
  private count = 0;

  constructor(options: LshOptions = {}) {
    this.bands = options.bands ?? 16;
    this.rows = options.rows ?? 8;
    this.maxBucketPairs = options.maxBucketPairs ?? 50;
    this.keys = growU32(1024 * this.bands);
    this.scratch = new Uint32Array(this.bands);
  }

  get size(): number {
    return this.count;
  }

  /** Bytes held per item (band keys only). */
  get bytesPerItem(): number {
    return this.bands * 4;
  }

  add(signature: Uint32Array): number {
    if (signature.length < this.bands * this.rows) {
      throw new Error(`LshIndex: signature of ${signature.length} values, need ${this.bands * this.rows}`);
    }
    bandKeys(signature, this.bands, this.rows, this.scratch);
    for (let b = 0; b < this.bands; b++) this.keys.push(this.scratch[b]!);
    return this.count++;
  }

  /** Adds an item by its precomputed band keys. */
  addKeys(keys: Uint32Array): number {
    for (let b = 0; b < this.bands; b++) this.keys.push(keys[b]!);
    return this.count++;
  }

  /** Candidate pairs with their shared-band counts, each pair once. */
  pairs(): CandidatePair[] {
    const out: CandidatePair[] = [];
    this.forEachPair((a, b, shared) => out.push({ a, b, shared }));
    return out;
  }

  /**
   * Calls `fn(a, b, shared)` once per candidate pair (a < b). Pair counts live in a typed-array hash
   * table, not a Map: a million records' negatives can yield more distinct pairs than a Map may hold
   * (2^24), and no object is made per pair.
   */
  forEachPair(fn: (a: number, b: number, shared: number) => void): void {
    const n = this.count;
    const all = this.keys.view();
    const counts = new PairCounts();
    const bandKeys = new Uint32Array(n);
    const ids = new Uint32Array(n);
    for (let band = 0; band < this.bands; band++) {
      for (let i = 0; i < n; i++) {
        bandKeys[i] = all[i * this.bands + band]!;
        ids[i] = i;
      }
      radixSortPairs(bandKeys, ids);
      for (let s = 0; s < n; ) {
        let e = s + 1;
        while (e < n && bandKeys[e] === bandKeys[s]) e++;
        const size = e - s;
        if (size > 1) {
          if (size <= this.maxBucketPairs) {
            for (let x = s; x < e; x++) for (let y = x + 1; y < e; y++) counts.add(ids[x]!, ids[y]!);
          } else {
            for (let x = s; x + 1 < e; x++) counts.add(ids[x]!, ids[x + 1]!);
          }
        }
        s = e;
      }
    }
    counts.forEach(fn);
  }

  /**
   * Estimated similarity from a shared-band count: shared/bands ≈ s^rows, so s ≈ (shared/bands)^(1/rows).
   * Coarse (a handful of bands), but needs no signatures.
   */
  similarityFromBands(shared: number): number {
    return (shared / this.bands) ** (1 / this.rows);
  }

  /** The least number of shared bands whose estimate reaches `threshold`. */
  minSharedBands(threshold: number): number {
    return Math.max(1, Math.ceil(threshold ** this.rows * this.bands - 1e-9));
  }
}

/** Union-find over item ids, with path halving. */
export class UnionFind {
  readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = new Int32Array(n);
    for (let i = 0; i < n; i++) this.parent[i] = i;
  }
  find(x: number): number {
    const p = this.parent;
    while (p[x] !== x) {
      p[x] = p[p[x]!]!;
      x = p[x]!;
    }
    return x;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    // the smaller id becomes the root, so a root is its cluster's first item
    if (ra < rb) this.parent[rb] = ra;
    else this.parent[ra] = rb;
  }
}
