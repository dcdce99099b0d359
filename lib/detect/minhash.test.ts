import { describe, expect, it } from "vitest";
import { fmix32, hashCombine } from "./fasthash";
import {
  estimateJaccard,
  jaccard,
  LshIndex,
  MinHasher,
  radixSortPairs,
  shingleSet,
  UnionFind,
} from "./minhash";

function rng(seed: number) {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const words = (r: () => number, n: number) => Array.from({ length: n }, () => `w${Math.floor(r() * 5000)}`);

describe("shingles", () => {
  it("word 3-shingles ignore case, spacing and punctuation", () => {
    expect(jaccard(shingleSet("The cat sat on the mat."), shingleSet("the  cat sat, on the MAT"))).toBe(1);
    expect(shingleSet("one two three four").length).toBe(2);
    expect(shingleSet("two words").length).toBe(1);
    expect(shingleSet("").length).toBe(0);
  });
  it("character 3-grams for Chinese catch a near-duplicate and separate a related text", () => {
    const a = "北京是中华人民共和国的首都，也是全国的政治和文化中心，常住人口超过两千万。";
    const dropped = "北京是中华人民共和国的首都，也是全国的政治和文化中心，人口超过两千万。";
    const related = "上海是中国最大的经济中心城市，位于长江入海口，常住人口约两千五百万。";
    expect(jaccard(shingleSet(a), shingleSet(dropped))).toBeGreaterThan(0.8);
    expect(jaccard(shingleSet(a), shingleSet(related))).toBeLessThan(0.2);
  });
});

describe("MinHasher (one-permutation hashing with densification)", () => {
  it("estimates Jaccard within ±0.08 for 200-word texts and ±0.15 for short ones", () => {
    const r = rng(1);
    const h = new MinHasher(128);
    for (const len of [200, 12]) {
      for (let t = 0; t < 30; t++) {
        const base = words(r, len);
        const other = base.map((w) => (r() < 0.15 ? `x${w}` : w));
        const a = shingleSet(base.join(" "));
        const b = shingleSet(other.join(" "));
        const est = estimateJaccard(h.signature(a), h.signature(b));
        expect(Math.abs(est - jaccard(a, b))).toBeLessThan(len > 100 ? 0.08 : 0.15);
      }
    }
  });
  it("bins by the top bits of the hash for a power-of-two k: the same signatures as the float formula", () => {
    // the formula as first written (a float bin for every k, fresh arrays)
    const reference = (shingles: Uint32Array, k: number, seed: number): Uint32Array => {
      const sig = new Uint32Array(k).fill(0xffffffff);
      if (shingles.length === 0) return sig;
      const filled = new Uint8Array(k);
      for (let i = 0; i < shingles.length; i++) {
        const h = fmix32(shingles[i]! ^ seed);
        const bin = Math.floor((h / 4294967296) * k);
        const v = fmix32(h ^ 0x5bd1e995);
        if (!filled[bin]) {
          filled[bin] = 1;
          sig[bin] = v;
        } else if (v < sig[bin]!) sig[bin] = v;
      }
      for (let i = 0; i < k; i++) {
        if (filled[i]) continue;
        for (let attempt = 1; ; attempt++) {
          const j = Math.floor((fmix32(hashCombine(i + 1, attempt) ^ seed) / 4294967296) * k);
          if (filled[j]) {
            sig[i] = sig[j]!;
            break;
          }
        }
      }
      return sig;
    };
    const r = rng(3);
    for (const [k, seed] of [
      [128, 7],
      [40, 11],
      [64, 1],
      [1, 5],
      [2, 9],
    ] as const) {
      const h = new MinHasher(k, seed);
      for (let t = 0; t < 200; t++) {
        const s = Uint32Array.from({ length: Math.floor(r() * 300) }, () => Math.floor(r() * 4294967296));
        expect(h.signature(s)).toEqual(reference(s, k, seed));
      }
    }
  });
  it("gives identical signatures to identical sets and a sentinel to the empty set", () => {
    const h = new MinHasher(64);
    const s = shingleSet("a b c d e f g");
    expect(h.signature(s)).toEqual(h.signature(Uint32Array.from(s)));
    expect(h.signature(new Uint32Array(0)).every((v) => v === 0xffffffff)).toBe(true);
  });
});

describe("radixSortPairs", () => {
  it("sorts keys with their values, stably", () => {
    const r = rng(3);
    const keys = Uint32Array.from({ length: 5000 }, () => Math.floor(r() * 50) * 99991);
    const vals = Uint32Array.from({ length: 5000 }, (_, i) => i);
    const expected = [...keys].map((k, i) => [k, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    radixSortPairs(keys, vals);
    expect([...keys]).toEqual(expected.map((e) => e[0]));
    expect([...vals]).toEqual(expected.map((e) => e[1]));
  });
});

describe("LshIndex", () => {
  it("finds near-duplicates among random passages, keeps band keys only, and rarely pairs unrelated texts", () => {
    const r = rng(7);
    const h = new MinHasher(128);
    const lsh = new LshIndex({ bands: 16, rows: 8 });
    const texts: string[][] = [];
    for (let i = 0; i < 400; i++) texts.push(words(r, 150));
    // 50 near-duplicates (2 words dropped) of the first 50
    for (let i = 0; i < 50; i++) texts.push(texts[i]!.filter((_, j) => j !== 40 && j !== 90));
    for (const t of texts) lsh.add(h.signature(shingleSet(t.join(" "))));
    expect(lsh.bytesPerItem).toBe(64);
    const pairs = lsh.pairs();
    const min = lsh.minSharedBands(0.8);
    const confirmed = pairs.filter((p) => p.shared >= min);
    const found = new Set(confirmed.map((p) => `${p.a}-${p.b}`));
    for (let i = 0; i < 50; i++) expect(found.has(`${i}-${400 + i}`)).toBe(true);
    expect(confirmed.length).toBe(50);
    expect(lsh.similarityFromBands(16)).toBe(1);
  });
});

describe("UnionFind", () => {
  it("roots every cluster at its smallest member", () => {
    const uf = new UnionFind(6);
    uf.union(4, 2);
    uf.union(5, 4);
    uf.union(1, 3);
    expect([0, 1, 2, 3, 4, 5].map((i) => uf.find(i))).toEqual([0, 1, 2, 1, 2, 2]);
  });
});

describe("LshIndex pair counting", () => {
  it("counts each candidate pair once with its shared bands (typed-array table, grown as needed)", () => {
    // 6,000 items that all share band 0 and, in groups of 40, band 1: 40-wide buckets give every
    // pair within a group; the 6,000-wide bucket of band 0 is chained (adjacent pairs only).
    const lsh = new LshIndex({ bands: 2, rows: 1, maxBucketPairs: 50 });
    const n = 6000;
    for (let i = 0; i < n; i++) lsh.addKeys(Uint32Array.of(7, 1000 + Math.floor(i / 40)));
    const seen = new Map<string, number>();
    lsh.forEachPair((a, b, shared) => {
      expect(a).toBeLessThan(b);
      const k = `${a},${b}`;
      expect(seen.has(k)).toBe(false);
      seen.set(k, shared);
    });
    const groups = n / 40;
    expect(seen.size).toBe(groups * ((40 * 39) / 2) + groups - 1); // in-group pairs + chain links across groups
    expect(seen.get("0,1")).toBe(2); // adjacent in the chain and in the same group
    expect(seen.get("0,2")).toBe(1); // same group only
    expect(seen.get("39,40")).toBe(1); // chain link across groups
    expect(lsh.pairs().length).toBe(seen.size);
  });
});
