/**
 * Throughput of the duplicate detectors (collection pass + detection) on generated records.
 *
 *   node --expose-gc --import tsx bench/duplicates.ts [--records 100000]
 *
 * Records come from bench/generate.ts (FlagEmbedding shape, 1-7 negatives, every family and seven
 * languages, with injected duplicate negatives and counterfactual controls). Prints records/s for
 * each phase, the memory the collectors keep, and how the injected duplicate_negative records and
 * the counterfactual controls were flagged.
 */
import { parseArgs } from "node:util";
import { duplicateNegative } from "@/lib/detect/duplicate-negative";
import { duplicateRecord } from "@/lib/detect/duplicate-record";
import type { DetectRecord } from "@/lib/detect/types";
import type { TaskFamily } from "@/lib/formats/types";
import { generateFlagEmbedding } from "./generate";

const { values } = parseArgs({ options: { records: { type: "string", default: "100000" } } });
const n = Number(values.records);
const records: DetectRecord[] = [];
const injected: (string | null)[] = [];
const notes: (string | undefined)[] = [];
for (const fe of generateFlagEmbedding({ records: n, seed: 11, maxNegatives: 7 })) {
  records.push({
    query: fe.query,
    positive: { text: fe.pos[0]! },
    extraPositives: fe.pos.slice(1).map((text) => ({ text })),
    negatives: fe.neg.map((text) => ({ text })),
    taskFamily: (fe._family === "long-short" ? "long-short" : fe._family) as TaskFamily,
    params: {},
  });
  injected.push(fe._injected_defect);
  notes.push(fe._note);
}
const mem = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
for (const detector of [duplicateNegative, duplicateRecord] as const) {
  const o = detector.optionsSchema.parse({});
  global.gc?.();
  const m0 = mem();
  let t = performance.now();
  // biome-ignore lint/suspicious/noExplicitAny: two detectors with different option types
  const c = (detector.collect as any)(o);
  for (let k = 0; k < n; k++) c.add(records[k], k);
  const data = c.finish();
  const tCollect = performance.now() - t;
  global.gc?.();
  const held = mem() - m0;
  t = performance.now();
  let flagged = 0;
  let tp = 0;
  let cfFlagged = 0;
  for (let k = 0; k < n; k++) {
    // biome-ignore lint/suspicious/noExplicitAny: see above
    const flags = detector.detect(records[k]!, { key: k, data }, o as any);
    if (flags.length === 0) continue;
    flagged++;
    if (injected[k] === detector.defect) tp++;
    if (notes[k] === "counterfactual") cfFlagged++;
  }
  const tDetect = performance.now() - t;
  const injectedCount = injected.filter((d) => d === detector.defect).length;
  console.log(
    `${detector.defect}: collect ${Math.round(n / (tCollect / 1000))} records/s, detect ${Math.round(n / (tDetect / 1000))} records/s; ` +
      `collector holds ${Math.round(held / 2 ** 20)} MB; ${flagged} records flagged` +
      (injectedCount ? `, ${tp} of ${injectedCount} injected` : "") +
      (detector.defect === "duplicate_negative"
        ? `; counterfactual controls flagged: ${cfFlagged} of ${notes.filter((x) => x === "counterfactual").length}`
        : ""),
  );
}
