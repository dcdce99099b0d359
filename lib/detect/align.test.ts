import { describe, expect, it } from "vitest";
import { alignTesting, findCopy } from "./align";

/** Deterministic pseudo-random numbers (mulberry32). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS =
  "the a of to and is in plan plans planning card cards lost my phone bank account open opens store at 9am don't how what when does fever vaccine cause causes".split(
    " ",
  );
const CHARS =
  "的是在了不和有大这中人上为们我地个用工时要动国产以到说会可也你对生能而子那得于着下自之年过发后作里".split(
    "",
  );

const OTHER = "甲乙丙丁戊己庚辛壬癸丑寅卯辰巳午未申酉戌亥".split("");

function text(r: () => number, n: number, cjk: boolean): string {
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const pool = cjk ? CHARS : WORDS;
    let w = pool[Math.floor(r() * r() * pool.length)]!;
    if (!cjk && r() < 0.1) w = w[0]!.toUpperCase() + w.slice(1);
    out.push(w);
    if (r() < 0.08) out.push(cjk ? "。" : ".");
  }
  return out.join(cjk ? "" : " ");
}

function both(source: string, target: string, options: Parameters<typeof findCopy>[2]) {
  alignTesting.dense = true;
  try {
    const dense = findCopy(source, target, options);
    alignTesting.dense = false;
    return { dense, sparse: findCopy(source, target, options) };
  } finally {
    alignTesting.dense = false;
  }
}

describe("findCopy: the sparse alignment reproduces the full table", () => {
  it("on random word and character texts, with and without the candidate filter", () => {
    const r = rng(7);
    let found = 0;
    for (let n = 0; n < 1500; n++) {
      const cjk = n % 3 === 0;
      const source = text(r, 2 + Math.floor(r() * 30), cjk);
      // targets that hold (a noisy copy of) the source somewhere, and unrelated ones
      let target = text(r, Math.floor(r() * 120), cjk);
      if (r() < 0.6) {
        const at = Math.floor(r() * target.length);
        const noisy = source
          .split(cjk ? "" : " ")
          .filter(() => r() > 0.15)
          .join(cjk ? "" : " ");
        target = `${target.slice(0, at)}${cjk ? "" : " "}${noisy} ${target.slice(at)}`;
      }
      for (const options of [{}, { minCoverage: 0.5 }, { minCoverage: 0.7, lang: cjk ? "zh" : "en" }]) {
        const { dense, sparse } = both(source, target, options);
        expect(sparse).toEqual(dense);
        if (dense) found++;
      }
    }
    expect(found).toBeGreaterThan(1000);
  });
});

describe("findCopy with requireCoverage", () => {
  it("returns the copy found without it when that copy covers minCoverage, otherwise nothing", () => {
    const r = rng(11);
    let kept = 0;
    for (let n = 0; n < 3000; n++) {
      const cjk = n % 3 !== 0;
      const source = text(r, 4 + Math.floor(r() * 30), cjk);
      let target = text(r, Math.floor(r() * 200), cjk);
      // several noisy partial copies, so that ranges compete
      for (let c = Math.floor(r() * 3); c > 0; c--) {
        const at = Math.floor(r() * target.length);
        const noisy = source
          .split(cjk ? "" : " ")
          .filter(() => r() > 0.1 + 0.4 * r())
          .join(cjk ? "" : " ");
        target = `${target.slice(0, at)}${cjk ? "" : " "}${noisy} ${target.slice(at)}`;
      }
      for (const minCoverage of [0.5, 0.7]) {
        const options = { minCoverage, lang: cjk ? "zh" : "en" };
        const all = findCopy(source, target, options);
        const covering = findCopy(source, target, { ...options, requireCoverage: true });
        if (all && all.coverage >= minCoverage) {
          expect(covering).toEqual(all);
          kept++;
        } else expect(covering).toBeUndefined();
      }
    }
    expect(kept).toBeGreaterThan(500);
  });

  it("when a range that cannot hold such a copy scores higher than one that can", () => {
    // an exact copy of part of the query (high score, low coverage) and, far from it, a gappy copy
    // of most of it (lower score, enough coverage): the first wins, so nothing is returned
    const r = rng(5);
    let outvoted = 0;
    for (let n = 0; n < 1500; n++) {
      const source = text(r, 10 + Math.floor(r() * 25), true).replace(/。/g, "");
      const chars = source.split("");
      const part = Math.floor(chars.length * (0.45 + 0.25 * r()));
      const from = Math.floor(r() * (chars.length - part));
      const exact = chars.slice(from, from + part).join("");
      const gappy = chars
        .filter(() => r() > 0.25)
        .map((c) => (r() < 0.05 ? c + text(r, 1, true) : c))
        .join("");
      // filler from other characters, so that each copy's range holds little else of the query
      const filler = () =>
        Array.from({ length: 4 * chars.length + 20 }, () => OTHER[Math.floor(r() * OTHER.length)]).join("");
      const target =
        r() < 0.5
          ? `${filler()}${exact}${filler()}${gappy}${filler()}`
          : `${filler()}${gappy}${filler()}${exact}${filler()}`;
      for (const minCoverage of [0.5, 0.7]) {
        const options = { minCoverage, lang: "zh" };
        const all = findCopy(source, target, options);
        const covering = findCopy(source, target, { ...options, requireCoverage: true });
        if (all && all.coverage >= minCoverage) expect(covering).toEqual(all);
        else {
          expect(covering).toBeUndefined();
          if (all) outvoted++;
        }
      }
    }
    expect(outvoted).toBeGreaterThan(100);
  });
});
