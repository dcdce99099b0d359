/**
 * query_leakage: the query (most of it, in order) copied verbatim or nearly into the positive or a
 * negative.
 *
 * The copy is the best near-verbatim alignment of the query in the passage (lib/detect/align.ts:
 * case, punctuation and whitespace ignored; characters for Chinese, Japanese and Korean). A good
 * answer often restates a question as a statement ("Does the vaccine cause fever?" → "the vaccine
 * causes fever"), which is not leakage. So a copy covering ≥ 70% of the query must also be one of:
 * - the question itself: the query is a question and the copied span keeps its question frame (a
 *   question word — what, wie, comment, cómo, 什么, 何, 무엇… —, the opening auxiliary of a yes/no
 *   question, a question particle, or the question mark after it);
 * - for a query that is not a yes/no question, a long verbatim run: ≥ 7 content words (20 CJK
 *   characters) copied exactly and contiguously (intel_llm_augmented_queries.jsonl line 10, a
 *   when-question: "…goal of five manufacturing technology nodes in four years", 7 content words;
 *   an answer restating a wh-question — "Comment la clé d'API améliore la mise à jour de version ?"
 *   → "la clé d'API améliore la mise à jour de version", 6 — stays below).
 *   A yes/no question is answered by restating all of it ("Est-ce que l'analyse de sang limite le
 *   plan de traitement ?" → "l'analyse de sang limite le plan de traitement"; "构建脚本会增加单元测试吗"
 *   → without 吗), so there only the question frame counts;
 * - for a query that is not a question (keywords, a statement): ≥ 85% of it.
 * Queries under 5 words (Chinese/Japanese: under 8 characters or 5 segmenter words; Korean: 5
 * eojeol, 4 for a question) are never checked: a keyword query that appears in its passage (a title, a name, "vegan lasagna" in a
 * recipe) is normal.
 */
import { z } from "zod";
import { type CopiedSpan, findCopy, longestExactRun, sourceSize } from "./align";
import { clamp01, evidence, makeFlag, passagesOf } from "./common";
import { segmentWords } from "./text";
import type { Detector, DetectRecord, Flag } from "./types";

const VERSION = 1;

export const queryLeakageOptions = z.object({
  /** Weighted share of the query that must be copied, in order, into one span of the passage. */
  minCoverage: z.number().min(0).max(1).default(0.7),
  /** Queries shorter than this (words, space-separated scripts) are never checked. */
  minQueryWords: z.number().int().positive().default(5),
  /** Content words (not function words) that the copy must contain (and `minQueryWords` words in all). */
  minContentWords: z.number().int().positive().default(3),
  /** Queries in Han/Kana/Hangul: minimum length in characters (punctuation and spaces excluded)… */
  minQueryChars: z.number().int().positive().default(8),
  /** …and in words for Chinese and Japanese (Intl.Segmenter words: "チェックイン時間" is 2). */
  minCjkWords: z.number().int().positive().default(5),
  /** An exact contiguous run of this many content words counts without a question frame… */
  longRunWords: z.number().int().positive().default(7),
  /** …and of this many characters for Chinese, Japanese and Korean. */
  longRunChars: z.number().int().positive().default(20),
  /** Coverage needed when the query is not a question (nothing tells a restatement apart). */
  minCoverageStatement: z.number().min(0).max(1).default(0.85),
  /**
   * Short-short and other pair data (NLI, paraphrases): a passage that is mostly the copy (at least
   * this share of its characters) restates the query rather than leaking it, and is not flagged.
   */
  restatementShare: z.number().min(0).max(1).default(0.7),
  /** Families whose positive is meant to restate the query (STS, bitext) or is a label (long-short). */
  skipFamilies: z.array(z.string()).default(["sts", "bitext", "long-short", "classification", "clustering"]),
});
export type QueryLeakageOptions = z.infer<typeof queryLeakageOptions>;

/** Whether a copy of the query is big enough to count as leakage (before the question-frame test). */
export function isLeak(copy: CopiedSpan | undefined, o: QueryLeakageOptions): copy is CopiedSpan {
  if (!copy || copy.coverage < o.minCoverage) return false;
  if (copy.units === "words")
    return copy.matchedContent >= o.minContentWords && copy.matched >= o.minQueryWords;
  return copy.matched >= o.minQueryChars;
}

/** Question words (anywhere in the query), lower case, whole words. */
const WH_WORDS = new Set(
  (
    "what how why when where who whom whose which " +
    "was wie warum wieso weshalb wann wo woher wohin wer wen wem wessen welche welcher welches welchen welchem " +
    "worauf womit wofür wozu wodurch " +
    "que qu quoi quel quelle quels quelles comment pourquoi quand où qui combien lequel laquelle " +
    "qué cómo cuándo dónde quién quiénes cuál cuáles cuánto cuánta cuántos cuántas porqué"
  ).split(" "),
);
/** Auxiliaries that make a yes/no question when they open the query ("Does…", "Ist…", "Est-ce…"). */
const AUX_OPENERS = new Set(
  (
    "does do did is are was were can could should would will shall may might has have had " +
    "ist sind kann können gibt hat haben muss darf soll sollte hilft braucht wird werden " +
    "est sont peut faut peut-on est-ce " +
    "es son puede hay tiene"
  ).split(" "),
);
/** Question-word markers of Chinese, Japanese and Korean (substrings). */
const CJK_WH =
  /什么|怎么|怎样|如何|为什么|为何|哪|几|多少|何|なに|どう|どの|どこ|いつ|なぜ|誰|だれ|いくら|どれ|どんな|무엇|뭐|어떻게|왜|언제|어디|누구|얼마|몇|어느/gu;
/** Yes/no question particles of Chinese, Japanese and Korean (at the end; 是否-like anywhere). */
const CJK_YESNO = /(?:吗|呢|ですか|ますか|でしょうか|か|까|나요|인가요)$|是否|能否|可否|有没有|是不是/gu;

export interface QuestionFrame {
  /** "wh": asks for a thing (what, 什么, 무엇…); "yesno": asks whether (Does…?, 吗, か, 까). */
  kind: "wh" | "yesno";
  /** Question words found anywhere (lower case). */
  wh: string[];
  /** The auxiliary opening a yes/no question ("does", "ist", "est-ce"), if any. */
  opener?: string;
  /** CJK markers found. */
  cjk: string[];
  /** Ends with a question mark (or opens with ¿). */
  mark: boolean;
}

/** The query's question frame, or undefined when it is not a question. */
export function questionFrame(query: string): QuestionFrame | undefined {
  const q = query.trim();
  const mark = /[?？]\s*$/.test(q) || /^\s*¿/.test(q);
  const tokens = q.toLowerCase().match(/[\p{L}\p{M}'’-]+/gu) ?? [];
  // "Est-ce que …" opens a yes/no question: its "que" is no question word.
  const wh = tokens.filter((t, i) => WH_WORDS.has(t) && !(i === 1 && tokens[0] === "est-ce"));
  const first = tokens[0];
  const opener = first !== undefined && AUX_OPENERS.has(first) ? first : undefined;
  const bare = q.replace(/[?？。.!！\s]+$/u, "");
  const cjkWh = [...new Set(bare.match(CJK_WH) ?? [])];
  const cjkYesNo = [...new Set(bare.match(CJK_YESNO) ?? [])];
  if (!mark && wh.length === 0 && !opener && cjkWh.length === 0 && cjkYesNo.length === 0) return undefined;
  const kind = wh.length > 0 || cjkWh.length > 0 ? "wh" : "yesno";
  const frame: QuestionFrame = { kind, wh, cjk: [...cjkWh, ...cjkYesNo], mark };
  if (opener) frame.opener = opener;
  return frame;
}

/** Whether the copied span (and what follows it) keeps the query's question frame. */
function keepsFrame(frame: QuestionFrame, text: string, start: number, end: number): boolean {
  if (frame.mark && /^\s*[?？]/.test(text.slice(end, end + 3))) return true;
  const span = text.slice(Math.max(0, start - 1), end + 1);
  if (frame.cjk.some((m) => span.includes(m))) return true;
  const words: string[] = span.toLowerCase().match(/[\p{L}\p{M}'’-]+/gu) ?? [];
  // A question word anywhere; an auxiliary only where it opens the question ("Does the…"),
  // not inside a statement ("the syllabus does not…").
  if (frame.wh.some((w) => words.includes(w))) return true;
  return frame.opener !== undefined && words[0] === frame.opener;
}

/**
 * Words of a Chinese/Japanese/Korean query: segmenter words, with consecutive Katakana-only pieces
 * counted as one (the segmenter cuts unknown loanwords into fragments: "サブ|スク|リ|プ|ション").
 */
function cjkWords(query: string, lang?: string): number {
  let n = 0;
  let prevKatakana = false;
  for (const w of segmentWords(query, lang)) {
    const katakana = /^[\u30a0-\u30ff]+$/u.test(w.word);
    if (!(katakana && prevKatakana)) n++;
    prevKatakana = katakana;
  }
  return n;
}

export const queryLeakage: Detector<QueryLeakageOptions> = {
  defect: "query_leakage",
  version: VERSION,
  description:
    "The query (most of it, in order) copied verbatim or nearly into the positive or a negative — as " +
    "the question itself or as a long verbatim run, not restated as an answer. Queries under 5 words " +
    "(Chinese/Japanese: 8 characters or 5 words) are never flagged.",
  optionsSchema: queryLeakageOptions,
  detect(record: DetectRecord, _ctx, o): Flag[] {
    if (o.skipFamilies.includes(record.taskFamily)) return [];
    const query = record.query;
    const size = sourceSize(query, record.language);
    if (size.units === "words" ? size.n < o.minQueryWords : size.n < o.minQueryChars) return [];
    let frame: QuestionFrame | undefined | null = null; // computed when first needed
    const frameOf = () => {
      if (frame === null) frame = questionFrame(query);
      return frame;
    };
    // Korean is written with spaces, in eojeol (a word with its particles: about two English
    // words each): 5 of them, or 4 for a question.
    if (size.units === "chars") {
      const hangul = /[\uac00-\ud7a3]/.test(query);
      const minWords = hangul ? (frameOf() ? o.minQueryWords - 1 : o.minQueryWords) : o.minCjkWords;
      if (cjkWords(query, record.language) < minWords) return [];
    }
    const flags: Flag[] = [];
    for (const p of passagesOf(record)) {
      if (p.text.length < query.length * 0.5) continue;
      const copy = findCopy(query, p.text, {
        lang: record.language,
        minCoverage: o.minCoverage,
        requireCoverage: true,
      });
      if (!isLeak(copy, o)) continue;
      if (
        record.taskFamily !== "short-long" &&
        record.taskFamily !== "long-long" &&
        (copy.end - copy.start) / p.text.trim().length >= o.restatementShare
      )
        continue;
      const run = longestExactRun(query, p.text, copy.start, copy.end, record.language);
      const longRun = copy.units === "words" ? o.longRunWords : o.longRunChars;
      let why: "run" | "question" | "statement" | undefined;
      const frame = frameOf();
      // A yes/no question is answered by restating all of it: a long run proves nothing there.
      if (run >= longRun && frame?.kind !== "yesno") why = "run";
      else if (frame) why = keepsFrame(frame, p.text, copy.start, copy.end) ? "question" : undefined;
      else why = copy.coverage >= o.minCoverageStatement ? "statement" : undefined;
      if (!why) continue;
      // 0.6 at the coverage threshold, 1 for a full copy; long copies count more.
      const sizeBonus = copy.units === "words" ? Math.min(0.1, (copy.matched - 5) * 0.02) : 0;
      const score = clamp01(
        0.6 + (0.4 * (copy.coverage - o.minCoverage)) / (1 - o.minCoverage + 1e-9) + sizeBonus,
      );
      const pct = Math.round(copy.coverage * 100);
      const unit = copy.units === "words" ? "words" : "characters";
      const tail =
        why === "run"
          ? `, ${run} ${copy.units === "words" ? "content words" : "characters"} in a row verbatim`
          : why === "question"
            ? ", as a question"
            : "";
      const note = `copies ${copy.matched} of the query's ${copy.total} ${unit} (${pct}%)${tail}`;
      flags.push(makeFlag("query_leakage", VERSION, p, score, [evidence(p, copy.start, copy.end, note)]));
    }
    return flags;
  },
};
