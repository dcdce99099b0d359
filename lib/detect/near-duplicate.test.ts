import { describe, expect, it } from "vitest";
import { compareSeqs, diffIds, mergeHunks, tokenSeq } from "./near-duplicate";

const cmp = (a: string, b: string, minSimilarity = 0.8) =>
  compareSeqs(tokenSeq(a), tokenSeq(b), { minSimilarity });

function lcs(a: number[], b: number[]): number {
  const dp = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      dp[i]![j] = a[i - 1] === b[j - 1] ? dp[i - 1]![j - 1]! + 1 : Math.max(dp[i - 1]![j]!, dp[i]![j - 1]!);
  return dp[a.length]![b.length]!;
}

describe("diffIds (Myers)", () => {
  it("finds a shortest edit script: deletions + insertions = n + m − 2·LCS, and the hunks align the rest", () => {
    let seed = 5;
    const r = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    for (let t = 0; t < 2000; t++) {
      const a = Array.from({ length: Math.floor(r() * 14) }, () => Math.floor(r() * 4));
      const b = Array.from({ length: Math.floor(r() * 14) }, () => Math.floor(r() * 4));
      const hunks = diffIds(a, b, 100)!;
      const d = hunks.reduce((s, h) => s + h.aEnd - h.aStart + h.bEnd - h.bStart, 0);
      expect(d).toBe(a.length + b.length - 2 * lcs(a, b));
      const keep = (x: number[], side: "a" | "b") => {
        const out: number[] = [];
        let i = 0;
        for (const h of hunks) {
          const [s, e] = side === "a" ? [h.aStart, h.aEnd] : [h.bStart, h.bEnd];
          while (i < s) out.push(x[i++]!);
          i = e;
        }
        while (i < x.length) out.push(x[i++]!);
        return out;
      };
      expect(keep(a, "a")).toEqual(keep(b, "b"));
    }
  });
  it("gives up beyond maxD", () => {
    expect(diffIds([1, 2, 3, 4], [5, 6, 7, 8], 3)).toBeUndefined();
    expect(diffIds([1, 2, 3], [1, 2, 3], 0)).toEqual([]);
  });
  it("merges hunks one equal token apart", () => {
    expect(
      mergeHunks([
        { aStart: 1, aEnd: 2, bStart: 1, bEnd: 2 },
        { aStart: 3, aEnd: 4, bStart: 3, bEnd: 3 },
      ]),
    ).toEqual([{ aStart: 1, aEnd: 4, bStart: 1, bEnd: 3 }]);
  });
});

describe("compareSeqs: duplicates vs counterfactuals", () => {
  it("case, spacing and punctuation are no difference", () => {
    expect(cmp("The store opens at 9am on weekdays.", "the store opens at 9am, on weekdays")).toEqual({
      similarity: 1,
      hunks: [],
    });
  });
  it("a dropped word is noise", () => {
    const m = cmp(
      "The store opens at 9am on weekdays and closes late in summer.",
      "The store opens at 9am on weekdays and closes in summer.",
    );
    expect(m?.similarity).toBeCloseTo(0.957, 3);
    expect(m?.edit).toBeUndefined();
  });
  it.each([
    [
      "number",
      "The store opens at 9am on weekdays and at noon on Sundays.",
      "The store opens at 10am on weekdays and at noon on Sundays.",
    ],
    [
      "entity",
      "Paris is the capital of France and has many old museums.",
      "Berlin is the capital of France and has many old museums.",
    ],
    [
      "negation",
      "X is Y in most cases, according to the annual report.",
      "X is not Y in most cases, according to the annual report.",
    ],
    [
      "negation",
      "Le magasin n'est pas ouvert le dimanche matin en hiver.",
      "Le magasin est ouvert le dimanche matin en hiver.",
    ],
    ["substitution", "Why is my card not working at the shop?", "Why is my phone not working at the shop?"],
    [
      "entity",
      "北京是中国的首都，人口超过两千万，有很多博物馆。",
      "上海是中国的首都，人口超过两千万，有很多博物馆。",
    ],
    [
      "negation",
      "北京是中国的首都，人口超过两千万，有很多博物馆。",
      "北京不是中国的首都，人口超过两千万，有很多博物馆。",
    ],
    [
      "negation",
      "東京タワーは毎日開いています。入場料は千円です。",
      "東京タワーは毎日開いていません。入場料は千円です。",
    ],
    [
      "number",
      "東京タワーは毎日開いています。入場料は千円です。",
      "東京タワーは毎日開いています。入場料は二千円です。",
    ],
    [
      "negation",
      "도서관은 주말에도 문을 열고 입장료는 무료입니다 그리고 주차도 가능합니다.",
      "도서관은 주말에는 문을 열지 않고 입장료는 무료입니다 그리고 주차도 가능합니다.",
    ],
  ])("a changed %s is a counterfactual", (kind, a, b) => {
    const m = cmp(a, b, 0.7);
    expect(m).toBeDefined();
    expect(m?.edit?.kind).toBe(kind);
  });
  it("a rewritten sentence in a long passage is not a small edit", () => {
    const base =
      "The museum opened in 1889. It holds over two thousand paintings from the Dutch golden age. Guided tours run every hour. " +
      "The cafe on the ground floor serves lunch. Tickets can be bought online or at the door. The building was restored in 2004.";
    const changed = base.replace(
      "Guided tours run every hour.",
      "Visitors with children get a free audio guide at the entrance.",
    );
    const m = cmp(base, changed, 0.7);
    expect(m?.edit).toBeUndefined();
  });
  it("rejects different texts early", () => {
    expect(cmp("a b c d e f g h", "i j k l m n o p", 0.5)).toBeUndefined();
    expect(cmp("short", "a much longer text with many more words in it", 0.5)).toBeUndefined();
  });
});

describe("compareSeqs: reordered text", () => {
  const a =
    "The museum opened in 1889. It holds two thousand paintings. Guided tours run every hour. The cafe serves lunch.";
  it("the same sentences in another order are a duplicate", () => {
    const b =
      "Guided tours run every hour. The cafe serves lunch. The museum opened in 1889. It holds two thousand paintings.";
    const m = cmp(a, b, 0.9);
    expect(m?.reordered).toBe(true);
    expect(m?.similarity).toBe(1);
    expect(m?.edit).toBeUndefined();
    expect(cmp(a, b.replace("every hour", "hour"), 0.9)?.edit).toBeUndefined();
  });
  it("reordered with a number or a word changed is not", () => {
    const b =
      "Guided tours run every hour. The cafe serves lunch. The museum opened in 1898. It holds two thousand paintings.";
    expect(cmp(a, b, 0.9)?.edit?.kind).toBe("number");
    const c =
      "Guided tours run every day. The cafe serves lunch. The museum opened in 1889. It holds two thousand paintings.";
    expect(cmp(a, c, 0.9)?.edit?.kind).toBe("substitution");
  });
});
