import { describe, expect, it } from "vitest";
import {
  BITEXT_LOW_SCORES,
  CLARITIES,
  DEFECTS,
  type DefectName,
  DIFFICULTIES,
  expectedDefectRates,
  FAMILIES,
  type Family,
  familyOf,
  type GeneratedRecord,
  generateFlagEmbedding,
  generateRecords,
  HIGH_SCORES,
  LANGUAGE_NAMES,
  LS_NUM_WORDS,
  LS_WORD_RANGES,
  NUM_WORDS,
  outputOf,
  paramsOf,
  QUERY_LENGTHS,
  QUERY_TYPES,
  STS_LOW_SCORES,
  STS_UNITS,
  TASKS,
  templateSlots,
  toJson,
} from "./generate";
import { LANGS, type Lang } from "./lexicon";

const CODE_OF: Record<string, Lang> = Object.fromEntries(LANGS.map((l) => [LANGUAGE_NAMES[l], l]));
const segmenters = new Map<string, Intl.Segmenter>();
function words(lang: Lang, s: string): string[] {
  let seg = segmenters.get(lang);
  if (!seg) {
    seg = new Intl.Segmenter(lang, { granularity: "word" });
    segmenters.set(lang, seg);
  }
  const out: string[] = [];
  for (const x of seg.segment(s)) if (x.isWordLike) out.push(x.segment.toLowerCase());
  return out;
}
/** Multiset token overlap: shared tokens / tokens of the longer text. */
function overlap(lang: Lang, a: string, b: string): number {
  const ta = words(lang, a);
  const tb = words(lang, b);
  const counts = new Map<string, number>();
  for (const t of ta) counts.set(t, (counts.get(t) ?? 0) + 1);
  let shared = 0;
  for (const t of tb) {
    const c = counts.get(t) ?? 0;
    if (c > 0) {
      shared++;
      counts.set(t, c - 1);
    }
  }
  return shared / Math.max(ta.length, tb.length, 1);
}
const isCjkNoSpace = (l: Lang) => l === "zh" || l === "ja";

const N = 5000;
const SEED = 20240;
const records: GeneratedRecord[] = [...generateRecords({ records: N, seed: SEED })];
const fam = records.map((r) => familyOf(r));
const langOf = (r: GeneratedRecord): Lang => {
  const p = paramsOf(r);
  return CODE_OF[String(p.language ?? p.target_language)]!;
};

const E5_KEYS: Record<Family, { params: string[]; output: string[] }> = {
  "short-long": {
    params: ["query_type", "query_length", "clarity", "num_words", "difficulty", "language"],
    output: ["user_query", "positive_document", "hard_negative_document"],
  },
  "long-short": {
    params: ["num_words", "difficulty", "clarity", "language"],
    output: ["input_text", "label", "misleading_label"],
  },
  "short-short": { params: ["language"], output: ["input", "positive_document", "hard_negative_document"] },
  "long-long": {
    params: ["language", "num_words"],
    output: ["input", "positive_document", "hard_negative_document"],
  },
  sts: { params: ["unit", "high_score", "low_score", "language"], output: ["S1", "S2", "S3"] },
  bitext: { params: ["low_score", "source_language", "target_language"], output: ["S1", "S2", "S3"] },
};

describe("determinism", () => {
  it("gives the same records for the same seed, and a prefix for fewer records", () => {
    const a = [...generateRecords({ records: 400, seed: 7 })];
    const b = [...generateRecords({ records: 400, seed: 7 })];
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const prefix = [...generateRecords({ records: 50, seed: 7 })];
    expect(JSON.stringify(prefix)).toBe(JSON.stringify(a.slice(0, 50)));
    const c = [...generateRecords({ records: 400, seed: 8 })];
    expect(JSON.stringify(c)).not.toBe(JSON.stringify(a));
  });

  it("is lazy", () => {
    const it = generateRecords({ records: 1e12, seed: 1 });
    expect(it.next().done).toBe(false);
  });

  it("FlagEmbedding lines share query and positive with the E5 lines", () => {
    const e5 = [...generateRecords({ records: 300, seed: 3 })];
    const fe = [...generateFlagEmbedding({ records: 300, seed: 3 })];
    const again = [...generateFlagEmbedding({ records: 300, seed: 3 })];
    expect(JSON.stringify(fe)).toBe(JSON.stringify(again));
    for (let i = 0; i < e5.length; i++) {
      const keys = E5_KEYS[familyOf(e5[i]!)].output;
      const out = outputOf(e5[i]!);
      expect(fe[i]!.query).toBe(out[keys[0]!]);
      expect(fe[i]!.pos).toEqual([out[keys[1]!]]);
      expect(fe[i]!.neg).toContain(out[keys[2]!]);
      expect(fe[i]!._family).toBe(familyOf(e5[i]!));
    }
  });

  it("toJson is byte-identical to JSON.stringify", () => {
    for (const r of records.slice(0, 2000)) expect(toJson(r)).toBe(JSON.stringify(r));
    for (const r of generateFlagEmbedding({ records: 500, seed: 2 }))
      expect(toJson(r)).toBe(JSON.stringify(r));
  });
});

describe("shapes", () => {
  it("covers 20+ tasks, all six families and seven languages in sensible shares", () => {
    expect(TASKS.length).toBeGreaterThanOrEqual(20);
    expect(new Set(records.map((r) => r.task)).size).toBeGreaterThanOrEqual(20);
    for (const f of FAMILIES) expect(fam.filter((x) => x === f).length).toBeGreaterThan(N * 0.05);
    const nonBitext = records.filter((_, i) => fam[i] !== "bitext");
    const en = nonBitext.filter((r) => paramsOf(r).language === "English").length / nonBitext.length;
    expect(en).toBeGreaterThan(0.5);
    expect(en).toBeLessThan(0.6);
    const langs = new Set(nonBitext.map((r) => paramsOf(r).language));
    expect(langs.size).toBe(7);
  });

  it("has the E5 keys of each family, with params and output nested in some records", () => {
    let nestedParams = 0;
    let nestedOutput = 0;
    records.forEach((r, i) => {
      const f = fam[i]!;
      const { params, output } = E5_KEYS[f];
      const top = Object.keys(r).filter((k) => !k.startsWith("_"));
      const p = r.params
        ? Object.keys(r.params as object)
        : top.filter((k) => k !== "task" && k !== "output");
      const o = r.output ? Object.keys(r.output as object) : top.filter((k) => output.includes(k));
      if (r.params) nestedParams++;
      if (r.output) nestedOutput++;
      const expectParams = f === "bitext" && "high_score" in paramsOf(r) ? ["high_score", ...params] : params;
      expect(r.task).toBeTypeOf("string");
      expect(p.filter((k) => !output.includes(k))).toEqual(expectParams);
      expect(o).toEqual(output);
      for (const k of output) expect(outputOf(r)[k]).toBeTypeOf("string");
      expect(r._injected_defect === null || DEFECTS.includes(r._injected_defect)).toBe(true);
      expect(top[0]).toBe("task");
    });
    expect(nestedParams / N).toBeGreaterThan(0.16);
    expect(nestedParams / N).toBeLessThan(0.24);
    expect(nestedOutput / N).toBeGreaterThan(0.07);
    expect(nestedOutput / N).toBeLessThan(0.13);
  });

  it("uses only the E5 placeholder values", () => {
    records.forEach((r, i) => {
      const p = paramsOf(r);
      switch (fam[i]) {
        case "short-long":
          expect(QUERY_TYPES).toContain(p.query_type);
          expect(QUERY_LENGTHS).toContain(p.query_length);
          expect(CLARITIES).toContain(p.clarity);
          expect(NUM_WORDS).toContain(p.num_words);
          expect(DIFFICULTIES).toContain(p.difficulty);
          break;
        case "long-short":
          expect(LS_NUM_WORDS).toContain(p.num_words);
          expect(DIFFICULTIES).toContain(p.difficulty);
          expect(CLARITIES).toContain(p.clarity);
          break;
        case "long-long":
          expect(p.num_words).toBe("at least 300");
          break;
        case "sts":
          expect(STS_UNITS).toContain(p.unit);
          expect(HIGH_SCORES).toContain(p.high_score);
          expect(STS_LOW_SCORES).toContain(p.low_score);
          break;
        case "bitext":
          expect(BITEXT_LOW_SCORES).toContain(p.low_score);
          expect(p.source_language).not.toBe(p.target_language);
          break;
      }
    });
  });

  it("FlagEmbedding lines have 1-7 negatives and the FlagEmbedding keys", () => {
    const counts = new Set<number>();
    for (const r of generateFlagEmbedding({ records: 2000, seed: 11 })) {
      expect(r.query).toBeTypeOf("string");
      expect(r.pos).toHaveLength(1);
      expect(r.neg.length).toBeGreaterThanOrEqual(1);
      expect(r.neg.length).toBeLessThanOrEqual(7);
      expect(r.prompt).toBeTypeOf("string");
      if (r.type !== undefined)
        expect(["normal", "only_1neg", "symmetric_sts", "symmetric_class"]).toContain(r.type);
      for (const t of [r._injected_target, r._note_target])
        if (t?.startsWith("neg[")) expect(Number(t.slice(4, -1))).toBeLessThan(r.neg.length);
      if (r._note) expect(r._note_target).toMatch(/^neg\[\d\]$/);
      if (r._family !== "long-short") counts.add(r.neg.length);
    }
    expect(counts.size).toBe(7);
  });

  it("keeps every proposition's slots the same in every language (so renderings are translations)", () => {
    const slots = templateSlots();
    for (const l of LANGS)
      for (const [prop, variants] of Object.entries(slots[l]))
        for (const v of variants) expect(`${l} ${prop} ${v}`).toBe(`${l} ${prop} ${slots.en[prop]![0]}`);
  });
});

describe("lengths", () => {
  it("clean passages meet num_words (Intl.Segmenter word count)", () => {
    let checked = 0;
    records.forEach((r, i) => {
      const f = fam[i]!;
      if (r._injected_defect || (f !== "short-long" && f !== "long-long")) return;
      const n = f === "long-long" ? 300 : (paramsOf(r).num_words as number);
      const lang = langOf(r);
      const o = outputOf(r);
      for (const k of ["positive_document", "hard_negative_document"]) {
        const w = words(lang, o[k]!).length;
        expect(w, `${lang} ${k} ${n}`).toBeGreaterThanOrEqual(n * 0.85);
        expect(w, `${lang} ${k} ${n}`).toBeLessThanOrEqual(n * 1.6 + 15);
        checked++;
      }
      if (isCjkNoSpace(lang)) {
        const chars = o.positive_document!.length;
        expect(chars).toBeGreaterThanOrEqual(n * 1.3);
        expect(chars).toBeLessThanOrEqual(n * 3.6);
      }
    });
    expect(checked).toBeGreaterThan(1000);
  });

  it("length_mismatch positives are far shorter than asked", () => {
    const bad = records.filter((r) => r._injected_defect === "length_mismatch");
    expect(bad.length).toBeGreaterThan(20);
    for (const r of bad) {
      const f = familyOf(r);
      const p = paramsOf(r);
      const o = outputOf(r);
      const lang = langOf(r);
      if (f === "long-short") {
        const lo = LS_WORD_RANGES[p.num_words as keyof typeof LS_WORD_RANGES][0];
        expect(words(lang, o.input_text!).length).toBeLessThanOrEqual(lo * 0.6);
      } else {
        const n = f === "long-long" ? 300 : (p.num_words as number);
        const w = words(lang, o.positive_document!).length;
        expect(w, `${lang} ${n}`).toBeLessThanOrEqual(Math.max(n * 0.5, 22));
      }
    }
  });

  it("long-short inputs follow their num_words range", () => {
    records.forEach((r, i) => {
      if (fam[i] !== "long-short" || r._injected_defect) return;
      const [lo, hi] = LS_WORD_RANGES[paramsOf(r).num_words as keyof typeof LS_WORD_RANGES];
      const w = words(langOf(r), outputOf(r).input_text!).length;
      const slack = isCjkNoSpace(langOf(r)) ? 2 : langOf(r) === "ko" ? 1 : 0;
      expect(w).toBeGreaterThanOrEqual(lo === 3 ? 1 : lo * 0.85);
      // "at least N": the generator aims at the range, a last long sentence may overshoot a little.
      expect(w).toBeLessThanOrEqual(lo === 3 ? hi + slack : hi * 1.4 + slack);
    });
  });

  it("queries follow query_length", () => {
    records.forEach((r, i) => {
      if (fam[i] !== "short-long" || r._injected_defect) return;
      const lang = langOf(r);
      const w = words(lang, outputOf(r).user_query!).length;
      const slack = lang === "ja" ? 2 : lang === "zh" ? 1 : 0;
      const ql = paramsOf(r).query_length;
      if (ql === "less than 5 words") expect(w, outputOf(r).user_query).toBeLessThanOrEqual(4 + slack);
      else if (ql === "5 to 15 words") {
        expect(w).toBeGreaterThanOrEqual(5);
        expect(w).toBeLessThanOrEqual(15 + slack);
      } else expect(w).toBeGreaterThanOrEqual(10);
    });
  });

  it("Chinese and Japanese texts have no spaces between words", () => {
    let checked = 0;
    records.forEach((r, i) => {
      const f = fam[i]!;
      const d = r._injected_defect;
      if (d === "language_mismatch" || d === "instruction_echo") return;
      // A classification explanation quotes the (English) label: "被标注为technical issue".
      if (d === "self_explanation" && f === "long-short") return;
      const o = outputOf(r);
      const p = paramsOf(r);
      const texts: [string | undefined, string | undefined][] =
        f === "bitext"
          ? [
              [String(p.source_language), o.S1],
              [String(p.target_language), o.S2],
              [String(p.target_language), o.S3],
            ]
          : E5_KEYS[f].output
              .filter((k) => k !== "label" && k !== "misleading_label")
              .map((k) => [String(p.language), o[k]]);
      for (const [name, text] of texts) {
        if (!isCjkNoSpace(CODE_OF[name!]!) || text === undefined) continue;
        expect(text, text).not.toMatch(/ /);
        checked++;
      }
    });
    expect(checked).toBeGreaterThan(500);
  });
});

describe("injected defects", () => {
  const counts = Object.fromEntries(DEFECTS.map((d) => [d, 0])) as Record<DefectName, number>;
  for (const r of records) if (r._injected_defect) counts[r._injected_defect]++;
  const expected = expectedDefectRates();

  it("occur at the expected rates (5k records)", () => {
    for (const d of DEFECTS) {
      const e = expected[d] * N;
      expect(Math.abs(counts[d] - e), `${d}: ${counts[d]} vs ${e.toFixed(1)}`).toBeLessThanOrEqual(
        4 * Math.sqrt(e) + 3,
      );
    }
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total / N).toBeGreaterThan(0.09);
    expect(total / N).toBeLessThan(0.15);
    const cf = records.filter((r) => r._note === "counterfactual");
    expect(Math.abs(cf.length - expected.counterfactual * N)).toBeLessThanOrEqual(
      4 * Math.sqrt(expected.counterfactual * N) + 3,
    );
    for (const r of cf) expect(r._injected_defect).toBeNull();
  });

  it("scales with defectRate and honours per-defect rates", () => {
    const none = [...generateRecords({ records: 500, seed: 1, defectRate: 0, counterfactualRate: 0 })];
    expect(none.every((r) => r._injected_defect === null && r._note === undefined)).toBe(true);
    const only = [
      ...generateRecords({ records: 1000, seed: 1, defectRate: 0, rates: { self_explanation: 0.5 } }),
    ];
    const se = only.filter((r) => r._injected_defect === "self_explanation").length;
    expect(se).toBeGreaterThan(400);
    expect(only.every((r) => r._injected_defect === null || r._injected_defect === "self_explanation")).toBe(
      true,
    );
  });

  it("record where the defect is, and each defect looks like itself", () => {
    let sawEmpty = false;
    records.forEach((r, i) => {
      const d = r._injected_defect;
      if (!d) {
        expect(r._injected_target).toBeUndefined();
        return;
      }
      const f = fam[i]!;
      const o = outputOf(r);
      const lang = langOf(r);
      const [qk, pk, nk] = E5_KEYS[f].output as [string, string, string];
      const t = r._injected_target!;
      expect([qk, pk, nk, "*"]).toContain(t);
      switch (d) {
        case "query_leakage":
          expect(t).toBe(pk);
          expect(o[pk]).toContain(o[qk]);
          break;
        case "instruction_echo":
          expect(t).toBe(qk);
          expect(o[qk]!.startsWith(r.task)).toBe(true);
          break;
        case "duplicate_negative":
          expect(t).toBe(nk);
          if (f === "long-short") expect(o.misleading_label!.toLowerCase()).toBe(o.label);
          else {
            const ref =
              f === "sts" && overlap(lang, o.S1!, o.S3!) > overlap(lang, o.S2!, o.S3!) ? o.S1! : o[pk]!;
            expect(overlap(lang, ref, o[nk]!), `${o[pk]}\n${o[nk]}`).toBeGreaterThanOrEqual(0.9);
          }
          break;
        case "empty_or_truncated": {
          const text = f === "long-short" ? o.input_text! : o[pk]!;
          if (text === "") sawEmpty = true;
          else expect(text).not.toMatch(/[.!?。！？]$/);
          break;
        }
        case "self_explanation": {
          const text = o[t]!;
          expect(text).toMatch(
            /query|user's question|查询|relevant|relevante|pertinent|similar|label|relevant|hard negative|negativo|négatif|Negativbeispiel|相关|负例|相似|标注|関連|ネガティブ|関係|似て|分類|관련|부정 예시|비슷|분류|ähnelt|eingestuft|classé|clasifica|similaire/,
          );
          break;
        }
        case "language_mismatch": {
          const text = t === "*" ? o[pk]! : o[t]!;
          const l = langOf(r);
          if (f !== "bitext" && l !== "en") expect(text).toMatch(/\b(the|in|of|is)\b/);
          break;
        }
        case "false_negative":
          expect(t).toBe(nk);
          if (f === "long-short") expect(o.misleading_label).not.toBe(o.label);
          break;
      }
    });
    expect(sawEmpty).toBe(true);
  });

  it("counterfactual negatives differ from the positive by one number or place only", () => {
    const cf = records.filter((r) => r._note === "counterfactual");
    expect(cf.length).toBeGreaterThan(20);
    for (const r of cf) {
      const f = familyOf(r);
      const o = outputOf(r);
      const lang = langOf(r);
      const [, pk, nk] = E5_KEYS[f].output as [string, string, string];
      const ref = f === "sts" ? o.S1! : o[pk]!;
      expect(o[nk]).not.toBe(ref);
      const a = words(lang, ref);
      const b = words(lang, o[nk]!);
      expect(Math.abs(a.length - b.length)).toBeLessThanOrEqual(4);
      if (f !== "short-short" && f !== "sts" && f !== "bitext")
        expect(overlap(lang, ref, o[nk]!)).toBeGreaterThanOrEqual(0.9);
    }
  });
});
