import type { TaskFamily } from "./types";

/** A text with at most this many words counts as "short" when a family is inferred from lengths. */
export const SHORT_TEXT_MAX_WORDS = 40;

const isSpace = (c: number): boolean =>
  c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200b);

/** Han, Hiragana, Katakana: scripts written without spaces between words. */
const isCjkChar = (c: number): boolean =>
  (c >= 0x3040 && c <= 0x30ff) ||
  (c >= 0x3400 && c <= 0x4dbf) ||
  (c >= 0x4e00 && c <= 0x9fff) ||
  (c >= 0xf900 && c <= 0xfaff);

/**
 * Approximate word count, cheap enough for every record: whitespace-separated tokens, and for
 * Chinese/Japanese characters (no spaces between words) two characters count as one word.
 * Stops counting once `stopAbove` is exceeded.
 */
export function countWords(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let words = 0;
  let cjk = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      inWord = false;
    } else if (isCjkChar(c)) {
      inWord = false;
      cjk++;
      if (words + cjk / 2 > stopAbove) break;
    } else if (!inWord) {
      inWord = true;
      words++;
      if (words + cjk / 2 > stopAbove) break;
    }
  }
  return words + Math.ceil(cjk / 2);
}

export const isShortText = (text: string, maxWords = SHORT_TEXT_MAX_WORDS): boolean =>
  countWords(text, maxWords) <= maxWords;

/** The E5 length families, inferred from the query and positive lengths when nothing says otherwise. */
export function inferFamilyFromLengths(query: string, positive: string): TaskFamily {
  const shortQuery = isShortText(query);
  const shortPositive = isShortText(positive);
  if (shortQuery) return shortPositive ? "short-short" : "short-long";
  return shortPositive ? "long-short" : "long-long";
}
