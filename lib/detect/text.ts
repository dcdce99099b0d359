/**
 * Text utilities shared by the detectors: word and sentence segmentation with UTF-16 offsets,
 * accurate word counts, CJK tests, match normalisation with an offset map, n-grams and shingles.
 *
 * Which word count to use where:
 * - `countWords` (lib/formats/text.ts) is the cheap approximation (whitespace tokens, two Han/Kana
 *   characters = one word). Use it for coarse decisions: family inference, "is this text short",
 *   size gates.
 * - `countWordsAccurate` (here) counts what `Intl.Segmenter` calls word-like segments. It is the
 *   convention for anything compared with a requested length (length_mismatch): for Chinese and
 *   Japanese an E5 "word" is one segmenter word (about 1.6-1.7 Han/Kana characters on typical text;
 *   the bench generator fits its lengths to the same convention), for space-separated languages it
 *   is the usual word, with "don't", "3.5", "U.S.A" counted once.
 *
 * Speed: `Intl.Segmenter` runs at ~1 M chars/s for words in Node 20, too slow for every passage of
 * every record. `segmentWords` therefore has a fast path that reproduces the segmenter's word-like
 * segments (UAX #29 word rules as ICU applies them) for text without Han, Kana, Thai, Lao, Khmer or
 * Myanmar characters, and only hands those texts to the segmenter (in chunks, since it slows down
 * on very long strings).
 */

export interface WordSpan {
  word: string;
  /** UTF-16 offsets into the text, end exclusive. */
  start: number;
  end: number;
}

export interface SentenceSpan {
  /** The sentence without surrounding whitespace. */
  text: string;
  start: number;
  end: number;
}

// ---------------------------------------------------------------------------------------------
// Segmenters (cached per language and granularity)

const segmenters = new Map<string, Intl.Segmenter>();

function segmenter(lang: string | undefined, granularity: "word" | "sentence"): Intl.Segmenter {
  const key = `${granularity}:${lang ?? ""}`;
  let seg = segmenters.get(key);
  if (!seg) {
    try {
      seg = new Intl.Segmenter(lang || undefined, { granularity });
    } catch {
      seg = new Intl.Segmenter(undefined, { granularity });
    }
    segmenters.set(key, seg);
  }
  return seg;
}

// ---------------------------------------------------------------------------------------------
// Character classes (BMP table filled lazily)

const C_OTHER = 0;
const C_LETTER = 1;
const C_DIGIT = 2;
/** Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar: word breaks need a dictionary. */
const C_DICT = 3;
/** ' ’ . and the like: join letter-letter and digit-digit (MidNumLet). */
const C_MIDNUMLET = 4;
/** : · and the like: join letter-letter only (MidLetter). */
const C_MIDLETTER = 5;
/** , ; and the like: join digit-digit only (MidNum). */
const C_MIDNUM = 6;
/** _ (ExtendNumLet): joins any word characters. */
const C_EXTENDNUMLET = 7;
/** Soft hyphen, zero-width joiners: absorbed inside a word. */
const C_FORMAT = 8;
/** Hangul: a word of its own, not joined to adjacent Latin letters or digits (as ICU does). */
const C_HANGUL = 9;
const UNKNOWN = 255;

const classTable = new Uint8Array(0x10000).fill(UNKNOWN);
const RE_DICT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}ー々〆〇]/u;
const RE_LETTER = /[\p{L}\p{M}]/u;
const RE_DIGIT = /\p{Nd}/u;
const RE_LETTER_NUMBER = /\p{Nl}/u;

function classifyCodePoint(cp: number): number {
  const ch = String.fromCodePoint(cp);
  if (RE_DICT.test(ch)) return C_DICT;
  if (
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0x1100 && cp <= 0x11ff) ||
    (cp >= 0x3130 && cp <= 0x318f) ||
    (cp >= 0xa960 && cp <= 0xa97f) ||
    (cp >= 0xd7b0 && cp <= 0xd7ff)
  )
    return C_HANGUL;
  if (RE_DIGIT.test(ch)) return C_DIGIT;
  if (RE_LETTER.test(ch)) return C_LETTER;
  if (RE_LETTER_NUMBER.test(ch)) return C_LETTER;
  switch (cp) {
    case 0x27: // '
    case 0x2e: // .
    case 0x2018:
    case 0x2019:
    case 0x2024:
    case 0xfe52:
    case 0xff07:
    case 0xff0e:
      return C_MIDNUMLET;
    case 0x3a: // :
    case 0xb7:
    case 0x387:
    case 0x5f4:
    case 0x2027:
    case 0xfe13:
    case 0xfe55:
    case 0xff1a:
      return C_MIDLETTER;
    case 0x2c: // ,
    case 0x3b: // ;
    case 0x37e:
    case 0x589:
    case 0x60c:
    case 0x60d:
    case 0x66c:
    case 0x7f8:
    case 0x2044:
    case 0xfe10:
    case 0xfe14:
    case 0xfe50:
    case 0xfe54:
    case 0xff0c:
    case 0xff1b:
      return C_MIDNUM;
    case 0x5f:
    case 0x203f:
    case 0x2040:
    case 0x2054:
    case 0xfe33:
    case 0xfe34:
    case 0xfe4d:
    case 0xfe4e:
    case 0xfe4f:
    case 0xff3f:
      return C_EXTENDNUMLET;
    case 0xad:
    case 0x200c:
    case 0x200d:
    case 0x2060:
    case 0xfeff:
      return C_FORMAT;
  }
  return C_OTHER;
}

/** Class of the code point starting at `i` (a lone surrogate is OTHER). */
function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 0x80) {
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) return C_LETTER;
    if (c >= 0x30 && c <= 0x39) return C_DIGIT;
  }
  if (c >= 0xd800 && c <= 0xdbff) {
    const cp = text.codePointAt(i) as number;
    return cp > 0xffff ? classifyCodePoint(cp) : C_OTHER;
  }
  let k = classTable[c] as number;
  if (k === UNKNOWN) {
    k = c >= 0xdc00 && c <= 0xdfff ? C_OTHER : classifyCodePoint(c);
    classTable[c] = k;
  }
  return k;
}

const isDictChar = (c: number): boolean =>
  (c >= 0x3040 && c <= 0x30ff) ||
  (c >= 0x3400 && c <= 0x4dbf) ||
  (c >= 0x4e00 && c <= 0x9fff) ||
  (c >= 0xf900 && c <= 0xfaff) ||
  (c >= 0x0e00 && c <= 0x0eff) || // Thai, Lao
  (c >= 0x1000 && c <= 0x109f) || // Myanmar
  (c >= 0x1780 && c <= 0x17ff) || // Khmer
  (c >= 0x31f0 && c <= 0x31ff) ||
  (c >= 0xff66 && c <= 0xff9f) ||
  (c >= 0xd840 && c <= 0xd87f); // high surrogates of the CJK extension planes

/** Whether a text contains characters whose word breaks need dictionary segmentation. */
export function needsDictionarySegmentation(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x0e00 && isDictChar(c)) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Words

/**
 * Word-like segments of a text with UTF-16 offsets, as `Intl.Segmenter(lang, {granularity:
 * "word"})` returns them (isWordLike only). Texts without dictionary scripts take a fast path
 * that follows the same rules.
 */
export function segmentWords(text: string, lang?: string): WordSpan[] {
  if (needsDictionarySegmentation(text)) return segmentWordsIcu(text, lang);
  const out: WordSpan[] = [];
  scanWords(text, (start, end) => {
    out.push({ word: text.slice(start, end), start, end });
    return false;
  });
  return out;
}

/**
 * Calls `emit(start, end)` for each word-like segment, without building objects (the fast path
 * of `segmentWords`, or the segmenter for dictionary scripts).
 */
export function forEachWord(
  text: string,
  lang: string | undefined,
  emit: (start: number, end: number) => void,
): void {
  if (needsDictionarySegmentation(text)) {
    forEachIcuWord(text, lang, (word, start) => {
      emit(start, start + word.length);
      return false;
    });
    return;
  }
  scanWords(text, (start, end) => {
    emit(start, end);
    return false;
  });
}

/**
 * Number of word-like segments (see the module comment for when to use it). Counting stops once
 * `stopAbove` is exceeded (the result is then `stopAbove + 1`), which saves segmenting the rest of
 * a long CJK text when only a threshold matters.
 */
export function countWordsAccurate(
  text: string,
  lang?: string,
  stopAbove = Number.POSITIVE_INFINITY,
): number {
  let n = 0;
  if (needsDictionarySegmentation(text)) {
    forEachIcuWord(text, lang, () => ++n > stopAbove);
    return n;
  }
  scanWords(text, () => ++n > stopAbove);
  return n;
}

/**
 * The fast path: word-like runs of letters/digits, joined across one MidLetter/MidNumLet/MidNum
 * character when the characters on both sides allow it (UAX #29 WB6-WB12), across `_` and format
 * characters. Only valid for text without dictionary scripts.
 */
function scanWords(text: string, emit: (start: number, end: number) => boolean | undefined): void {
  const n = text.length;
  let start = -1;
  /** Class of the last word character (LETTER or DIGIT) of the current word. */
  let last = C_OTHER;
  let i = 0;
  while (i < n) {
    const k = classAt(text, i);
    const width = text.charCodeAt(i) >= 0xd800 && text.charCodeAt(i) <= 0xdbff && i + 1 < n ? 2 : 1;
    if (k === C_HANGUL || ((k === C_LETTER || k === C_DIGIT) && last === C_HANGUL)) {
      // Hangul runs are words of their own.
      if (start >= 0 && (last !== C_HANGUL || k !== C_HANGUL)) {
        if (emit(start, trimFormatEnd(text, start, i))) return;
      } else if (start >= 0) {
        i += width;
        continue;
      }
      start = i;
      last = k === C_HANGUL ? C_HANGUL : k;
      i += width;
      continue;
    }
    if (k === C_LETTER || k === C_DIGIT || k === C_DICT) {
      if (start < 0) start = i;
      last = k === C_DIGIT ? C_DIGIT : C_LETTER;
      i += width;
      continue;
    }
    if (k === C_EXTENDNUMLET && start < 0) {
      start = i;
      last = C_EXTENDNUMLET;
      i += width;
      continue;
    }
    if (start >= 0) {
      if (k === C_EXTENDNUMLET || k === C_FORMAT) {
        if (k === C_EXTENDNUMLET) last = C_EXTENDNUMLET;
        i += width;
        continue;
      }
      if (k === C_MIDNUMLET || k === C_MIDLETTER || k === C_MIDNUM) {
        const j = i + width;
        if (j < n) {
          const next = classAt(text, j);
          const nextClass = next === C_DIGIT ? C_DIGIT : next === C_LETTER || next === C_DICT ? C_LETTER : -1;
          const ok =
            nextClass === last &&
            ((k === C_MIDNUMLET && (last === C_LETTER || last === C_DIGIT)) ||
              (k === C_MIDLETTER && last === C_LETTER) ||
              (k === C_MIDNUM && last === C_DIGIT));
          if (ok) {
            i = j;
            continue;
          }
        }
      }
      // Trailing `_` / format characters stay in the word only when followed by word characters;
      // ICU keeps a trailing underscore, so do we.
      if (emit(start, trimFormatEnd(text, start, i))) return;
      start = -1;
      last = C_OTHER;
    }
    i += width;
  }
  if (start >= 0) emit(start, trimFormatEnd(text, start, n));
}

function trimFormatEnd(text: string, start: number, end: number): number {
  let e = end;
  while (e > start && classAt(text, e - 1) === C_FORMAT) e--;
  return e;
}

/** Longest text handed to the segmenter at once (it slows down superlinearly on long strings). */
const ICU_CHUNK = 2000;

function forEachIcuWord(
  text: string,
  lang: string | undefined,
  emit: (segment: string, start: number) => boolean | undefined,
): void {
  const seg = segmenter(lang, "word");
  let offset = 0;
  while (offset < text.length) {
    let end = Math.min(text.length, offset + ICU_CHUNK);
    if (end < text.length) {
      // Cut after whitespace or sentence punctuation, where a word break is certain.
      let cut = -1;
      for (let j = end; j > offset + ICU_CHUNK / 2; j--) {
        const c = text.charCodeAt(j - 1);
        if (c === 0x20 || c === 0x0a || c === 0x3002 || c === 0xff0c || c === 0x3001 || c === 0xff01) {
          cut = j;
          break;
        }
      }
      if (cut > 0) end = cut;
      else {
        // No safe cut: keep surrogate pairs together; a forced break inside a long word is rare.
        const c = text.charCodeAt(end - 1);
        if (c >= 0xd800 && c <= 0xdbff) end--;
      }
    }
    const chunk = offset === 0 && end === text.length ? text : text.slice(offset, end);
    for (const s of seg.segment(chunk)) if (s.isWordLike && emit(s.segment, offset + s.index)) return;
    offset = end;
  }
}

function segmentWordsIcu(text: string, lang: string | undefined): WordSpan[] {
  const out: WordSpan[] = [];
  forEachIcuWord(text, lang, (word, start) => {
    out.push({ word, start, end: start + word.length });
    return false;
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// CJK

/** Han, Hiragana, Katakana (scripts written without spaces; Hangul is not included: Korean uses spaces). */
export const isCjkCode = (c: number): boolean =>
  (c >= 0x3040 && c <= 0x30ff) ||
  (c >= 0x3400 && c <= 0x4dbf) ||
  (c >= 0x4e00 && c <= 0x9fff) ||
  (c >= 0xf900 && c <= 0xfaff) ||
  (c >= 0x31f0 && c <= 0x31ff) ||
  (c >= 0xff66 && c <= 0xff9f);

/** Share of Han/Kana characters among the letters and digits of a text (0 for a text without any). */
export function cjkRatio(text: string): number {
  let cjk = 0;
  let letters = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39)) letters++;
      continue;
    }
    if (isCjkCode(c)) {
      cjk++;
      letters++;
    } else if (c >= 0xc0 && !(c >= 0x2000 && c <= 0x2bff) && !(c >= 0x3000 && c <= 0x303f) && c < 0xfe00) {
      // Rough: other non-ASCII letters (Latin-1 letters, Hangul, Cyrillic…); punctuation blocks excluded.
      letters++;
    }
  }
  return letters === 0 ? 0 : cjk / letters;
}

/** A text written mostly in Han/Kana (no spaces between words): match on characters, not words. */
export const isCjk = (text: string, threshold = 0.3): boolean => cjkRatio(text) >= threshold;

// ---------------------------------------------------------------------------------------------
// Normalisation for matching

export interface NormalizedText {
  /** NFKC, lower-cased, letters/digits/marks only (punctuation, symbols and whitespace removed). */
  norm: string;
  /** For each UTF-16 unit of `norm`, the UTF-16 offset in the original where its character starts. */
  map: number[];
  /** For each UTF-16 unit of `norm`, the offset in the original just after its character. */
  mapEnd: number[];
}

/** Combining marks normalised together with the character before them. */
const isCombining = (d: number): boolean =>
  (d >= 0x300 && d <= 0x36f) || (d >= 0x3099 && d <= 0x309a) || (d >= 0x1ab0 && d <= 0x1aff);

const RE_KEEP = /[\p{L}\p{N}\p{M}]/u;
const keepTable = new Uint8Array(0x10000).fill(UNKNOWN);

function keepChar(ch: string): boolean {
  const c = ch.charCodeAt(0);
  if (ch.length === 1) {
    let k = keepTable[c] as number;
    if (k === UNKNOWN) {
      k = RE_KEEP.test(ch) ? 1 : 0;
      keepTable[c] = k;
    }
    return k === 1;
  }
  return RE_KEEP.test(ch);
}

/**
 * Text for robust substring matching: NFKC, case-folded (lower case), with punctuation, symbols
 * and whitespace removed. `map`/`mapEnd` give, for every unit of `norm`, the span of the original
 * character it came from, so a match in `norm` (from i to j) is `map[i]` to `mapEnd[j - 1]` in the
 * original. A base character and the combining marks that follow it are normalised together.
 */
export function normalizeForMatch(text: string): NormalizedText {
  const { n, codes, map, mapEnd } = normalizeCodesForMatch(text);
  let norm = "";
  for (let k = 0; k < n; k += 8192) norm += String.fromCharCode(...codes.subarray(k, Math.min(n, k + 8192)));
  return { norm, map: Array.from(map), mapEnd: Array.from(mapEnd) };
}

/** `normalizeForMatch` as typed arrays: the `n` UTF-16 units of `norm` and their spans. */
export interface NormalizedCodes {
  n: number;
  codes: Int32Array;
  map: Int32Array;
  mapEnd: Int32Array;
}

/** Scratch of normalizeCodesForMatch (grown on demand). */
let normCodes = new Int32Array(4096);
let normMap = new Int32Array(4096);
let normMapEnd = new Int32Array(4096);

/** `normalizeForMatch` without building a string (fresh, right-sized arrays). */
export function normalizeCodesForMatch(text: string): NormalizedCodes {
  const n = text.length;
  // NFKC of one character is at most 18 units; the scratch grows when a cluster would not fit.
  if (normCodes.length < n + 32) {
    normCodes = new Int32Array(n + 4096);
    normMap = new Int32Array(n + 4096);
    normMapEnd = new Int32Array(n + 4096);
  }
  let codes = normCodes;
  let map = normMap;
  let mapEnd = normMapEnd;
  let m = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c < 0x80 && !isCombining(text.charCodeAt(i + 1))) {
      if (c >= 0x41 && c <= 0x5a) {
        codes[m] = c + 32;
        map[m] = i;
        mapEnd[m++] = i + 1;
      } else if ((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39)) {
        codes[m] = c;
        map[m] = i;
        mapEnd[m++] = i + 1;
      }
      i++;
      continue;
    }
    // A cluster: one code point plus following combining marks.
    let j = i + (c >= 0xd800 && c <= 0xdbff && i + 1 < n ? 2 : 1);
    while (j < n && isCombining(text.charCodeAt(j))) j++;
    // Han, Kana and Hangul syllables are their own NFKC form and have no case.
    if (j === i + 1 && (isCjkCode(c) || (c >= 0xac00 && c <= 0xd7a3))) {
      if (keepCode(c)) {
        codes[m] = c;
        map[m] = i;
        mapEnd[m++] = j;
      }
      i = j;
      continue;
    }
    const out = text.slice(i, j).normalize("NFKC").toLowerCase();
    if (m + out.length > codes.length) {
      const size = 2 * (m + out.length);
      const grow = (a: Int32Array) => {
        const b = new Int32Array(size);
        b.set(a.subarray(0, m));
        return b;
      };
      codes = normCodes = grow(codes);
      map = normMap = grow(map);
      mapEnd = normMapEnd = grow(mapEnd);
    }
    for (const ch of out) {
      if (!keepChar(ch)) continue;
      for (let u = 0; u < ch.length; u++) {
        codes[m] = ch.charCodeAt(u);
        map[m] = i;
        mapEnd[m++] = j;
      }
    }
    i = j;
  }
  return { n: m, codes: codes.slice(0, m), map: map.slice(0, m), mapEnd: mapEnd.slice(0, m) };
}

/** keepChar for one BMP code unit that is a whole character. */
function keepCode(c: number): boolean {
  let k = keepTable[c] as number;
  if (k === UNKNOWN) {
    k = RE_KEEP.test(String.fromCharCode(c)) ? 1 : 0;
    keepTable[c] = k;
  }
  return k === 1;
}

// ---------------------------------------------------------------------------------------------
// N-grams and shingles

/** Overlapping character n-grams (UTF-16 units) of a text; the text itself when shorter than n. */
export function charNgrams(text: string, n: number): string[] {
  if (text.length === 0) return [];
  if (text.length <= n) return [text];
  const out = new Array<string>(text.length - n + 1);
  for (let i = 0; i + n <= text.length; i++) out[i] = text.slice(i, i + n);
  return out;
}

/** Overlapping word n-grams joined by a space; all the words as one shingle when fewer than n. */
export function wordShingles(words: readonly string[], n: number): string[] {
  if (words.length === 0) return [];
  if (words.length <= n) return [words.join(" ")];
  const out = new Array<string>(words.length - n + 1);
  for (let i = 0; i + n <= words.length; i++) out[i] = words.slice(i, i + n).join(" ");
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sentences

const isSpaceCode = (c: number): boolean =>
  c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200b);

/**
 * Sentences with UTF-16 offsets (whitespace trimmed, empty ones dropped), from
 * `Intl.Segmenter(lang, {granularity: "sentence"})`, which breaks after 。！？ as well as . ! ?
 * and at line breaks. A sentence ending in a CJK terminator followed directly by more text is split
 * there too (the segmenter already does; kept explicit for robustness across ICU versions).
 */
export function sentences(text: string, lang?: string): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  const seg = segmenter(lang, "sentence");
  for (const s of seg.segment(text)) pushSplit(out, text, s.index, s.index + s.segment.length);
  return out;
}

function pushSplit(out: SentenceSpan[], text: string, start: number, end: number): void {
  let from = start;
  for (let i = start; i < end - 1; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3002 || c === 0xff01 || c === 0xff1f) {
      const next = text.charCodeAt(i + 1);
      if (next !== 0x300d && next !== 0x300f && next !== 0xff09 && next !== 0x201d && !isTerm(next)) {
        pushTrimmed(out, text, from, i + 1);
        from = i + 1;
      }
    }
  }
  pushTrimmed(out, text, from, end);
}

const isTerm = (c: number): boolean =>
  c === 0x3002 || c === 0xff01 || c === 0xff1f || c === 0x2e || c === 0x21 || c === 0x3f;

function pushTrimmed(out: SentenceSpan[], text: string, start: number, end: number): void {
  let s = start;
  let e = end;
  while (s < e && isSpaceCode(text.charCodeAt(s))) s++;
  while (e > s && isSpaceCode(text.charCodeAt(e - 1))) e--;
  if (e > s) out.push({ text: text.slice(s, e), start: s, end: e });
}

const isCjkTerm = (c: number): boolean => c === 0x3002 || c === 0xff01 || c === 0xff1f;
const isLatinTerm = (c: number): boolean => c === 0x2e || c === 0x21 || c === 0x3f || c === 0x2026;
/** Closing quotes and brackets that stay with the sentence they end. */
const isCloser = (c: number): boolean =>
  c === 0x22 ||
  c === 0x27 ||
  c === 0x29 ||
  c === 0x5d ||
  c === 0x201d ||
  c === 0x2019 ||
  c === 0x300d ||
  c === 0x300f ||
  c === 0xff09 ||
  c === 0x3011 ||
  c === 0xbb;

/** Whether a sentence ends just before `i` (i is the index after the terminator and closers). */
function breakAfter(text: string, termAt: number): number {
  const c = text.charCodeAt(termAt);
  let j = termAt + 1;
  while (j < text.length && isCloser(text.charCodeAt(j))) j++;
  if (isCjkTerm(c)) return j;
  if (isLatinTerm(c)) {
    // Latin terminators end a sentence before whitespace (or the end), not inside "3.5" or "e.g.x".
    if (j >= text.length || isSpaceCode(text.charCodeAt(j))) return j;
  }
  return -1;
}

/**
 * The sentence around `offset`: from after the previous terminator (. ! ? … 。 ！ ？ followed by
 * whitespace, CJK terminators anywhere) or line break, to the next one, trimmed. A fast scanner
 * (no Intl.Segmenter), looking at most ~1,000 characters either way; use it when a pattern hit
 * needs its sentence as evidence. Abbreviations ("e.g. ") may end a sentence early.
 */
export function sentenceAt(text: string, offset: number, _lang?: string): SentenceSpan | undefined {
  if (text.length === 0) return undefined;
  const pos = Math.max(0, Math.min(offset, text.length - 1));
  let start = Math.max(0, pos - 1000);
  for (let i = pos - 1; i >= Math.max(0, pos - 1000); i--) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      start = i + 1;
      break;
    }
    if (isCjkTerm(c) || isLatinTerm(c)) {
      const b = breakAfter(text, i);
      if (b >= 0 && b <= pos) {
        start = b;
        break;
      }
    }
  }
  let end = Math.min(text.length, pos + 1000);
  for (let i = pos; i < Math.min(text.length, pos + 1000); i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) {
      end = i;
      break;
    }
    if (isCjkTerm(c) || isLatinTerm(c)) {
      const b = breakAfter(text, i);
      if (b >= 0) {
        end = b;
        break;
      }
    }
  }
  while (start < end && isSpaceCode(text.charCodeAt(start))) start++;
  while (end > start && isSpaceCode(text.charCodeAt(end - 1))) end--;
  if (end <= start) return undefined;
  return { text: text.slice(start, end), start, end };
}
