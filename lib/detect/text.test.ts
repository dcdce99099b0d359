import { describe, expect, it } from "vitest";
import {
  charNgrams,
  cjkRatio,
  countWordsAccurate,
  isCjk,
  normalizeForMatch,
  segmentWords,
  sentenceAt,
  sentences,
  wordShingles,
} from "./text";

const icuWords = (text: string, lang?: string) =>
  [...new Intl.Segmenter(lang, { granularity: "word" }).segment(text)]
    .filter((s) => s.isWordLike)
    .map((s) => ({ word: s.segment, start: s.index, end: s.index + s.segment.length }));

describe("segmentWords", () => {
  it("matches Intl.Segmenter on space-separated text (fast path)", () => {
    const samples = [
      "Don't rock'n'roll: U.S.A. 3.5 1,000 e-mail foo_bar abc123 l'homme C++ 3:30 it’s",
      "Naïve café Straße — ＡＢＣ１２３ full-width, Привет мир, İstanbul ﬁle x\u00ADy.",
      "안전모를 가진 한 남자가 CD를 2층 버스에서 청소하고 있다.",
      "Die Europäische Zentralbank hat den Leitzins um 0,25 Prozentpunkte erhöht.",
    ];
    for (const s of samples) expect(segmentWords(s)).toEqual(icuWords(s));
  });

  it("uses the segmenter for Chinese and Japanese, with offsets into the text", () => {
    const text = "東京タワーは高い。Tokyo!";
    const words = segmentWords(text, "ja");
    expect(words.map((w) => w.word)).toEqual(icuWords(text, "ja").map((w) => w.word));
    for (const w of words) expect(text.slice(w.start, w.end)).toBe(w.word);
  });

  it("segments long CJK texts in chunks without losing or duplicating words", () => {
    const text = "这段文字与查询相关。".repeat(500);
    const words = segmentWords(text, "zh");
    expect(words.map((w) => w.word).join("")).toBe(text.replaceAll("。", ""));
    for (const w of words) expect(text.slice(w.start, w.end)).toBe(w.word);
  });
});

describe("countWordsAccurate", () => {
  it("counts segmenter words and stops early when asked", () => {
    expect(countWordsAccurate("The cat sat on the mat.")).toBe(6);
    expect(countWordsAccurate("The cat sat on the mat.", "en", 2)).toBe(3);
    expect(countWordsAccurate("这段文字与查询相关", "zh")).toBe(icuWords("这段文字与查询相关", "zh").length);
    expect(countWordsAccurate("")).toBe(0);
  });
});

describe("CJK helpers", () => {
  it("measures the share of Han and Kana", () => {
    expect(isCjk("这段文字与查询相关")).toBe(true);
    expect(isCjk("東京タワー is tall")).toBe(true);
    expect(isCjk("안전모를 가진 한 남자")).toBe(false);
    expect(cjkRatio("abc")).toBe(0);
    expect(cjkRatio("")).toBe(0);
  });

  it("builds character n-grams and word shingles", () => {
    expect(charNgrams("查询相关", 2)).toEqual(["查询", "询相", "相关"]);
    expect(charNgrams("查", 2)).toEqual(["查"]);
    expect(wordShingles(["a", "b", "c"], 2)).toEqual(["a b", "b c"]);
    expect(wordShingles(["a"], 3)).toEqual(["a"]);
    expect(wordShingles([], 3)).toEqual([]);
  });
});

describe("normalizeForMatch", () => {
  it("folds case and width, drops punctuation and spaces, and maps back to the original", () => {
    const text = "Hé, ＡＢＣ café ﬁle! 東京。";
    const { norm, map, mapEnd } = normalizeForMatch(text);
    expect(norm).toBe("héabccaféfile東京");
    expect(map).toHaveLength(norm.length);
    // "abc" in norm comes from the full-width "ＡＢＣ".
    const i = norm.indexOf("abc");
    expect(text.slice(map[i], mapEnd[i + 2])).toBe("ＡＢＣ");
    // The "fi" ligature expands to two units mapped to the same original character.
    const j = norm.indexOf("file");
    expect(text.slice(map[j], mapEnd[j + 3])).toBe("ﬁle");
  });

  it("keeps combining marks with their base character", () => {
    const text = "Cafe\u0301 au lait";
    const { norm, map, mapEnd } = normalizeForMatch(text);
    expect(norm).toBe("caféaulait");
    expect(text.slice(map[0], mapEnd[3])).toBe("Cafe\u0301");
  });
});

describe("sentences", () => {
  it("splits on . ! ? and CJK terminators, with trimmed offsets", () => {
    const text = "这段文字与查询相关。因为它回答了问题！真的吗？是的\n\nNext one. Ok";
    const s = sentences(text, "zh");
    expect(s.map((x) => x.text)).toEqual([
      "这段文字与查询相关。",
      "因为它回答了问题！",
      "真的吗？",
      "是的",
      "Next one.",
      "Ok",
    ]);
    for (const x of s) expect(text.slice(x.start, x.end)).toBe(x.text);
  });

  it("finds the sentence around an offset without the segmenter", () => {
    const text = "First sentence here. This passage is relevant because x. Last.";
    expect(sentenceAt(text, 30)?.text).toBe("This passage is relevant because x.");
    expect(sentenceAt("无关。该文档并未回答用户的问题。其他", 6)?.text).toBe("该文档并未回答用户的问题。");
    expect(sentenceAt("Version 3.5 is out. Next", 5)?.text).toBe("Version 3.5 is out.");
  });
});
