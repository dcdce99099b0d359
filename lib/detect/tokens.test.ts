import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fixture } from "@/lib/formats/test-utils";
import { hash32 } from "./fasthash";
import {
  forEachToken,
  forEachTokenId,
  forEachTokenRegex,
  normalizedKey,
  TOKEN_CJK,
  TOKEN_HANGUL,
  TOKEN_NUMBER,
  tokenize,
} from "./tokens";

describe("tokenize", () => {
  it("splits words, keeps offsets, lower-cases and classifies", () => {
    const text = "The Store opens at 9am. Don't pay 3.5% of $1,000!";
    const t = tokenize(text);
    expect(t.text).toEqual(["the", "store", "opens", "at", "9am", "don't", "pay", "3.5", "of", "1,000"]);
    t.text.forEach((w, i) => {
      expect(text.slice(t.start[i], t.end[i]).toLowerCase()).toBe(w);
    });
    expect(t.kind[4]).toBe(TOKEN_NUMBER);
    expect([...t.capital]).toEqual([1, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
  });
  it("one token per Han/Kana character, Hangul words whole, NFKC for full-width forms", () => {
    const zh = tokenize("北京人口２１００万。");
    expect(zh.text).toEqual(["北", "京", "人", "口", "2100", "万"]);
    expect(zh.kind).toEqual([TOKEN_CJK, TOKEN_CJK, TOKEN_CJK, TOKEN_CJK, TOKEN_NUMBER, TOKEN_NUMBER]);
    const ko = tokenize("작은 개가 9월에");
    expect(ko.text).toEqual(["작은", "개가", "9", "월에"]);
    expect(ko.kind[0]).toBe(TOKEN_HANGUL);
  });
  it("punctuation, spacing and case never change the normalised key", () => {
    expect(normalizedKey("Hello,   World!")).toBe(normalizedKey("hello world"));
    expect(normalizedKey("東京は、晴れ。")).toBe(normalizedKey("東京は晴れ"));
  });
  it("the fast scanner agrees with the regular expression on the real fixtures", () => {
    const texts = [
      readFileSync(fixture("real", "zh_t2ranking_100.jsonl"), "utf8").slice(0, 200_000),
      readFileSync(fixture("real", "ko_korsts_dev.tsv"), "utf8"),
      readFileSync(fixture("real", "ja_jsts_valid.json"), "utf8"),
      readFileSync(fixture("real", "flagemb_nq_scored.jsonl"), "utf8").slice(0, 200_000),
      "L'eau n'est pas chère à Zürich, v.2 3.5 1,000 a. b ' x’y 𠀀𠀁 😀 ภาษาไทยง่ายมาก ㅅ소란",
    ];
    for (const text of texts) {
      const a: string[] = [];
      const b: string[] = [];
      forEachToken(text, (t, s, e, k) => a.push(`${t}:${s}:${e}:${k}`));
      forEachTokenRegex(text, (t, s, e, k) => b.push(`${t}:${s}:${e}:${k}`));
      expect(a).toEqual(b);
      // the id scanner: the same tokens, as hash32 of their normalised text
      const ids: string[] = [];
      forEachTokenId(text, (id, s, e, k, t) => {
        const token = t === "" ? text.slice(s, e).toLowerCase() : t;
        ids.push(`${token}:${s}:${e}:${k}`);
        expect(id).toBe(hash32(token));
      });
      expect(ids).toEqual(a);
    }
  });
  it("the id scanner's one-character fast path (Kana, main Han blocks) matches hash32 of the token", () => {
    const ranges: [number, number][] = [
      [0x3040, 0x30ff],
      [0x3400, 0x9fff],
    ];
    for (const [from, to] of ranges) {
      for (let c = from; c <= to; c++) {
        const ch = String.fromCharCode(c);
        const text = `a${ch}${ch} ${ch}`;
        const a: string[] = [];
        forEachToken(text, (t, s, e, k) => a.push(`${t}:${s}:${e}:${k}`));
        const ids: string[] = [];
        forEachTokenId(text, (id, s, e, k, t) => {
          const token = t === "" ? text.slice(s, e).toLowerCase() : t;
          ids.push(`${token}:${s}:${e}:${k}`);
          expect(id).toBe(hash32(token));
        });
        expect(ids).toEqual(a);
      }
    }
  });
});
