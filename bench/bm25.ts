/**
 * BM25 teacher speed and memory on generated FlagEmbedding-style records.
 *
 *   node --expose-gc --import tsx bench/bm25.ts [--records 20000] [--negatives 3] [--seed 7] [--vocab generator|zipf]
 *
 * Records come from bench/generate.ts (E5-style text in seven languages, ~200-word passages for
 * short-long; a small vocabulary, so every query term is in thousands of passages: a hard case), or
 * with --vocab zipf from random text over a 100k-word Zipf vocabulary (closer to real corpora). Prints records/s for the index pass and the scoring pass, and the memory the index holds.
 */
import { parseArgs } from "node:util";
import type { DetectRecord } from "@/lib/detect/types";
import { countWords } from "@/lib/formats/text";
import { bm25Teacher } from "@/lib/teacher/bm25";
import { arraySource } from "@/lib/teacher/types";
import { generateFlagEmbedding } from "./generate";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "20000" },
    negatives: { type: "string", default: "3" },
    seed: { type: "string", default: "7" },
    vocab: { type: "string", default: "generator" },
  },
});
const n = Number(values.records);
const records: DetectRecord[] = [];
let words = 0;
const want = Number(values.negatives);
if (values.vocab === "zipf") {
  // Random text over a 100k-word vocabulary with Zipf-like frequencies (P(rank r) ∝ 1/r), passages of
  // ~200 words, queries of 6 words: two very frequent ones and four content words of the positive.
  let state = Number(values.seed) >>> 0;
  const rnd = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const passage = () =>
    Array.from({ length: 170 + Math.floor(rnd() * 60) }, () => `w${Math.floor(100000 ** rnd())}`);
  for (let i = 0; i < n; i++) {
    const pos = passage();
    const q = [`w${1 + Math.floor(rnd() * 3)}`, `w${1 + Math.floor(rnd() * 3)}`];
    // four content words of the positive (not among the 100 most frequent), as real queries have
    const content = pos.filter((w) => Number(w.slice(1)) >= 100);
    for (let k = 0; k < 4 && content.length > 0; k++) q.push(content[Math.floor(rnd() * content.length)]!);
    records.push({
      query: q.join(" "),
      positive: { text: pos.join(" ") },
      extraPositives: [],
      negatives: Array.from({ length: want }, () => ({ text: passage().join(" ") })),
      taskFamily: "short-long",
      params: {},
    });
    words += pos.length;
  }
}
// Short-long retrieval records only (short query, passages of 50-500 words); negatives padded from earlier records to `want`.
const pool: string[] = [];
for (const fe of generateFlagEmbedding({
  records: values.vocab === "zipf" ? 0 : n * 3,
  seed: Number(values.seed),
  maxNegatives: 7,
})) {
  if (records.length >= n) break;
  if (fe._family !== "short-long") continue;
  const neg = fe.neg.slice(0, want);
  for (let i = 1; neg.length < want && pool.length > 0; i++)
    neg.push(pool[(records.length * 7919 + i) % pool.length]!);
  pool.push(...fe.neg);
  records.push({
    query: fe.query,
    positive: { text: fe.pos[0]! },
    extraPositives: fe.pos.slice(1).map((text) => ({ text })),
    negatives: neg.map((text) => ({ text })),
    taskFamily: "short-long",
    params: {},
  });
  words += countWords(fe.pos[0]!);
}
const negs = records.reduce((s, r) => s + r.negatives.length, 0);
console.log(
  `${n} records, ${(negs / n).toFixed(2)} negatives/record, positive ~${Math.round(words / n)} words`,
);
const mem = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
global.gc?.();
const mem0 = mem();
let memIndex = 0;
const t0 = performance.now();
let tIndex = 0;
let checksum = 0;
for await (const { result } of bm25Teacher().score(arraySource(records), {
  onProgress: (p) => {
    if (p.phase === "index" && p.total !== undefined) tIndex = performance.now();
    if (p.phase === "score" && p.done === 1000) {
      global.gc?.();
      memIndex = mem() - mem0;
    }
  },
})) {
  checksum += result.positiveRank ?? 0;
}
const t1 = performance.now();
console.log(
  `index ${((tIndex - t0) / 1000).toFixed(1)} s (${Math.round(n / ((tIndex - t0) / 1000))} records/s), ` +
    `score ${((t1 - tIndex) / 1000).toFixed(1)} s (${Math.round(n / ((t1 - tIndex) / 1000))} records/s), ` +
    `total ${Math.round(n / ((t1 - t0) / 1000))} records/s; index held ${Math.round(memIndex / 2 ** 20)} MB (heap + array buffers, with --expose-gc); mean positive rank ${(checksum / n).toFixed(1)}`,
);
