/**
 * Builds the evaluation cases eval/detectors/cases/{self_explanation,query_leakage,length_mismatch,
 * empty_or_truncated,language_mismatch,instruction_echo}.jsonl (deterministic; commit the output).
 *
 *   npx tsx eval/detectors/build-cases.ts
 *
 * Base texts: the real files in test/fixtures/real (English FlagEmbedding retrieval sets and the
 * Intel queries, zh_t2ranking, ko_korsts, ja_jsts) and the hand-written passages of material.ts
 * (de, fr, es, and more zh/ja/ko). Defects are injected with many phrasings and positions; hard
 * controls insert legitimate look-alikes (meta-language, keyword queries, partial overlaps,
 * ordinary length drift…).
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { countWordsAccurate, segmentWords, sentences } from "@/lib/detect/text";
import type { DetectRecord } from "@/lib/detect/types";
import {
  LANG_NAMES,
  type Lang,
  LONG_QUERIES,
  META_CONTROLS,
  META_CONTROLS_V2,
  META_CONTROLS_V3,
  PASSAGES,
  SELF_EXPLANATIONS,
  SELF_EXPLANATIONS_V2,
  SELF_EXPLANATIONS_V3,
  SHORT_QUERIES,
  TASKS,
  TOPICS,
} from "./material";

const ROOT = path.resolve(import.meta.dirname, "../..");
const REAL = path.join(ROOT, "test/fixtures/real");
const OUT = path.join(import.meta.dirname, "cases");
const LANGS: Lang[] = ["en", "zh", "ja", "ko", "de", "fr", "es"];

// ---------------------------------------------------------------------------------------------
// Helpers

const at = <T>(list: readonly T[], i: number): T =>
  list[((i % list.length) + list.length) % list.length] as T;
const spaced = (lang: Lang) => lang !== "zh" && lang !== "ja";
const sep = (lang: Lang) => (spaced(lang) ? " " : "");
const fill = (template: string, x: string) => template.replaceAll("{x}", x);

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
}

function record(
  partial: Omit<Partial<DetectRecord>, "positive" | "negatives"> & {
    query: string;
    positive: string;
    negatives?: string[];
  },
): DetectRecord {
  const r: DetectRecord = {
    taskFamily: partial.taskFamily ?? "short-long",
    query: partial.query,
    positive: { text: partial.positive },
    extraPositives: [],
    negatives: (partial.negatives ?? []).map((text) => ({ text })),
    params: partial.params ?? {},
  };
  if (partial.task !== undefined) r.task = partial.task;
  if (partial.language !== undefined) r.language = partial.language;
  if (partial.label !== undefined) r.label = partial.label;
  if (partial.misleadingLabel !== undefined) r.misleadingLabel = partial.misleadingLabel;
  return r;
}

/** Inserts a sentence at the start, after the first sentence ("middle") or at the end. */
function insert(passage: string, sentence: string, where: "start" | "middle" | "end", lang: Lang): string {
  const s = sep(lang);
  if (where === "start") return `${sentence}${s}${passage}`;
  if (where === "end") return `${passage}${s}${sentence}`;
  const sents = sentences(passage, lang);
  if (sents.length < 2) return `${passage}${s}${sentence}`;
  const cut = (sents[Math.floor(sents.length / 2) - 1] as { end: number }).end;
  return `${passage.slice(0, cut)}${s}${sentence}${s}${passage.slice(cut).trimStart()}`;
}

function readJsonl(file: string): Record<string, unknown>[] {
  return readFileSync(path.join(REAL, file), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

// ---------------------------------------------------------------------------------------------
// Base material from the real files

interface Pair {
  query: string;
  positive: string;
  negatives: string[];
}

const words = (t: string, lang?: string) => countWordsAccurate(t, lang);

function englishPairs(): Pair[] {
  const out: Pair[] = [];
  for (const f of [
    "flagemb_msmarco_scored.jsonl",
    "flagemb_nq_scored.jsonl",
    "intel_llm_augmented_queries.jsonl",
  ]) {
    for (const o of readJsonl(f)) {
      const pos = (o.pos as string[])[0] as string;
      const negs = (o.neg as string[]).slice(0, 3);
      out.push({ query: (o.query as string).replace(/^\)/, ""), positive: pos, negatives: negs });
    }
  }
  return out;
}

function englishPassages(): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const f of ["flagemb_msmarco_scored.jsonl", "flagemb_nq_scored.jsonl"]) {
    for (const o of readJsonl(f)) {
      for (const p of [...(o.pos as string[]), ...(o.neg as string[])]) {
        const n = words(p);
        if (n < 40 || n > 220 || seen.has(p)) continue;
        // Passages that end properly (the real NQ passages are cut at 100 words).
        if (!/[.!?"”)]$/.test(p.trim())) continue;
        seen.add(p);
        out.push(p.trim());
      }
    }
  }
  return out;
}

function chinesePairs(): Pair[] {
  return readJsonl("zh_t2ranking_100.jsonl").map((o) => ({
    query: o.query as string,
    positive: clipZh((o.pos as string[])[0] as string),
    negatives: (o.neg as string[]).slice(0, 2).map(clipZh),
  }));
}

/** T2Ranking passages: HTML line breaks out, clipped at a full stop after ~250 characters. */
function clipZh(p: string): string {
  const t = p
    .replace(/<br>/g, "\n")
    .replace(/<[^>]+>/g, "")
    .trim();
  if (t.length <= 300) return t;
  const cut = t.indexOf("。", 200);
  return cut > 0 && cut < 400 ? t.slice(0, cut + 1) : `${t.slice(0, 280)}。`;
}

function captions(lang: "ja" | "ko"): string[] {
  if (lang === "ja") {
    const seen = new Set<string>();
    for (const o of readJsonl("ja_jsts_valid.json"))
      for (const k of ["sentence1", "sentence2"]) seen.add(o[k] as string);
    return [...seen];
  }
  const seen = new Set<string>();
  const lines = readFileSync(path.join(REAL, "ko_korsts_dev.tsv"), "utf8").split("\n").slice(1);
  for (const l of lines) for (const s of l.split("\t").slice(5, 7)) if (s?.trim()) seen.add(s.trim());
  return [...seen];
}

/** Passages of 5-7 consecutive captions (ja: JGLUE JSTS, ko: KorSTS). */
function captionPassages(lang: "ja" | "ko", n: number): string[] {
  const caps = captions(lang).filter((c) => /[.。]$/.test(c));
  const out: string[] = [];
  let i = 0;
  for (let k = 0; k < n; k++) {
    const len = 5 + (k % 3);
    out.push(caps.slice(i, i + len).join(lang === "ja" ? "" : " "));
    i += len;
  }
  return out;
}

const EN_PAIRS = englishPairs();
const EN_PASSAGES = englishPassages();
const ZH_PAIRS = chinesePairs();

/** Passages per language for the injection cases. */
const BASE: Record<Lang, string[]> = {
  en: EN_PASSAGES,
  zh: [...PASSAGES.zh, ...ZH_PAIRS.map((p) => p.positive).filter((p) => p.length >= 60)],
  ja: [...PASSAGES.ja, ...captionPassages("ja", 24)],
  ko: [...PASSAGES.ko, ...captionPassages("ko", 24)],
  de: PASSAGES.de,
  fr: PASSAGES.fr,
  es: PASSAGES.es,
};

/** A query to go with a passage in records built for passage-level defects. */
function queryFor(lang: Lang, i: number): string {
  if (lang === "en") return at(EN_PAIRS, i).query;
  if (lang === "zh") return at(ZH_PAIRS, i).query;
  return at(LONG_QUERIES[lang], i);
}

// ---------------------------------------------------------------------------------------------
// self_explanation

function selfExplanationCases(): Case[] {
  const out: Case[] = [];
  for (const lang of LANGS) {
    const base = BASE[lang];
    const phr = SELF_EXPLANATIONS[lang];
    const wheres = ["end", "start", "middle"] as const;
    for (let i = 0; i < phr.length * 3; i++) {
      const where = wheres[Math.floor(i / phr.length)] as (typeof wheres)[number];
      const sentence = fill(at(phr, i), at(TOPICS[lang], i * 7 + 3));
      const p0 = at(base, i);
      const n0 = at(base, i + 5);
      const n1 = at(base, i + 11);
      const onNegative = i % 3 === 0;
      const negIndex = onNegative ? i % 2 : undefined;
      const negs = [n0, n1];
      if (negIndex !== undefined) negs[negIndex] = insert(negs[negIndex] as string, sentence, where, lang);
      out.push({
        id: `se-${lang}-pos-${String(i).padStart(2, "0")}`,
        lang,
        defect: "self_explanation",
        expect: true,
        target: onNegative ? "negative" : "positive",
        ...(negIndex !== undefined ? { negativeIndex: negIndex } : {}),
        note: `phrasing ${i % phr.length}, ${where}`,
        record: record({
          query: queryFor(lang, i),
          positive: onNegative ? p0 : insert(p0, sentence, where, lang),
          negatives: negs,
          language: lang,
          params: { language: LANG_NAMES[lang] },
        }),
      });
    }
    const controls = META_CONTROLS[lang];
    for (let i = 0; i < controls.length * 2; i++) {
      const where = i < controls.length ? "end" : "start";
      const sentence = fill(at(controls, i), at(TOPICS[lang], i * 3 + 1));
      const p0 = at(base, i + 2);
      const onNegative = i % 2 === 1;
      out.push({
        id: `se-${lang}-ctl-${String(i).padStart(2, "0")}`,
        lang,
        defect: "self_explanation",
        expect: false,
        note: `control ${i % controls.length}, ${where}`,
        record: record({
          query: queryFor(lang, i + 1),
          positive: onNegative ? p0 : insert(p0, sentence, where, lang),
          negatives: [onNegative ? insert(at(base, i + 7), sentence, where, lang) : at(base, i + 7)],
          language: lang,
          params: { language: LANG_NAMES[lang] },
        }),
      });
    }
    // Batches 2 and 3: written later (batch 2 after tuning on batch 1, batch 3 after tuning on
    // batch 2), at the end and the start of a passage.
    const later: [string, string[], string[]][] = [
      ["h2", SELF_EXPLANATIONS_V2[lang], META_CONTROLS_V2[lang]],
      ["h3", SELF_EXPLANATIONS_V3[lang], META_CONTROLS_V3[lang]],
    ];
    for (const [tag, v2, c2] of later) {
      for (let i = 0; i < v2.length * 2; i++) {
        const where = i < v2.length ? "end" : "start";
        const sentence = fill(at(v2, i), at(TOPICS[lang], i * 3 + 2));
        const onNegative = i % 4 === 1;
        out.push({
          id: `se-${lang}-${tag}pos-${String(i).padStart(2, "0")}`,
          lang,
          defect: "self_explanation",
          expect: true,
          target: onNegative ? "negative" : "positive",
          ...(onNegative ? { negativeIndex: 0 } : {}),
          note: `batch ${tag}, phrasing ${i % v2.length}, ${where}`,
          record: record({
            query: queryFor(lang, i + 4),
            positive: onNegative ? at(base, i + 3) : insert(at(base, i + 3), sentence, where, lang),
            negatives: [onNegative ? insert(at(base, i + 8), sentence, where, lang) : at(base, i + 8)],
            language: lang,
            params: { language: LANG_NAMES[lang] },
          }),
        });
      }
      for (let i = 0; i < c2.length * 2; i++) {
        const where = i < c2.length ? "end" : "start";
        const sentence = fill(at(c2, i), at(TOPICS[lang], i * 5 + 4));
        out.push({
          id: `se-${lang}-${tag}ctl-${String(i).padStart(2, "0")}`,
          lang,
          defect: "self_explanation",
          expect: false,
          note: `batch ${tag}, control ${i % c2.length}, ${where}`,
          record: record({
            query: queryFor(lang, i + 6),
            positive: insert(at(base, i + 4), sentence, where, lang),
            negatives: [at(base, i + 10)],
            language: lang,
            params: { language: LANG_NAMES[lang] },
          }),
        });
      }
    }
    // Untouched passages (real data for en/zh/ja/ko) as controls.
    for (let i = 0; i < 10; i++) {
      out.push({
        id: `se-${lang}-raw-${String(i).padStart(2, "0")}`,
        lang,
        defect: "self_explanation",
        expect: false,
        note: "untouched passages",
        record: record({
          query: queryFor(lang, i + 3),
          positive: at(base, i * 3 + 1),
          negatives: [at(base, i * 3 + 2), at(base, i * 3 + 4)],
          language: lang,
          params: { language: LANG_NAMES[lang] },
        }),
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// query_leakage

function longQueries(lang: Lang): string[] {
  if (lang === "en") {
    const qs = EN_PAIRS.map((p) => p.query).filter((q) => words(q) >= 6);
    return qs.slice(0, 16);
  }
  if (lang === "zh") {
    // Real T2Ranking queries of 10+ characters, topped up with written ones.
    const real = ZH_PAIRS.map((p) => p.query).filter((q) => q.length >= 10);
    return [...real.slice(0, 8), ...LONG_QUERIES.zh.slice(0, 8)];
  }
  return LONG_QUERIES[lang];
}

const STRIP = /[\p{P}\p{S}]/gu;

/** Copies of a query as a generator might leak it. */
function leakVariant(q: string, v: number, lang: Lang): string {
  const s = spaced(lang);
  const ws = segmentWords(q, lang);
  const drop = (k: number) => {
    const w = ws[k] as { start: number; end: number };
    return `${q.slice(0, w.start)}${q.slice(w.end)}`.replace(/\s{2,}/g, " ").trim();
  };
  switch (v % 8) {
    case 0:
      return q;
    case 1:
      return q
        .toLowerCase()
        .replace(STRIP, "")
        .replace(/\s{2,}/g, " ")
        .trim();
    case 2:
      return lang === "zh" || lang === "ja" ? `「${q}」` : `"${q}"`;
    case 3:
      // One word (a middle one) dropped.
      return ws.length >= 5 ? drop(Math.floor(ws.length / 2)) : q;
    case 4: {
      // Two words slipped in.
      const mid = ws[Math.floor(ws.length / 2)] as { start: number };
      const extra = {
        en: "really and truly",
        de: "denn eigentlich",
        fr: "donc vraiment",
        es: "pues realmente",
        zh: "到底",
        ja: "実際に",
        ko: "실제로 정말",
      }[lang];
      return `${q.slice(0, mid.start)}${extra}${s ? " " : ""}${q.slice(mid.start)}`;
    }
    case 5:
      return q.toUpperCase() === q ? q : `${q.charAt(0).toLowerCase()}${q.slice(1)}`.replace(/[?？]$/, "");
    case 6:
      // The last word dropped (the question word, if any, stays).
      return ws.length >= 6 ? drop(ws.length - 1) : q;
    default:
      return q.replace(/[?？.!。]$/, "");
  }
}

function leakSentence(copy: string, v: number, lang: Lang): string {
  const frames: Record<Lang, string[]> = {
    en: ["{q}", "Many readers ask: {q}", "{q} Here is what you need to know.", "Question: {q}"],
    de: ["{q}", "Viele fragen sich: {q}", "{q} Hier die wichtigsten Fakten.", "Frage: {q}"],
    fr: ["{q}", "Beaucoup se demandent : {q}", "{q} Voici l'essentiel.", "Question : {q}"],
    es: ["{q}", "Muchos se preguntan: {q}", "{q} Esto es lo que hay que saber.", "Pregunta: {q}"],
    zh: ["{q}", "很多人都想知道：{q}？", "{q}？下面为您详细解答。", "问题：{q}"],
    ja: ["{q}", "よくある質問：{q}？", "{q}？以下で詳しく説明します。", "質問：{q}"],
    ko: ["{q}", "많은 분들이 묻습니다. {q}?", "{q}? 자세히 알아보겠습니다.", "질문: {q}"],
  };
  return at(frames[lang], v).replace("{q}", copy);
}

function leakageCases(): Case[] {
  const out: Case[] = [];
  for (const lang of LANGS) {
    const qs = longQueries(lang);
    const base = BASE[lang];
    const wheres = ["start", "middle", "end"] as const;
    for (let i = 0; i < 48; i++) {
      const q = at(qs, i);
      const copy = leakVariant(q, i, lang);
      const sentence = leakSentence(copy, i >> 3, lang);
      const where = at(wheres, i + (i >> 4));
      const onNegative = i % 4 === 3;
      const p0 = at(base, i + 1);
      const n0 = at(base, i + 6);
      out.push({
        id: `ql-${lang}-pos-${String(i).padStart(2, "0")}`,
        lang,
        defect: "query_leakage",
        expect: true,
        target: onNegative ? "negative" : "positive",
        ...(onNegative ? { negativeIndex: 0 } : {}),
        note: `variant ${i % 8}, ${where}`,
        record: record({
          query: q,
          positive: onNegative ? p0 : insert(p0, sentence, where, lang),
          negatives: [onNegative ? insert(n0, sentence, where, lang) : n0],
          language: lang,
          params: { language: LANG_NAMES[lang] },
        }),
      });
    }
    let k = 0;
    const control = (note: string, query: string, positive: string) => {
      out.push({
        id: `ql-${lang}-ctl-${String(k++).padStart(2, "0")}`,
        lang,
        defect: "query_leakage",
        expect: false,
        note,
        record: record({
          query,
          positive,
          negatives: [at(base, k + 9)],
          language: lang,
          params: { language: LANG_NAMES[lang] },
        }),
      });
    };
    // Keyword queries under the size limit, copied verbatim (titles, names): never flagged.
    SHORT_QUERIES[lang].forEach((q, i) => {
      control(
        "short query copied",
        q,
        insert(at(base, i + 2), leakSentence(q, i, lang), at(wheres, i), lang),
      );
      control("short query as title", q, `${q}\n${at(base, i + 4)}`);
    });
    // Part of a long query (under half of it): a natural phrase overlap.
    qs.forEach((q, i) => {
      const ws = segmentWords(q, lang);
      const n = Math.max(2, Math.floor(ws.length * 0.45));
      const part = q.slice(0, (ws[n - 1] as { end: number }).end);
      control(
        "first 45% of the query",
        q,
        insert(at(base, i + 3), leakSentence(part, i, lang), at(wheres, i + 1), lang),
      );
    });
    // The query's words in reverse order (same vocabulary, no copy).
    qs.slice(0, 8).forEach((q, i) => {
      const ws = segmentWords(q, lang).map((w) => w.word);
      const scrambled = ws.reverse().join(spaced(lang) ? " " : "、");
      control("query words reversed", q, insert(at(base, i + 5), scrambled, "middle", lang));
    });
    // Nothing inserted.
    qs.slice(8, 16).forEach((q, i) => {
      control("no insertion", q, at(base, i + 13));
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// length_mismatch

/** A long text per language to cut lengths from. */
function corpus(lang: Lang): string {
  const s = sep(lang);
  if (lang === "en") return EN_PASSAGES.join(" ");
  if (lang === "zh") return [...PASSAGES.zh, ...ZH_PAIRS.map((p) => p.positive)].join("");
  if (lang === "ja") return [...PASSAGES.ja, ...captions("ja")].join("");
  if (lang === "ko") return [...PASSAGES.ko, ...captions("ko").slice(0, 600)].join(" ");
  return [...PASSAGES[lang], ...PASSAGES[lang].slice().reverse(), ...PASSAGES[lang]].join(s);
}

const CORPUS: Partial<Record<Lang, { text: string; words: { start: number; end: number }[] }>> = {};

/** A text of exactly `n` words (countWordsAccurate), starting at a varying word offset, ending with a stop. */
function textOfWords(lang: Lang, n: number, offset: number, stop = true): string {
  let c = CORPUS[lang];
  if (!c) {
    const text = corpus(lang);
    c = { text, words: segmentWords(text, lang) };
    CORPUS[lang] = c;
  }
  const total = c.words.length;
  if (n + 1 > total) throw new Error(`corpus too short for ${n} ${lang} words`);
  const startWord = (offset * 37) % (total - n - 1);
  const from = (c.words[startWord] as { start: number }).start;
  let text = "";
  for (let extra = 0; extra < 5; extra++) {
    const to = (c.words[startWord + n - 1 + extra] as { end: number }).end;
    text = c.text.slice(from, to).replace(/\s+/g, " ");
    text = text.replace(/[\s,，、;；:：\-—]+$/u, "");
    if (stop && !/[.!?。！？]$/.test(text)) text += spaced(lang) ? "." : "。";
    if (countWordsAccurate(text, lang) >= n) break;
  }
  // Trim back to exactly n when the cut landed long.
  const ws = segmentWords(text, lang);
  if (ws.length > n) {
    text = text.slice(0, (ws[n - 1] as { end: number }).end).replace(/[\s,，、;；:：\-—]+$/u, "");
    if (stop) text += spaced(lang) ? "." : "。";
  }
  const got = countWordsAccurate(text, lang);
  if (got !== n) {
    // Segmenter context at the cut can move a boundary by one; accept ±1.
    if (Math.abs(got - n) > 1) throw new Error(`${lang}: asked ${n} words, got ${got}`);
  }
  return text;
}

const NUM_WORDS = [50, 100, 200, 300, 400, 500];

function lengthCases(): Case[] {
  const out: Case[] = [];
  for (const lang of LANGS) {
    let k = 0;
    const add = (
      expect: boolean,
      note: string,
      target: Case["target"],
      rec: DetectRecord,
      negativeIndex?: number,
    ) => {
      out.push({
        id: `lm-${lang}-${expect ? "pos" : "ctl"}-${String(k++).padStart(2, "0")}`,
        lang,
        defect: "length_mismatch",
        expect,
        ...(expect ? { target } : {}),
        ...(expect && negativeIndex !== undefined ? { negativeIndex } : {}),
        note,
        record: rec,
      });
    };
    const paramForm = (n: number, i: number): string | number =>
      i % 3 === 0 ? n : i % 3 === 1 ? `at least ${n} words` : `${n}`;
    const shortLong = (n: number, i: number, posWords: number, negWords: number, qWords = 6) =>
      record({
        query: textOfWords(lang, qWords, i * 5 + 1, false),
        positive: textOfWords(lang, posWords, i * 3),
        negatives: [textOfWords(lang, negWords, i * 7 + 2)],
        language: lang,
        params: {
          query_length: "5 to 15 words",
          num_words: paramForm(n, i),
          language: LANG_NAMES[lang],
        },
      });
    // Positive far too short.
    const ratios = [0.15, 0.25, 0.35, 0.45, 0.5];
    for (let i = 0; i < 24; i++) {
      const n = at(NUM_WORDS, i);
      const r = at(ratios, i);
      add(
        true,
        `num_words ${n}, positive at ${r}`,
        "positive",
        shortLong(n, i, Math.round(n * r), Math.round(n * 1.1)),
      );
    }
    // Negative far too short.
    for (let i = 0; i < 8; i++) {
      const n = at(NUM_WORDS, i + 2);
      const r = at(ratios, i + 1);
      add(
        true,
        `num_words ${n}, negative at ${r}`,
        "negative",
        shortLong(n, i + 30, Math.round(n * 1.05), Math.round(n * r)),
        0,
      );
    }
    // Queries that ignore query_length.
    const queryCase = (expect: boolean, ql: string, qWords: number, i: number) => {
      add(
        expect,
        `query_length "${ql}", query of ${qWords} words`,
        "query",
        record({
          query: textOfWords(lang, qWords, i * 11 + 4, false),
          positive: textOfWords(lang, 110, i * 13),
          negatives: [textOfWords(lang, 120, i * 17)],
          language: lang,
          params: { query_length: ql, num_words: 100, language: LANG_NAMES[lang] },
        }),
      );
    };
    for (const [i, n] of [8, 10, 12, 14, 9, 11].entries()) queryCase(true, "less than 5 words", n, i);
    for (const [i, n] of [2, 3, 4, 5].entries()) queryCase(true, "at least 10 words", n, i + 10);
    for (const [i, n] of [22, 26].entries()) queryCase(true, "5 to 15 words", n, i + 20);
    // Long-short input_text sized by num_words.
    const lsCase = (expect: boolean, nw: string, inWords: number, i: number) => {
      add(
        expect,
        `long-short num_words "${nw}", input of ${inWords} words`,
        "query",
        record({
          taskFamily: "long-short",
          query: textOfWords(lang, inWords, i * 19 + 3),
          positive: "positive",
          negatives: ["negative"],
          label: "positive",
          misleadingLabel: "negative",
          language: lang,
          params: { num_words: nw, language: LANG_NAMES[lang] },
        }),
      );
    };
    lsCase(true, "at least 100", 30, 1);
    lsCase(true, "at least 200", 70, 2);
    lsCase(true, "less than 10", 20, 3);
    lsCase(true, "less than 10", 26, 4);
    // Controls: within tolerance.
    const okRatios = [0.8, 0.9, 1.0, 1.15, 1.3, 1.5];
    for (let i = 0; i < 24; i++) {
      const n = at(NUM_WORDS, i + 1);
      const r = at(okRatios, i);
      add(
        false,
        `num_words ${n}, positive at ${r}`,
        undefined,
        shortLong(n, i + 50, Math.round(n * r), Math.round(n * at(okRatios, i + 2))),
      );
    }
    // Ordinary drift: 70-75% of the request (a hard control for the 0.6 tolerance).
    for (let i = 0; i < 6; i++) {
      const n = at(NUM_WORDS, i);
      const r = i % 2 ? 0.7 : 0.75;
      add(
        false,
        `drift: num_words ${n}, positive at ${r}`,
        undefined,
        shortLong(n, i + 80, Math.round(n * r), Math.round(n * 1.1)),
      );
    }
    for (const [i, n] of [2, 3, 4].entries()) queryCase(false, "less than 5 words", n, i + 30);
    for (const [i, n] of [5, 6].entries()) queryCase(false, "less than 5 words", n, i + 33);
    for (const [i, n] of [6, 10, 14].entries()) queryCase(false, "5 to 15 words", n, i + 36);
    for (const [i, n] of [10, 13, 16].entries()) queryCase(false, "at least 10 words", n, i + 40);
    lsCase(false, "at least 100", 115, 5);
    lsCase(false, "at least 50", 48, 6);
    lsCase(false, "less than 10", 7, 7);
    lsCase(false, "less than 10", 10, 8);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// empty_or_truncated

const DANGLING_CUT: Record<Lang, string[]> = {
  en: [" and the", " of the", " because", " with a"],
  de: [" und die", " mit dem", " weil", " für"],
  fr: [" et la", " avec le", " parce que", " pour"],
  es: [" y la", " con el", " porque", " para"],
  zh: ["的", "和", "以及", "因为"],
  ja: ["の", "を", "と", "から"],
  ko: [" 그리고", " 및", "의", "를"],
};

function emptyCases(): Case[] {
  const out: Case[] = [];
  for (const lang of LANGS) {
    const base = BASE[lang];
    let k = 0;
    const add = (
      expect: boolean,
      note: string,
      rec: DetectRecord,
      target?: Case["target"],
      negativeIndex?: number,
    ) => {
      out.push({
        id: `et-${lang}-${expect ? "pos" : "ctl"}-${String(k++).padStart(2, "0")}`,
        lang,
        defect: "empty_or_truncated",
        expect,
        ...(expect && target ? { target } : {}),
        ...(expect && negativeIndex !== undefined ? { negativeIndex } : {}),
        note,
        record: rec,
      });
    };
    const rec = (positive: string, negatives: string[], i: number, query = queryFor(lang, i)) =>
      record({ query, positive, negatives, language: lang, params: { language: LANG_NAMES[lang] } });
    const longBase = (i: number) => {
      // Two passages joined: long enough for the truncation check.
      return `${at(base, i)}${sep(lang)}${at(base, i + 1)}`;
    };
    add(true, "empty positive", rec("", [at(base, 1)], 0), "positive");
    add(true, "whitespace positive", rec("  \n ", [at(base, 2)], 1), "positive");
    add(true, "N/A positive", rec("N/A", [at(base, 3)], 2), "positive");
    add(true, "template placeholder", rec("<positive_document>", [at(base, 4)], 3), "positive");
    add(true, "dots negative", rec(at(base, 5), ["..."], 4), "negative", 0);
    add(true, "empty negative", rec(at(base, 6), [at(base, 7), ""], 5), "negative", 1);
    // Cut after a dangling function word.
    for (let i = 0; i < 4; i++) {
      const full = longBase(i + 8);
      const sents = sentences(full, lang);
      const last = sents[sents.length - 1] as { start: number; end: number };
      const cutAt = last.start + Math.floor((last.end - last.start) / 2);
      const text = full.slice(0, cutAt).replace(/[\s\p{P}]+$/u, "") + (at(DANGLING_CUT[lang], i) as string);
      add(
        true,
        `cut after "${at(DANGLING_CUT[lang], i).trim()}"`,
        rec(text, [at(base, i + 20)], i + 6),
        "positive",
      );
    }
    // Cut mid-sentence, no dangling word: the last sentence is long and has no ending.
    for (let i = 0; i < 2; i++) {
      const full = `${longBase(i + 14)}${sep(lang)}${at(base, i + 16)}`;
      const sents = sentences(full, lang);
      const last = sents[sents.length - 1] as { start: number; end: number };
      const cutAt = Math.max(last.start + 1, last.end - Math.floor((last.end - last.start) * 0.2));
      let text = full.slice(0, cutAt).replace(/[\s\p{P}]+$/u, "");
      // End on a letter that is not a dangling word.
      text = text.replace(/[\p{N}]+$/u, "").trimEnd();
      add(true, "cut mid-sentence", rec(text, [at(base, i + 22)], i + 10), "positive");
    }
    // Controls.
    for (let i = 0; i < 6; i++)
      add(false, "complete passages", rec(longBase(i + 30), [at(base, i + 33)], i + 12));
    add(false, "keyword query", rec(at(base, 40), [at(base, 41)], 20, at(SHORT_QUERIES[lang], 0)));
    add(false, "keyword query", rec(at(base, 42), [at(base, 43)], 21, at(SHORT_QUERIES[lang], 3)));
    add(
      false,
      "short label none",
      record({
        taskFamily: "long-short",
        query: at(base, 44),
        positive: "none",
        negatives: ["positive"],
        language: lang,
        params: { language: LANG_NAMES[lang] },
      }),
    );
    add(false, "ends with a URL line", rec(`${at(base, 45)}\nhttps://example.org/info`, [at(base, 46)], 22));
    add(
      false,
      "ends with a closing quote",
      rec(
        `${at(base, 47)}${sep(lang)}${lang === "zh" || lang === "ja" ? "「以上です。」" : '"That is all."'}`,
        [at(base, 48)],
        23,
      ),
    );
    add(false, "short passage without stop", rec(at(SHORT_QUERIES[lang], 5), [at(base, 49)], 24));
  }
  // The real Intel query cut after "and what?" (line 6) and the other Intel lines as controls.
  readJsonl("intel_llm_augmented_queries.jsonl").forEach((o, i) => {
    out.push({
      id: `et-en-intel-${String(i + 1).padStart(2, "0")}`,
      lang: "en",
      defect: "empty_or_truncated",
      expect: i === 5,
      ...(i === 5 ? { target: "query" as const } : {}),
      note: `intel_llm_augmented_queries.jsonl line ${i + 1}`,
      record: record({
        taskFamily: "short-short",
        query: o.query as string,
        positive: (o.pos as string[])[0] as string,
        negatives: (o.neg as string[]).slice(0, 3),
      }),
    });
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// language_mismatch

function languageCases(): Case[] {
  const out: Case[] = [];
  const other = (lang: Lang): Lang =>
    lang === "en" ? "de" : lang === "zh" ? "en" : lang === "ja" ? "zh" : "en";
  for (const lang of LANGS) {
    let k = 0;
    const add = (expect: boolean, note: string, rec: DetectRecord, target?: Case["target"]) => {
      out.push({
        id: `lg-${lang}-${expect ? "pos" : "ctl"}-${String(k++).padStart(2, "0")}`,
        lang,
        defect: "language_mismatch",
        expect,
        ...(expect && target ? { target } : {}),
        note,
        record: rec,
      });
    };
    const base = BASE[lang];
    for (let i = 0; i < 6; i++) {
      const o = i % 2 ? other(lang) : lang === "en" ? "fr" : "en";
      add(
        true,
        `positive in ${o}`,
        record({
          query: queryFor(lang, i),
          positive: at(BASE[o], i + 3),
          negatives: [at(base, i)],
          params: { language: LANG_NAMES[lang] },
        }),
        "positive",
      );
    }
    for (let i = 0; i < 2; i++) {
      const foreign = lang === "en" ? at(LONG_QUERIES.es, i) : at(EN_PAIRS, i + 20).query;
      add(
        true,
        `query in ${lang === "en" ? "es" : "en"}`,
        record({
          query: foreign,
          positive: at(base, i + 1),
          negatives: [at(base, i + 2)],
          params: { language: i ? lang : LANG_NAMES[lang] },
        }),
        "query",
      );
    }
    for (let i = 0; i < 2; i++) {
      const src = lang === "en" ? "fr" : "en";
      add(
        true,
        `bitext: S2 not in ${lang}`,
        record({
          taskFamily: "bitext",
          query: at(BASE[src], i + 4),
          positive: at(BASE[src], i + 5),
          negatives: [at(base, i + 6)],
          params: { source_language: LANG_NAMES[src], target_language: LANG_NAMES[lang] },
        }),
        "positive",
      );
    }
    for (let i = 0; i < 6; i++) {
      add(
        false,
        "same language",
        record({
          query: queryFor(lang, i + 5),
          positive: at(base, i + 8),
          negatives: [at(base, i + 9)],
          params: { language: i % 2 ? lang : LANG_NAMES[lang] },
        }),
      );
    }
    add(
      false,
      "short foreign query",
      record({
        query: "iPhone 15 Pro",
        positive: at(base, 20),
        negatives: [at(base, 21)],
        params: { language: LANG_NAMES[lang] },
      }),
    );
    add(
      false,
      "unknown language name",
      record({
        query: queryFor(lang, 7),
        positive: at(BASE.en, 3),
        negatives: [at(base, 22)],
        params: { language: "Klingon" },
      }),
    );
    for (let i = 0; i < 2; i++) {
      const src = lang === "en" ? "fr" : "en";
      add(
        false,
        "bitext in the right directions",
        record({
          taskFamily: "bitext",
          query: at(BASE[src], i + 4),
          positive: at(base, i + 5),
          negatives: [at(base, i + 6)],
          params: { source_language: LANG_NAMES[src], target_language: LANG_NAMES[lang] },
        }),
      );
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// instruction_echo

function echoCases(): Case[] {
  const out: Case[] = [];
  for (const lang of LANGS) {
    let k = 0;
    const tasks = TASKS[lang];
    const base = BASE[lang];
    const add = (expect: boolean, note: string, rec: DetectRecord, target?: Case["target"]) => {
      out.push({
        id: `ie-${lang}-${expect ? "pos" : "ctl"}-${String(k++).padStart(2, "0")}`,
        lang,
        defect: "instruction_echo",
        expect,
        ...(expect && target ? { target } : {}),
        note,
        record: rec,
      });
    };
    const rec = (task: string, query: string, positive: string, i: number) =>
      record({
        task,
        query,
        positive,
        negatives: [at(base, i + 9)],
        language: lang,
        params: { language: LANG_NAMES[lang] },
      });
    const colon = lang === "zh" || lang === "ja" ? "：" : ": ";
    for (let i = 0; i < 5; i++) {
      const t = at(tasks, i);
      const q = lang === "en" ? at(SHORT_QUERIES.en, i) : at(LONG_QUERIES[lang === "zh" ? "zh" : lang], i);
      add(true, "query is the task", rec(t, t, at(base, i), i), "query");
      add(true, "task then query", rec(t, `${t}${colon}${q}`, at(base, i + 1), i), "query");
    }
    add(
      true,
      "task on its own line",
      rec(at(tasks, 2), `${at(tasks, 2)}\n${at(SHORT_QUERIES[lang], 2)}`, at(base, 3), 2),
      "query",
    );
    add(
      true,
      "instruction prefix",
      rec(at(tasks, 3), `Instruct: ${at(tasks, 3)}\nQuery: ${at(SHORT_QUERIES[lang], 3)}`, at(base, 4), 3),
      "query",
    );
    add(
      true,
      "passage starts with the task",
      rec(
        at(tasks, 4),
        at(SHORT_QUERIES[lang], 4),
        `${at(tasks, 4)}${lang === "zh" || lang === "ja" ? "。" : ". "}${at(base, 5)}`,
        4,
      ),
      "positive",
    );
    for (let i = 0; i < 5; i++) {
      add(
        false,
        "ordinary query",
        rec(
          at(tasks, i),
          lang === "en" ? at(EN_PAIRS, i).query : at(LONG_QUERIES[lang], i),
          at(base, i + 6),
          i,
        ),
      );
    }
    add(false, "short keyword query", rec(at(tasks, 1), at(SHORT_QUERIES[lang], 1), at(base, 12), 1));
    add(
      false,
      "short task copied",
      rec(
        lang === "zh" || lang === "ja" ? "检索菜谱" : "Retrieve recipes",
        lang === "zh" || lang === "ja" ? "检索菜谱" : "Retrieve recipes",
        at(base, 13),
        2,
      ),
    );
    add(
      false,
      "no task",
      record({
        query: at(SHORT_QUERIES[lang], 6),
        positive: at(base, 14),
        negatives: [at(base, 15)],
        params: {},
      }),
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

function write(name: string, cases: Case[]): void {
  mkdirSync(OUT, { recursive: true });
  writeFileSync(path.join(OUT, `${name}.jsonl`), `${cases.map((c) => JSON.stringify(c)).join("\n")}\n`);
  const pos = cases.filter((c) => c.expect).length;
  console.log(`${name}: ${cases.length} cases (${pos} defects, ${cases.length - pos} controls)`);
}

write("self_explanation", selfExplanationCases());
write("query_leakage", leakageCases());
write("length_mismatch", lengthCases());
write("empty_or_truncated", emptyCases());
write("language_mismatch", languageCases());
write("instruction_echo", echoCases());
