/**
 * Finding a (nearly) verbatim copy of a short text (a query, a task definition) inside a longer one.
 * Used by query_leakage and instruction_echo.
 *
 * Space-separated text is compared word by word (case-folded, NFKC; a word also matches its
 * inflected form when one is a prefix of the other by at most 3 letters: "plan"/"plans"); text in
 * Han, Kana or Hangul is compared character by character after `normalizeForMatch` (punctuation
 * and spaces dropped). The copy is the best local alignment (Smith-Waterman: matches score, extra
 * words on either side and substitutions cost), so a copy with a changed word, a dropped word or a
 * short insertion is still found, while the same words scattered over a passage are not.
 * Function words weigh a quarter of a content word in both the score and the coverage.
 *
 * Cost: a filter first keeps only target windows that hold enough of the source (matching words,
 * or source character bigrams), and the alignment runs on those; sources over 48 units (a long-long
 * input) are matched by shingles instead.
 */
import { forEachWord, normalizeCodesForMatch } from "./text";

export interface CopiedSpan {
  /** Weighted share of the source found, in order, in the span (0-1). */
  coverage: number;
  /** Source units (words or characters) matched in the span, and in the whole source. */
  matched: number;
  total: number;
  /** Content words matched (words mode; equals `matched` in chars mode). */
  matchedContent: number;
  units: "words" | "chars";
  /** UTF-16 offsets of the copied span in the target text. */
  start: number;
  end: number;
}

const STOP = new Set(
  (
    "a an the of to in on at for by with and or is are was were be been being do does did how what when where which who why whom whose " +
    "can could should would will shall may might must i me you he she it we they my your his her its our their this that these those " +
    "as from about into than then so if not no there here any some " +
    "der die das den dem des ein eine einer eines einem und oder ist sind war wie was wann wo warum welche welcher welches zu im am an auf für mit von bei aus nach es sich " +
    "le la les l un une des du de d et ou est sont à au aux en pour par sur avec que qui quoi comment quand où pourquoi ce cette ces il elle se " +
    "el los las unos unas del y es son al por para con qué cómo cuándo dónde cuál su sus lo"
  ).split(" "),
);

/** Length of the longest function word: longer words need no lookup. */
const STOP_MAX = Math.max(...[...STOP].map((w) => w.length));

const ASCII = /^[\x00-\x7f]*$/;

/** Scratch of wordSeq (offsets of the words of the text being prepared). */
let wordStarts = new Int32Array(1024);
let wordEnds = new Int32Array(1024);

const sameWord = (a: string, b: string): boolean => {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (la < 4 || lb < 4 || Math.abs(la - lb) > 3) return false;
  return la < lb ? b.startsWith(a) : a.startsWith(b);
};

/** Share of Han, Kana and Hangul among letters: above one half, compare characters. */
function spacelessScriptShare(text: string): number {
  let n = 0;
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) letters++;
    } else if (
      (c >= 0x3040 && c <= 0x30ff) ||
      (c >= 0x3400 && c <= 0x9fff) ||
      (c >= 0xac00 && c <= 0xd7a3) ||
      (c >= 0xf900 && c <= 0xfaff)
    ) {
      n++;
      letters++;
    } else if (c >= 0xc0 && c < 0x2000) letters++;
  }
  return letters === 0 ? 0 : n / letters;
}

export interface FindCopyOptions {
  lang?: string;
  /** Scoring: what a substitution, a source unit missing from the copy and an extra target unit cost. */
  mismatch?: number;
  skipSource?: number;
  skipTarget?: number;
  /**
   * Give up early (undefined) when not even this weighted share of the source's words occurs
   * anywhere in the target: a cheap substring test that skips the alignment for most passages.
   */
  minCoverage?: number;
  /**
   * Only copies covering `minCoverage` matter to the caller: undefined whenever the copy found
   * (the same as without this option) covers less. Lets the search skip target ranges that cannot
   * hold such a copy nor beat one.
   */
  requireCoverage?: boolean;
}

/** A text as a sequence of units (words or characters) with their offsets and weights. */
interface Seq {
  n: number;
  keys: string[];
  /** First UTF-16 unit of each key: a cheap necessary condition for a match. */
  first: Int32Array;
  /** 32-bit hash of each key (the code unit itself for characters); see hashesOf. */
  hash?: Int32Array;
  weight: Float64Array;
  start: Int32Array;
  end: Int32Array;
}

/** The units' hashes (only long sources need them: computed on first use). */
function hashesOf(seq: Seq): Int32Array {
  if (!seq.hash) {
    const hash = new Int32Array(seq.n);
    for (let i = 0; i < seq.n; i++) {
      const key = seq.keys[i] as string;
      let h = 0x811c9dc5;
      for (let u = 0; u < key.length; u++) h = Math.imul(h ^ key.charCodeAt(u), 0x01000193);
      hash[i] = h;
    }
    seq.hash = hash;
  }
  return seq.hash;
}

function wordSeq(text: string, lang?: string): Seq {
  // Words straight into the sequence's arrays: case-folded (NFKC for non-ASCII) keys, function
  // words weighing a quarter.
  const keys: string[] = [];
  let n = 0;
  forEachWord(text, lang, (start, end) => {
    const w = text.slice(start, end);
    keys.push(ASCII.test(w) ? w.toLowerCase() : w.normalize("NFKC").toLowerCase());
    if (n === wordStarts.length) {
      const grownStarts = new Int32Array(n * 2);
      const grownEnds = new Int32Array(n * 2);
      grownStarts.set(wordStarts);
      grownEnds.set(wordEnds);
      wordStarts = grownStarts;
      wordEnds = grownEnds;
    }
    wordStarts[n] = start;
    wordEnds[n] = end;
    n++;
  });
  const seq: Seq = {
    n,
    keys,
    first: new Int32Array(n),
    weight: new Float64Array(n),
    start: wordStarts.slice(0, n),
    end: wordEnds.slice(0, n),
  };
  for (let i = 0; i < n; i++) {
    const key = keys[i] as string;
    seq.first[i] = key.charCodeAt(0);
    seq.weight[i] = key.length <= STOP_MAX && STOP.has(key) ? 0.25 : 1;
  }
  return seq;
}

function charSeq(text: string): Seq {
  const { n, codes, map, mapEnd } = normalizeCodesForMatch(text);
  return {
    n,
    keys: [],
    first: codes,
    hash: codes,
    weight: new Float64Array(n).fill(1),
    start: map,
    end: mapEnd,
  };
}

/**
 * Caches of the last texts prepared (the same positive is compared with the query and the task),
 * keyed by the text itself (a string's hash is computed once and kept with it; a derived key would
 * be hashed again on every lookup).
 */
const charCache = new Map<string, Seq>();
const wordCache = new Map<string, Seq>();
const CACHE_SIZE = 32;

function sequence(text: string, chars: boolean, lang?: string): Seq {
  return chars
    ? cached(charCache, text, () => charSeq(text))
    : cached(wordCache, text, () => wordSeq(text, lang));
}

function cached<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let v = cache.get(key);
  if (v === undefined) {
    v = make();
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value as string);
    cache.set(key, v);
  }
  return v;
}

interface Buffers {
  hPrev: Float64Array;
  hCur: Float64Array;
  mPrev: Float64Array;
  mCur: Float64Array;
  cPrev: Int32Array;
  cCur: Int32Array;
  kPrev: Int32Array;
  kCur: Int32Array;
  sPrev: Int32Array;
  sCur: Int32Array;
  lPrev: Int32Array;
  lCur: Int32Array;
}
const makeBuffers = (n: number): Buffers => ({
  hPrev: new Float64Array(n),
  hCur: new Float64Array(n),
  mPrev: new Float64Array(n),
  mCur: new Float64Array(n),
  cPrev: new Int32Array(n),
  cCur: new Int32Array(n),
  kPrev: new Int32Array(n),
  kCur: new Int32Array(n),
  sPrev: new Int32Array(n),
  sCur: new Int32Array(n),
  lPrev: new Int32Array(n),
  lCur: new Int32Array(n),
});
let BUF = makeBuffers(1024);
function ensureBuffers(n: number): void {
  if (BUF.hPrev.length < n) BUF = makeBuffers(Math.max(n, BUF.hPrev.length * 2));
}

const lowerCache = new Map<string, string>();

/**
 * Whether the target text could hold `need` of the source's weight: each content word (or its
 * stem: all but the last 3 letters, at least 4) must occur somewhere in the lower-cased target;
 * function words are assumed present. Plain substring tests, no tokenisation of the target.
 */
function mayCover(src: Seq, target: string, need: number): boolean {
  const lower = cached(lowerCache, target, () => target.toLowerCase());
  // Weights are quarters, so sums are exact in any order: start from everything and stop as soon
  // as the answer is known (too many content words missing, or enough found).
  let possible = 0;
  let found = 0;
  for (let i = 0; i < src.n; i++) {
    const w = src.weight[i] as number;
    possible += w;
    if (w < 1) found += w;
  }
  if (found >= need - 1e-9) return true;
  const stems = stemsOf(src);
  for (let i = 0; i < src.n; i++) {
    const w = src.weight[i] as number;
    if (w < 1) continue;
    if (lower.includes(stems[i] as string)) {
      found += w;
      if (found >= need - 1e-9) return true;
    } else {
      possible -= w;
      if (possible < need - 1e-9) return false;
    }
  }
  return possible >= need - 1e-9;
}

/** What mayCover looks for of each word: the word, or its stem (all but the last 3 letters, ≥ 4). */
const stemCache = new WeakMap<Seq, string[]>();
function stemsOf(src: Seq): string[] {
  let stems = stemCache.get(src);
  if (!stems) {
    stems = src.keys.map((k) => (k.length <= 4 ? k : k.slice(0, Math.max(4, k.length - 3))));
    stemCache.set(src, stems);
  }
  return stems;
}

/** Units of a source text in the mode `findCopy` would use: words, or characters for CJK/Hangul. */
export function sourceSize(source: string, lang?: string): { units: "words" | "chars"; n: number } {
  const chars = spacelessScriptShare(source) >= 0.5;
  return { units: chars ? "chars" : "words", n: sequence(source, chars, lang).n };
}

/**
 * The best near-verbatim copy of `source` inside `target`, or undefined when nothing matches.
 * Callers decide with `coverage`, `matched` and `total` whether it counts as a copy.
 */
export function findCopy(
  source: string,
  target: string,
  options: FindCopyOptions = {},
): CopiedSpan | undefined {
  const chars = spacelessScriptShare(source) >= 0.5;
  const src = sequence(source, chars, options.lang);
  const Q = src.n;
  if (Q === 0) return undefined;
  let totalWeight = 0;
  for (let i = 0; i < Q; i++) totalWeight += src.weight[i] as number;
  // Before preparing the target: can it hold enough of the source at all?
  if (options.minCoverage && !chars && !mayCover(src, target, totalWeight * options.minCoverage))
    return undefined;
  const tgt = sequence(target, chars, options.lang);
  const P = tgt.n;
  if (P === 0) return undefined;
  if (Q > LONG_SOURCE) {
    const copy = shingleCopy(src, tgt, chars);
    return options.requireCoverage && copy && copy.coverage < (options.minCoverage ?? 0) ? undefined : copy;
  }
  const ranges = options.minCoverage
    ? candidateRanges(src, tgt, chars, totalWeight * options.minCoverage)
    : [[0, P] as [number, number]];
  const need = totalWeight * (options.minCoverage ?? 0);
  const best =
    options.requireCoverage && chars && options.minCoverage
      ? bestCovering(src, tgt, ranges, need, options)
      : bestOf(src, tgt, chars, ranges, options);
  if (!best) return undefined;
  if (options.requireCoverage && best.weight < need - 1e-9) return undefined;
  return {
    coverage: best.weight / totalWeight,
    matched: best.count,
    total: Q,
    matchedContent: chars ? best.count : best.content,
    units: chars ? "chars" : "words",
    start: tgt.start[best.first] as number,
    end: tgt.end[best.last] as number,
  };
}

/** The best alignment over the ranges: the highest score, the first range on ties. */
function bestOf(
  src: Seq,
  tgt: Seq,
  chars: boolean,
  ranges: [number, number][],
  options: FindCopyOptions,
): Alignment | undefined {
  let best: Alignment | undefined;
  for (const [lo, hi] of ranges) {
    // a range's alignment only counts when it beats the best so far
    const a = align(src, tgt, chars, lo, hi, options, best ? best.score : 0);
    if (a && (!best || a.score > best.score)) best = a;
  }
  return best;
}

/** Scratch of bestCovering: source character counts by code unit. */
const charCount = new Int32Array(65536);

/**
 * `bestOf` for characters when only a copy of weight `need` matters (`requireCoverage`): the same
 * alignment when it has that weight, otherwise undefined or an alignment lighter than `need`.
 * Characters weigh 1, so an alignment within a range matches at most as many characters as the
 * source and the range have in common (multiset intersection): ranges with fewer than `need` can
 * hold no such copy, and are only aligned when they could beat the best of the others (their
 * score is at most that count).
 */
function bestCovering(
  src: Seq,
  tgt: Seq,
  ranges: [number, number][],
  need: number,
  options: FindCopyOptions,
): Alignment | undefined {
  const Q = src.n;
  const shared = new Int32Array(ranges.length);
  for (let r = 0; r < ranges.length; r++) {
    const [lo, hi] = ranges[r] as [number, number];
    for (let i = 0; i < Q; i++) charCount[src.first[i] as number]! += 1;
    let inter = 0;
    for (let j = lo; j < hi && inter < Q; j++) {
      const c = tgt.first[j] as number;
      if ((charCount[c] as number) > 0) {
        charCount[c]! -= 1;
        inter++;
      }
    }
    for (let i = 0; i < Q; i++) charCount[src.first[i] as number] = 0;
    shared[r] = inter;
  }
  // the best of the ranges that can hold a copy of weight `need`
  let best: Alignment | undefined;
  let bestAt = -1;
  for (let r = 0; r < ranges.length; r++) {
    if ((shared[r] as number) < need - 1e-9) continue;
    const [lo, hi] = ranges[r] as [number, number];
    const a = align(src, tgt, true, lo, hi, options, best ? best.score : 0);
    if (a && (!best || a.score > best.score)) {
      best = a;
      bestAt = r;
    }
  }
  if (!best || best.weight < need - 1e-9) return undefined;
  // another range would win over it (a higher score, or the same score in an earlier range)
  for (let r = 0; r < ranges.length; r++) {
    if ((shared[r] as number) >= need - 1e-9 || (shared[r] as number) < best.score - 1e-9) continue;
    const [lo, hi] = ranges[r] as [number, number];
    // earlier ranges win ties: their first cell scoring at least as much (exactly, in floats)
    const a = align(src, tgt, true, lo, hi, options, r < bestAt ? best.score - 1e-6 : best.score);
    if (a && (r > bestAt || a.score >= best.score)) return undefined;
  }
  return best;
}

/** Sources longer than this (units) are matched by shingles instead of an alignment (cost Q·P). */
const LONG_SOURCE = 48;

/**
 * Long sources (a long-long input, a long task definition): the copy is the run of target
 * shingles (3 words or 4 characters) found in the source, allowing gaps of a few units, that
 * covers the most distinct source units. Coverage is that share of the source (unweighted).
 */
function shingleCopy(src: Seq, tgt: Seq, chars: boolean): CopiedSpan | undefined {
  const k = chars ? 4 : 3;
  const Q = src.n;
  const P = tgt.n;
  if (P < k || Q < k) return undefined;
  // 32-bit hashes of the k units starting at i (collisions only make the filter a bit loose).
  const srcHash = hashesOf(src);
  const tgtHash = hashesOf(tgt);
  const keyAt = (seq: Seq, i: number): number => {
    const hash = seq === src ? srcHash : tgtHash;
    let h = 0x811c9dc5;
    for (let u = i; u < i + k; u++) h = Math.imul(h ^ (hash[u] as number), 0x01000193);
    return h;
  };
  /** Source shingle hash → its first position. */
  const firstAt = new Map<number, number>();
  for (let i = 0; i + k <= Q; i++) {
    const h = keyAt(src, i);
    if (!firstAt.has(h)) firstAt.set(h, i);
  }
  // Runs of target shingles found in the source (gaps of up to k + 2 units allowed); a run's
  // coverage is the number of distinct source units its shingles cover.
  let best = { units: 0, content: 0, first: -1, last: -1 };
  let covered = new Uint8Array(Q);
  let cur = { units: 0, content: 0, first: -1, last: -1 };
  let lastHit = -1;
  const close = () => {
    if (cur.units > best.units) best = cur;
    cur = { units: 0, content: 0, first: -1, last: -1 };
    covered = new Uint8Array(Q);
  };
  for (let j = 0; j + k <= P; j++) {
    const i = firstAt.get(keyAt(tgt, j));
    if (i === undefined) continue;
    if (lastHit >= 0 && j - lastHit > k + 2) close();
    if (cur.first < 0) cur.first = j;
    cur.last = j + k - 1;
    for (let u = i; u < i + k; u++) {
      if (covered[u]) continue;
      covered[u] = 1;
      cur.units++;
      if ((src.weight[u] as number) >= 1) cur.content++;
    }
    lastHit = j;
  }
  close();
  if (best.units === 0) return undefined;
  return {
    coverage: best.units / Q,
    matched: best.units,
    total: Q,
    matchedContent: chars ? best.units : best.content,
    units: chars ? "chars" : "words",
    start: tgt.start[best.first] as number,
    end: tgt.end[best.last] as number,
  };
}

/** Whether target unit j matches source unit i. */
const unitsMatch = (src: Seq, i: number, tgt: Seq, j: number, chars: boolean): boolean =>
  src.first[i] === tgt.first[j] && (chars || sameWord(src.keys[i] as string, tgt.keys[j] as string));

/** Scratch of candidateRanges: per-target-unit hits, and the source bigrams (key + 1; 0 = empty). */
let hitScratch = new Float64Array(1024);
const bigramTable = new Float64Array(256);
/** A slot of bigramTable (256 entries: the top 8 bits of a multiplicative hash). */
const slotOf = (key: number): number => Math.imul(key, 0x9e3779b1) >>> 24;

/**
 * Filter before the alignment: target ranges where a window of 2·Q + 4 units holds enough source
 * material for a copy of weight `need` — matching words (weighted), or, for characters, source
 * bigrams (at least 35% of the source's bigrams; one per matched pair). Ranges are merged and
 * padded; an empty list means no copy is possible.
 */
function candidateRanges(src: Seq, tgt: Seq, chars: boolean, need: number): [number, number][] {
  const Q = src.n;
  const P = tgt.n;
  if (hitScratch.length < P) hitScratch = new Float64Array(Math.max(P, 2 * hitScratch.length));
  const hit = hitScratch;
  hit.fill(0, 0, P);
  let threshold: number;
  if (chars) {
    // the source's bigrams in an open-addressing table (Q ≤ LONG_SOURCE: a few dozen entries)
    bigramTable.fill(0);
    for (let i = 0; i + 1 < Q; i++) {
      const key = (((src.first[i] as number) << 16) | (src.first[i + 1] as number)) >>> 0;
      let at = slotOf(key);
      while (bigramTable[at] !== 0 && bigramTable[at] !== key + 1) at = (at + 1) & 255;
      bigramTable[at] = key + 1;
    }
    const tFirst = tgt.first;
    for (let j = 0; j + 1 < P; j++) {
      const key = (((tFirst[j] as number) << 16) | (tFirst[j + 1] as number)) >>> 0;
      let at = slotOf(key);
      for (;;) {
        const v = bigramTable[at] as number;
        if (v === 0) break;
        if (v === key + 1) {
          hit[j] = 1;
          break;
        }
        at = (at + 1) & 255;
      }
    }
    threshold = Q < 2 ? 0 : Math.max(1, Math.ceil(0.35 * (Q - 1)));
    if (Q < 2) for (let j = 0; j < P; j++) hit[j] = tgt.first[j] === src.first[0] ? 1 : 0;
  } else {
    const byFirst = new Map<number, number[]>();
    for (let i = 0; i < Q; i++) {
      const f = src.first[i] as number;
      const list = byFirst.get(f);
      if (list) list.push(i);
      else byFirst.set(f, [i]);
    }
    for (let j = 0; j < P; j++) {
      const list = byFirst.get(tgt.first[j] as number);
      if (!list) continue;
      for (const i of list) {
        if (unitsMatch(src, i, tgt, j, false) && (src.weight[i] as number) > (hit[j] as number))
          hit[j] = src.weight[i] as number;
      }
    }
    threshold = need;
  }
  const W = Math.min(P, 2 * Q + 4);
  const out: [number, number][] = [];
  let sum = 0;
  for (let j = 0; j < P; j++) {
    sum += hit[j] as number;
    if (j >= W) sum -= hit[j - W] as number;
    if (sum >= threshold - 1e-9 && (j >= W - 1 || j === P - 1)) {
      const lo = Math.max(0, j - W + 1 - 2);
      const hi = Math.min(P, j + 3);
      const last = out[out.length - 1];
      if (last && lo <= last[1]) last[1] = Math.max(last[1], hi);
      else out.push([lo, hi]);
    }
  }
  return out;
}

interface Alignment {
  score: number;
  weight: number;
  count: number;
  content: number;
  first: number;
  last: number;
}

/** Scratch of the sparse alignment: nonzero cells of two rows, match candidates, their buckets. */
let nzA = new Int32Array(1024);
let nzB = new Int32Array(1024);
let candidates = new Int32Array(1024);
let bucketOf = new Int32Array(1024);
const bucketStart = new Int32Array(LONG_SOURCE + 2);
const bucketFill = new Int32Array(LONG_SOURCE + 1);
const unitBucket = new Int32Array(LONG_SOURCE + 1);
/** Tests only: run the dense alignment (the reference the sparse one must reproduce). */
export const alignTesting = { dense: false };

/**
 * Best local alignment of the source against target units lo..hi (Smith-Waterman, linear gaps),
 * when it scores above `floor` (undefined otherwise): the first cell, in row order, with the
 * highest score.
 *
 * Most cells of the table are 0 (no match near them), and a 0 cell is never read for anything but
 * its score. So each row visits only the cells that can be above 0 — a target unit with the source
 * unit's first code (a match candidate), a cell below or diagonally after a nonzero cell of the row
 * above, and the run of cells a nonzero cell extends to its right (skipping target units) — in
 * increasing order, with the same arithmetic as the full table: the result is identical (the
 * dense loop below is the reference, with non-default negative costs). Costs O(nonzero cells +
 * candidates) a row instead of O(P).
 *
 * Pruning: from a cell of row i, every path gains at most the weight of the source units below
 * row i (a match adds its unit's weight, everything else costs). A cell whose score plus that
 * remaining weight cannot exceed the best score so far (`floor` to begin with) therefore leads to
 * no new best, and a cell whose best path runs through it scores no more than the best either: it
 * is left at 0. Any cell that does become the best has all the cells of its path — and of every
 * path scoring as much — kept, so the result is the same.
 */
function align(
  src: Seq,
  tgt: Seq,
  chars: boolean,
  lo: number,
  hi: number,
  options: FindCopyOptions,
  floor = 0,
): Alignment | undefined {
  const mismatch = options.mismatch ?? 0.5;
  const skipSource = options.skipSource ?? 0.5;
  const skipTarget = options.skipTarget ?? 0.4;
  if (alignTesting.dense || !(mismatch >= 0 && skipSource >= 0 && skipTarget >= 0) || src.n > LONG_SOURCE) {
    const a = alignDense(src, tgt, chars, lo, hi, options);
    return a && a.score > floor ? a : undefined;
  }
  const Q = src.n;
  const P = hi - lo;
  ensureBuffers(P + 1);
  if (nzA.length < P + 1) {
    const size = Math.max(P + 1, nzA.length * 2);
    nzA = new Int32Array(size);
    nzB = new Int32Array(size);
    candidates = new Int32Array(size);
    bucketOf = new Int32Array(size);
  }
  // Match candidates: target cells (1-based j) grouped by the source first code they carry, in
  // increasing j within each group (a counting sort over the range).
  const codes = new Map<number, number>();
  for (let i = 0; i < Q; i++) {
    const f = src.first[i] as number;
    let b = codes.get(f);
    if (b === undefined) {
      b = codes.size;
      codes.set(f, b);
    }
    unitBucket[i] = b;
  }
  const B = codes.size;
  bucketFill.fill(0, 0, B + 1);
  const tFirst = tgt.first;
  for (let j = 1; j <= P; j++) {
    const b = codes.get(tFirst[lo + j - 1] as number);
    bucketOf[j] = b === undefined ? -1 : b;
    if (b !== undefined) bucketFill[b]!++;
  }
  bucketStart[0] = 0;
  for (let b = 0; b < B; b++) {
    bucketStart[b + 1] = (bucketStart[b] as number) + (bucketFill[b] as number);
    bucketFill[b] = bucketStart[b] as number;
  }
  for (let j = 1; j <= P; j++) {
    const b = bucketOf[j] as number;
    if (b >= 0) candidates[bucketFill[b]!++] = j;
  }
  let { hPrev, hCur, mPrev, mCur, cPrev, cCur, kPrev, kCur, sPrev, sCur, lPrev, lCur } = BUF;
  // Every score 0; afterwards a row array is cleared where it was nonzero two rows before.
  hPrev.fill(0, 0, P + 1);
  hCur.fill(0, 0, P + 1);
  let nzPrev = nzA;
  let nzCur = nzB;
  let nPrev = 0;
  let nOld = 0; // nonzero cells of the row that hCur held before (two rows up)
  let best = floor;
  let bestM = 0;
  let bestC = 0;
  let bestK = 0;
  let bestS = -1;
  let bestL = -1;
  // weight of the source units below the current row (what a path can still gain)
  let rest = 0;
  for (let i = 0; i < Q; i++) rest += src.weight[i] as number;
  for (let i = 1; i <= Q; i++) {
    for (let x = 0; x < nOld; x++) hCur[nzCur[x] as number] = 0;
    const w = src.weight[i - 1] as number;
    rest -= w;
    // a cell scoring no more than this leads to no new best (a margin for rounding)
    const dead = best - rest - 1e-7;
    const f = src.first[i - 1] as number;
    const key = chars ? "" : (src.keys[i - 1] as string);
    const bucket = unitBucket[i - 1] as number;
    let q = bucketStart[bucket] as number;
    const qEnd = bucketStart[bucket + 1] as number;
    let p = 0;
    let nCur = 0;
    let leftAlive = false;
    let j = 1;
    for (;;) {
      if (!leftAlive) {
        // the next cell that can be above 0: below / after a nonzero cell above, or a candidate
        while (p < nPrev && (nzPrev[p] as number) + 1 < j) p++;
        while (q < qEnd && (candidates[q] as number) < j) q++;
        let next = P + 1;
        if (p < nPrev) next = Math.max(j, nzPrev[p] as number);
        if (q < qEnd && (candidates[q] as number) < next) next = candidates[q] as number;
        j = next;
      }
      if (j > P) break;
      const t = lo + j - 1;
      const tf = tFirst[t] as number;
      const eq = tf === f && (chars || sameWord(key, tgt.keys[t] as string));
      const diagPrev = hPrev[j - 1] as number;
      let h = 0;
      let m = 0;
      let c = 0;
      let k = 0;
      let st = -1;
      let la = -1;
      if (eq) {
        h = diagPrev + w;
        if (diagPrev > 0) {
          m = (mPrev[j - 1] as number) + w;
          c = (cPrev[j - 1] as number) + 1;
          k = (kPrev[j - 1] as number) + (w === 1 ? 1 : 0);
          st = sPrev[j - 1] as number;
        } else {
          m = w;
          c = 1;
          k = w === 1 ? 1 : 0;
          st = t;
        }
        la = t;
      } else if (diagPrev - mismatch > 0) {
        h = diagPrev - mismatch;
        m = mPrev[j - 1] as number;
        c = cPrev[j - 1] as number;
        k = kPrev[j - 1] as number;
        st = sPrev[j - 1] as number;
        la = lPrev[j - 1] as number;
      }
      const up = (hPrev[j] as number) - skipSource * w;
      if (up > h) {
        h = up;
        m = mPrev[j] as number;
        c = cPrev[j] as number;
        k = kPrev[j] as number;
        st = sPrev[j] as number;
        la = lPrev[j] as number;
      }
      const left = (hCur[j - 1] as number) - skipTarget;
      if (left > h) {
        h = left;
        m = mCur[j - 1] as number;
        c = cCur[j - 1] as number;
        k = kCur[j - 1] as number;
        st = sCur[j - 1] as number;
        la = lCur[j - 1] as number;
      }
      if (h <= dead) h = 0;
      hCur[j] = h;
      if (h > 0) {
        nzCur[nCur++] = j;
        mCur[j] = m;
        cCur[j] = c;
        kCur[j] = k;
        sCur[j] = st;
        lCur[j] = la;
        if (h > best) {
          best = h;
          bestM = m;
          bestC = c;
          bestK = k;
          bestS = st;
          bestL = la;
        }
      }
      leftAlive = h - skipTarget > 0;
      j++;
    }
    [hPrev, hCur] = [hCur, hPrev];
    [mPrev, mCur] = [mCur, mPrev];
    [cPrev, cCur] = [cCur, cPrev];
    [kPrev, kCur] = [kCur, kPrev];
    [sPrev, sCur] = [sCur, sPrev];
    [lPrev, lCur] = [lCur, lPrev];
    [nzPrev, nzCur] = [nzCur, nzPrev];
    nOld = nPrev;
    nPrev = nCur;
  }
  if (best <= 0 || bestS < 0 || bestL < 0) return undefined;
  return { score: best, weight: bestM, count: bestC, content: bestK, first: bestS, last: bestL };
}

/** The full Smith-Waterman table (the reference of `align`; any costs). */
function alignDense(
  src: Seq,
  tgt: Seq,
  chars: boolean,
  lo: number,
  hi: number,
  options: FindCopyOptions,
): Alignment | undefined {
  const mismatch = options.mismatch ?? 0.5;
  const skipSource = options.skipSource ?? 0.5;
  const skipTarget = options.skipTarget ?? 0.4;
  const Q = src.n;
  const P = hi - lo;
  ensureBuffers(P + 1);
  // Rolling rows (module buffers, reused): score, matched weight, matched count, matched
  // content, first and last matched target index.
  let { hPrev, hCur, mPrev, mCur, cPrev, cCur, kPrev, kCur, sPrev, sCur, lPrev, lCur } = BUF;
  hPrev.fill(0, 0, P + 1);
  mPrev.fill(0, 0, P + 1);
  cPrev.fill(0, 0, P + 1);
  kPrev.fill(0, 0, P + 1);
  sPrev.fill(-1, 0, P + 1);
  lPrev.fill(-1, 0, P + 1);
  let best = 0;
  let bestM = 0;
  let bestC = 0;
  let bestK = 0;
  let bestS = -1;
  let bestL = -1;
  const tFirst = tgt.first;
  for (let i = 1; i <= Q; i++) {
    const w = src.weight[i - 1] as number;
    const f = src.first[i - 1] as number;
    const key = chars ? "" : (src.keys[i - 1] as string);
    hCur[0] = 0;
    mCur[0] = 0;
    cCur[0] = 0;
    kCur[0] = 0;
    sCur[0] = -1;
    lCur[0] = -1;
    for (let j = 1; j <= P; j++) {
      const t = lo + j - 1;
      const tf = tFirst[t] as number;
      const eq = tf === f && (chars || sameWord(key, tgt.keys[t] as string));
      const diagPrev = hPrev[j - 1] as number;
      let h = 0;
      let m = 0;
      let c = 0;
      let k = 0;
      let st = -1;
      let la = -1;
      if (eq) {
        h = diagPrev + w;
        if (diagPrev > 0) {
          m = (mPrev[j - 1] as number) + w;
          c = (cPrev[j - 1] as number) + 1;
          k = (kPrev[j - 1] as number) + (w === 1 ? 1 : 0);
          st = sPrev[j - 1] as number;
        } else {
          m = w;
          c = 1;
          k = w === 1 ? 1 : 0;
          st = t;
        }
        la = t;
      } else if (diagPrev - mismatch > 0) {
        h = diagPrev - mismatch;
        m = mPrev[j - 1] as number;
        c = cPrev[j - 1] as number;
        k = kPrev[j - 1] as number;
        st = sPrev[j - 1] as number;
        la = lPrev[j - 1] as number;
      }
      const up = (hPrev[j] as number) - skipSource * w;
      if (up > h) {
        h = up;
        m = mPrev[j] as number;
        c = cPrev[j] as number;
        k = kPrev[j] as number;
        st = sPrev[j] as number;
        la = lPrev[j] as number;
      }
      const left = (hCur[j - 1] as number) - skipTarget;
      if (left > h) {
        h = left;
        m = mCur[j - 1] as number;
        c = cCur[j - 1] as number;
        k = kCur[j - 1] as number;
        st = sCur[j - 1] as number;
        la = lCur[j - 1] as number;
      }
      hCur[j] = h;
      mCur[j] = m;
      cCur[j] = c;
      kCur[j] = k;
      sCur[j] = st;
      lCur[j] = la;
      if (h > best) {
        best = h;
        bestM = m;
        bestC = c;
        bestK = k;
        bestS = st;
        bestL = la;
      }
    }
    [hPrev, hCur] = [hCur, hPrev];
    [mPrev, mCur] = [mCur, mPrev];
    [cPrev, cCur] = [cCur, cPrev];
    [kPrev, kCur] = [kCur, kPrev];
    [sPrev, sCur] = [sCur, sPrev];
    [lPrev, lCur] = [lCur, lPrev];
  }
  if (best <= 0 || bestS < 0 || bestL < 0) return undefined;
  return { score: best, weight: bestM, count: bestC, content: bestK, first: bestS, last: bestL };
}

/**
 * Longest run of source units found verbatim (exact keys, no inflection) and contiguously in
 * target[start, end) (UTF-16 offsets), in the units `findCopy` uses for this source. Words mode
 * counts content words only (function words extend a run but do not count); characters mode
 * counts characters.
 */
export function longestExactRun(
  source: string,
  target: string,
  start: number,
  end: number,
  lang?: string,
): number {
  const chars = spacelessScriptShare(source) >= 0.5;
  const src = sequence(source, chars, lang);
  const tgt = sequence(target, chars, lang);
  let lo = 0;
  while (lo < tgt.n && (tgt.start[lo] as number) < start) lo++;
  let hi = lo;
  while (hi < tgt.n && (tgt.end[hi] as number) <= end) hi++;
  let best = 0;
  let prev = new Float64Array(hi - lo + 1).fill(-1);
  let cur = new Float64Array(hi - lo + 1).fill(-1);
  for (let i = 0; i < src.n; i++) {
    const unit = chars || (src.weight[i] as number) >= 1 ? 1 : 0;
    for (let j = lo; j < hi; j++) {
      const same = chars ? src.first[i] === tgt.first[j] : src.keys[i] === tgt.keys[j];
      // -1 marks "no run ending here"; a run's value is its count of counted units.
      const before = prev[j - lo] as number;
      const v = same ? Math.max(0, before) + unit : -1;
      cur[j - lo + 1] = v;
      if (v > best) best = v;
    }
    [prev, cur] = [cur, prev];
    cur.fill(-1);
  }
  return best;
}
