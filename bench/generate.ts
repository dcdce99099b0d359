/**
 * Seeded generator of E5-Mistral-style synthetic embedding data, with defects injected at known rates.
 *
 *   npx tsx bench/generate.ts --records 100000 --seed 42 --out bench/out/e5-100k.jsonl [--gzip]
 *   npx tsx bench/generate.ts --records 20000 --format flagembedding --out bench/out/fe-20k.jsonl.gz
 *   (--help for all options; per-family and per-defect counts go to stderr at the end)
 *
 * API: generateRecords({records, seed, defectRate?, rates?, counterfactualRate?}) yields E5 lines
 * lazily; generateFlagEmbedding({..., maxNegatives?}) yields FlagEmbedding lines built from the same
 * records; expectedDefectRates() gives the expected share of each defect; familyOf / paramsOf /
 * outputOf read a line back; toJson is a faster JSON.stringify with identical output.
 *
 * Each E5 line is what an E5 prompt returns (short-long, long-short, short-short, long-long, STS,
 * bitext), with the task definition (`task`, 25 tasks) and the generation parameters kept. Parameters
 * sit at the top level in ~80% of lines and under `params` in ~20%; the generated object sits under
 * `output` in ~10%. Languages: English 55%, Chinese, Japanese, Korean, German, French, Spanish; bitext
 * pairs one side with English 70% of the time. Texts come from the parallel banks in ./lexicon.ts, so
 * bitext pairs are real translations and STS pairs real paraphrases.
 *
 * Lengths are in words as `Intl.Segmenter` (isWordLike) counts them, approximated without ICU (see
 * approxWords) so output does not depend on the ICU version. Clean passages get num_words x 1.0-1.2
 * (plus the last sentence). Chinese and Japanese have no spaces; one segmenter word is ~1.7 Han
 * characters, so with punctuation a passage runs ~2.1 (zh) / ~2.3 (ja) characters per requested word.
 * Korean is written with spaces, as Korean is.
 *
 * Every line carries `_injected_defect` (a defect name, or null when clean) and, when a defect was
 * injected, `_injected_target`: the key of the field that holds it ("*": query, positive and negative
 * all affected). Legitimate counterfactual hard negatives (the positive with one number or city
 * changed) are clean (`_injected_defect: null`) and marked `_note: "counterfactual"`: a duplicate
 * detector should not flag them, though their token overlap with the positive is >= 90%.
 *
 * Defects (each record carries at most one). A rate is the probability for a record whose family
 * (and parameters) allow the defect; the defaults sum to 15% for short-long, ~12.6% over the mix:
 *
 *   defect               default  families                         what is injected
 *   self_explanation     3.0%     all                              a sentence explaining (ir)relevance in the text's language, appended (85%) or prepended; positive 60% / negative 40%
 *   query_leakage        2.0%     short-long short-short long-long the query / input copied verbatim into the positive
 *   length_mismatch      2.0%     short-long long-long long-short* positive (input_text) at ~20-40% of num_words (*"at least 50" and up)
 *   duplicate_negative   2.0%     all                              negative = positive: exact, punctuation/case-only edit, or one or two of 20+ sentences dropped/replaced (>= 90% token overlap); long-short: misleading_label = label
 *   false_negative       2.0%     all (STS: not "phrase")          negative also answers: a paraphrase of the key sentence (query terms included); STS: S2 plus one more sentence; long-short: a synonym label; bitext: another valid translation
 *   empty_or_truncated   1.0%     all                              positive (S2, input_text) cut mid-sentence; 1 in 10 of these: the empty string
 *   language_mismatch    1.5%     all                              positive (40%: query, positive and negative) in English while `language` says otherwise; English records: another language
 *   instruction_echo     1.5%     short-long short-short long-long long-short  the task definition copied into the query (alone 40%, else as a prefix)
 *   counterfactual note  2.0%     all but long-short               clean (see above), among records without a defect
 *
 * Determinism: record i comes from its own PRNG streams (mulberry32) seeded by (seed, i), so a run of
 * n records is a prefix of any longer run with the same seed and options. No Math.random.
 */
import { once } from "node:events";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { createGzip } from "node:zlib";
import { GENERATION_PARAMS } from "../lib/formats/types";
import {
  DOMAINS,
  type Domain,
  LANGS,
  type Lang,
  PROPS,
  type PropId,
  RAW_LANGS,
  type RawLang,
} from "./lexicon";

// ───────────────────────────── public types and constants ─────────────────────────────

export const FAMILIES = ["short-long", "long-short", "short-short", "long-long", "sts", "bitext"] as const;
export type Family = (typeof FAMILIES)[number];

export const DEFECTS = [
  "self_explanation",
  "query_leakage",
  "length_mismatch",
  "duplicate_negative",
  "false_negative",
  "empty_or_truncated",
  "language_mismatch",
  "instruction_echo",
] as const;
export type DefectName = (typeof DEFECTS)[number];
export type DefectRates = Record<DefectName, number>;

export const DEFAULT_DEFECT_RATES: Readonly<DefectRates> = {
  self_explanation: 0.03,
  query_leakage: 0.02,
  length_mismatch: 0.02,
  duplicate_negative: 0.02,
  false_negative: 0.02,
  empty_or_truncated: 0.01,
  language_mismatch: 0.015,
  instruction_echo: 0.015,
};
/** Sum of the default rates: the defect rate of a short-long record. */
export const DEFAULT_TOTAL_DEFECT_RATE = 0.15;
export const DEFAULT_COUNTERFACTUAL_RATE = 0.02;

export const FAMILY_WEIGHTS: Readonly<Record<Family, number>> = {
  "short-long": 0.35,
  "long-short": 0.15,
  "short-short": 0.12,
  "long-long": 0.08,
  sts: 0.15,
  bitext: 0.15,
};
export const LANGUAGE_WEIGHTS: Readonly<Record<Lang, number>> = {
  en: 0.55,
  zh: 0.09,
  ja: 0.08,
  ko: 0.07,
  de: 0.07,
  fr: 0.07,
  es: 0.07,
};
export const LANGUAGE_NAMES: Readonly<Record<Lang, string>> = Object.fromEntries(
  LANGS.map((l) => [l, RAW_LANGS[l].name]),
) as Record<Lang, string>;

export const QUERY_TYPES = ["extremely long-tail", "long-tail", "common"] as const;
export const QUERY_LENGTHS = ["less than 5 words", "5 to 15 words", "at least 10 words"] as const;
export const CLARITIES = ["clear", "understandable with some effort", "ambiguous"] as const;
export const NUM_WORDS = [50, 100, 200, 300, 400, 500] as const;
export const DIFFICULTIES = ["high school", "college", "PhD"] as const;
export const LS_NUM_WORDS = [
  "less than 10",
  "at least 10",
  "at least 50",
  "at least 100",
  "at least 200",
] as const;
export const STS_UNITS = ["sentence", "phrase", "passage"] as const;
export const HIGH_SCORES = [4, 4.5, 5] as const;
export const STS_LOW_SCORES = [2.5, 3, 3.5] as const;
export const BITEXT_LOW_SCORES = [1.5, 2, 2.5] as const;
/** Word ranges of long-short `input_text` per `num_words` value (clean records). */
export const LS_WORD_RANGES: Readonly<Record<(typeof LS_NUM_WORDS)[number], readonly [number, number]>> = {
  "less than 10": [3, 9],
  "at least 10": [10, 25],
  "at least 50": [50, 65],
  "at least 100": [100, 125],
  "at least 200": [200, 240],
};

export interface LabelDef {
  label: string;
  /** A synonym: used as a false-negative misleading label. */
  syn: string;
  /** Adjective polarity that the text leans to. */
  pol?: "pos" | "neg" | "neu";
  /** The text is about this domain (topic classification). */
  dom?: Domain;
  /** Index of a noun in the task's domain that the text keeps mentioning (intent classification). */
  cue?: number;
}
export interface TaskDef {
  family: Family;
  task: string;
  domains: readonly Domain[];
  labels?: readonly LabelDef[];
}

export const TASKS: readonly TaskDef[] = [
  // short-long: retrieval
  {
    family: "short-long",
    task: "Given a user's question about tax law, retrieve documents that answer it",
    domains: ["tax"],
  },
  {
    family: "short-long",
    task: "Given a patient's description of symptoms, retrieve medical articles that explain possible causes",
    domains: ["health"],
  },
  {
    family: "short-long",
    task: "Given a cooking question, retrieve recipes and guides that answer it",
    domains: ["cooking"],
  },
  {
    family: "short-long",
    task: "Given a traveler's question about a destination, retrieve travel guide passages that help",
    domains: ["travel"],
  },
  {
    family: "short-long",
    task: "Given an error message or a programming question, retrieve documentation that solves the problem",
    domains: ["software"],
  },
  {
    family: "short-long",
    task: "Given a question about personal finance, retrieve articles with practical advice",
    domains: ["finance"],
  },
  {
    family: "short-long",
    task: "Given a question about climate policy, retrieve reports that discuss it",
    domains: ["environment"],
  },
  {
    family: "short-long",
    task: "Given a student's question, retrieve course material that answers it",
    domains: ["education"],
  },
  {
    family: "short-long",
    task: "Given a shopper's question about a product, retrieve customer reviews that answer it",
    domains: ["products"],
  },
  // long-short: classification
  {
    family: "long-short",
    task: "Classify a product review by sentiment",
    domains: ["products"],
    labels: [
      { label: "positive", syn: "favorable", pol: "pos" },
      { label: "negative", syn: "unfavorable", pol: "neg" },
      { label: "neutral", syn: "mixed", pol: "neu" },
    ],
  },
  {
    family: "long-short",
    task: "Classify a customer support ticket into its intent category",
    domains: ["support"],
    labels: [
      { label: "billing", syn: "invoice question", cue: 0 },
      { label: "refund", syn: "money back request", cue: 1 },
      { label: "technical issue", syn: "technical problem", cue: 2 },
      { label: "account access", syn: "login problem", cue: 3 },
      { label: "delivery", syn: "shipping", cue: 4 },
      { label: "cancellation", syn: "subscription termination", cue: 5 },
    ],
  },
  {
    family: "long-short",
    task: "Identify the main topic of a news article",
    domains: ["finance"],
    labels: [
      { label: "economy", syn: "business", dom: "finance" },
      { label: "health", syn: "medicine", dom: "health" },
      { label: "technology", syn: "tech", dom: "software" },
      { label: "environment", syn: "climate", dom: "environment" },
      { label: "travel", syn: "tourism", dom: "travel" },
      { label: "food", syn: "cuisine", dom: "cooking" },
      { label: "law", syn: "legal affairs", dom: "tax" },
      { label: "education", syn: "schooling", dom: "education" },
    ],
  },
  {
    family: "long-short",
    task: "Classify a patient message by urgency",
    domains: ["health"],
    labels: [
      { label: "urgent", syn: "emergency", pol: "neg" },
      { label: "routine", syn: "non-urgent", pol: "neu" },
      { label: "informational", syn: "general inquiry", pol: "pos" },
    ],
  },
  {
    family: "long-short",
    task: "Classify a course review as recommending the course or not",
    domains: ["education"],
    labels: [
      { label: "recommend", syn: "worth taking", pol: "pos" },
      { label: "not recommend", syn: "avoid", pol: "neg" },
    ],
  },
  // short-short
  {
    family: "short-short",
    task: "Given a product title, retrieve the matching product category description",
    domains: ["products"],
  },
  {
    family: "short-short",
    task: "Retrieve the short answer that matches a frequently asked question about public transport",
    domains: ["travel"],
  },
  {
    family: "short-short",
    task: "Given a medical term, retrieve its short lay definition",
    domains: ["health"],
  },
  {
    family: "short-short",
    task: "Match a search query to the title of a relevant help article",
    domains: ["support", "software"],
  },
  // long-long
  {
    family: "long-long",
    task: "Given a scientific abstract, retrieve abstracts of papers that cite it",
    domains: ["environment", "health"],
  },
  {
    family: "long-long",
    task: "Given a legal contract clause, retrieve clauses with the same legal effect",
    domains: ["tax", "finance"],
  },
  {
    family: "long-long",
    task: "Given a news article, retrieve other articles covering the same event",
    domains: ["finance", "environment", "education"],
  },
  // STS and bitext (one-step symmetric tasks)
  { family: "sts", task: "Retrieve semantically similar text.", domains: DOMAINS },
  {
    family: "sts",
    task: "Given a sentence, retrieve sentences that are semantically equivalent to it",
    domains: DOMAINS,
  },
  { family: "bitext", task: "Retrieve parallel sentences.", domains: DOMAINS },
  {
    family: "bitext",
    task: "Given a sentence in one language, retrieve its translation in another language",
    domains: DOMAINS,
  },
];

export interface GenerateOptions {
  records: number;
  seed: number;
  /** Total defect rate of a short-long record; scales every default rate (default 0.15). */
  defectRate?: number;
  /** Per-defect rates, applied after `defectRate` scaling. */
  rates?: Partial<DefectRates>;
  /** Rate of clean counterfactual negatives among records without a defect (default 0.02). */
  counterfactualRate?: number;
  /**
   * Every record short-long with this `num_words` (passages of num_words x 1.0-1.2 words) instead
   * of the family mix: a uniform shape for throughput measurements.
   */
  passageWords?: number;
}

/** One E5 line. Keys depend on the family; see the file header. */
export interface GeneratedRecord {
  task: string;
  _injected_defect: DefectName | null;
  _injected_target?: string;
  _note?: "counterfactual";
  [key: string]: unknown;
}

export interface FlagEmbeddingRecord {
  query: string;
  pos: string[];
  neg: string[];
  prompt: string;
  type?: string;
  _family: Family;
  _language: string;
  _injected_defect: DefectName | null;
  _injected_target?: string;
  _note?: "counterfactual";
  /** Which negative is the counterfactual ("neg[i]"). */
  _note_target?: string;
}

// ───────────────────────────── PRNG ─────────────────────────────

/** mulberry32: small, fast, good enough for test data. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed | 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    this.s = (this.s + 0x6d2b79f5) | 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  int(n: number): number {
    return (this.next() * n) | 0;
  }
  pick<T>(a: readonly T[]): T {
    return a[(this.next() * a.length) | 0]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
}

function mix(seed: number, i: number, stream: number): number {
  let h =
    Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 0x632be5ab, 0xc2b2ae35) ^ (stream * 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h;
}

function cumulative(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  return weights.map((w) => {
    acc += w / total;
    return acc;
  });
}
function pickWeighted<T>(rng: Rng, items: readonly T[], cum: readonly number[]): T {
  const u = rng.next();
  for (let i = 0; i < cum.length; i++) if (u < cum[i]!) return items[i]!;
  return items[items.length - 1]!;
}

// ───────────────────────────── word counting ─────────────────────────────

/**
 * Characters per word as `Intl.Segmenter` counts them on this generator's Chinese and Japanese text
 * (fitted on ICU 78 output; kept as constants so the generated data does not depend on the ICU
 * version). Katakana loanwords run longer than Han / Hiragana words.
 */
const HAN_CHARS_PER_WORD: Readonly<Record<"zh" | "ja", number>> = { zh: 1.62, ja: 1.71 };
const KATAKANA_CHARS_PER_WORD = 3.6;
const WORD_RE = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;
const KATAKANA_RE = /[\p{sc=Katakana}ー]/u;
const HAN_RE = /[\p{sc=Han}\p{sc=Hiragana}々]/u;
const ALNUM_RE = /[\p{L}\p{N}]/u;

/** Deterministic approximation of the Intl.Segmenter word count (isWordLike). */
export function approxWords(lang: Lang, s: string): number {
  if (lang !== "zh" && lang !== "ja") return s.match(WORD_RE)?.length ?? 0;
  let han = 0;
  let kata = 0;
  let runs = 0;
  let inRun = false;
  for (const ch of s) {
    if (KATAKANA_RE.test(ch)) {
      kata++;
      inRun = false;
    } else if (HAN_RE.test(ch)) {
      han++;
      inRun = false;
    } else if (ALNUM_RE.test(ch)) {
      if (!inRun) runs++;
      inRun = true;
    } else inRun = false;
  }
  return han / HAN_CHARS_PER_WORD[lang] + kata / KATAKANA_CHARS_PER_WORD + runs;
}

// ───────────────────────────── compiled lexicon ─────────────────────────────

const CASES = [
  "",
  "nom",
  "acc",
  "dat",
  "zu",
  "von",
  "de",
  "a",
  "bare",
  "topic",
  "subj",
  "obj",
  "and",
] as const;
const NCASE = CASES.length;
const CASE_INDEX: Record<string, number> = Object.fromEntries(CASES.map((c, i) => [c, i]));
const SLOT_KINDS = ["n1", "n2", "g", "a", "ap", "v", "vb", "c", "p", "y", "label"] as const;
const SLOT_INDEX: Record<string, number> = Object.fromEntries(SLOT_KINDS.map((c, i) => [c, i]));
const SLOT_RE = /\{(n1|n2|g|a|ap|v|vb|c|p|y|label)(?::(\w+))?\}/g;

interface Noun {
  f: string[];
  /** `f` with the first letter upper-cased (sentence-initial slot). */
  fc: string[];
  w: number[];
  /** 1 when adjectives take the feminine form (French, Spanish). */
  ag: number;
}
interface Word2 {
  f: [string, string];
  /** `f` with the first letter upper-cased. */
  fc: [string, string];
  w: [number, number];
}
interface Tpl {
  /** Literal strings and slots (kind << 4 | case, | CAP for a sentence-initial slot). */
  parts: (string | number)[];
  w: number;
  slots: string;
}
const CAP = 1 << 10;
const upper = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
interface CLang {
  code: Lang;
  name: string;
  spaced: boolean;
  sep: string;
  agree: boolean;
  nouns: Noun[][];
  generic: Noun[];
  adjs: Word2[];
  verbs: Word2[];
  cities: { s: string; w: number }[];
  props: Tpl[][];
  queries: Tpl[][];
  queryFallback: Tpl;
  selfPos: Tpl[];
  selfNeg: Tpl[];
  selfCls: Tpl[];
  selfSim: Tpl[];
}

const P = Object.fromEntries(PROPS.map((p, i) => [p, i])) as Record<PropId, number>;
/** Sentence propositions usable as fillers (everything but the key sentence and the phrase). */
const FILLERS = [P.p0, P.p1, P.p2, P.p3, P.p4, P.p5, P.p6, P.p7, P.p8, P.p9, P.p10];
/** Fillers weighted towards adjectives, for classification texts whose label is carried by adjectives. */
const ADJ_FILLERS = [P.p2, P.p3, P.p6, P.p2, P.p3, P.p6, P.p0, P.p4, P.p5, P.p9, P.p10];
const SENTENCE_PROPS = [P.k, ...FILLERS];
/** Props with a number, city or year that a counterfactual can change. */
const ENTITY_PROPS = [P.k, P.p1, P.p2, P.p4, P.p6, P.p7, P.p9, P.p10];
const HAS_P = new Set([P.k, P.p1]);
const HAS_C = new Set([P.k, P.p2, P.p4, P.p6, P.p10, P.ph]);

function hasBatchim(word: string): boolean {
  const c = word.charCodeAt(word.length - 1);
  return c >= 0xac00 && c <= 0xd7a3 && (c - 0xac00) % 28 !== 0;
}

function compileNoun(lang: Lang, raw: string): Noun {
  let g = 0;
  let word = raw;
  const m = /^([mfn]):(.*)$/.exec(raw);
  if (m) {
    g = m[1] === "f" ? 1 : m[1] === "n" ? 2 : 0;
    word = m[2]!;
  }
  const f: string[] = new Array(NCASE).fill(word);
  const set = (c: string, s: string) => {
    f[CASE_INDEX[c]!] = s;
  };
  if (lang === "de") {
    const art = [
      ["der", "den", "dem", "zum", "vom"],
      ["die", "die", "der", "zur", "von der"],
      ["das", "das", "dem", "zum", "vom"],
    ][g]!;
    set("", `${art[0]} ${word}`);
    set("nom", `${art[0]} ${word}`);
    set("acc", `${art[1]} ${word}`);
    set("dat", `${art[2]} ${word}`);
    set("zu", `${art[3]} ${word}`);
    set("von", `${art[4]} ${word}`);
  } else if (lang === "fr") {
    const el = /^[aeiouyhâàäéèêëîïôöûüœ]/i.test(word);
    set("", el ? `l'${word}` : g === 1 ? `la ${word}` : `le ${word}`);
    set("de", el ? `de l'${word}` : g === 1 ? `de la ${word}` : `du ${word}`);
    set("a", el ? `à l'${word}` : g === 1 ? `à la ${word}` : `au ${word}`);
  } else if (lang === "es") {
    set("", g === 1 ? `la ${word}` : `el ${word}`);
    set("de", g === 1 ? `de la ${word}` : `del ${word}`);
    set("a", g === 1 ? `a la ${word}` : `al ${word}`);
  } else if (lang === "ko") {
    const b = hasBatchim(word);
    set("topic", word + (b ? "은" : "는"));
    set("subj", word + (b ? "이" : "가"));
    set("obj", word + (b ? "을" : "를"));
    set("and", word + (b ? "과" : "와"));
  }
  return {
    f,
    fc: f.map(upper),
    w: f.map((s) => approxWords(lang, s)),
    ag: (lang === "fr" || lang === "es") && g === 1 ? 1 : 0,
  };
}

function compileWord2(lang: Lang, raw: string, sepChar: string, derive?: (s: string) => string): Word2 {
  const [a, b] = raw.includes(sepChar)
    ? (raw.split(sepChar) as [string, string])
    : [raw, derive ? derive(raw) : raw];
  return { f: [a, b], fc: [upper(a), upper(b)], w: [approxWords(lang, a), approxWords(lang, b)] };
}

function compileTpl(lang: Lang, spaced: boolean, src: string): Tpl {
  const parts: (string | number)[] = [];
  const slots: string[] = [];
  let last = 0;
  for (const m of src.matchAll(SLOT_RE)) {
    if (m.index! > last) parts.push(src.slice(last, m.index));
    const kind = SLOT_INDEX[m[1]!]!;
    const c = m[2] ? CASE_INDEX[m[2]] : 0;
    if (c === undefined) throw new Error(`unknown case ${m[2]} in "${src}"`);
    parts.push((kind << 4) | c);
    slots.push(m[1] === "ap" ? "a" : m[1] === "vb" ? "v" : m[1]!);
    last = m.index! + m[0].length;
  }
  if (last < src.length) parts.push(src.slice(last));
  let w = 0;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (typeof p !== "string") continue;
    w += approxWords(lang, p);
    if (spaced) {
      // A literal glued to a slot ("{y}년부터", "{vb}지") continues the slot's word.
      if (i > 0 && ALNUM_RE.test(p[0]!)) w -= 1;
      if (i < parts.length - 1 && ALNUM_RE.test(p[p.length - 1]!)) w -= 1;
    }
  }
  if (spaced && lang !== "ko" && typeof parts[0] === "number") parts[0] |= CAP;
  return { parts, w, slots: [...new Set(slots)].sort().join(",") };
}

function compileLang(code: Lang, r: RawLang): CLang {
  const t = (s: string) => compileTpl(code, r.spaced, s);
  const noCap = (s: string): Tpl => {
    const tpl = t(s);
    if (typeof tpl.parts[0] === "number") tpl.parts[0] &= ~CAP;
    return tpl;
  };
  const frNeg = (v: string) => (/^[aeiouhéèêâîôû]/i.test(v) ? `n'${v}` : `ne ${v}`);
  return {
    code,
    name: r.name,
    spaced: r.spaced,
    sep: r.spaced ? " " : "",
    agree: code === "fr" || code === "es",
    nouns: DOMAINS.map((d) => r.nouns[d].map((n) => compileNoun(code, n))),
    generic: r.generic.map((n) => compileNoun(code, n)),
    adjs: r.adjs.map((a) => compileWord2(code, a, code === "fr" || code === "es" ? "/" : "|")),
    verbs: r.verbs.map((v) => compileWord2(code, v, "|", code === "fr" ? frNeg : undefined)),
    cities: r.cities.map((s) => ({ s, w: approxWords(code, s) })),
    props: PROPS.map((p) => r.props[p].map(t)),
    // Keyword queries keep the nouns' own case ("tax rate refund", "Steuersatz Erstattung").
    queries: [r.queries.short.map(noCap), r.queries.mid.map(t), r.queries.long.map(t)],
    queryFallback: t(code === "de" || code === "fr" || code === "es" ? "{n1:bare}" : "{n1}"),
    selfPos: r.selfPos.map(t),
    selfNeg: r.selfNeg.map(t),
    selfCls: r.selfCls.map(t),
    selfSim: r.selfSim.map(t),
  };
}

const LEX: Record<Lang, CLang> = Object.fromEntries(
  LANGS.map((l) => [l, compileLang(l, RAW_LANGS[l])]),
) as Record<Lang, CLang>;

/** Slot sets of every template, for consistency checks across languages (used by the tests). */
export function templateSlots(): Record<Lang, Record<string, string[]>> {
  const out = {} as Record<Lang, Record<string, string[]>>;
  for (const l of LANGS) {
    const L = LEX[l];
    out[l] = Object.fromEntries(PROPS.map((p, i) => [p, L.props[i]!.map((t) => t.slots)]));
  }
  return out;
}

// ───────────────────────────── rendering ─────────────────────────────

interface Ctx {
  d: number;
  n1: number;
  n2: number;
  g: number;
  a: number;
  v: number;
  c: number;
  p: number;
  y: number;
  label: string;
  /** Spare random bits left by randomCtx (used to pick a template). */
  rest: number;
}
const NN = 12; // nouns per domain
const NG = 20;
const NV = 12;
const NC = 16;

function newCtx(): Ctx {
  return { d: 0, n1: 0, n2: 1, g: 0, a: 0, v: 0, c: 0, p: 50, y: 2010, label: "", rest: 0 };
}
function copyCtx(x: Ctx): Ctx {
  return { ...x };
}
/** Fill a context with random slot values: two 32-bit draws split into mixed-radix digits. */
function randomCtx(rng: Rng, x: Ctx, d: number, focus: number, exclude: number, adjLo: number, adjN: number) {
  let r = rng.u32();
  let n1 = r % NN;
  r = Math.floor(r / NN);
  x.g = r % NG;
  r = Math.floor(r / NG);
  x.v = r % NV;
  r = Math.floor(r / NV);
  x.c = r % NC;
  r = Math.floor(r / NC);
  x.a = adjLo + (r % adjN);
  r = Math.floor(r / adjN);
  if (focus >= 0 && r % 20 < 9) n1 = focus; // 45%
  if (n1 === exclude) n1 = (n1 + 1) % NN;
  let r2 = rng.u32();
  let n2 = r2 % NN;
  r2 = Math.floor(r2 / NN);
  while (n2 === n1 || n2 === exclude) n2 = (n2 + 1) % NN;
  x.p = 5 + (r2 % 91);
  r2 = Math.floor(r2 / 91);
  x.y = 1995 + (r2 % 29);
  x.rest = Math.floor(r2 / 29);
  x.d = d;
  x.n1 = n1;
  x.n2 = n2;
}

/** Words of the last render (module state: avoids allocating a tuple per sentence). */
let W = 0;

function render(L: CLang, t: Tpl, x: Ctx): string {
  let s = "";
  let w = t.w;
  const parts = t.parts;
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!;
    if (typeof p === "string") {
      s += p;
      continue;
    }
    const c = p & 15;
    const up = (p & CAP) !== 0;
    switch ((p >> 4) & 63) {
      case 0: {
        const n = L.nouns[x.d]![x.n1]!;
        s += up ? n.fc[c] : n.f[c];
        w += n.w[c]!;
        break;
      }
      case 1: {
        const n = L.nouns[x.d]![x.n2]!;
        s += up ? n.fc[c] : n.f[c];
        w += n.w[c]!;
        break;
      }
      case 2: {
        const n = L.generic[x.g]!;
        s += up ? n.fc[c] : n.f[c];
        w += n.w[c]!;
        break;
      }
      case 3: {
        const a = L.adjs[x.a]!;
        const k = L.agree ? L.nouns[x.d]![x.n1]!.ag : 0;
        s += a.f[k];
        w += a.w[k]!;
        break;
      }
      case 4: {
        const a = L.adjs[x.a]!;
        s += a.f[1];
        w += a.w[1];
        break;
      }
      case 5: {
        const v = L.verbs[x.v]!;
        s += up ? v.fc[0] : v.f[0];
        w += v.w[0];
        break;
      }
      case 6: {
        const v = L.verbs[x.v]!;
        s += up ? v.fc[1] : v.f[1];
        w += v.w[1];
        break;
      }
      case 7: {
        const city = L.cities[x.c]!;
        s += city.s;
        w += city.w;
        break;
      }
      case 8:
        s += x.p;
        w += 1;
        break;
      case 9:
        s += x.y;
        w += 1;
        break;
      default:
        s += x.label;
        w += approxWords(L.code, x.label);
    }
  }
  W = w;
  return s;
}

interface Passage {
  sents: string[];
  /** Words per sentence. */
  sw: number[];
  words: number;
  /** Paragraph break every `para` sentences (0: one paragraph). */
  para: number;
  keyIdx: number;
  keyVariant: number;
}

function buildPassage(
  L: CLang,
  rng: Rng,
  d: number,
  target: number,
  key: Ctx | null,
  focus: number,
  exclude: number,
  props: readonly number[] = FILLERS,
  adjLo = 0,
  adjN = 24,
): Passage {
  const sents: string[] = [];
  const sw: number[] = [];
  let words = 0;
  const keyVariant = rng.int(2);
  if (key) {
    sents.push(render(L, L.props[P.k]![keyVariant]!, key));
    sw.push(W);
    words += W;
  }
  const x = newCtx();
  while (words < target) {
    randomCtx(rng, x, d, focus, exclude, adjLo, adjN);
    const k = x.rest % (props.length * 2);
    sents.push(render(L, L.props[props[k >> 1]!]![k & 1]!, x));
    sw.push(W);
    words += W;
  }
  let keyIdx = key ? 0 : -1;
  if (key && sents.length > 2 && rng.next() < 0.3) {
    sents[0] = sents[1]!;
    sents[1] = render(L, L.props[P.k]![keyVariant]!, key);
    [sw[0], sw[1]] = [sw[1]!, sw[0]!];
    keyIdx = 1;
  }
  const para = sents.length >= 8 && rng.next() < 0.3 ? 3 + rng.int(4) : 0;
  return { sents, sw, words, para, keyIdx, keyVariant };
}

function joinSents(L: CLang, sents: readonly string[], para = 0): string {
  if (!para) return sents.join(L.sep);
  let s = "";
  for (let i = 0; i < sents.length; i++) {
    if (i > 0) s += i % para === 0 ? "\n\n" : L.sep;
    s += sents[i];
  }
  return s;
}
const joinP = (L: CLang, p: Passage) => joinSents(L, p.sents, p.para);

const QUERY_RANGES: readonly (readonly [number, number])[] = [
  [1, 4.4],
  [5, 15],
  [10, 60],
];
function renderQuery(L: CLang, rng: Rng, ql: number, x: Ctx): string {
  const list = L.queries[ql]!;
  const [lo, hiRange] = QUERY_RANGES[ql]!;
  // Segmenter counts of Chinese / Japanese keyword pairs scatter more: keep a margin.
  const hi = ql === 0 && !L.spaced ? 3.7 : hiRange;
  let best = "";
  let bestDist = Number.POSITIVE_INFINITY;
  const start = rng.int(list.length);
  for (let i = 0; i < list.length; i++) {
    const s = render(L, list[(start + i) % list.length]!, x);
    const dist = W < lo ? lo - W : W > hi ? W - hi : 0;
    if (dist === 0) return s;
    if (dist < bestDist) {
      best = s;
      bestDist = dist;
    }
  }
  if (ql !== 0) return best;
  let s = render(L, L.queryFallback, x);
  if (W <= hi) return s;
  // The topic noun alone is too long for "less than 5 words": ask about a shorter noun of the domain.
  for (let i = 1; i < NN; i++) {
    const n = (x.n1 + i) % NN;
    if (n === x.n2) continue;
    x.n1 = n;
    s = render(L, L.queryFallback, x);
    if (W <= hi) break;
  }
  return s;
}

interface PlanItem {
  prop: number;
  x: Ctx;
}
function renderPlan(L: CLang, plan: readonly PlanItem[], variants: readonly number[]): string[] {
  return plan.map((it, i) => render(L, L.props[it.prop]![variants[i]!]!, it.x));
}

function randomPlanItem(
  rng: Rng,
  props: readonly number[],
  d: number,
  focus: number,
  exclude: number,
): PlanItem {
  const x = newCtx();
  randomCtx(rng, x, d, focus, exclude, 0, 24);
  return { prop: rng.pick(props), x };
}

/** A plan that shares only the first item's main noun with `plan` (a "less similar" text). */
function lessSimilarPlan(rng: Rng, plan: readonly PlanItem[]): PlanItem[] {
  const first = plan[0]!;
  const x = copyCtx(first.x);
  let n2 = rng.int(NN);
  while (n2 === x.n1 || n2 === first.x.n2) n2 = (n2 + 1) % NN;
  x.n2 = n2;
  x.v = (x.v + 1 + rng.int(NV - 1)) % NV;
  x.c = (x.c + 1 + rng.int(NC - 1)) % NC;
  x.g = (x.g + 1 + rng.int(NG - 1)) % NG;
  x.a = (x.a + 8 + rng.int(8)) % 24;
  let prop = first.prop;
  if (prop !== P.ph) {
    prop = rng.pick(SENTENCE_PROPS);
    if (prop === first.prop)
      prop = SENTENCE_PROPS[(SENTENCE_PROPS.indexOf(prop) + 1) % SENTENCE_PROPS.length]!;
  }
  const out: PlanItem[] = [{ prop, x }];
  for (let i = 1; i < plan.length; i++) out.push(randomPlanItem(rng, FILLERS, x.d, x.n1, first.x.n2));
  return out;
}

/** Change one number, city or year (a counterfactual). Returns the changed context. */
function counterfactualCtx(rng: Rng, prop: number, x: Ctx): Ctx {
  const y = copyCtx(x);
  if (HAS_P.has(prop)) {
    const delta = 10 + rng.int(30);
    y.p = x.p + delta <= 95 ? x.p + delta : x.p - delta;
  } else if (HAS_C.has(prop)) y.c = (x.c + 1 + rng.int(NC - 1)) % NC;
  else y.y = x.y + 1 + rng.int(5);
  return y;
}

// ───────────────────────────── text edits used by defects ─────────────────────────────

const SENT_END = /[.!?。！？]$/;

function cutSentence(L: CLang, s: string, rng: Rng): string {
  let out: string;
  if (L.spaced) {
    const toks = s.split(" ");
    const keep = Math.max(1, Math.min(toks.length - 1, Math.round(toks.length * rng.between(0.3, 0.7))));
    out = toks.slice(0, keep).join(" ");
  } else {
    const chars = Array.from(s);
    const keep = Math.max(2, Math.min(chars.length - 2, Math.round(chars.length * rng.between(0.3, 0.7))));
    out = chars.slice(0, keep).join("");
  }
  return out.replace(/[\s,.;:!?，。、！？]+$/u, "");
}

/** Cut a text mid-sentence (keeping most of it), or empty it (1 in 10). */
function truncate(L: CLang, sents: readonly string[], rng: Rng): string {
  if (rng.next() < 0.1) return "";
  const n = sents.length;
  const k = n > 1 ? Math.min(n - 1, Math.floor(n * rng.between(0.6, 0.95))) : 0;
  const head = sents.slice(0, k);
  head.push(cutSentence(L, sents[k]!, rng));
  return joinSents(L, head);
}

/** A punctuation-, case- or whitespace-only edit. */
function punctVariant(L: CLang, s: string, rng: Rng): string {
  const r = rng.int(3);
  if (L.spaced) {
    if (r === 0 && s.includes(", ")) return s.replace(", ", " ");
    if (r === 1 && /^\p{Lu}/u.test(s)) return s.charAt(0).toLowerCase() + s.slice(1);
    return SENT_END.test(s) ? s.slice(0, -1) : `${s}.`;
  }
  if (r === 0 && s.includes("，")) return s.replace("，", "、");
  if (r === 1 && s.includes("。") && s.indexOf("。") < s.length - 1) return s.replace("。", "！");
  return SENT_END.test(s) ? s.slice(0, -1) : `${s}。`;
}

/** A near-identical copy of a passage: >= 90% of its tokens unchanged. */
function nearDuplicate(L: CLang, p: Passage, rng: Rng, d: number): string {
  const n = p.sents.length;
  const r = rng.next();
  // Short passages: an exact copy or a punctuation-only edit.
  if (n < 20) return r < 0.55 ? joinP(L, p) : punctVariant(L, joinP(L, p), rng);
  if (r < 0.3) return joinP(L, p);
  if (r < 0.5) return punctVariant(L, joinP(L, p), rng);
  // Replace or drop one sentence (two in long passages: <= ~5% of the words), never the key sentence.
  const sents = p.sents.slice();
  const edits = n >= 40 ? 2 : 1;
  const x = newCtx();
  for (let e = 0; e < edits; e++) {
    let i = 1 + rng.int(n - 1);
    if (i === p.keyIdx) i = (i + 1) % n || 1;
    if (rng.next() < 0.5 && sents.length > 2) sents.splice(i < sents.length ? i : sents.length - 1, 1);
    else {
      randomCtx(rng, x, d, -1, -1, 0, 24);
      sents[Math.min(i, sents.length - 1)] = render(L, L.props[rng.pick(FILLERS)]![rng.int(2)]!, x);
    }
  }
  return joinSents(L, sents, p.para);
}

function insertAt(L: CLang, sents: readonly string[], extra: string, rng: Rng, para = 0): string {
  const out = sents.slice();
  const at = rng.next() < 0.4 ? 0 : 1 + rng.int(out.length);
  out.splice(Math.min(at, out.length), 0, extra);
  return joinSents(L, out, para);
}

function appendExplanation(L: CLang, text: string, expl: string, rng: Rng): string {
  if (rng.next() < 0.15) return `${expl}${L.sep}${text}`;
  return `${text}${L.sep}${expl}`;
}

function echo(task: string, query: string, rng: Rng): string {
  const r = rng.next();
  if (r < 0.4) return task;
  if (r < 0.7) return `${task}: ${query}`;
  if (r < 0.85) return `${task}. ${query}`;
  return `${task}\n${query}`;
}

// ───────────────────────────── records ─────────────────────────────

interface Core {
  family: Family;
  task: string;
  lang: Lang;
  params: Record<string, string | number>;
  /** E5 keys of query, positive and negative. */
  keys: readonly [string, string, string];
  query: string;
  pos: string;
  negs: string[];
  defect: DefectName | null;
  /** E5 key of the field holding the defect ("*": whole record). */
  target?: string;
  note?: "counterfactual";
  fe: string;
}

interface Settings {
  cum: number[];
  rates: DefectRates;
  cf: number;
  passageWords?: number;
}

const FAMILY_CUM = cumulative(FAMILIES.map((f) => FAMILY_WEIGHTS[f]));
const LANG_CUM = cumulative(LANGS.map((l) => LANGUAGE_WEIGHTS[l]));
const NON_EN = LANGS.filter((l) => l !== "en");
const NON_EN_CUM = cumulative(NON_EN.map((l) => LANGUAGE_WEIGHTS[l]));
const TASKS_BY_FAMILY = Object.fromEntries(
  FAMILIES.map((f) => [f, TASKS.filter((t) => t.family === f)]),
) as Record<Family, TaskDef[]>;
const DOMAIN_INDEX = Object.fromEntries(DOMAINS.map((d, i) => [d, i])) as Record<Domain, number>;

const KEYS: Record<Family, readonly [string, string, string]> = {
  "short-long": ["user_query", "positive_document", "hard_negative_document"],
  "long-short": ["input_text", "label", "misleading_label"],
  "short-short": ["input", "positive_document", "hard_negative_document"],
  "long-long": ["input", "positive_document", "hard_negative_document"],
  sts: ["S1", "S2", "S3"],
  bitext: ["S1", "S2", "S3"],
};
const FE_TYPE: Record<Family, string> = {
  "short-long": "normal",
  "long-short": "symmetric_class",
  "short-short": "normal",
  "long-long": "normal",
  sts: "symmetric_sts",
  bitext: "normal",
};

const ALL_FAMILIES: readonly Family[] = FAMILIES;
const APPLIES: Record<DefectName, readonly Family[]> = {
  self_explanation: ALL_FAMILIES,
  query_leakage: ["short-long", "short-short", "long-long"],
  length_mismatch: ["short-long", "long-long", "long-short"],
  duplicate_negative: ALL_FAMILIES,
  false_negative: ALL_FAMILIES,
  empty_or_truncated: ALL_FAMILIES,
  language_mismatch: ALL_FAMILIES,
  instruction_echo: ["short-long", "long-short", "short-short", "long-long"],
};

/** Whether a defect can be injected into a record of this family with these parameters. */
export function defectApplies(
  defect: DefectName,
  family: Family,
  params: Record<string, unknown> = {},
): boolean {
  if (!APPLIES[defect].includes(family)) return false;
  if (defect === "length_mismatch" && family === "long-short")
    return params.num_words !== "less than 10" && params.num_words !== "at least 10";
  if (defect === "false_negative" && family === "sts") return params.unit !== "phrase";
  return true;
}
export function counterfactualApplies(family: Family): boolean {
  return family !== "long-short";
}

function resolveRates(opts: Pick<GenerateOptions, "defectRate" | "rates">): DefectRates {
  const scale = (opts.defectRate ?? DEFAULT_TOTAL_DEFECT_RATE) / DEFAULT_TOTAL_DEFECT_RATE;
  const rates = {} as DefectRates;
  for (const d of DEFECTS) rates[d] = opts.rates?.[d] ?? DEFAULT_DEFECT_RATES[d] * scale;
  const total = DEFECTS.reduce((a, d) => a + rates[d], 0);
  if (total > 1) throw new Error(`defect rates sum to ${total} > 1`);
  return rates;
}

/** Expected share of records carrying each defect (and the counterfactual note), over the family mix. */
export function expectedDefectRates(
  opts: Pick<GenerateOptions, "defectRate" | "rates" | "counterfactualRate"> = {},
): Record<DefectName | "counterfactual", number> {
  const rates = resolveRates(opts);
  const out = {} as Record<DefectName | "counterfactual", number>;
  let cf = 0;
  for (const d of DEFECTS) out[d] = 0;
  for (const f of FAMILIES) {
    const wf = FAMILY_WEIGHTS[f];
    // Parameter variants that change applicability, with their probabilities.
    const variants: [Record<string, unknown>, number][] =
      f === "long-short"
        ? LS_NUM_WORDS.map((n) => [{ num_words: n }, 1 / LS_NUM_WORDS.length])
        : f === "sts"
          ? STS_UNITS.map((u) => [{ unit: u }, 1 / STS_UNITS.length])
          : [[{}, 1]];
    for (const [params, pv] of variants) {
      let clean = 1;
      for (const d of DEFECTS)
        if (defectApplies(d, f, params)) {
          out[d] += wf * pv * rates[d];
          clean -= rates[d];
        }
      if (counterfactualApplies(f))
        cf += wf * pv * clean * (opts.counterfactualRate ?? DEFAULT_COUNTERFACTUAL_RATE);
    }
  }
  out.counterfactual = cf;
  return out;
}

function pickDefect(
  rng: Rng,
  s: Settings,
  family: Family,
  params: Record<string, unknown>,
): DefectName | null {
  const u = rng.next();
  let acc = 0;
  for (const d of DEFECTS) {
    if (!defectApplies(d, family, params)) continue;
    acc += s.rates[d];
    if (u < acc) return d;
  }
  return null;
}

function otherLang(rng: Rng, lang: Lang): Lang {
  return lang === "en" ? pickWeighted(rng, NON_EN, NON_EN_CUM) : "en";
}

function explanation(L: CLang, list: readonly Tpl[], rng: Rng, x: Ctx): string {
  return render(L, rng.pick(list), x);
}

// ---- short-long and long-long: retrieval over passages

function buildRetrieval(
  family: "short-long" | "long-long",
  rng: Rng,
  rng2: Rng,
  s: Settings,
  nNeg: number,
): Core {
  const task = rng.pick(TASKS_BY_FAMILY[family]);
  const lang = pickWeighted(rng, LANGS, LANG_CUM);
  const L = LEX[lang];
  let params: Record<string, string | number>;
  let ql = 0;
  let N: number;
  if (family === "short-long") {
    ql = rng.int(3);
    N = rng.pick(NUM_WORDS);
    if (s.passageWords) N = s.passageWords;
    params = {
      query_type: rng.pick(QUERY_TYPES),
      query_length: QUERY_LENGTHS[ql]!,
      clarity: rng.pick(CLARITIES),
      num_words: N,
      difficulty: rng.pick(DIFFICULTIES),
      language: L.name,
    };
  } else {
    N = 300;
    params = { language: L.name, num_words: "at least 300" };
  }
  const defect = pickDefect(rng, s, family, params);
  const cf = defect === null && rng.next() < s.cf;
  const d = DOMAIN_INDEX[rng.pick(task.domains)];
  const x = newCtx();
  randomCtx(rng, x, d, -1, -1, 0, 24);

  const mismatch = defect === "language_mismatch" ? (rng.next() < 0.4 ? "all" : "pos") : "";
  const TL = mismatch ? LEX[otherLang(rng, lang)] : L;
  const QL = mismatch === "all" ? TL : L;
  const NLx = mismatch === "all" ? TL : L;

  let query: string;
  let inputPassage: Passage | null = null;
  if (family === "short-long") query = renderQuery(QL, rng, ql, x);
  else {
    inputPassage = buildPassage(QL, rng, d, rng.between(80, 200), x, x.n1, -1);
    query = joinP(QL, inputPassage);
  }
  const posTarget = defect === "length_mismatch" ? N * rng.between(0.2, 0.35) : N * rng.between(1, 1.2);
  const pos = buildPassage(TL, rng, d, posTarget, x, x.n1, -1);
  if (defect === "length_mismatch")
    // Keep it well short of the request: drop trailing sentences past the target (never the key).
    while (pos.sents.length > 1 && pos.words > posTarget * 1.25) {
      const last = pos.sents.length - 1;
      if (last === pos.keyIdx) break;
      pos.words -= pos.sw[last]!;
      pos.sents.pop();
      pos.sw.pop();
    }
  const neg = buildPassage(NLx, rng, d, N * rng.between(1, 1.2), null, x.n1, x.n2);

  let posText = joinP(TL, pos);
  let negText = joinP(NLx, neg);
  const [qk, pk, nk] = KEYS[family];
  let target: string | undefined;
  let note: "counterfactual" | undefined;
  switch (defect) {
    case "self_explanation":
      if (rng.next() < 0.6) {
        posText = appendExplanation(L, posText, explanation(L, L.selfPos, rng, x), rng);
        target = pk;
      } else {
        negText = appendExplanation(L, negText, explanation(L, L.selfNeg, rng, x), rng);
        target = nk;
      }
      break;
    case "query_leakage":
      posText = insertAt(L, pos.sents, query, rng, pos.para);
      target = pk;
      break;
    case "length_mismatch":
    case "language_mismatch":
      target = mismatch === "all" ? "*" : pk;
      break;
    case "duplicate_negative":
      negText = nearDuplicate(L, pos, rng, d);
      target = nk;
      break;
    case "false_negative": {
      const para = render(L, L.props[rng.next() < 0.7 ? P.k : P.p1]![1 - pos.keyVariant]!, x);
      negText = insertAt(L, neg.sents, para, rng, neg.para);
      target = nk;
      break;
    }
    case "empty_or_truncated":
      posText = truncate(L, pos.sents, rng);
      target = pk;
      break;
    case "instruction_echo":
      query = echo(task.task, query, rng);
      target = qk;
      break;
    default:
      if (cf) {
        const sents = pos.sents.slice();
        sents[pos.keyIdx] = render(L, L.props[P.k]![pos.keyVariant]!, counterfactualCtx(rng, P.k, x));
        negText = joinSents(L, sents, pos.para);
        note = "counterfactual";
      }
  }
  const negs = [negText];
  for (let i = 1; i < nNeg; i++)
    negs.push(joinP(L, buildPassage(L, rng2, d, N * rng2.between(1, 1.2), null, x.n1, x.n2)));
  return {
    family,
    task: task.task,
    lang,
    params,
    keys: KEYS[family],
    query,
    pos: posText,
    negs,
    defect,
    target,
    note,
    fe: FE_TYPE[family],
  };
}

// ---- short-short

function buildShortShort(rng: Rng, rng2: Rng, s: Settings, nNeg: number): Core {
  const family = "short-short";
  const task = rng.pick(TASKS_BY_FAMILY[family]);
  const lang = pickWeighted(rng, LANGS, LANG_CUM);
  const L = LEX[lang];
  const params = { language: L.name };
  const defect = pickDefect(rng, s, family, params);
  const cf = defect === null && rng.next() < s.cf;
  const d = DOMAIN_INDEX[rng.pick(task.domains)];
  const x = newCtx();
  randomCtx(rng, x, d, -1, -1, 0, 24);
  const mismatch = defect === "language_mismatch" ? (rng.next() < 0.4 ? "all" : "pos") : "";
  const TL = mismatch ? LEX[otherLang(rng, lang)] : L;
  const QL = mismatch === "all" ? TL : L;

  let query = renderQuery(QL, rng, rng.int(2), x);
  const kv = rng.int(2);
  const posSents = [render(TL, TL.props[P.k]![kv]!, x)];
  const y = newCtx();
  if (rng.next() < 0.3) {
    randomCtx(rng, y, d, x.n1, -1, 0, 24);
    posSents.push(render(TL, TL.props[rng.pick(FILLERS)]![rng.int(2)]!, y));
  }
  const negSents: string[] = [];
  const NL = mismatch === "all" ? TL : L;
  const negCount = rng.next() < 0.3 ? 2 : 1;
  for (let i = 0; i < negCount; i++) {
    randomCtx(rng, y, d, x.n1, x.n2, 0, 24);
    negSents.push(render(NL, NL.props[rng.pick(FILLERS)]![rng.int(2)]!, y));
  }
  let posText = joinSents(TL, posSents);
  let negText = joinSents(NL, negSents);
  const [qk, pk, nk] = KEYS[family];
  let target: string | undefined;
  let note: "counterfactual" | undefined;
  switch (defect) {
    case "self_explanation":
      if (rng.next() < 0.6) {
        posText = appendExplanation(L, posText, explanation(L, L.selfPos, rng, x), rng);
        target = pk;
      } else {
        negText = appendExplanation(L, negText, explanation(L, L.selfNeg, rng, x), rng);
        target = nk;
      }
      break;
    case "query_leakage":
      posText = rng.next() < 0.5 ? `${query}${L.sep}${posText}` : `${posText}${L.sep}${query}`;
      target = pk;
      break;
    case "duplicate_negative":
      negText = rng.next() < 0.55 ? posText : punctVariant(L, posText, rng);
      target = nk;
      break;
    case "false_negative":
      negText = render(L, L.props[rng.next() < 0.6 ? P.k : P.p1]![rng.next() < 0.7 ? 1 - kv : kv]!, x);
      if (negText === posSents[0]) negText = render(L, L.props[P.p1]![1 - kv]!, x);
      target = nk;
      break;
    case "empty_or_truncated":
      posText = truncate(L, posSents, rng);
      target = pk;
      break;
    case "language_mismatch":
      target = mismatch === "all" ? "*" : pk;
      break;
    case "instruction_echo":
      query = echo(task.task, query, rng);
      target = qk;
      break;
    default:
      if (cf) {
        const sents = posSents.slice();
        sents[0] = render(L, L.props[P.k]![kv]!, counterfactualCtx(rng, P.k, x));
        negText = joinSents(L, sents);
        note = "counterfactual";
      }
  }
  const negs = [negText];
  for (let i = 1; i < nNeg; i++) {
    randomCtx(rng2, y, d, x.n1, x.n2, 0, 24);
    negs.push(render(L, L.props[rng2.pick(FILLERS)]![rng2.int(2)]!, y));
  }
  return {
    family,
    task: task.task,
    lang,
    params,
    keys: KEYS[family],
    query,
    pos: posText,
    negs,
    defect,
    target,
    note,
    fe: FE_TYPE[family],
  };
}

// ---- long-short: classification

function buildLongShort(rng: Rng, rng2: Rng, s: Settings, nNeg: number): Core {
  const family = "long-short";
  const task = rng.pick(TASKS_BY_FAMILY[family]);
  const lang = pickWeighted(rng, LANGS, LANG_CUM);
  const L = LEX[lang];
  const ni = rng.int(LS_NUM_WORDS.length);
  const nw = LS_NUM_WORDS[ni]!;
  const params = {
    num_words: nw,
    difficulty: rng.pick(DIFFICULTIES),
    clarity: rng.pick(CLARITIES),
    language: L.name,
  };
  const defect = pickDefect(rng, s, family, params);
  const labels = task.labels!;
  const li = rng.int(labels.length);
  let mi = rng.int(labels.length - 1);
  if (mi >= li) mi++;
  const lab = labels[li]!;
  const d = DOMAIN_INDEX[lab.dom ?? task.domains[0]!];
  const [adjLo, adjN] =
    lab.pol === "pos" ? [0, 8] : lab.pol === "neg" ? [8, 8] : lab.pol === "neu" ? [16, 8] : [0, 24];
  const focus = lab.cue ?? rng.int(NN);
  const TL = defect === "language_mismatch" ? LEX[otherLang(rng, lang)] : L;
  const [lo, hi] = LS_WORD_RANGES[nw];
  const target = defect === "length_mismatch" ? lo * rng.between(0.2, 0.35) : rng.between(lo, hi);
  const x = newCtx();
  randomCtx(rng, x, d, focus, -1, adjLo, adjN);
  x.n1 = focus;
  let sents: string[];
  if (ni === 0) {
    let t = render(TL, TL.props[rng.next() < 0.5 ? P.p2 : P.p3]![rng.int(2)]!, x);
    if (W > hi) t = render(TL, TL.props[P.ph]![rng.int(2)]!, x);
    if (W > hi) t = render(TL, TL.queryFallback, x);
    sents = [t];
  } else {
    const pass = buildPassage(TL, rng, d, target, null, focus, -1, ADJ_FILLERS, adjLo, adjN);
    sents = pass.sents;
    // Drop an overshooting last sentence while the text stays in range.
    let w = pass.words;
    while (
      defect !== "length_mismatch" &&
      w > hi &&
      sents.length > 1 &&
      w - pass.sw[sents.length - 1]! >= lo
    ) {
      w -= pass.sw[sents.length - 1]!;
      sents.pop();
    }
  }
  let input = joinSents(TL, sents);
  const label = lab.label;
  let misleading = labels[mi]!.label;
  let tgt: string | undefined;
  const [qk, , nk] = KEYS[family];
  switch (defect) {
    case "self_explanation":
      x.label = label;
      input = appendExplanation(L, input, explanation(L, L.selfCls, rng, x), rng);
      tgt = qk;
      break;
    case "length_mismatch":
    case "language_mismatch":
      tgt = qk;
      break;
    case "duplicate_negative":
      misleading = rng.next() < 0.7 ? label : label.charAt(0).toUpperCase() + label.slice(1);
      tgt = nk;
      break;
    case "false_negative":
      misleading = lab.syn;
      tgt = nk;
      break;
    case "empty_or_truncated":
      input = truncate(L, sents, rng);
      tgt = qk;
      break;
    case "instruction_echo":
      input = echo(task.task, input, rng);
      tgt = qk;
      break;
  }
  const negs = [misleading];
  const others = labels.map((l) => l.label).filter((l) => l !== lab.label && l !== labels[mi]!.label);
  for (let i = 1; i < nNeg && others.length; i++) negs.push(others.splice(rng2.int(others.length), 1)[0]!);
  return {
    family,
    task: task.task,
    lang,
    params,
    keys: KEYS[family],
    query: input,
    pos: label,
    negs,
    defect,
    target: tgt,
    fe: FE_TYPE[family],
  };
}

// ---- STS

function buildSts(rng: Rng, rng2: Rng, s: Settings, nNeg: number): Core {
  const family = "sts";
  const task = rng.pick(TASKS_BY_FAMILY[family]);
  const lang = pickWeighted(rng, LANGS, LANG_CUM);
  const L = LEX[lang];
  const unit = rng.pick(STS_UNITS);
  const params = {
    unit,
    high_score: rng.pick(HIGH_SCORES),
    low_score: rng.pick(STS_LOW_SCORES),
    language: L.name,
  };
  const defect = pickDefect(rng, s, family, params);
  const cf = defect === null && rng.next() < s.cf;
  const d = rng.int(DOMAINS.length);
  let plan: PlanItem[];
  if (unit === "phrase") plan = [randomPlanItem(rng, [P.ph], d, -1, -1)];
  else if (unit === "sentence") plan = [randomPlanItem(rng, cf ? ENTITY_PROPS : SENTENCE_PROPS, d, -1, -1)];
  else {
    const first = randomPlanItem(rng, [P.k], d, -1, -1);
    plan = [first];
    const n = 4 + rng.int(4);
    for (let i = 1; i < n; i++) plan.push(randomPlanItem(rng, FILLERS, d, first.x.n1, -1));
  }
  const v1 = plan.map(() => rng.int(2));
  const v2 = v1.map((v) => 1 - v);
  const s1 = renderPlan(L, plan, v1);
  let p2 = plan;
  let v2o = v2;
  if (plan.length > 3 && rng.next() < 0.3) {
    // Swap two adjacent sentences (not the first).
    const i = 1 + rng.int(plan.length - 2);
    p2 = plan.slice();
    v2o = v2.slice();
    [p2[i], p2[i + 1]] = [p2[i + 1]!, p2[i]!];
    [v2o[i], v2o[i + 1]] = [v2o[i + 1]!, v2o[i]!];
  }
  const TL = defect === "language_mismatch" ? LEX[otherLang(rng, lang)] : L;
  const s2 = renderPlan(TL, p2, v2o);
  const less = lessSimilarPlan(rng, plan);
  const s3 = renderPlan(
    L,
    less,
    less.map(() => rng.int(2)),
  );
  const S1 = joinSents(L, s1);
  let S2 = joinSents(TL, s2);
  let S3 = joinSents(L, s3);
  let target: string | undefined;
  let note: "counterfactual" | undefined;
  switch (defect) {
    case "self_explanation":
      S2 = appendExplanation(L, S2, explanation(L, L.selfSim, rng, plan[0]!.x), rng);
      target = "S2";
      break;
    case "duplicate_negative": {
      const base = rng.next() < 0.7 ? S2 : S1;
      S3 = rng.next() < 0.55 ? base : punctVariant(L, base, rng);
      target = "S3";
      break;
    }
    case "false_negative": {
      const first = plan[0]!;
      const ex = copyCtx(first.x);
      ex.a = rng.int(24);
      const extra = render(L, L.props[rng.next() < 0.5 ? P.p10 : P.p2]![rng.int(2)]!, ex);
      S3 = joinSents(L, [...renderPlan(L, plan, v2), extra]);
      target = "S3";
      break;
    }
    case "empty_or_truncated":
      S2 = truncate(L, s2, rng);
      target = "S2";
      break;
    case "language_mismatch":
      target = "S2";
      break;
    default:
      if (cf) {
        const cfPlan = plan.slice();
        const i = Math.max(
          0,
          plan.findIndex((it) => ENTITY_PROPS.includes(it.prop)),
        );
        cfPlan[i] = { prop: plan[i]!.prop, x: counterfactualCtx(rng, plan[i]!.prop, plan[i]!.x) };
        S3 = joinSents(L, renderPlan(L, cfPlan, v1));
        note = "counterfactual";
      }
  }
  const negs = [S3];
  for (let i = 1; i < nNeg; i++) {
    const p = lessSimilarPlan(rng2, plan);
    negs.push(
      joinSents(
        L,
        renderPlan(
          L,
          p,
          p.map(() => rng2.int(2)),
        ),
      ),
    );
  }
  return {
    family,
    task: task.task,
    lang,
    params,
    keys: KEYS[family],
    query: S1,
    pos: S2,
    negs,
    defect,
    target,
    note,
    fe: FE_TYPE[family],
  };
}

// ---- bitext

function buildBitext(rng: Rng, rng2: Rng, s: Settings, nNeg: number): Core {
  const family = "bitext";
  const task = rng.pick(TASKS_BY_FAMILY[family]);
  const src = pickWeighted(rng, LANGS, LANG_CUM);
  let tgt: Lang;
  if (src === "en") tgt = pickWeighted(rng, NON_EN, NON_EN_CUM);
  else if (rng.next() < 0.7) tgt = "en";
  else {
    tgt = pickWeighted(rng, NON_EN, NON_EN_CUM);
    if (tgt === src) tgt = NON_EN[(NON_EN.indexOf(tgt) + 1) % NON_EN.length]!;
  }
  const SL = LEX[src];
  const T = LEX[tgt];
  const params: Record<string, string | number> = {};
  if (rng.next() < 0.5) params.high_score = rng.pick(HIGH_SCORES);
  params.low_score = rng.pick(BITEXT_LOW_SCORES);
  params.source_language = SL.name;
  params.target_language = T.name;
  const defect = pickDefect(rng, s, family, params);
  const cf = defect === null && rng.next() < s.cf;
  const d = rng.int(DOMAINS.length);
  const first = randomPlanItem(rng, cf ? ENTITY_PROPS : SENTENCE_PROPS, d, -1, -1);
  const plan = [first];
  if (rng.next() < 0.3) plan.push(randomPlanItem(rng, FILLERS, d, first.x.n1, -1));
  const v1 = plan.map(() => rng.int(2));
  const v2 = plan.map(() => rng.int(2));
  const S1 = joinSents(SL, renderPlan(SL, plan, v1));
  const ML = defect === "language_mismatch" ? (tgt !== "en" ? LEX.en : SL) : T;
  const s2 = renderPlan(ML, plan, defect === "language_mismatch" && ML === SL ? v1.map((v) => 1 - v) : v2);
  let S2 = joinSents(ML, s2);
  const less = lessSimilarPlan(rng, plan);
  let S3 = joinSents(
    T,
    renderPlan(
      T,
      less,
      less.map(() => rng.int(2)),
    ),
  );
  let target: string | undefined;
  let note: "counterfactual" | undefined;
  switch (defect) {
    case "self_explanation":
      S2 = appendExplanation(T, S2, explanation(T, T.selfSim, rng, first.x), rng);
      target = "S2";
      break;
    case "duplicate_negative":
      S3 = rng.next() < 0.55 ? S2 : punctVariant(T, S2, rng);
      target = "S3";
      break;
    case "false_negative": {
      // Another valid translation: the other template variant of every sentence.
      S3 = joinSents(
        T,
        renderPlan(
          T,
          plan,
          v2.map((v) => 1 - v),
        ),
      );
      if (S3 === S2)
        S3 = joinSents(
          T,
          renderPlan(
            T,
            plan,
            v2.map((v) => 1 - v),
          ).reverse(),
        );
      target = "S3";
      break;
    }
    case "empty_or_truncated":
      S2 = truncate(T, s2, rng);
      target = "S2";
      break;
    case "language_mismatch":
      target = "S2";
      break;
    default:
      if (cf) {
        const cfPlan = plan.slice();
        cfPlan[0] = { prop: first.prop, x: counterfactualCtx(rng, first.prop, first.x) };
        S3 = joinSents(T, renderPlan(T, cfPlan, v2));
        note = "counterfactual";
      }
  }
  const negs = [S3];
  for (let i = 1; i < nNeg; i++) {
    const p = lessSimilarPlan(rng2, plan);
    negs.push(
      joinSents(
        T,
        renderPlan(
          T,
          p,
          p.map(() => rng2.int(2)),
        ),
      ),
    );
  }
  return {
    family,
    task: task.task,
    lang: src,
    params,
    keys: KEYS[family],
    query: S1,
    pos: S2,
    negs,
    defect,
    target,
    note,
    fe: FE_TYPE[family],
  };
}

function buildCore(
  seed: number,
  i: number,
  s: Settings,
  nNegMax: number,
  nNegExact?: number,
): { core: Core; rng: Rng; rng2: Rng } {
  const rng = new Rng(mix(seed, i, 0));
  const rng2 = new Rng(mix(seed, i, 1));
  const drawn = nNegMax > 1 ? 1 + rng2.int(nNegMax) : 1;
  const nNeg = nNegExact ?? drawn;
  const picked = pickWeighted(rng, FAMILIES, s.cum);
  const family: Family = s.passageWords ? "short-long" : picked;
  let core: Core;
  switch (family) {
    case "short-long":
    case "long-long":
      core = buildRetrieval(family, rng, rng2, s, nNeg);
      break;
    case "long-short":
      core = buildLongShort(rng, rng2, s, nNeg);
      break;
    case "short-short":
      core = buildShortShort(rng, rng2, s, nNeg);
      break;
    case "sts":
      core = buildSts(rng, rng2, s, nNeg);
      break;
    default:
      core = buildBitext(rng, rng2, s, nNeg);
  }
  return { core, rng, rng2 };
}

function settings(opts: GenerateOptions): Settings {
  return {
    cum: FAMILY_CUM,
    rates: resolveRates(opts),
    cf: opts.counterfactualRate ?? DEFAULT_COUNTERFACTUAL_RATE,
    passageWords: opts.passageWords,
  };
}

function toE5(core: Core, rng: Rng): GeneratedRecord {
  const nestParams = rng.next() < 0.2;
  const nestOutput = rng.next() < 0.1;
  const [qk, pk, nk] = core.keys;
  const out: Record<string, unknown> = { task: core.task };
  if (nestParams) out.params = core.params;
  else Object.assign(out, core.params);
  const gen = { [qk]: core.query, [pk]: core.pos, [nk]: core.negs[0] };
  if (nestOutput) out.output = gen;
  else Object.assign(out, gen);
  out._injected_defect = core.defect;
  if (core.defect) out._injected_target = core.target ?? pk;
  if (core.note) out._note = core.note;
  return out as GeneratedRecord;
}

function checkCount(n: number): void {
  if (!Number.isInteger(n) || n < 0) throw new Error(`records must be a non-negative integer, got ${n}`);
}

/** E5 lines, lazily: constant memory, deterministic for (seed, options). */
export function* generateRecords(opts: GenerateOptions): Generator<GeneratedRecord> {
  checkCount(opts.records);
  const s = settings(opts);
  for (let i = 0; i < opts.records; i++) {
    const { core, rng } = buildCore(opts.seed, i, s, 1);
    yield toE5(core, rng);
  }
}

/**
 * FlagEmbedding lines `{query, pos, neg, prompt, type?}` from the same underlying records: record i
 * has the same query and positive as E5 record i, and 1-`maxNegatives` (default 7) negatives, the
 * first of which is E5's hard negative (shuffled into place); `negatives` fixes the count instead. Extra keys: `_family`, `_language`,
 * `_injected_defect`, `_injected_target` ("query", "pos[0]", "neg[i]" or "*"), `_note` and
 * `_note_target` ("neg[i]").
 */
export function* generateFlagEmbedding(
  opts: GenerateOptions & { maxNegatives?: number; negatives?: number },
): Generator<FlagEmbeddingRecord> {
  checkCount(opts.records);
  const s = settings(opts);
  const maxNeg = Math.max(1, Math.min(opts.maxNegatives ?? 7, 64));
  const exact = opts.negatives === undefined ? undefined : Math.max(1, Math.min(opts.negatives, 64));
  for (let i = 0; i < opts.records; i++) {
    const { core, rng2 } = buildCore(opts.seed, i, s, maxNeg, exact);
    const negs = core.negs;
    const at = rng2.int(negs.length);
    [negs[0], negs[at]] = [negs[at]!, negs[0]!];
    const [qk, pk, nk] = core.keys;
    const fe: FlagEmbeddingRecord = {
      query: core.query,
      pos: [core.pos],
      neg: negs,
      prompt: core.task,
      _family: core.family,
      _language:
        core.family === "bitext"
          ? `${core.params.source_language}->${core.params.target_language}`
          : LANGUAGE_NAMES[core.lang],
      _injected_defect: core.defect,
    };
    if (rng2.next() < 0.9)
      fe.type = negs.length === 1 && core.family !== "long-short" ? "only_1neg" : core.fe;
    if (core.defect) {
      const t = core.target ?? pk;
      fe._injected_target = t === qk ? "query" : t === pk ? "pos[0]" : t === nk ? `neg[${at}]` : t;
    }
    if (core.note) {
      fe._note = core.note;
      fe._note_target = `neg[${at}]`;
    }
    yield fe;
  }
}

// ───────────────────────────── record inspection helpers ─────────────────────────────

/** The family of an E5 line, from its keys (params or output may be nested). */
export function familyOf(rec: Record<string, unknown>): Family {
  const o = (rec.output as Record<string, unknown> | undefined) ?? rec;
  const p = (rec.params as Record<string, unknown> | undefined) ?? rec;
  if ("user_query" in o) return "short-long";
  if ("input_text" in o) return "long-short";
  if ("S1" in o) return "source_language" in p ? "bitext" : "sts";
  return "num_words" in p ? "long-long" : "short-short";
}

/** Generation parameters of an E5 line (top level or under `params`). */
export function paramsOf(rec: Record<string, unknown>): Record<string, unknown> {
  if (rec.params && typeof rec.params === "object") return rec.params as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k of GENERATION_PARAMS) if (k in rec) out[k] = rec[k];
  return out;
}

/** The generated object of an E5 line (top level or under `output`). */
export function outputOf(rec: Record<string, unknown>): Record<string, string> {
  return ((rec.output as Record<string, string> | undefined) ?? rec) as Record<string, string>;
}

export interface Tally {
  records: number;
  families: Record<string, number>;
  languages: Record<string, number>;
  defects: Record<string, number>;
  defectsByFamily: Record<string, Record<string, number>>;
  counterfactual: number;
}
export function newTally(): Tally {
  return { records: 0, families: {}, languages: {}, defects: {}, defectsByFamily: {}, counterfactual: 0 };
}
export function addToTally(
  t: Tally,
  family: string,
  language: string,
  defect: string | null,
  note?: string,
): void {
  t.records++;
  t.families[family] = (t.families[family] ?? 0) + 1;
  t.languages[language] = (t.languages[language] ?? 0) + 1;
  if (defect) {
    t.defects[defect] = (t.defects[defect] ?? 0) + 1;
    const byF = t.defectsByFamily[family] ?? {};
    t.defectsByFamily[family] = byF;
    byF[defect] = (byF[defect] ?? 0) + 1;
  }
  if (note === "counterfactual") t.counterfactual++;
}

const NEEDS_ESCAPE = /["\\\u0000-\u001f\u2028\u2029\ud800-\udfff]/;

/**
 * `JSON.stringify(value)` for the plain records this file produces (strings, finite numbers, null,
 * arrays, objects), byte-identical but faster: strings without characters to escape are quoted as
 * they are, which skips JSON.stringify's per-character work on long passages.
 */
export function toJson(value: unknown): string {
  if (typeof value === "string") return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : `"${value}"`;
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let s = "[";
    for (let i = 0; i < value.length; i++)
      s += (i ? "," : "") + (value[i] === undefined ? "null" : toJson(value[i]));
    return `${s}]`;
  }
  let s = "{";
  let first = true;
  for (const k in value) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined || typeof v === "function") continue;
    s += `${first ? "" : ","}${NEEDS_ESCAPE.test(k) ? JSON.stringify(k) : `"${k}"`}:${toJson(v)}`;
    first = false;
  }
  return `${s}}`;
}

// ───────────────────────────── CLI ─────────────────────────────

const HELP = `Usage: npx tsx bench/generate.ts [options]
  --records N            number of records (default 1000)
  --seed N               PRNG seed (default 42)
  --out PATH             output file ("-" or absent: stdout); ".gz" implies --gzip
  --gzip                 gzip the output
  --format e5|flagembedding   line format (default e5)
  --max-negatives N      flagembedding: negatives per line are 1..N (default 7)
  --negatives N          flagembedding: exactly N negatives per line
  --passage-words N      every record short-long with num_words N (uniform shape for benchmarks)
  --defect-rate R        total defect rate of a short-long record (default 0.15; scales all rates)
  --rate NAME=R          per-defect rate, repeatable (e.g. --rate self_explanation=0.05)
  --counterfactual-rate R  clean counterfactual negatives (default 0.02)
  --quiet                no summary on stderr`;

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      records: { type: "string", default: "1000" },
      seed: { type: "string", default: "42" },
      out: { type: "string" },
      gzip: { type: "boolean", default: false },
      format: { type: "string", default: "e5" },
      "max-negatives": { type: "string", default: "7" },
      negatives: { type: "string" },
      "passage-words": { type: "string" },
      "defect-rate": { type: "string" },
      rate: { type: "string", multiple: true, default: [] },
      "counterfactual-rate": { type: "string" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const num = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${name}: not a number: ${v}`);
    return n;
  };
  const rates: Partial<DefectRates> = {};
  for (const r of values.rate) {
    const [k, v] = r.split("=");
    if (!DEFECTS.includes(k as DefectName))
      throw new Error(`--rate: unknown defect ${k} (one of ${DEFECTS.join(", ")})`);
    rates[k as DefectName] = num("rate", v)!;
  }
  if (values.format !== "e5" && values.format !== "flagembedding")
    throw new Error(`--format must be e5 or flagembedding, got ${values.format}`);
  const opts: GenerateOptions & { maxNegatives: number; negatives?: number } = {
    records: num("records", values.records)!,
    seed: num("seed", values.seed)!,
    defectRate: num("defect-rate", values["defect-rate"]),
    rates,
    counterfactualRate: num("counterfactual-rate", values["counterfactual-rate"]),
    maxNegatives: num("max-negatives", values["max-negatives"])!,
    negatives: num("negatives", values.negatives),
    passageWords: num("passage-words", values["passage-words"]),
  };
  const outPath = values.out && values.out !== "-" ? values.out : undefined;
  const gzip = values.gzip || (outPath?.endsWith(".gz") ?? false);
  const tally = newTally();
  const started = performance.now();
  let bytes = 0;

  function* chunks(): Generator<string> {
    let buf = "";
    if (values.format === "e5") {
      for (const rec of generateRecords(opts)) {
        const p = paramsOf(rec);
        const fam = familyOf(rec);
        const lang = fam === "bitext" ? `${p.source_language}->${p.target_language}` : String(p.language);
        addToTally(tally, fam, lang, rec._injected_defect, rec._note);
        buf += `${toJson(rec)}\n`;
        if (buf.length > 1 << 18) {
          bytes += Buffer.byteLength(buf);
          yield buf;
          buf = "";
        }
      }
    } else {
      for (const rec of generateFlagEmbedding(opts)) {
        addToTally(tally, rec._family, rec._language, rec._injected_defect, rec._note);
        buf += `${toJson(rec)}\n`;
        if (buf.length > 1 << 18) {
          bytes += Buffer.byteLength(buf);
          yield buf;
          buf = "";
        }
      }
    }
    if (buf) {
      bytes += Buffer.byteLength(buf);
      yield buf;
    }
  }

  const source = Readable.from(chunks(), { objectMode: false });
  if (outPath) {
    mkdirSync(path.dirname(path.resolve(outPath)), { recursive: true });
    const file = createWriteStream(outPath);
    if (gzip) await pipeline(source, createGzip({ level: 6 }), file);
    else await pipeline(source, file);
  } else if (gzip) await pipeline(source, createGzip({ level: 6 }), process.stdout);
  else {
    for await (const chunk of source) if (!process.stdout.write(chunk)) await once(process.stdout, "drain");
  }
  const secs = (performance.now() - started) / 1000;
  if (values.quiet) return;

  const expected = expectedDefectRates(opts);
  const n = tally.records;
  const lines: string[] = [];
  lines.push(
    `${fmt(n)} ${values.format} records in ${secs.toFixed(2)} s (${fmt(Math.round(n / secs))} records/s), ` +
      `${(bytes / 1e6).toFixed(1)} MB uncompressed${outPath ? ` -> ${outPath}${gzip ? " (gzip)" : ""}` : ""}`,
  );
  lines.push("", "family        records   share");
  for (const f of FAMILIES)
    lines.push(
      `${f.padEnd(12)} ${fmt(tally.families[f] ?? 0).padStart(9)}  ${(((tally.families[f] ?? 0) / n) * 100).toFixed(1).padStart(5)}%`,
    );
  lines.push("", "language            records");
  for (const [l, c] of Object.entries(tally.languages)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 14))
    lines.push(`${l.padEnd(18)} ${fmt(c).padStart(9)}`);
  lines.push("", `defect               injected  expected ${FAMILIES.map((f) => f.padStart(12)).join("")}`);
  let total = 0;
  for (const d of DEFECTS) {
    const c = tally.defects[d] ?? 0;
    total += c;
    lines.push(
      `${d.padEnd(20)} ${fmt(c).padStart(9)} ${fmt(Math.round(expected[d] * n)).padStart(9)} ` +
        FAMILIES.map((f) => fmt(tally.defectsByFamily[f]?.[d] ?? 0).padStart(12)).join(""),
    );
  }
  lines.push(
    `${"(any defect)".padEnd(20)} ${fmt(total).padStart(9)} ${fmt(Math.round(DEFECTS.reduce((a, d) => a + expected[d], 0) * n)).padStart(9)}   ${((total / n) * 100).toFixed(1)}% of records`,
  );
  lines.push(
    `${"counterfactual (clean)".padEnd(20)} ${fmt(tally.counterfactual).padStart(7)} ${fmt(Math.round(expected.counterfactual * n)).padStart(9)}`,
  );
  process.stderr.write(`${lines.join("\n")}\n`);
}

const invoked = process.argv[1] ? pathToFileURL(path.resolve(process.argv[1])).href : "";
if (import.meta.url === invoked) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException | undefined)?.code === "EPIPE") return; // e.g. piped into `head`
    process.stderr.write(`generate: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
