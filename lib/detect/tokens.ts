/**
 * Fast, script-aware tokenisation for the duplicate detectors, MinHash and BM25.
 *
 * Why not Intl.Segmenter (lib/detect/text.ts)? It runs at ~0.17M words/s on this machine, a
 * regular expression at ~4M words/s: BM25 over 100k records of 4 passages × 200 words (80M words)
 * would spend minutes in the segmenter alone. For spaced scripts the two agree on what a word is
 * except for rare cases (the segmenter keeps "U.S." and "e.g." whole); for scripts written without
 * spaces we do not need words:
 *
 * - Han, Hiragana, Katakana (Chinese, Japanese): one token per character. Callers build character
 *   n-grams from consecutive CJK tokens (BM25: bigrams; MinHash: 3-grams).
 * - Hangul (Korean): one token per space-separated run of Hangul (an eojeol: word + particles).
 * - Everything else: runs of letters, marks and digits, joined across an apostrophe ("don't",
 *   "l'eau") and across "." / "," between digits ("3.5", "1,000"). Thai, Lao, Khmer and Myanmar
 *   runs (no spaces between words) go through Intl.Segmenter.
 *
 * Tokens are normalised (NFKC, lower case) and keep their UTF-16 offsets into the original text.
 * Punctuation and whitespace are never tokens, so "whitespace, punctuation and case noise" vanishes.
 */

import { fmix32, hash32 } from "./fasthash";

export const TOKEN_WORD = 0;
export const TOKEN_NUMBER = 1;
export const TOKEN_CJK = 2;
export const TOKEN_HANGUL = 3;
export type TokenKind = typeof TOKEN_WORD | typeof TOKEN_NUMBER | typeof TOKEN_CJK | typeof TOKEN_HANGUL;

const CJK = "\\p{sc=Han}\\p{sc=Hiragana}\\p{sc=Katakana}\\u30fc\\u3005\\u3006";
const WORD_CHAR = `[[\\p{L}\\p{M}\\p{N}]--[${CJK}\\p{sc=Hangul}]]`;
/** Built with `new RegExp` because the `v` flag (class subtraction) is newer than the TS target. */
const TOKEN_SOURCE = `([${CJK}])|(\\p{sc=Hangul}+)|(${WORD_CHAR}+(?:(?:['’]|[.,](?=\\p{N}))${WORD_CHAR}+)*)`;
const DIGIT = /\p{N}/u;
const NO_SPACE_SCRIPTS = /[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]/;
const ASCII = /^[\x00-\x7f]*$/;
/** Han numerals: a CJK token made of one of these is a number. */
const HAN_NUMERALS = new Set("〇零一二三四五六七八九十百千万萬亿億兩两廿卅半".split(""));
/** HAN_NUMERALS by code unit (all of them are single BMP code units). */
const HAN_NUMERAL_CODES = new Uint8Array(65536);
for (const ch of HAN_NUMERALS) HAN_NUMERAL_CODES[ch.charCodeAt(0)] = 1;
/** One-character CJK tokens by code unit, built once each (forEachTokenId's CJK fast path). */
const charToken: string[] = new Array<string>(65536).fill("");
/** hash32 of the one-character string with code unit `c`. */
const charHash = (c: number): number => fmix32(Math.imul(0x811c9dc5 ^ c, 0x01000193) ^ 1);

let segmenter: Intl.Segmenter | undefined;

/** NFKC, lower case, and German ß as ss (upper case turns ß into SS, lower case does not turn it back). */
export function normalizeToken(raw: string): string {
  return ASCII.test(raw) ? raw.toLowerCase() : foldNonAscii(raw);
}

function foldNonAscii(raw: string): string {
  const t = raw.normalize("NFKC").toLowerCase();
  return t.includes("ß") ? t.replaceAll("ß", "ss") : t;
}

// Character classes, computed once per BMP code unit and cached; astral code points are classified
// on the fly. The scanner below is equivalent to TOKEN_SOURCE (kept as the executable spec and used
// in tests) and ~3× faster.
const C_SEP = 0;
const C_WORD = 1;
const C_CJK = 2;
const C_HANGUL = 3;
const classCache = new Uint8Array(65536).fill(255);
const digitCache = new Uint8Array(65536).fill(255);
const RE_CJK = new RegExp(`[${CJK}]`, "v");
const RE_HANGUL = /\p{sc=Hangul}/u;
const RE_WORD = /[\p{L}\p{M}\p{N}]/u;

function classifyCodePoint(ch: string): number {
  if (RE_CJK.test(ch)) return C_CJK;
  if (RE_HANGUL.test(ch)) return C_HANGUL;
  return RE_WORD.test(ch) ? C_WORD : C_SEP;
}

function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) {
    return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) ? C_WORD : C_SEP;
  }
  if (c >= 0xd800 && c <= 0xdbff) {
    const cp = text.codePointAt(i)!;
    return cp > 0xffff ? classifyCodePoint(String.fromCodePoint(cp)) : C_SEP;
  }
  if (c >= 0xdc00 && c <= 0xdfff) return 255; // low surrogate: part of the previous code point
  let k = classCache[c]!;
  if (k === 255) {
    k = classifyCodePoint(String.fromCharCode(c));
    classCache[c] = k;
  }
  return k;
}

function width(text: string, at: number): number {
  const c = text.charCodeAt(at);
  return c >= 0xd800 && c <= 0xdbff ? 2 : 1;
}

function isDigitAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return c >= 48 && c <= 57;
  if (c >= 0xd800 && c <= 0xdfff) return DIGIT.test(String.fromCodePoint(text.codePointAt(i)!));
  let k = digitCache[c]!;
  if (k === 255) {
    k = DIGIT.test(String.fromCharCode(c)) ? 1 : 0;
    digitCache[c] = k;
  }
  return k === 1;
}

/**
 * Calls `fn` for every token of `text`, in order: normalised text, UTF-16 start/end in `text`, kind.
 * The hot path for BM25 and MinHash (no arrays built).
 */
export function forEachToken(
  text: string,
  fn: (token: string, start: number, end: number, kind: TokenKind) => void,
): void {
  const n = text.length;
  let i = 0;
  while (i < n) {
    let k = classAt(text, i);
    if (k === C_SEP || k === 255) {
      i++;
      continue;
    }
    const start = i;
    if (k === C_CJK) {
      const c = text.charCodeAt(i);
      i += width(text, i);
      const raw = text.slice(start, i);
      // Kana and the main Han blocks are NFKC-stable; compatibility ideographs and half-width kana are not.
      const t = (c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x9fff) ? raw : normalizeToken(raw);
      fn(t, start, i, HAN_NUMERALS.has(raw) ? TOKEN_NUMBER : TOKEN_CJK);
      continue;
    }
    if (k === C_HANGUL) {
      let composed = true;
      while (i < n && classAt(text, i) === C_HANGUL) {
        const c = text.charCodeAt(i);
        if (c < 0xac00 || c > 0xd7a3) composed = false;
        i += width(text, i);
      }
      const raw = text.slice(start, i);
      fn(composed ? raw : normalizeToken(raw), start, i, TOKEN_HANGUL);
      continue;
    }
    // a word: word chars, joined across ' ’ (before a word char) and . , (before a digit)
    let digit = false;
    let ascii = true;
    let upper = false;
    for (;;) {
      while (i < n) {
        k = classAt(text, i);
        if (k !== C_WORD) break;
        const c = text.charCodeAt(i);
        if (c < 128) {
          if (c <= 57) digit = true;
          else if (c <= 90) upper = true;
          i++;
        } else {
          ascii = false;
          if (!digit && isDigitAt(text, i)) digit = true;
          i += width(text, i);
        }
      }
      if (i + 1 >= n) break;
      const c = text.charCodeAt(i);
      if ((c === 39 || c === 0x2019) && classAt(text, i + 1) === C_WORD) {
        if (c !== 39) ascii = false;
        i++;
        continue;
      }
      if ((c === 46 || c === 44) && classAt(text, i + 1) === C_WORD && isDigitAt(text, i + 1)) {
        i++;
        continue;
      }
      break;
    }
    const raw = text.slice(start, i);
    if (NO_SPACE_SCRIPTS.test(raw)) {
      segmenter ??= new Intl.Segmenter("th", { granularity: "word" });
      for (const s of segmenter.segment(raw)) {
        if (!s.isWordLike) continue;
        const kind = DIGIT.test(s.segment) ? TOKEN_NUMBER : TOKEN_WORD;
        fn(normalizeToken(s.segment), start + s.index, start + s.index + s.segment.length, kind);
      }
    } else {
      const t = ascii ? (upper ? raw.toLowerCase() : raw) : foldNonAscii(raw);
      fn(t, start, i, digit ? TOKEN_NUMBER : TOKEN_WORD);
    }
  }
}

/**
 * The tokens of `scanTokenIds` (valid until its next call): for token t < n, its id, UTF-16 start
 * and end, kind, and its normalised text when it was built (non-ASCII tokens; "" otherwise).
 */
export interface TokenScan {
  n: number;
  id: Uint32Array;
  start: Uint32Array;
  end: Uint32Array;
  kind: Uint8Array;
  text: string[];
}

const scan: TokenScan = {
  n: 0,
  id: new Uint32Array(4096),
  start: new Uint32Array(4096),
  end: new Uint32Array(4096),
  kind: new Uint8Array(4096),
  text: new Array<string>(4096).fill(""),
};

/**
 * The tokens of forEachToken as 32-bit ids, `hash32(token)` (lib/detect/fasthash.ts), without
 * building a string for ASCII words (the bulk of most text): `text[t]` is the normalised text when
 * it was built (non-ASCII tokens), "" otherwise (then it is `text.slice(start, end).toLowerCase()`).
 * The hot path of the duplicate detectors' token sequences: the tokens go straight into typed
 * arrays, which the result shares with the next call (copy what must outlive it).
 */
export function scanTokenIds(text: string): TokenScan {
  const n = text.length;
  // a token is at least one code unit: n tokens at most
  if (scan.id.length < n) {
    const size = Math.max(n, 2 * scan.id.length);
    scan.id = new Uint32Array(size);
    scan.start = new Uint32Array(size);
    scan.end = new Uint32Array(size);
    scan.kind = new Uint8Array(size);
    scan.text = new Array<string>(size).fill("");
  }
  const ids = scan.id;
  const starts = scan.start;
  const ends = scan.end;
  const kinds = scan.kind;
  const texts = scan.text;
  let nt = 0;
  let i = 0;
  while (i < n) {
    const k = classAt(text, i);
    if (k === C_SEP || k === 255) {
      i++;
      continue;
    }
    const start = i;
    if (k === C_CJK) {
      const c = text.charCodeAt(i);
      if ((c >= 0x3040 && c <= 0x30ff) || (c >= 0x3400 && c <= 0x9fff)) {
        // Kana and the main Han blocks: one code unit, NFKC-stable; no string built, no hash loop
        i++;
        let t = charToken[c] as string;
        if (t === "") {
          t = String.fromCharCode(c);
          charToken[c] = t;
        }
        ids[nt] = charHash(c);
        starts[nt] = start;
        ends[nt] = i;
        kinds[nt] = HAN_NUMERAL_CODES[c] ? TOKEN_NUMBER : TOKEN_CJK;
        texts[nt++] = t;
        continue;
      }
      i += width(text, i);
      const raw = text.slice(start, i);
      const t = normalizeToken(raw);
      ids[nt] = hash32(t);
      starts[nt] = start;
      ends[nt] = i;
      kinds[nt] = HAN_NUMERALS.has(raw) ? TOKEN_NUMBER : TOKEN_CJK;
      texts[nt++] = t;
      continue;
    }
    if (k === C_HANGUL) {
      let composed = true;
      while (i < n && classAt(text, i) === C_HANGUL) {
        const c = text.charCodeAt(i);
        if (c < 0xac00 || c > 0xd7a3) composed = false;
        i += width(text, i);
      }
      const raw = text.slice(start, i);
      const t = composed ? raw : normalizeToken(raw);
      ids[nt] = hash32(t);
      starts[nt] = start;
      ends[nt] = i;
      kinds[nt] = TOKEN_HANGUL;
      texts[nt++] = t;
      continue;
    }
    let digit = false;
    let ascii = true;
    // hash32 of the lower-cased token, computed while scanning (used when the token is ASCII)
    let h = 0x811c9dc5;
    for (;;) {
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c < 128) {
          // ASCII: a word character is a letter or a digit (classAt's ASCII rule, inlined)
          if (c >= 97) {
            if (c > 122) break;
          } else if (c >= 65) {
            if (c > 90) break;
            h = Math.imul(h ^ (c + 32), 0x01000193);
            i++;
            continue;
          } else if (c < 48 || c > 57) break;
          else digit = true;
          h = Math.imul(h ^ c, 0x01000193);
          i++;
        } else {
          if (classAt(text, i) !== C_WORD) break;
          ascii = false;
          if (!digit && isDigitAt(text, i)) digit = true;
          i += width(text, i);
        }
      }
      if (i + 1 >= n) break;
      const c = text.charCodeAt(i);
      if ((c === 39 || c === 0x2019) && classAt(text, i + 1) === C_WORD) {
        if (c !== 39) ascii = false;
        h = Math.imul(h ^ c, 0x01000193);
        i++;
        continue;
      }
      if ((c === 46 || c === 44) && classAt(text, i + 1) === C_WORD && isDigitAt(text, i + 1)) {
        h = Math.imul(h ^ c, 0x01000193);
        i++;
        continue;
      }
      break;
    }
    if (ascii) {
      ids[nt] = fmix32(h ^ (i - start));
      starts[nt] = start;
      ends[nt] = i;
      kinds[nt] = digit ? TOKEN_NUMBER : TOKEN_WORD;
      texts[nt++] = "";
      continue;
    }
    const raw = text.slice(start, i);
    if (NO_SPACE_SCRIPTS.test(raw)) {
      segmenter ??= new Intl.Segmenter("th", { granularity: "word" });
      for (const s of segmenter.segment(raw)) {
        if (!s.isWordLike) continue;
        const kind = DIGIT.test(s.segment) ? TOKEN_NUMBER : TOKEN_WORD;
        const t = normalizeToken(s.segment);
        ids[nt] = hash32(t);
        starts[nt] = start + s.index;
        ends[nt] = start + s.index + s.segment.length;
        kinds[nt] = kind;
        texts[nt++] = t;
      }
    } else {
      const t = foldNonAscii(raw);
      ids[nt] = hash32(t);
      starts[nt] = start;
      ends[nt] = i;
      kinds[nt] = digit ? TOKEN_NUMBER : TOKEN_WORD;
      texts[nt++] = t;
    }
  }
  scan.n = nt;
  return scan;
}

/**
 * Calls `fn` for every token of `scanTokenIds`, in order (see there): id, UTF-16 start/end, kind,
 * and the normalised text when it was built ("" for ASCII words).
 */
export function forEachTokenId(
  text: string,
  fn: (id: number, start: number, end: number, kind: TokenKind, token: string) => void,
): void {
  const { n, id, start, end, kind, text: tokens } = scanTokenIds(text);
  // copies: `fn` may scan another text
  const ids = id.slice(0, n);
  const starts = start.slice(0, n);
  const ends = end.slice(0, n);
  const kinds = kind.slice(0, n);
  const texts = tokens.slice(0, n);
  for (let t = 0; t < n; t++)
    fn(ids[t] as number, starts[t] as number, ends[t] as number, kinds[t] as TokenKind, texts[t] as string);
}

/** The same tokens as forEachToken, from the regular expression (slower; the reference in tests). */
export function forEachTokenRegex(
  text: string,
  fn: (token: string, start: number, end: number, kind: TokenKind) => void,
): void {
  const re = new RegExp(TOKEN_SOURCE, "gv");
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const raw = m[0];
    const start = m.index;
    if (m[1] !== undefined) {
      const t = normalizeToken(raw);
      fn(t, start, start + raw.length, HAN_NUMERALS.has(raw) ? TOKEN_NUMBER : TOKEN_CJK);
    } else if (m[2] !== undefined) {
      fn(normalizeToken(raw), start, start + raw.length, TOKEN_HANGUL);
    } else if (NO_SPACE_SCRIPTS.test(raw)) {
      segmenter ??= new Intl.Segmenter("th", { granularity: "word" });
      for (const s of segmenter.segment(raw)) {
        if (!s.isWordLike) continue;
        const kind = DIGIT.test(s.segment) ? TOKEN_NUMBER : TOKEN_WORD;
        fn(normalizeToken(s.segment), start + s.index, start + s.index + s.segment.length, kind);
      }
    } else {
      fn(normalizeToken(raw), start, start + raw.length, DIGIT.test(raw) ? TOKEN_NUMBER : TOKEN_WORD);
    }
  }
}

/** Tokens of one text as parallel arrays. */
export interface Tokens {
  /** Normalised token texts. */
  text: string[];
  /** UTF-16 offsets into the original text, end exclusive. */
  start: number[];
  end: number[];
  kind: TokenKind[];
  /** 1 when the token starts with an upper-case letter in the original (a name, or a German noun). */
  capital: Uint8Array;
}

export function tokenize(text: string): Tokens {
  const out: Tokens = { text: [], start: [], end: [], kind: [], capital: new Uint8Array(0) };
  const caps: number[] = [];
  forEachToken(text, (t, s, e, k) => {
    out.text.push(t);
    out.start.push(s);
    out.end.push(e);
    out.kind.push(k);
    const c = text[s] as string;
    caps.push(k === TOKEN_WORD && c !== c.toLowerCase() && c === c.toUpperCase() ? 1 : 0);
  });
  out.capital = Uint8Array.from(caps);
  return out;
}

/** The text is mostly Han/Kana (Chinese, Japanese): share of CJK tokens among all tokens. */
export function cjkShare(tokens: Tokens): number {
  if (tokens.kind.length === 0) return 0;
  let n = 0;
  for (const k of tokens.kind) if (k === TOKEN_CJK) n++;
  return n / tokens.kind.length;
}

/** Normalised form used for exact matching: the token texts joined by one space. */
export function normalizedKey(text: string): string {
  const parts: string[] = [];
  forEachToken(text, (t) => {
    parts.push(t);
  });
  return parts.join(" ");
}
