/**
 * Detection core throughput in CPU time: records per CPU-second on one thread, for the target shape
 * (1 positive + `--negatives` negatives of ~`--words` words, every record short-long, seven languages,
 * from bench/generate.ts's seeded generator, parsed by the FlagEmbedding reader as an import would).
 *
 *   node --expose-gc --import tsx bench/detect-core.ts [--records 5000] [--repeat 3] [--seed 42]
 *        [--negatives 3] [--words 200] [--workers 0,1,2] [--checksum]
 *
 * Steps (each repeated, in this process, records held in memory):
 *   detectors        every detector without a teacher: collection pass + detection (createDetection)
 *   bm25             the BM25 teacher alone: index pass + scoring (bm25Teacher().score)
 *   detectors+bm25   both, what `pairsift detect --teacher bm25` does per record on one thread
 * Figures are records / CPU-second of this process (process.cpuUsage: user + system, every thread;
 * in-process steps run on one JS thread, GC helpers included), best and median of the repeats.
 * `--workers 1,2` also times runDetectorsAsync on worker pools (wall time and process CPU time,
 * teacher none and bm25), after the in-process steps. `--checksum` prints a hash of every flag (to
 * check that a change keeps the output byte-identical).
 */
import { parseArgs } from "node:util";
import { createDetection } from "@/lib/detect";
import { hash53 } from "@/lib/detect/fasthash";
import { runDetectorsAsync } from "@/lib/detect/run-async";
import type { DetectRecord, TeacherResult } from "@/lib/detect/types";
import { FORMATS } from "@/lib/formats/catalog";
import { arraySource } from "@/lib/teacher";
import { bm25Teacher } from "@/lib/teacher/bm25";
import { generateFlagEmbedding } from "./generate";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "5000" },
    repeat: { type: "string", default: "3" },
    seed: { type: "string", default: "42" },
    negatives: { type: "string", default: "3" },
    words: { type: "string", default: "200" },
    workers: { type: "string", default: "" },
    steps: { type: "string", default: "detectors,bm25,detectors+bm25" },
    checksum: { type: "boolean", default: false },
    "per-detector": { type: "boolean", default: false },
    only: { type: "string", default: "" },
  },
});
const N = Number(values.records);
const REPEAT = Number(values.repeat);

/** The records as the FlagEmbedding reader makes them (what import stores and detection reads back). */
export function detectRecords(n: number, seed: number, negatives: number, words: number): DetectRecord[] {
  const out: DetectRecord[] = [];
  const fmt = FORMATS.flagembedding;
  for (const fe of generateFlagEmbedding({ records: n, seed, negatives, passageWords: words })) {
    const { _family, _language, _injected_defect, _injected_target, _note, _note_target, ...line } = fe;
    const r = fmt.toRecord(line as unknown as Record<string, unknown>);
    if (!r.ok) continue;
    out.push(r.record);
  }
  // Flat strings, as a file or a database hands them over (the generator's are concatenations).
  return JSON.parse(JSON.stringify(out));
}

const records = detectRecords(N, Number(values.seed), Number(values.negatives), Number(values.words));
const words = records.reduce(
  (s, r) => s + [r.positive, ...r.negatives].reduce((a, p) => a + p.text.split(/\s+/).length, 0),
  0,
);
console.log(
  `${records.length} records, ${(records.reduce((s, r) => s + r.negatives.length, 0) / records.length).toFixed(2)} negatives/record, ~${Math.round(words / records.length / (1 + Number(values.negatives)))} whitespace words/passage; node ${process.version}`,
);

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function detectAll(teacher?: TeacherResult[]): number {
  const run = createDetection();
  if (run.needsCollection) {
    for (let k = 0; k < records.length; k++) run.add(records[k]!, k);
    run.finish();
  }
  let sum = 0;
  for (let k = 0; k < records.length; k++) {
    const flags = run.detect(records[k]!, k, teacher?.[k]);
    if (values.checksum) sum = (sum * 31 + hash53(JSON.stringify(flags))) % 2 ** 48;
    else sum += flags.length;
  }
  return sum;
}

async function bm25All(): Promise<TeacherResult[]> {
  const out: TeacherResult[] = [];
  for await (const { key, result } of bm25Teacher().score(arraySource(records))) out[key] = result;
  return out;
}

const steps: Record<string, () => Promise<number>> = {
  detectors: async () => detectAll(),
  bm25: async () => (await bm25All()).reduce((s, r) => s + (r.positiveRank ?? 0), 0),
  "detectors+bm25": async () => detectAll(await bm25All()),
};
const chosen = String(values.steps).split(",").filter(Boolean);
const times = new Map<string, number[]>(chosen.map((s) => [s, []]));
const checks = new Map<string, number>();
// interleaved: one run of every step per round
for (let round = 0; round < REPEAT; round++) {
  for (const name of chosen) {
    global.gc?.();
    const c0 = cpu();
    const check = await steps[name]!();
    const sec = cpu() - c0;
    times.get(name)!.push(sec);
    if (checks.has(name) && checks.get(name) !== check)
      throw new Error(`${name}: output changed between runs`);
    checks.set(name, check);
  }
}
const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
for (const name of chosen) {
  const t = [...times.get(name)!].sort((a, b) => a - b);
  const best = records.length / t[0]!;
  const median = records.length / t[t.length >> 1]!;
  console.log(
    `${name.padEnd(15)} best ${fmt(best).padStart(6)} records/CPU-s, median ${fmt(median).padStart(6)} (${t.map((x) => x.toFixed(2)).join(" ")} CPU-s) check ${checks.get(name)}`,
  );
}

if (values.workers) {
  const rows: string[] = [];
  for (const w of String(values.workers).split(",").map(Number)) {
    for (const teacher of ["none", "bm25"] as const) {
      global.gc?.();
      const c0 = cpu();
      const t0 = performance.now();
      let n = 0;
      const keyed = arraySource(records);
      for await (const _ of runDetectorsAsync(() => records, {
        workers: w,
        teacher: teacher === "bm25" ? bm25Teacher().score(keyed) : undefined,
      }))
        n++;
      const wall = (performance.now() - t0) / 1000;
      const c = cpu() - c0;
      rows.push(
        `${w} worker${w === 1 ? " " : "s"} teacher ${teacher.padEnd(4)}: ${fmt(n / wall).padStart(6)} records/s wall (${wall.toFixed(2)} s), ${c.toFixed(2)} CPU-s (${(c / wall).toFixed(2)} cores busy)`,
      );
    }
  }
  for (const r of rows) console.log(r);
}

if (values["per-detector"]) {
  // Each detector alone (its collector and its detection), CPU time, best of the repeats.
  const { DETECTORS, resolveOptions } = await import("@/lib/detect");
  const options = resolveOptions();
  for (const d of DETECTORS) {
    if (values.only && !String(values.only).split(",").includes(d.defect)) continue;
    let best = Number.POSITIVE_INFINITY;
    let bestCollect = 0;
    for (let r = 0; r < REPEAT; r++) {
      global.gc?.();
      const c0 = cpu();
      const o = options[d.defect];
      const c = d.collect?.(o);
      if (c) for (let k = 0; k < records.length; k++) c.add(records[k]!, k);
      const data = c?.finish();
      const c1 = cpu();
      for (let k = 0; k < records.length; k++) d.detect(records[k]!, { key: k, data }, o);
      const t = cpu() - c0;
      if (t < best) {
        best = t;
        bestCollect = c1 - c0;
      }
    }
    console.log(
      `${d.defect.padEnd(20)} ${((1e6 * best) / records.length).toFixed(0).padStart(5)} µs/record (collect ${((1e6 * bestCollect) / records.length).toFixed(0)})`,
    );
  }
}
