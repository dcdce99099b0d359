/**
 * MinHash + LSH near-duplicate search speed and memory.
 *
 *   node --expose-gc --import tsx bench/minhash.ts [--passages 200000] [--words 200] [--dups 0.01]
 *
 * Passages are random Zipf-like words (vocabulary 50k); a share `dups` of them are copied
 * with two words dropped (true near-duplicates). Prints passages/s for shingling + signatures, the
 * LSH candidate search time, bytes held per passage, and recall/precision of the confirmed pairs.
 * Also times the classic k-independent-hash MinHash on a sample for comparison.
 */
import { parseArgs } from "node:util";
import { fmix32, hashCombine } from "@/lib/detect/fasthash";
import { jaccard, LshIndex, MinHasher, shingleSet } from "@/lib/detect/minhash";

const { values } = parseArgs({
  options: {
    passages: { type: "string", default: "200000" },
    words: { type: "string", default: "200" },
    dups: { type: "string", default: "0.01" },
  },
});
const N = Number(values.passages);
const W = Number(values.words);
/** Counter-based: word j of text b is a hash of (b, j), so no two texts share a stream. */
const word = (b: number, j: number) => {
  const u = fmix32(hashCombine(fmix32(b + 1), j)) / 4294967296;
  return `w${Math.floor(50000 ** (0.4 + 0.6 * u))}`;
};
const nDup = Math.floor(N * Number(values.dups));
const originals = N - nDup;
/** Text i, regenerated on demand (nothing is kept in memory but what the index holds). */
function text(i: number): string {
  const base = i < originals ? i : ((i - originals) * 7) % originals;
  const w = Array.from({ length: W }, (_, j) => word(base, j));
  if (i >= originals) {
    w.splice(W >> 2, 1);
    w.splice(W >> 1, 1);
  }
  return w.join(" ");
}

const hasher = new MinHasher(128);
const lsh = new LshIndex({ bands: 16, rows: 8 });
global.gc?.();
const mem = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
const heap0 = mem();
let t0 = performance.now();
let tText = 0;
for (let i = 0; i < N; i++) {
  const a = performance.now();
  const t = text(i);
  tText += performance.now() - a;
  lsh.add(hasher.signature(shingleSet(t)));
}
const tAdd = performance.now() - t0 - tText;
t0 = performance.now();
const pairs = lsh.pairs();
const tPairs = performance.now() - t0;
const min = lsh.minSharedBands(0.8);
const confirmed = pairs.filter((p) => p.shared >= min);
let tp = 0;
for (const p of confirmed) if (p.b >= originals && ((p.b - originals) * 7) % originals === p.a) tp++;
global.gc?.();
const heap1 = mem();
console.log(
  `${N} passages of ${W} words (${nDup} near-duplicates): shingles+signature+LSH add ${Math.round(N / (tAdd / 1000))} passages/s; ` +
    `candidate search ${(tPairs / 1000).toFixed(2)} s (${pairs.length} candidate pairs, ${confirmed.length} confirmed by ≥ ${min} shared bands); ` +
    `recall ${(tp / nDup).toFixed(3)}, precision ${(tp / Math.max(1, confirmed.length)).toFixed(3)}; ` +
    `index ${lsh.bytesPerItem} B/passage (heap + array buffers +${Math.round((heap1 - heap0) / 2 ** 20)} MB after the search)`,
);
// exact Jaccard check of the confirmed pairs (texts regenerated)
t0 = performance.now();
let exactOk = 0;
for (const p of confirmed.slice(0, 2000))
  if (jaccard(shingleSet(text(p.a)), shingleSet(text(p.b))) >= 0.8) exactOk++;
console.log(
  `exact Jaccard ≥ 0.8 on ${Math.min(2000, confirmed.length)} confirmed pairs: ${exactOk} (${((performance.now() - t0) / 1000).toFixed(2)} s)`,
);

// classic MinHash (k hash functions per shingle) on a sample, for comparison
const sample = Array.from({ length: 2000 }, (_, i) => shingleSet(text(i)));
const seeds = Uint32Array.from({ length: 128 }, (_, i) => fmix32(i + 99));
t0 = performance.now();
for (const s of sample) {
  const sig = new Uint32Array(128).fill(0xffffffff);
  for (let j = 0; j < s.length; j++) {
    const x = s[j]!;
    for (let k = 0; k < 128; k++) {
      const v = fmix32(x ^ seeds[k]!);
      if (v < sig[k]!) sig[k] = v;
    }
  }
}
const tClassic = performance.now() - t0;
t0 = performance.now();
for (const s of sample) hasher.signature(s);
const tOph = performance.now() - t0;
console.log(
  `signatures only, 2000 passages: one-permutation ${(tOph).toFixed(0)} ms, 128 independent hashes ${tClassic.toFixed(0)} ms (${(tClassic / tOph).toFixed(0)}×)`,
);
