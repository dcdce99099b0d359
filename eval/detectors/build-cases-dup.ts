/**
 * Builds the evaluation cases eval/detectors/cases/{duplicate_negative,false_negative,negative_rank,
 * positive_rank,duplicate_record}.jsonl (deterministic; commit the output).
 *
 *   npx tsx eval/detectors/build-cases-dup.ts
 *
 * Base texts: the real files in test/fixtures/real (MS MARCO / NQ passages in English, T2Ranking in
 * Chinese, JSTS in Japanese, KorSTS in Korean), the hand-written passages of material.ts and the
 * hand-written counterfactual templates and false-negative trios of material-dup.ts.
 *
 * duplicate_negative — defects: a negative that copies the positive (or an extra positive, or an
 * earlier negative) with noise: none, spacing, punctuation, case / character width, a dropped word,
 * all of these at once, the sentences in another order; a negative reused in 3 records. Hard controls: counterfactual negatives (a
 * number, a name or a negation changed; also with spacing/punctuation noise), numbers changed in real
 * passages, passages that share half their sentences with the positive, related passages of the same
 * query or topic (T2Ranking negatives, STS pairs of different meaning), a negative in only 2 records.
 *
 * false_negative — BM25 cases: a query, its positive, and either a negative that answers the query
 * in other words (defect) or one on the same topic that does not answer it (control). The BM25
 * teacher is run over each language's cases as one data set here and its scores and ranks are
 * stored in the case (`teacher`), so the runner needs no teacher of its own. Plus exact-rule cases
 * with given scores at the relative-margin boundary (ids fn-rule-*).
 *
 * negative_rank / positive_rank — rule cases with given ranks around k = 30, m = 100 and n = 10.
 *
 * duplicate_record — per language one data set with repeated queries (exact, with noise, with a word
 * dropped) and controls (counterfactual and related queries), plus STS pairs whose two sentences are
 * identical (KorSTS, JSTS, and constructed) against pairs that are close paraphrases.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { tokenSeq } from "@/lib/detect/near-duplicate";
import { sentences } from "@/lib/detect/text";
import type { DetectRecord, TeacherResult } from "@/lib/detect/types";
import { bm25Teacher } from "@/lib/teacher/bm25";
import { arraySource, scoreAll } from "@/lib/teacher/types";
import { type Lang, PASSAGES, SHORT_QUERIES } from "./material";
import { COUNTERFACTUALS, FALSE_NEGATIVES, fillCf } from "./material-dup";

const ROOT = path.resolve(import.meta.dirname, "../..");
const REAL = path.join(ROOT, "test/fixtures/real");
const OUT = path.join(import.meta.dirname, "cases");
const LANGS: Lang[] = ["en", "zh", "ja", "ko", "de", "fr", "es"];

interface Case {
  id: string;
  lang: Lang;
  defect: string;
  expect: boolean;
  target?: "query" | "positive" | "negative";
  negativeIndex?: number;
  group?: string;
  note?: string;
  record: DetectRecord;
  teacher?: TeacherResult;
}

const at = <T>(list: readonly T[], i: number): T =>
  list[((i % list.length) + list.length) % list.length] as T;
const cjk = (lang: Lang) => lang === "zh" || lang === "ja";

function record(
  lang: Lang,
  query: string,
  positive: string,
  negatives: string[],
  more: Partial<DetectRecord> = {},
): DetectRecord {
  return {
    taskFamily: "short-long",
    language: lang,
    query,
    positive: { text: positive },
    extraPositives: [],
    negatives: negatives.map((text) => ({ text })),
    params: {},
    ...more,
  };
}

// ---------------------------------------------------------------------------------------------
// Real texts

const jsonl = (name: string) =>
  readFileSync(path.join(REAL, name), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Record<string, unknown>);

const msmarco = jsonl("flagemb_msmarco_scored.jsonl") as { query: string; pos: string[]; neg: string[] }[];
const nq = jsonl("flagemb_nq_scored.jsonl") as { query: string; pos: string[]; neg: string[] }[];
const t2 = jsonl("zh_t2ranking_100.jsonl") as { query: string; pos: string[]; neg: string[] }[];
const jsts = jsonl("ja_jsts_valid.json") as { sentence1: string; sentence2: string; label: number }[];
const korsts = readFileSync(path.join(REAL, "ko_korsts_dev.tsv"), "utf8")
  .split("\n")
  .slice(1)
  .filter((l) => l.trim())
  .map((l) => l.split("\t"))
  .map((c) => ({ sentence1: c[5] as string, sentence2: c[6] as string, label: Number(c[4]) }));

const norm = (s: string) =>
  s
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\p{P}\s]+/gu, "");
/** Real STS pairs rated between `min` and `max` (0-5), whose sentences differ after normalisation. */
const stsPairs = (
  pairs: { sentence1: string; sentence2: string; label: number }[],
  min: number,
  max: number,
) =>
  pairs.filter(
    (p) =>
      p.label >= min && p.label <= max && norm(p.sentence1) !== norm(p.sentence2) && p.sentence1.length >= 12,
  );

/** Passages to copy with noise, per language. */
const BASES: Record<Lang, string[]> = {
  en: [
    ...msmarco.map((r) => r.pos[0] as string),
    ...nq.slice(0, 10).map((r) => (r.pos[0] as string).slice(0, 700)),
  ],
  zh: [...PASSAGES.zh, ...t2.slice(0, 14).map((r) => (r.pos[0] as string).slice(0, 400))],
  ja: [
    ...PASSAGES.ja,
    ...jsts
      .filter((p) => p.sentence1.length >= 22)
      .slice(0, 12)
      .map((p) => p.sentence1),
  ],
  ko: [
    ...PASSAGES.ko,
    ...korsts
      .filter((p) => p.sentence1.split(" ").length >= 10)
      .slice(0, 12)
      .map((p) => p.sentence1),
  ],
  de: PASSAGES.de,
  fr: PASSAGES.fr,
  es: PASSAGES.es,
};

// ---------------------------------------------------------------------------------------------
// Noise

const isHanKana = (c: string | undefined) =>
  c !== undefined && /[\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}]/u.test(c);

function spacing(t: string, lang: Lang, k: number): string {
  if (cjk(lang)) {
    // a space now and then between two Han/Kana characters (never inside a number or a Latin word)
    const chars = [...t];
    const out = chars.map((c, i) =>
      i % (5 + (k % 3)) === 3 && isHanKana(c) && isHanKana(chars[i + 1]) ? `${c} ` : c,
    );
    return `${out.join("")}\n`;
  }
  let n = 0;
  return `  ${t.replace(/ /g, () => (++n % (4 + (k % 3)) === 0 ? (n % 2 ? "  " : "\n") : " "))} `;
}

function punctuation(t: string, lang: Lang, k: number): string {
  if (cjk(lang))
    return t
      .replace(/。/g, k % 2 ? "." : "！")
      .replace(/，/g, ",")
      .replace(/、/g, "");
  // commas before a space only ("1,000" and "1,2" keep theirs: removing those would change a number)
  const s = t.replace(/,(?=\s)/g, "").replace(/\.(\s|$)/g, (_m, sp) => (k % 2 ? `!${sp}` : `;${sp}`));
  return k % 3 === 0 ? s.replace(/ (\S+) /, " $1, ") : s;
}

function caseOrWidth(t: string, lang: Lang, k: number): string {
  const hasCase = t !== t.toUpperCase() || t !== t.toLowerCase();
  if (!cjk(lang) && lang !== "ko" && hasCase) return k % 2 ? t.toLowerCase() : t.toUpperCase();
  // no letter case: ASCII digits and letters to full width (NFKC maps them back)
  const wide = t.replace(/[0-9A-Za-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
  return wide === t ? punctuation(t, lang, k) : wide;
}

/** Drops one ordinary token (not a number, name, negation or the first/last token). */
function dropWord(t: string, _lang: Lang, k: number): string {
  const s = tokenSeq(t);
  const n = s.ids.length;
  const eligible: number[] = [];
  for (let i = 2; i < n - 2; i++) if (s.flags[i] === 0 || s.flags[i] === 8) eligible.push(i);
  if (eligible.length === 0) return punctuation(t, _lang, k);
  const i = at(eligible, k * 7 + 3);
  const start = s.start![i]!;
  let end = s.end![i]!;
  if (t[end] === " ") end++;
  return t.slice(0, start) + t.slice(end);
}

/** The same sentences, the first moved to the end. */
function reorder(t: string, lang: Lang, k: number): string {
  const ss = sentences(t, lang).map((x) => x.text);
  if (ss.length < 2) return punctuation(t, lang, k);
  return [...ss.slice(1), ss[0]!].join(cjk(lang) ? "" : " ");
}

const NOISES: [string, (t: string, lang: Lang, k: number) => string][] = [
  ["exact copy", (t) => t],
  ["spacing", spacing],
  ["punctuation", punctuation],
  ["case or width", caseOrWidth],
  ["a word dropped", dropWord],
  [
    "all noise kinds",
    (t, lang, k) => spacing(punctuation(caseOrWidth(dropWord(t, lang, k), lang, k), lang, k), lang, k),
  ],
  ["sentences reordered", reorder],
];

// ---------------------------------------------------------------------------------------------
// duplicate_negative

function sentenceTexts(t: string, lang: Lang): string[] {
  return sentences(t, lang).map((s) => s.text);
}

/** Half the positive's sentences, half another passage's. */
function splice(a: string, b: string, lang: Lang): string | undefined {
  const sa = sentenceTexts(a, lang);
  const sb = sentenceTexts(b, lang);
  if (sa.length < 3 || sb.length < 2) return undefined;
  const half = Math.ceil(sa.length / 2);
  return [...sa.slice(0, half), ...sb.slice(0, sa.length - half)].join(cjk(lang) ? "" : " ");
}

/** The passage with one number changed (digits, or a Han numeral in Chinese/Japanese). */
function changeNumber(t: string, lang: Lang): string | undefined {
  const d = /\d+/.exec(t);
  if (d) return t.slice(0, d.index) + String(Number(d[0]) + 3) + t.slice(d.index + d[0].length);
  if (cjk(lang)) {
    const m = /[二三四五六七八九]/.exec(t);
    if (m) return t.slice(0, m.index) + (m[0] === "五" ? "六" : "五") + t.slice(m.index + 1);
  }
  return undefined;
}

function duplicateNegativeCases(lang: Lang): Case[] {
  const out: Case[] = [];
  const bases = BASES[lang];
  const queries = SHORT_QUERIES[lang];
  const cf = COUNTERFACTUALS[lang];
  const allBases = [...bases, ...cf.map((c) => fillCf(c))];
  let id = 0;
  const add = (c: Omit<Case, "id" | "lang" | "defect">) =>
    out.push({
      id: `dn-${lang}-${c.expect ? "pos" : "neg"}-${String(id++).padStart(3, "0")}`,
      lang,
      defect: "duplicate_negative",
      ...c,
    });

  // (a) copies of the positive, seven noise kinds
  for (let k = 0; k < 42; k++) {
    const base = at(allBases, k);
    const other = at(allBases, k + 5);
    const [noiseName, noise] = at(NOISES, k);
    const copy = noise(base, lang, k);
    const negs = k % 2 ? [copy, other] : [other, copy];
    add({
      expect: true,
      target: "negative",
      negativeIndex: k % 2 ? 0 : 1,
      note: `negative copies the positive: ${noiseName}`,
      record: record(lang, at(queries, k), base, negs),
    });
  }
  // (a) copies of an extra positive
  for (let k = 0; k < 4; k++) {
    const base = at(allBases, k + 11);
    const rec = record(lang, at(queries, k), at(allBases, k + 2), [
      at(allBases, k + 7),
      at(NOISES, k + 1)[1](base, lang, k),
    ]);
    rec.extraPositives = [{ text: base }];
    add({
      expect: true,
      target: "negative",
      negativeIndex: 1,
      note: "negative copies an extra positive",
      record: rec,
    });
  }
  // (b) a negative repeating another negative
  for (let k = 0; k < 6; k++) {
    const dup = at(allBases, k + 3);
    const [noiseName, noise] = at(NOISES, k + 2);
    add({
      expect: true,
      target: "negative",
      negativeIndex: 2,
      note: `negative repeats negative 1: ${noiseName}`,
      record: record(lang, at(queries, k), at(allBases, k + 9), [
        dup,
        at(allBases, k + 13),
        noise(dup, lang, k),
      ]),
    });
  }
  // (c) one negative in 3 records (with spacing/case noise), twice
  for (let g = 0; g < 2; g++) {
    const generic = at(allBases, g * 4 + 1);
    for (let r = 0; r < 3; r++) {
      const variant = r === 0 ? generic : r === 1 ? spacing(generic, lang, r) : caseOrWidth(generic, lang, r);
      add({
        expect: true,
        target: "negative",
        negativeIndex: 0,
        group: `dn-reuse-${lang}-${g}`,
        note: "one negative reused in 3 records",
        record: record(lang, at(queries, r + g), at(allBases, 20 + r + 3 * g), [
          variant,
          at(allBases, 10 + r),
        ]),
      });
    }
  }

  // Controls ------------------------------------------------------------------------------
  // counterfactuals: a number, a name, a negation changed
  cf.forEach((c, i) => {
    for (const kind of ["n", "e", "neg"] as const) {
      add({
        expect: false,
        target: "negative",
        negativeIndex: 0,
        note: `counterfactual: ${kind === "n" ? "number" : kind === "e" ? "name" : "negation"} changed`,
        record: record(lang, at(queries, i), fillCf(c), [fillCf(c, kind), at(allBases, i + 4)]),
      });
    }
  });
  // counterfactuals with spacing or punctuation noise on top
  cf.forEach((c, i) => {
    const kind = (["n", "e", "neg"] as const)[i % 3]!;
    const noisy = i % 2 ? spacing(fillCf(c, kind), lang, i) : punctuation(fillCf(c, kind), lang, i);
    add({
      expect: false,
      target: "negative",
      negativeIndex: 1,
      note: `counterfactual with ${i % 2 ? "spacing" : "punctuation"} noise`,
      record: record(lang, at(queries, i), fillCf(c), [at(allBases, i + 1), noisy]),
    });
  });
  // numbers changed in real or hand-written passages
  let numbered = 0;
  for (let i = 0; i < bases.length && numbered < 6; i++) {
    const changed = changeNumber(bases[i]!, lang);
    if (!changed) continue;
    numbered++;
    add({
      expect: false,
      target: "negative",
      negativeIndex: 0,
      note: "counterfactual: a number changed in a passage",
      record: record(lang, at(queries, i), bases[i]!, [changed]),
    });
  }
  // half the positive's sentences
  let spliced = 0;
  for (let i = 0; i < allBases.length && spliced < 6; i++) {
    const s = splice(allBases[i]!, at(allBases, i + 6), lang);
    if (!s) continue;
    spliced++;
    add({
      expect: false,
      target: "negative",
      negativeIndex: 0,
      note: "negative shares half the positive's sentences",
      record: record(lang, at(queries, i), allBases[i]!, [s]),
    });
  }
  // related passages: same query or same topic, different content
  const related: [string, string, string][] = [];
  if (lang === "en")
    msmarco.slice(0, 8).forEach((r) => {
      related.push([r.query, r.pos[0]!, r.neg[0]!]);
    });
  else if (lang === "zh")
    t2.slice(20, 28).forEach((r) => {
      related.push([r.query, r.pos[0]!, r.neg[0]!]);
    });
  else if (lang === "ja")
    stsPairs(jsts, 2.5, 3.5)
      .slice(0, 8)
      .forEach((p) => {
        related.push([at(queries, 0), p.sentence1, p.sentence2]);
      });
  else if (lang === "ko")
    stsPairs(korsts, 2.5, 3.5)
      .slice(0, 8)
      .forEach((p) => {
        related.push([at(queries, 0), p.sentence1, p.sentence2]);
      });
  else
    FALSE_NEGATIVES[lang].slice(0, 8).forEach((f) => {
      related.push([f.query, PASSAGES[lang][f.pos as number]!, `${f.topical} ${f.para}`]);
    });
  related.forEach(([q, p, n]) => {
    add({
      expect: false,
      target: "negative",
      negativeIndex: 0,
      note: "related passage, different content",
      record: record(lang, q, p, [n]),
    });
  });
  // (b) controls: two negatives that are counterfactuals of each other
  cf.slice(0, 2).forEach((c, i) => {
    add({
      expect: false,
      target: "negative",
      negativeIndex: 1,
      note: "two negatives that differ by a number / name",
      record: record(lang, at(queries, i), at(allBases, i + 8), [fillCf(c), fillCf(c, i ? "e" : "n")]),
    });
  });
  // (c) control: a negative in only 2 records
  const twice = at(allBases, 17);
  for (let r = 0; r < 2; r++) {
    add({
      expect: false,
      target: "negative",
      negativeIndex: 0,
      group: `dn-reuse2-${lang}`,
      note: "a negative in only 2 records",
      record: record(lang, at(queries, r), at(allBases, 3 + r), [r ? spacing(twice, lang, r) : twice]),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// false_negative (BM25 teacher over each language's cases)

async function falseNegativeCases(lang: Lang): Promise<Case[]> {
  const items = FALSE_NEGATIVES[lang];
  const cases: Case[] = [];
  const posText = (it: (typeof items)[number]) =>
    typeof it.pos === "number" ? PASSAGES[lang as Exclude<Lang, "en">][it.pos]! : it.pos;
  items.forEach((it, i) => {
    const pos = posText(it);
    // Generated hard negatives have about the positive's length; both negatives get the same two
    // sentences of an unrelated passage, so that BM25's length normalisation does not decide.
    const filler = sentenceTexts(posText(at(items, i + 5)), lang)
      .slice(-2)
      .join(cjk(lang) ? "" : " ");
    const join = (a: string) => (cjk(lang) ? a + filler : `${a} ${filler}`);
    const base = { language: lang };
    cases.push({
      id: `fn-${lang}-pos-${String(i).padStart(2, "0")}`,
      lang,
      defect: "false_negative",
      expect: true,
      target: "negative",
      negativeIndex: 0,
      group: `fn-bm25-${lang}`,
      note: "negative answers the query in other words",
      record: { ...record(lang, it.query, pos, [join(it.para)]), ...base },
    });
    cases.push({
      id: `fn-${lang}-neg-${String(i).padStart(2, "0")}`,
      lang,
      defect: "false_negative",
      expect: false,
      target: "negative",
      negativeIndex: 0,
      group: `fn-bm25-${lang}`,
      note: "negative on the topic, not answering",
      record: { ...record(lang, it.query, pos, [join(it.topical)]), ...base },
    });
  });
  const results = await scoreAll(bm25Teacher(), arraySource(cases.map((c) => c.record)));
  cases.forEach((c, k) => {
    c.teacher = results.get(k);
  });
  // exact rules with given scores (relative margin 0.05; boundaries; logits)
  const rules: [number, number, boolean, string][] = [
    [0.8, 0.77, true, "given scores: 0.77 > 0.95 × 0.8"],
    [0.8, 0.76, false, "given scores: 0.76 = 0.95 × 0.8 (boundary, not above)"],
    [-2, -2.05, true, "logits: −2.05 > −2 − 0.05·|−2|"],
    [-2, -2.2, false, "logits: −2.2 < −2.1"],
  ];
  const it0 = items[0]!;
  const pos0 = typeof it0.pos === "number" ? PASSAGES[lang as Exclude<Lang, "en">][it0.pos]! : it0.pos;
  rules.forEach(([p, n, expect, note], i) => {
    cases.push({
      id: `fn-rule-${lang}-${i}`,
      lang,
      defect: "false_negative",
      expect,
      target: "negative",
      negativeIndex: 0,
      note,
      record: record(lang, it0.query, pos0, [it0.topical]),
      teacher: { teacher: "scores", positive: p, negatives: [n] },
    });
  });
  return cases;
}

// ---------------------------------------------------------------------------------------------
// negative_rank / positive_rank (given ranks)

function rankCases(lang: Lang): Case[] {
  const it = FALSE_NEGATIVES[lang][1]!;
  const pos = typeof it.pos === "number" ? PASSAGES[lang as Exclude<Lang, "en">][it.pos]! : it.pos;
  const rec = record(lang, it.query, pos, [it.topical, it.para]);
  const out: Case[] = [];
  const negs: [number, number, boolean, string][] = [
    [3, 50, true, "rank 3 < 30: too close"],
    [29, 60, true, "rank 29 < 30"],
    [30, 55, false, "rank 30: kept (k)"],
    [100, 40, false, "rank 100: kept (m)"],
    [101, 45, true, "rank 101 > 100: too easy"],
    [412, 70, true, "rank 412 > 100: too easy"],
    [64, 35, false, "rank 64: inside 30..100"],
  ];
  negs.forEach(([r0, r1, expect, note], i) => {
    out.push({
      id: `nr-${lang}-${i}`,
      lang,
      defect: "negative_rank",
      expect,
      target: "negative",
      negativeIndex: 0,
      note,
      record: rec,
      teacher: { teacher: "bm25", positive: 10, negatives: [5, 4], positiveRank: 1, negativeRanks: [r0, r1] },
    });
  });
  const poss: [number, boolean, string][] = [
    [1, false, "rank 1"],
    [10, false, "rank 10: in the top 10"],
    [11, true, "rank 11: outside the top 10"],
    [250, true, "rank 250"],
  ];
  poss.forEach(([r, expect, note], i) => {
    out.push({
      id: `pr-${lang}-${i}`,
      lang,
      defect: "positive_rank",
      expect,
      target: "positive",
      note,
      record: rec,
      teacher: { teacher: "bm25", positive: 10, negatives: [5, 4], positiveRank: r, negativeRanks: [40, 50] },
    });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// duplicate_record

function duplicateRecordCases(lang: Lang): Case[] {
  const out: Case[] = [];
  const fn = FALSE_NEGATIVES[lang];
  const cf = COUNTERFACTUALS[lang];
  const group = `dr-${lang}`;
  let id = 0;
  /** `g` null: the case is a data set of its own. */
  const add = (c: Omit<Case, "id" | "lang" | "defect" | "group">, g: string | null = group): void => {
    out.push({
      id: `dr-${lang}-${String(id++).padStart(2, "0")}`,
      lang,
      defect: "duplicate_record",
      ...(g ? { group: g } : {}),
      ...c,
    });
  };
  const posOf = (i: number) => {
    const p = fn[i]!.pos;
    return typeof p === "number" ? PASSAGES[lang as Exclude<Lang, "en">][p]! : p;
  };
  // first occurrences (controls), then repeats
  for (let i = 0; i < 4; i++)
    add({
      expect: false,
      target: "query",
      note: "first occurrence",
      record: record(lang, fn[i]!.query, posOf(i), [fn[i]!.topical]),
    });
  add({
    expect: true,
    target: "query",
    note: "same query and positive",
    record: record(lang, fn[0]!.query, posOf(0), [fn[0]!.topical]),
  });
  add({
    expect: true,
    target: "query",
    note: "same query, other positive",
    record: record(lang, fn[1]!.query, fn[1]!.para, [fn[1]!.topical]),
  });
  add({
    expect: true,
    target: "query",
    note: "same query with case/punctuation noise",
    record: record(lang, punctuation(caseOrWidth(fn[2]!.query, lang, 1), lang, 1), posOf(2), []),
  });
  add({
    expect: true,
    target: "query",
    note: "same query with spacing noise",
    record: record(lang, spacing(fn[3]!.query, lang, 2), fn[3]!.para, []),
  });
  // long queries: counterfactual template sentences used as queries
  cf.forEach((c, i) => {
    const first = (s: string) => sentenceTexts(s, lang)[0]!;
    add({
      expect: false,
      target: "query",
      note: "first occurrence (long query)",
      record: record(lang, first(fillCf(c)), fillCf(c), []),
    });
    const kind = (["n", "e", "neg"] as const)[i % 3]!;
    const changed = first(fillCf(c, kind));
    if (changed !== first(fillCf(c))) {
      add({
        expect: false,
        target: "query",
        note: `query with a ${kind === "n" ? "number" : kind === "e" ? "name" : "negation"} changed`,
        record: record(lang, changed, fillCf(c, kind), []),
      });
    }
    const dropped = dropWord(first(fillCf(c)), lang, i);
    if (dropped !== first(fillCf(c)))
      add({
        expect: true,
        target: "query",
        note: "query with a word dropped",
        record: record(lang, dropped, fillCf(c), []),
      });
  });
  // other questions on related topics
  for (let i = 4; i < fn.length; i++)
    add({
      expect: false,
      target: "query",
      note: "different question",
      record: record(lang, fn[i]!.query, posOf(i), []),
    });
  // STS: positive identical to the query (S1 = S2) vs close paraphrases
  const sts = (s1: string, s2: string) => record(lang, s1, s2, [], { taskFamily: "sts" });
  if (lang === "ko" || lang === "ja") {
    const pairs = lang === "ko" ? korsts : jsts;
    pairs
      .filter((p) => p.sentence1 === p.sentence2)
      .forEach((p) => {
        add(
          {
            expect: true,
            target: "positive",
            note: "real STS pair with S1 = S2",
            record: sts(p.sentence1, p.sentence2),
          },
          null,
        );
      });
    stsPairs(pairs, 3.8, 4.2)
      .slice(0, 4)
      .forEach((p) => {
        add(
          {
            expect: false,
            target: "positive",
            note: "real STS paraphrase pair",
            record: sts(p.sentence1, p.sentence2),
          },
          null,
        );
      });
  }
  cf.forEach((c, i) => {
    const s1 = sentenceTexts(fillCf(c), lang)[0]!;
    add(
      {
        expect: true,
        target: "positive",
        note: "S2 = S1 with punctuation noise",
        record: sts(s1, punctuation(s1, lang, i)),
      },
      null,
    );
    const kind = (["n", "e", "neg"] as const)[i % 3]!;
    const s2 = sentenceTexts(fillCf(c, kind), lang)[0]!;
    if (s2 !== s1)
      add(
        { expect: false, target: "positive", note: "S2 = S1 with one fact changed", record: sts(s1, s2) },
        null,
      );
  });
  return out;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  mkdirSync(OUT, { recursive: true });
  const files: Record<string, Case[]> = {
    duplicate_negative: [],
    false_negative: [],
    negative_rank: [],
    positive_rank: [],
    duplicate_record: [],
  };
  for (const lang of LANGS) {
    files.duplicate_negative!.push(...duplicateNegativeCases(lang));
    files.false_negative!.push(...(await falseNegativeCases(lang)));
    for (const c of rankCases(lang)) files[c.defect]!.push(c);
    files.duplicate_record!.push(...duplicateRecordCases(lang));
  }
  for (const [defect, cases] of Object.entries(files)) {
    const ids = new Set<string>();
    for (const c of cases) {
      if (ids.has(c.id)) throw new Error(`duplicate id ${c.id}`);
      ids.add(c.id);
    }
    writeFileSync(path.join(OUT, `${defect}.jsonl`), `${cases.map((c) => JSON.stringify(c)).join("\n")}\n`);
    const per = LANGS.map((l) => {
      const mine = cases.filter((c) => c.lang === l);
      return `${l} ${mine.filter((c) => c.expect).length}+/${mine.filter((c) => !c.expect).length}-`;
    });
    console.log(`${defect}.jsonl: ${cases.length} cases (${per.join(", ")})`);
  }
}

await main();
