/**
 * empty_or_truncated: empty or whitespace-only texts, placeholders ("N/A", "...", "TODO",
 * "<positive_document>"), and passages cut off mid-sentence.
 *
 * Truncation is judged conservatively:
 * - a passage (≥ 3 words) whose last sentence ends in a dangling function word ("… and the",
 *   "… 的", "… の", "… 및", a Korean particle) → 0.8;
 * - a passage that uses sentence punctuation elsewhere but whose last sentence has none → 0.55:
 *   at least 3 words when it continues a line after a full stop ("… Zinsen. Danach ist die Kaution
 *   zurüc"), at least 8 words when it is a line of its own (headings, footers, list items and
 *   URLs end without punctuation too). This stays below the dangling-word case;
 * - a passage of a record whose query and other passages (two at least) all end with a full stop,
 *   while it does not (≥ 3 words): 0.6 — short sentences cut mid-way in STS, bitext and pairs;
 *   only in data sets where at most 5% of passages lack a final stop;
 * - none of the above on passages of a data set where ≥ 20% of the passages of records of the same
 *   family (and STS/bitext unit) lack a final stop
 *   (fixed-size chunks such as NQ or MS MARCO windows: the cut is the data's, seen by a collector);
 * - queries: only a clause cut before its content ("…so far, and what?", "…, or how?") or a
 *   dangling article/conjunction at the end of a query of ≥ 5 words → 0.6. Keyword queries lack
 *   punctuation by nature, so a missing full stop is never a signal there.
 */
import { z } from "zod";
import { evidence, type FieldText, fieldsOf, makeFlag } from "./common";
import { countWordsAccurate } from "./text";
import type { Detector, DetectRecord, Flag } from "./types";

const VERSION = 1;

export const emptyOrTruncatedOptions = z.object({
  /** Passages shorter than this (words) are not checked for a missing final stop on its own… */
  minWords: z.number().int().positive().default(25),
  /** …but a passage of at least this many words ending on a dangling word ("…, however the") is. */
  minDanglingWords: z.number().int().positive().default(3),
  /**
   * A passage of at least this many words (CJK: twice as many characters) without a final stop,
   * while the query and every other passage of the record (two at least) end with one.
   */
  minSiblingWords: z.number().int().positive().default(3),
  /** Also flag passages whose long last sentence lacks terminal punctuation (weaker signal). */
  missingPunctuation: z.boolean().default(true),
  checkQueries: z.boolean().default(true),
  /**
   * Data sets made of fixed-size chunks (NQ/MS MARCO windows, scraped pages): when at least this
   * share of all passages lacks a final stop (over at least `chunkedMinPassages`), that is how the
   * data was cut, not a defect of single records; truncation is then not flagged on passages.
   */
  chunkedShare: z.number().min(0).max(1).default(0.2),
  /**
   * The sibling rule (a passage without a final stop among texts with one) needs a data set that
   * punctuates consistently: at most this share of passages without a final stop. Human sentence
   * pairs (SNLI: ~15%) leave the stop out often enough that a missing one means nothing.
   */
  siblingMaxShare: z.number().min(0).max(1).default(0.05),
  chunkedMinPassages: z.number().int().positive().default(20),
});
export type EmptyOrTruncatedOptions = z.infer<typeof emptyOrTruncatedOptions>;

const PLACEHOLDER = new RegExp(
  "^(?:n\\/?a|none|null|nil|undefined|nan|todo|tbd|tba|placeholder|empty|blank|lorem ipsum.*|\\.{2,}|…+|-+|—+|_+|\\?+|x{3,}|" +
    "<[^<>\\n]{1,40}>|\\{\\{?[^{}\\n]{1,40}\\}?\\}|\\[(?:insert|your|placeholder|text|document|passage|query)[^\\]\\n]{0,60}\\]|" +
    "(?:user_query|positive_document|hard_negative_document|input_text|misleading_label|label|input|query|document|passage)" +
    "|無|无|なし|없음|暂无|待定|略)\\s*[.。]?$",
  "iu",
);

/** Placeholders that cannot be a legitimate class label (labels may well be "none" or "N/A"). */
const LABEL_PLACEHOLDER =
  /^(?:<[^<>\n]{1,40}>|\{\{?[^{}\n]{1,40}\}?\}|\.{2,}|…+|todo|tbd|placeholder|label|misleading_label|input_text)$/iu;

/** Characters that may end a complete passage. */
const TERMINAL = new Set(
  Array.from(".!?。！？…‥\"'”’」』）)]】》〉>»›:;；：~〜～*`♪♥☆★-–—|/").map(
    (c) => c.codePointAt(0) as number,
  ),
);

/** Sentence ends that start the last run (quotes and apostrophes inside a sentence do not). */
const RUN_BREAK = new Set(Array.from(".!?。！？…").map((c) => c.codePointAt(0) as number));

const DANGLING: Record<string, RegExp> = {
  latin:
    /(?<![\p{L}\p{N}])(?:the|a|an|of|to|and|or|but|with|for|from|by|as|that|which|because|than|whose|its|their|our|your|my|is|are|was|were|der|die|das|den|dem|des|ein|eine|einer|und|oder|mit|für|von|zu|weil|dass|le|la|les|l|un|une|des|du|de|d|et|ou|avec|pour|par|que|qui|car|el|los|las|una|y|o|con|para|por|porque|del|al)$/iu,
  cjk: /(?:的|和|与|及|或|而|在|对|把|被|从|向|跟|因为|所以|但是|以及|并且|の|を|に|は|が|と|で|や|へ|から|より|および|また|및|그리고|또는|를|에서|으로|하지만|그러나|때문에|에게|부터|까지|보다|처럼)$/u,
};

const QUERY_CUT =
  /(?:,|，)?\s+((?:and|or|but)\s+(?:what|how|why|when|where|which|who|whom|whose)\s*\??)\s*$/iu;
const QUERY_DANGLING =
  /(?<![\p{L}\p{N}])(?:the|a|an|of|and|or|but|with|because|than|whose|my|your|their|our|its)\s*\??$/iu;

/** Ends with terminal punctuation (or a closing quote/bracket), trailing spaces aside. */
function endsProperly(text: string): boolean {
  const t = text.trimEnd();
  return t.length > 0 && TERMINAL.has(t.codePointAt(t.length - 1) as number);
}

const isSpace = (c: number) => c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x3000;
const isCjkChar = (c: number) =>
  (c >= 0x3040 && c <= 0x30ff) || (c >= 0x4e00 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7a3);

/**
 * The last sentence-like run: from after the last terminal (or line break) to the end, and the
 * terminals before it (counted up to 2).
 */
function lastRun(text: string): { start: number; end: number; hadTerminalBefore: number; ownLine: boolean } {
  let end = text.length;
  while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
  let i = end - 1;
  while (i >= 0) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || RUN_BREAK.has(c)) break;
    i--;
  }
  // Terminals before the last run (is this text punctuated at all?): 2 are enough to tell.
  let terms = 0;
  for (let j = 0; j <= i && terms < 2; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x2e || c === 0x3002 || c === 0x21 || c === 0x3f || c === 0xff01 || c === 0xff1f) terms++;
  }
  let start = i + 1;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  // Does the run start a line of its own (a heading, a footer) or continue prose after a stop?
  let ownLine = i < 0;
  for (let j = i; j >= 0 && j < start; j++) if (text.charCodeAt(j) === 0x0a) ownLine = true;
  return { start, end, hadTerminalBefore: terms, ownLine };
}

function checkPassage(field: FieldText, o: EmptyOrTruncatedOptions, lang?: string): Flag | undefined {
  const text = field.text;
  const run = lastRun(text);
  if (run.end === 0) return undefined;
  const lastChar = text.codePointAt(run.end - 1) as number;
  if (TERMINAL.has(lastChar)) return undefined;
  // Ends in a digit, an emoji or a symbol other than a letter: often a table/list, skip.
  const tail = text.slice(run.start, run.end);
  if (!/[\p{L}]$/u.test(tail)) return undefined;
  const words = countWordsAccurate(text, lang, o.minWords);
  const cjk = isCjkChar(lastChar);
  const dangling = (cjk ? DANGLING.cjk : DANGLING.latin) as RegExp;
  const dm = words >= o.minDanglingWords ? dangling.exec(tail) : null;
  if (dm) {
    const s = run.start + dm.index;
    return makeFlag("empty_or_truncated", VERSION, field, 0.8, [
      evidence(field, run.start, run.end, `ends mid-sentence, on "${text.slice(s, run.end)}"`),
    ]);
  }
  if (words < o.minWords || !o.missingPunctuation || run.hadTerminalBefore < 2) return undefined;
  // A line of its own needs to be long to read as a cut sentence (headings and footers are short);
  // a run continuing a line after a full stop is prose that stopped.
  const needed = run.ownLine ? 8 : 3;
  const runWords = cjk ? (run.end - run.start) / 1.7 : countWordsAccurate(tail, lang, needed);
  if (runWords < needed) return undefined;
  return makeFlag("empty_or_truncated", VERSION, field, 0.55, [
    evidence(field, run.start, run.end, "last sentence has no ending punctuation (cut off?)"),
  ]);
}

function checkQuery(field: FieldText): Flag | undefined {
  const text = field.text.trimEnd();
  const cut = QUERY_CUT.exec(text);
  if (cut) {
    return makeFlag("empty_or_truncated", VERSION, field, 0.6, [
      evidence(
        field,
        cut.index + cut[0].indexOf(cut[1] as string),
        text.length,
        "query stops after a bare question word",
      ),
    ]);
  }
  if (countWordsAccurate(text, undefined, 5) < 5) return undefined;
  const d = QUERY_DANGLING.exec(text);
  if (d) {
    return makeFlag("empty_or_truncated", VERSION, field, 0.6, [
      evidence(field, d.index, text.length, `query ends on "${d[0].replace(/\s*\?$/, "")}"`),
    ]);
  }
  return undefined;
}

export interface PassageEndings {
  passages: number;
  unterminated: number;
}
/** Passage endings per kind of record (family and STS/bitext `unit`: phrases have no final stop). */
export type EndingStats = Map<string, PassageEndings>;
const endingKey = (record: Parameters<Detector["detect"]>[0]): string =>
  `${record.taskFamily}|${record.params.unit ?? ""}`;

export const emptyOrTruncated: Detector<EmptyOrTruncatedOptions, EndingStats> = {
  defect: "empty_or_truncated",
  version: VERSION,
  description:
    "Empty or placeholder texts (N/A, TODO, '...', <positive_document>) and passages cut off mid-sentence.",
  optionsSchema: emptyOrTruncatedOptions,
  collect() {
    const stats: EndingStats = new Map();
    const prepare = (record: DetectRecord): ({ key: string } & PassageEndings) | null => {
      if (record.taskFamily === "long-short" || record.taskFamily === "classification") return null;
      const out = { key: endingKey(record), passages: 0, unterminated: 0 };
      for (const p of [record.positive, ...record.negatives]) {
        if (p.text.trim().length === 0) continue;
        out.passages++;
        if (!endsProperly(p.text)) out.unterminated++;
      }
      return out;
    };
    const addPrepared = (prepared: unknown) => {
      const p = prepared as ({ key: string } & PassageEndings) | null;
      if (!p) return;
      let endings = stats.get(p.key);
      if (!endings) {
        endings = { passages: 0, unterminated: 0 };
        stats.set(p.key, endings);
      }
      endings.passages += p.passages;
      endings.unterminated += p.unterminated;
    };
    return {
      add(record) {
        addPrepared(prepare(record));
      },
      prepare,
      addPrepared,
      finish: () => stats,
    };
  },
  detect(record, ctx, o) {
    const flags: Flag[] = [];
    const shortFamily = record.taskFamily === "long-short" || record.taskFamily === "classification";
    const d = ctx.data?.get(endingKey(record));
    const chunked =
      !!d && d.passages >= o.chunkedMinPassages && d.unterminated / d.passages >= o.chunkedShare;
    for (const field of fieldsOf(record)) {
      const trimmed = field.text.trim();
      if (trimmed.length === 0) {
        flags.push(makeFlag("empty_or_truncated", VERSION, field, 1, [evidence(field, 0, 0, "empty text")]));
        continue;
      }
      const isLabel = shortFamily && field.target !== "query";
      if (trimmed.length <= 80 && (isLabel ? LABEL_PLACEHOLDER : PLACEHOLDER).test(trimmed)) {
        const start = field.text.indexOf(trimmed);
        flags.push(
          makeFlag("empty_or_truncated", VERSION, field, 0.95, [
            evidence(field, start, start + trimmed.length, `placeholder: "${trimmed}"`),
          ]),
        );
        continue;
      }
      let f: Flag | undefined;
      if (field.target === "query") {
        if (o.checkQueries) f = shortFamily ? checkPassage(field, o, record.language) : checkQuery(field);
      } else if (!shortFamily && !chunked) f = checkPassage(field, o, record.language);
      if (f) flags.push(f);
    }
    // Sentences cut short in a record whose other texts all end properly (STS, bitext, short pairs).
    if (chunked) return flags;
    if (d && d.passages >= o.chunkedMinPassages && d.unterminated / d.passages > o.siblingMaxShare)
      return flags;
    const texts = fieldsOf(record).filter((f) => !(shortFamily && f.target !== "query"));
    const ends = texts.map((f) => endsProperly(f.text));
    for (let i = 0; i < texts.length; i++) {
      const field = texts[i] as FieldText;
      if (
        field.target === "query" ||
        ends[i] ||
        flags.some((f) => f.target === field.target && f.negativeIndex === field.negativeIndex)
      )
        continue;
      const others = ends.filter((_, j) => j !== i);
      if (others.length < 2 || !others.every(Boolean)) continue;
      const text = field.text.trimEnd();
      const cjkText = isCjkChar(text.charCodeAt(text.length - 1));
      const size = cjkText ? text.length / 2 : countWordsAccurate(text, record.language, o.minSiblingWords);
      // Ends on a letter, and not on a URL, an address or a file name.
      if (size < o.minSiblingWords || !/\p{L}$/u.test(text) || /[/:@.]\S*$/u.test(text)) continue;
      const start = Math.max(0, text.length - 40);
      flags.push(
        makeFlag("empty_or_truncated", VERSION, field, 0.6, [
          evidence(
            field,
            start,
            text.length,
            "stops without a full stop while the record's other texts end with one",
          ),
        ]),
      );
    }
    return flags;
  },
};
