/**
 * Per-detector CPU time by record language (µs per record), and a hash of every flag: a helper for
 * detection performance work.
 *
 *   node --expose-gc --import tsx bench/detect-by-language.ts [--records 3000] [--repeat 3] [--only a,b]
 */
import { parseArgs } from "node:util";
import { DETECTORS, resolveOptions } from "@/lib/detect";
import { hash53 } from "@/lib/detect/fasthash";
import type { DetectRecord } from "@/lib/detect/types";
import { FORMATS } from "@/lib/formats/catalog";
import { generateFlagEmbedding } from "./generate";

const { values } = parseArgs({
  options: {
    records: { type: "string", default: "3000" },
    repeat: { type: "string", default: "3" },
    seed: { type: "string", default: "42" },
    only: { type: "string", default: "" },
    lang: { type: "string", default: "" },
  },
});
const records: DetectRecord[] = [];
for (const fe of generateFlagEmbedding({
  records: Number(values.records),
  seed: Number(values.seed),
  negatives: 3,
  passageWords: 200,
})) {
  const { _family, _language, _injected_defect, _injected_target, _note, _note_target, ...line } = fe;
  const r = FORMATS.flagembedding.toRecord(line as unknown as Record<string, unknown>);
  if (r.ok) records.push(r.record);
}
const recs: DetectRecord[] = JSON.parse(JSON.stringify(records));
const byLang = new Map<string, number[]>();
recs.forEach((r, k) => {
  const l = r.language ?? "?";
  byLang.set(l, [...(byLang.get(l) ?? []), k]);
});
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const options = resolveOptions();
const only = String(values.only).split(",").filter(Boolean);
for (const d of DETECTORS) {
  if (only.length && !only.includes(d.defect)) continue;
  const o = options[d.defect];
  const c = d.collect?.(o);
  if (c) for (let k = 0; k < recs.length; k++) c.add(recs[k]!, k);
  const data = c?.finish();
  let sum = 0;
  for (let k = 0; k < recs.length; k++)
    sum = (sum * 31 + hash53(JSON.stringify(d.detect(recs[k]!, { key: k, data }, o)))) % 2 ** 48;
  const cells: string[] = [];
  for (const [lang, keys] of byLang) {
    if (values.lang && !String(values.lang).split(",").includes(lang)) continue;
    let best = Number.POSITIVE_INFINITY;
    for (let r = 0; r < Number(values.repeat); r++) {
      global.gc?.();
      const c0 = cpu();
      for (const k of keys) d.detect(recs[k]!, { key: k, data }, o);
      best = Math.min(best, cpu() - c0);
    }
    let bestCollect = Number.POSITIVE_INFINITY;
    for (let r = 0; d.collect && r < Number(values.repeat); r++) {
      global.gc?.();
      const c0 = cpu();
      const col = d.collect(o);
      for (const k of keys) col.add(recs[k]!, k);
      col.finish();
      bestCollect = Math.min(bestCollect, cpu() - c0);
    }
    const collect = d.collect ? `+${((1e6 * bestCollect) / keys.length).toFixed(0)}` : "";
    cells.push(`${lang} ${((1e6 * best) / keys.length).toFixed(0)}${collect}`);
  }
  console.log(
    `${d.defect.padEnd(20)} hash ${sum}  detect(+collect) µs/record by language: ${cells.join(", ")}`,
  );
}
