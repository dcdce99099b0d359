/**
 * Near-duplicate comparison of two texts at the token level, telling a duplicate (same text up to
 * whitespace, punctuation, case, a dropped word) from a counterfactual (the same text with a number,
 * a name or a negation changed — a legitimate hard negative).
 *
 * Similarity is 2·LCS / (n + m) over normalised tokens (lib/detect/tokens.ts: words; one token per
 * Han/Kana character), computed with Myers' O((n+m)·D) diff bounded by the most edits the threshold
 * allows, after stripping the common prefix and suffix — near-identical texts cost almost nothing, and
 * a multiset-overlap bound rejects most other pairs before any diff.
 *
 * The diff's hunks (runs of deleted/inserted tokens; hunks separated by at most one equal token are
 * merged so that a rewritten clause is one hunk, not many small ones) are classified. A hunk is a
 * meaningful edit when it is small (at most `maxEditTokens` tokens per side) and:
 * - changes negation: a negation word or marker is inserted, deleted or replaced (en/de/fr/es words,
 *   Korean 않/없/아니/못, Chinese 不/没/无/未/非…, Japanese ない/ません/ず…);
 * - changes a number: a token with a digit or a Han numeral replaced, inserted or deleted
 *   (千円 → 二千円);
 * - replaces a name: a capitalised word (Latin, Greek, Cyrillic…; German nouns count too) on either
 *   side, or — in Chinese, Japanese and Korean, where capitals do not exist — a small replacement
 *   made only of Han/Kana/Hangul tokens (北京 → 上海, 서울에서 → 부산에서);
 * - substitutes any other word ("lost my card" → "lost my phone", "early" → "late"): in short texts
 *   one replaced content word is a different meaning (Banking77 intents differ by one word), and the
 *   noise that makes a duplicate (spacing, punctuation, case, a dropped word) never replaces a word.
 * Pure insertions or deletions of ordinary words are noise, not meaning changes; so is a rewrite
 * bigger than `maxEditTokens` (a changed sentence in a long passage that otherwise repeats the
 * positive is the "negative repeats the positive" defect, not a counterfactual).
 */
import { hash32 } from "./fasthash";
import { scanTokenIds, TOKEN_CJK, TOKEN_NUMBER, TOKEN_WORD } from "./tokens";

export const F_NUMBER = 1;
export const F_CAPITAL = 2;
export const F_NEGATION = 4;
/** Han, Kana or Hangul token. */
export const F_CJK = 8;

/** A text as token ids and flags (what the comparison needs; collectors store just these). */
export interface TokenSeq {
  ids: Uint32Array;
  flags: Uint8Array;
  /** UTF-16 offsets of each token in the original text (absent when only ids were kept). */
  start?: Uint32Array;
  end?: Uint32Array;
  /** The ids sorted (filled on first use by overlapBound). */
  sorted?: Uint32Array;
}

const NEGATION_WORDS = new Set(
  [
    // en
    "not",
    "no",
    "never",
    "none",
    "nobody",
    "nothing",
    "neither",
    "nor",
    "cannot",
    "without",
    "nowhere",
    // de
    "nicht",
    "kein",
    "keine",
    "keinen",
    "keinem",
    "keiner",
    "keines",
    "nie",
    "niemals",
    "nichts",
    "niemand",
    "weder",
    "ohne",
    // fr
    "ne",
    "pas",
    "jamais",
    "aucun",
    "aucune",
    "rien",
    "sans",
    "non",
    "ni",
    "nullement",
    // es
    "nunca",
    "jamás",
    "ningún",
    "ninguno",
    "ninguna",
    "nada",
    "nadie",
    "sin",
    "tampoco",
  ].map((w) => w.normalize("NFKC")),
);
const HANGUL_NEGATION = /않|없|아니|못/;
const HANGUL_NEGATION_WORDS = new Set(["안", "못", "없이"]);
/** Patterns in Han/Kana text; every character of a match is marked. */
const CJK_NEGATION = /[不没沒無无未非别別莫勿否甭]|ない|なかっ|ません|ず/g;

function isNegationWord(t: string): boolean {
  if (NEGATION_WORDS.has(t)) return true;
  if (t.endsWith("n't") || t.endsWith("n’t")) return true;
  if (t.startsWith("n'") || t.startsWith("n’")) return t.length > 2; // fr: n'est, n'a
  return false;
}

const NEGATION_IDS = new Set([...NEGATION_WORDS].map((w) => hash32(w)));
const CJK_NEGATION_IN_TEXT = new RegExp(CJK_NEGATION.source, "g");

/** The first n values of `a`, copied (a loop: TypedArray slice is slow for short arrays). */
function copyU32(a: Uint32Array, n: number): Uint32Array {
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = a[i] as number;
  return out;
}

/** Token sequences of the texts seen last: a record's passages are compared by several detectors. */
const seqCache = new Map<string, TokenSeq>();
const SEQ_CACHE_SIZE = 32;

/**
 * Tokens of a text with their flags and offsets. The result is shared (cached for the last few
 * texts): treat it as read-only.
 */
export function tokenSeq(text: string): TokenSeq {
  const hit = seqCache.get(text);
  if (hit) return hit;
  const seq = buildTokenSeq(text);
  if (seqCache.size >= SEQ_CACHE_SIZE) seqCache.delete(seqCache.keys().next().value as string);
  seqCache.set(text, seq);
  return seq;
}

function buildTokenSeq(text: string): TokenSeq {
  const { n, id: ids, start: starts, end: ends, kind: kinds, text: tokens } = scanTokenIds(text);
  const flags = new Uint8Array(n);
  let hasHan = false;
  // the first "'" at or after the current word (-1: none left), searched again only once passed
  let quoteAt = -2;
  for (let t = 0; t < n; t++) {
    const id = ids[t] as number;
    const s = starts[t] as number;
    const e = ends[t] as number;
    const kind = kinds[t] as number;
    const token = tokens[t] as string;
    let f = 0;
    if (kind === TOKEN_WORD) {
      const c = text.charCodeAt(s);
      if (c < 128) {
        if (c >= 65 && c <= 90) f |= F_CAPITAL;
      } else {
        const ch = String.fromCodePoint(text.codePointAt(s)!);
        if (ch !== ch.toLowerCase() && ch === ch.toUpperCase()) f |= F_CAPITAL;
      }
      if (NEGATION_IDS.has(id)) f |= F_NEGATION;
      else if (token === "") {
        // an ASCII word: only "'" can make it a negation ("don't", "n'est")
        if (quoteAt !== -1 && quoteAt < s) quoteAt = text.indexOf("'", s);
        if (quoteAt >= 0 && quoteAt < e && isNegationWord(text.slice(s, e).toLowerCase())) f |= F_NEGATION;
      } else if ((token.includes("'") || token.includes("’")) && isNegationWord(token)) f |= F_NEGATION;
    } else if (kind === TOKEN_NUMBER) {
      f |= F_NUMBER;
      if (token.length === 1 && token.charCodeAt(0) >= 0x3000) {
        f |= F_CJK; // a Han numeral
        hasHan = true;
      }
    } else if (kind === TOKEN_CJK) {
      f |= F_CJK;
      hasHan = true;
    } else {
      f |= F_CJK; // Hangul
      if (HANGUL_NEGATION.test(token) || HANGUL_NEGATION_WORDS.has(token)) f |= F_NEGATION;
    }
    flags[t] = f;
  }
  const seq: TokenSeq = { ids: copyU32(ids, n), flags, start: copyU32(starts, n), end: copyU32(ends, n) };
  // Han/Kana negation patterns (不, ない, ません…) span consecutive character tokens: mark each one.
  if (hasHan) {
    const starts = seq.start!;
    for (const m of text.matchAll(CJK_NEGATION_IN_TEXT)) {
      let lo = 0;
      let hi = starts.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (starts[mid]! < m.index) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < starts.length && starts[i]! < m.index + m[0].length; i++) {
        if (seq.flags[i]! & F_CJK) seq.flags[i]! |= F_NEGATION;
      }
    }
  }
  return seq;
}

const idsCache = new Map<string, Uint32Array>();

/**
 * Token ids only (what collectors keep): cheaper than tokenSeq. Shared like tokenSeq's result (the
 * last few texts are cached): treat it as read-only.
 */
export function tokenIds(text: string): Uint32Array {
  const hit = seqCache.get(text)?.ids ?? idsCache.get(text);
  if (hit) return hit;
  const scanned = scanTokenIds(text);
  const ids = copyU32(scanned.id, scanned.n);
  if (idsCache.size >= SEQ_CACHE_SIZE) idsCache.delete(idsCache.keys().next().value as string);
  idsCache.set(text, ids);
  return ids;
}

/** A run of edits: tokens a[aStart, aEnd) replaced by b[bStart, bEnd) (either side may be empty). */
export interface Hunk {
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/**
 * Myers diff of two id sequences, or undefined when more than `maxD` insertions + deletions are
 * needed. Returns the hunks (unmerged).
 */
export function diffIds(a: ArrayLike<number>, b: ArrayLike<number>, maxD: number): Hunk[] | undefined {
  let pre = 0;
  const n0 = a.length;
  const m0 = b.length;
  while (pre < n0 && pre < m0 && a[pre] === b[pre]) pre++;
  let suf = 0;
  while (suf < n0 - pre && suf < m0 - pre && a[n0 - 1 - suf] === b[m0 - 1 - suf]) suf++;
  const N = n0 - pre - suf;
  const M = m0 - pre - suf;
  if (N === 0 && M === 0) return [];
  if (N === 0 || M === 0) {
    return N + M <= maxD ? [{ aStart: pre, aEnd: pre + N, bStart: pre, bEnd: pre + M }] : undefined;
  }
  const max = Math.min(maxD, N + M);
  const off = max + 1;
  const V = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  outer: for (let d = 0; d <= max; d++) {
    trace.push(V.slice(off - d - 1, off + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && V[off + k - 1]! < V[off + k + 1]!) ? V[off + k + 1]! : V[off + k - 1]! + 1;
      let y = x - k;
      while (x < N && y < M && a[pre + x] === b[pre + y]) {
        x++;
        y++;
      }
      V[off + k] = x;
      if (x >= N && y >= M) {
        found = d;
        break outer;
      }
    }
  }
  if (found < 0) return undefined;
  // Backtrack: collect the edit points, then group into hunks.
  const edits: [number, number, boolean][] = []; // [x, y, isInsertion] positions of single edits
  let x = N;
  let y = M;
  for (let d = found; d > 0; d--) {
    const Vd = trace[d]!; // V as it was when step d began, for k in [-d-1, d+1]
    const at = (k: number) => Vd[k + d + 1]!;
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    // the step from (prevX, prevY) is one insertion (down) or deletion (right), then a diagonal snake
    edits.push([prevX, prevY, down]);
    x = prevX;
    y = prevY;
  }
  edits.reverse();
  const hunks: Hunk[] = [];
  for (const [ex, ey, ins] of edits) {
    const last = hunks[hunks.length - 1];
    const aPos = pre + ex;
    const bPos = pre + ey;
    if (last && last.aEnd === aPos && last.bEnd === bPos) {
      if (ins) last.bEnd++;
      else last.aEnd++;
    } else {
      hunks.push(
        ins
          ? { aStart: aPos, aEnd: aPos, bStart: bPos, bEnd: bPos + 1 }
          : { aStart: aPos, aEnd: aPos + 1, bStart: bPos, bEnd: bPos },
      );
    }
  }
  return hunks;
}

/** Merges hunks separated by at most `gap` equal tokens (the equal tokens join the hunk). */
export function mergeHunks(hunks: Hunk[], gap = 1): Hunk[] {
  const out: Hunk[] = [];
  for (const h of hunks) {
    const last = out[out.length - 1];
    if (last && h.aStart - last.aEnd <= gap && h.bStart - last.bEnd <= gap) {
      last.aEnd = h.aEnd;
      last.bEnd = h.bEnd;
    } else out.push({ ...h });
  }
  return out;
}

export type EditKind = "negation" | "number" | "entity" | "substitution";

export interface NearMatch {
  /** 2·LCS / (n + m): 1 for texts equal after normalisation. */
  similarity: number;
  hunks: Hunk[];
  /** The first meaningful edit (a counterfactual), if any. */
  edit?: { kind: EditKind; hunk: Hunk };
  /**
   * The same words in another order (sentences shuffled), maybe with a few dropped: the similarity
   * is then the multiset overlap 2·|A∩B|/(n+m) and `hunks` is empty.
   */
  reordered?: boolean;
}

export interface NearOptions {
  minSimilarity: number;
  /** Largest side of a hunk that can still be a meaningful edit (words; Han/Kana characters: +1). */
  maxEditTokens?: number;
}

/** Upper bound of 2·LCS/(n+m) from the multiset overlap of the ids. */
export function overlapBound(a: TokenSeq, b: TokenSeq): number {
  const n = a.ids.length + b.ids.length;
  if (n === 0) return 1;
  a.sorted ??= Uint32Array.from(a.ids).sort();
  b.sorted ??= Uint32Array.from(b.ids).sort();
  const x = a.sorted;
  const y = b.sorted;
  let i = 0;
  let j = 0;
  let inter = 0;
  while (i < x.length && j < y.length) {
    if (x[i] === y[j]) {
      inter++;
      i++;
      j++;
    } else if (x[i]! < y[j]!) i++;
    else j++;
  }
  return (2 * inter) / n;
}

function countFlag(flags: Uint8Array, from: number, to: number, f: number): number {
  let c = 0;
  for (let i = from; i < to; i++) if (flags[i]! & f) c++;
  return c;
}

function allFlag(flags: Uint8Array, from: number, to: number, f: number): boolean {
  for (let i = from; i < to; i++) if (!(flags[i]! & f)) return false;
  return to > from;
}

/** Classifies one hunk: the kind of meaningful edit it is, or undefined for noise / a big rewrite. */
export function classifyHunk(a: TokenSeq, b: TokenSeq, h: Hunk, maxEditTokens = 3): EditKind | undefined {
  const na = h.aEnd - h.aStart;
  const nb = h.bEnd - h.bStart;
  const cjk = allFlag(a.flags, h.aStart, h.aEnd, F_CJK) || allFlag(b.flags, h.bStart, h.bEnd, F_CJK);
  const limit = cjk ? maxEditTokens + 1 : maxEditTokens;
  if (Math.max(na, nb) > limit) return undefined;
  if (countFlag(a.flags, h.aStart, h.aEnd, F_NEGATION) !== countFlag(b.flags, h.bStart, h.bEnd, F_NEGATION)) {
    return "negation";
  }
  if (countFlag(a.flags, h.aStart, h.aEnd, F_NUMBER) + countFlag(b.flags, h.bStart, h.bEnd, F_NUMBER) > 0) {
    return "number";
  }
  if (na === 0 || nb === 0) return undefined;
  if (countFlag(a.flags, h.aStart, h.aEnd, F_CAPITAL) + countFlag(b.flags, h.bStart, h.bEnd, F_CAPITAL) > 0) {
    return "entity";
  }
  if (allFlag(a.flags, h.aStart, h.aEnd, F_CJK) && allFlag(b.flags, h.bStart, h.bEnd, F_CJK)) return "entity";
  return "substitution";
}

/**
 * The multiset view, for texts whose words mostly agree but not in order. Only pure reordering (plus
 * dropped or added ordinary words) is a duplicate; a number, a name or a negation among the words
 * that differ, or words replaced on both sides, make it a meaning change like any other edit.
 */
function reorderedMatch(a: TokenSeq, b: TokenSeq, bag: number): NearMatch {
  const inB = new Map<number, number>();
  for (const id of b.ids) inB.set(id, (inB.get(id) ?? 0) + 1);
  const onlyA: number[] = [];
  a.ids.forEach((id, i) => {
    const c = inB.get(id) ?? 0;
    if (c > 0) inB.set(id, c - 1);
    else onlyA.push(i);
  });
  const inA = new Map<number, number>();
  for (const id of a.ids) inA.set(id, (inA.get(id) ?? 0) + 1);
  const onlyB: number[] = [];
  b.ids.forEach((id, i) => {
    const c = inA.get(id) ?? 0;
    if (c > 0) inA.set(id, c - 1);
    else onlyB.push(i);
  });
  const result: NearMatch = { similarity: bag, hunks: [], reordered: true };
  const meaningful = F_NUMBER | F_NEGATION | F_CAPITAL;
  const at = (i: number, side: "a" | "b"): Hunk =>
    side === "a"
      ? { aStart: i, aEnd: i + 1, bStart: 0, bEnd: 0 }
      : { aStart: 0, aEnd: 0, bStart: i, bEnd: i + 1 };
  for (const i of onlyA) {
    const f = a.flags[i]!;
    if (f & meaningful) {
      result.edit = {
        kind: f & F_NEGATION ? "negation" : f & F_NUMBER ? "number" : "entity",
        hunk: at(i, "a"),
      };
      return result;
    }
  }
  for (const i of onlyB) {
    const f = b.flags[i]!;
    if (f & meaningful) {
      result.edit = {
        kind: f & F_NEGATION ? "negation" : f & F_NUMBER ? "number" : "entity",
        hunk: at(i, "b"),
      };
      return result;
    }
  }
  if (onlyA.length > 0 && onlyB.length > 0) result.edit = { kind: "substitution", hunk: at(onlyA[0]!, "a") };
  return result;
}

/**
 * Compares two token sequences. Undefined when the similarity is below `minSimilarity` (decided
 * cheaply when possible); otherwise the similarity, the hunks and the first meaningful edit.
 */
export function compareSeqs(a: TokenSeq, b: TokenSeq, options: NearOptions): NearMatch | undefined {
  const n = a.ids.length;
  const m = b.ids.length;
  if (n + m === 0) return { similarity: 1, hunks: [] };
  if ((2 * Math.min(n, m)) / (n + m) < options.minSimilarity) return undefined;
  const maxD = Math.floor((1 - options.minSimilarity) * (n + m) + 1e-9);
  // cheap exits: identical, or a multiset bound below the threshold
  let same = n === m;
  for (let i = 0; same && i < n; i++) if (a.ids[i] !== b.ids[i]) same = false;
  if (same) return { similarity: 1, hunks: [] };
  const bag = overlapBound(a, b);
  if (bag < options.minSimilarity) return undefined;
  const raw = diffIds(a.ids, b.ids, maxD);
  let d = 0;
  for (const h of raw ?? []) d += h.aEnd - h.aStart + (h.bEnd - h.bStart);
  const similarity = raw ? (n + m - d) / (n + m) : 0;
  if (!raw || similarity < options.minSimilarity) return reorderedMatch(a, b, bag);
  const hunks = mergeHunks(raw, 1);
  const result: NearMatch = { similarity, hunks };
  for (const h of hunks) {
    const kind = classifyHunk(a, b, h, options.maxEditTokens ?? 3);
    if (kind) {
      result.edit = { kind, hunk: h };
      break;
    }
  }
  return result;
}
