/**
 * language_mismatch: a text not in the requested language (`params.language`; for bitext, S1 in
 * `source_language` and S2/S3 in `target_language`).
 *
 * Uses `guessLanguage` (script first, then stop words / franc-min for Latin script). Never flags
 * when the requested language is unknown, when the text is too short to tell (fewer than 20
 * letters, or 6 Han/Kana/Hangul characters), or when the guess is unsure. A different script
 * (asked Korean, got Latin) scores 0.95; two Latin-script languages 0.8, and only when the text
 * has at least 8 words and the two are not easily confused (es/pt/it/gl/ca, the Scandinavian
 * languages, hr/bs/sr/sl, id/ms, cs/sk), and when function words confirm the guess (none of the
 * asked language's and some of the guessed one's, or at least two and more than twice as many;
 * 12+ words when no list exists for one of them: keyword queries fool the guess). Chinese vs Japanese: asked Japanese and no kana at all in
 * 30+ Han characters, or asked Chinese and the guess is Japanese (kana present).
 * Class labels (long-short positive/negative) are not checked: they are often English by design.
 */
import { z } from "zod";
import { guessLanguage, languageCode } from "@/lib/formats/language";
import { evidence, type FieldText, fieldsOf, makeFlag } from "./common";
import { countWordsAccurate } from "./text";
import type { Detector, Flag } from "./types";

const VERSION = 1;

export const languageMismatchOptions = z.object({
  minLetters: z.number().int().positive().default(20),
  minCjkChars: z.number().int().positive().default(6),
  /** Latin vs Latin: minimum words before a guess counts. */
  minLatinWords: z.number().int().positive().default(8),
});
export type LanguageMismatchOptions = z.infer<typeof languageMismatchOptions>;

const CONFUSABLE: string[][] = [
  ["es", "pt", "it", "gl", "ca"],
  ["no", "nb", "nn", "da", "sv"],
  ["hr", "bs", "sr", "sl"],
  ["id", "ms"],
  ["cs", "sk"],
];
const confusable = (a: string, b: string): boolean => CONFUSABLE.some((g) => g.includes(a) && g.includes(b));

const LATIN_LANGS = new Set([
  "en",
  "de",
  "fr",
  "es",
  "it",
  "pt",
  "nl",
  "pl",
  "id",
  "ms",
  "vi",
  "tr",
  "sw",
  "ro",
  "hr",
  "bs",
  "sr",
  "tl",
  "hu",
  "az",
  "cs",
  "sk",
  "sv",
  "da",
  "no",
  "nb",
  "nn",
  "fi",
  "et",
  "lv",
  "lt",
  "sl",
  "ca",
  "gl",
  "eu",
  "ga",
  "is",
  "sq",
  "af",
  "so",
  "zu",
  "jv",
  "su",
  "ha",
  "yo",
  "ig",
  "uz",
  "mg",
  "ny",
  "rw",
  "ln",
  "rn",
  "la",
  "eo",
]);

/** Frequent function words, to confirm a Latin-script guess against the asked language. */
const FUNCTION_WORDS: Record<string, Set<string>> = {
  en: new Set("the and of is are was were with for that this what how does to in it be".split(" ")),
  de: new Set("der die das und ist nicht mit ein eine wie was für auf den dem sich zu".split(" ")),
  fr: new Set(
    "le la les l d qu et est des une un pour dans que qui sur avec du au ne pas de en a".split(" "),
  ),
  es: new Set("el la los las y es en una un para con que por del se qué cómo de lo al".split(" ")),
  it: new Set("il la di che è per una con del della non sono gli le".split(" ")),
  pt: new Set("o os as que do da em um uma para com não dos das é".split(" ")),
  nl: new Set("de het een en van is dat op te niet zijn met voor".split(" ")),
};

const FUNCTION_LANGS = Object.keys(FUNCTION_WORDS);
/** Function word → ids (indexes in FUNCTION_LANGS) of the languages that use it. */
const FUNCTION_INDEX = new Map<string, number[]>();
FUNCTION_LANGS.forEach((lang, id) => {
  for (const w of FUNCTION_WORDS[lang] as Set<string>) {
    const list = FUNCTION_INDEX.get(w);
    if (list) list.push(id);
    else FUNCTION_INDEX.set(w, [id]);
  }
});
const counts = new Float64Array(FUNCTION_LANGS.length);

function functionWordCounts(text: string, a: string, b: string): [number, number] | undefined {
  const ia = FUNCTION_LANGS.indexOf(a);
  const ib = FUNCTION_LANGS.indexOf(b);
  if (ia < 0 || ib < 0) return undefined;
  let na = 0;
  let nb = 0;
  for (const w of text.toLowerCase().split(/[^\p{L}]+/u)) {
    const ids = FUNCTION_INDEX.get(w);
    if (!ids) continue;
    // A word shared by several languages splits its vote between them.
    if (ids.includes(ia)) na += 1 / ids.length;
    if (ids.includes(ib)) nb += 1 / ids.length;
  }
  return [na, nb];
}

/**
 * Whether the start of a text clearly reads as `asked`: at least 3 votes from its function words
 * (a word shared by n languages gives each 1/n), and at least twice the votes of any other listed
 * language.
 */
function functionWordsAgree(text: string, asked: string): boolean {
  const sample = (text.length > 300 ? text.slice(0, 300) : text).toLowerCase();
  counts.fill(0);
  const re = /\p{L}+/gu;
  let m: RegExpExecArray | null = re.exec(sample);
  while (m !== null) {
    // A word shared by several languages splits its vote between them.
    const ids = FUNCTION_INDEX.get(m[0]);
    if (ids) for (const id of ids) (counts[id] as number) += 1 / ids.length;
    m = re.exec(sample);
  }
  const askedId = FUNCTION_LANGS.indexOf(asked);
  const mine = counts[askedId] as number;
  if (mine < 3) return false;
  for (let id = 0; id < counts.length; id++)
    if (id !== askedId && (counts[id] as number) * 2 > mine) return false;
  return true;
}

const NAMES: Record<string, string> = {
  en: "English",
  de: "German",
  fr: "French",
  es: "Spanish",
  it: "Italian",
  pt: "Portuguese",
  nl: "Dutch",
  zh: "Chinese",
  ja: "Japanese",
  ko: "Korean",
  ru: "Russian",
  ar: "Arabic",
  hi: "Hindi",
  pl: "Polish",
  tr: "Turkish",
  vi: "Vietnamese",
  id: "Indonesian",
  th: "Thai",
  sv: "Swedish",
  uk: "Ukrainian",
};
const nameOf = (code: string): string => NAMES[code] ?? code;

interface ScriptCounts {
  latin: number;
  han: number;
  kana: number;
  hangul: number;
  other: number;
}

function scripts(text: string): ScriptCounts {
  const c: ScriptCounts = { latin: 0, han: 0, kana: 0, hangul: 0, other: 0 };
  const n = Math.min(text.length, 2000);
  for (let i = 0; i < n; i++) {
    const ch = text.charCodeAt(i);
    if ((ch >= 0x61 && ch <= 0x7a) || (ch >= 0x41 && ch <= 0x5a) || (ch >= 0xc0 && ch <= 0x24f)) c.latin++;
    else if (ch < 0x80) continue;
    else if ((ch >= 0x4e00 && ch <= 0x9fff) || (ch >= 0x3400 && ch <= 0x4dbf)) c.han++;
    else if (ch >= 0x3040 && ch <= 0x30ff && ch !== 0x30fb && ch !== 0x30fc) c.kana++;
    else if (ch >= 0xac00 && ch <= 0xd7a3) c.hangul++;
    else if (ch >= 0x370 && !(ch >= 0x2000 && ch <= 0x2bff) && !(ch >= 0x3000 && ch <= 0x303f) && ch < 0xfe00)
      c.other++;
  }
  return c;
}

interface Verdict {
  guessed: string;
  score: number;
}

/** Compares a text with the requested language; undefined when it matches or cannot be told. */
export function languageVerdict(
  text: string,
  asked: string,
  o: LanguageMismatchOptions,
): Verdict | undefined {
  const s = scripts(text);
  const cjk = s.han + s.kana + s.hangul;
  const letters = s.latin + cjk + s.other;
  if (cjk < o.minCjkChars && letters < o.minLetters) return undefined;
  // Script-level expectations for the CJK languages.
  if (asked === "ko" || asked === "ja" || asked === "zh") {
    if (cjk === 0 && s.latin >= o.minLetters) {
      const g = guessLanguage(text);
      return { guessed: g ?? "a Latin-script language", score: 0.95 };
    }
  }
  // Script already says so for Korean; function words already say so for the listed Latin languages.
  if (asked === "ko" && s.hangul >= letters * 0.5) return undefined;
  if (asked === "zh" && s.han >= letters * 0.5 && s.kana === 0) return undefined;
  if (asked === "ja" && s.kana >= 3 && s.han + s.kana >= letters * 0.5) return undefined;
  if (FUNCTION_WORDS[asked] && functionWordsAgree(text, asked)) return undefined;
  // A short Latin-script text in a Latin-script request: too short to tell (and not worth a guess).
  if (
    LATIN_LANGS.has(asked) &&
    s.latin >= letters * 0.5 &&
    countWordsAccurate(text, undefined, 12) < o.minLatinWords
  )
    return undefined;
  const guessed = guessLanguage(text);
  if (!guessed || guessed === asked) return undefined;
  if (asked === "ja" && guessed === "zh") {
    return s.kana === 0 && s.han >= 30 ? { guessed, score: 0.8 } : undefined;
  }
  if (asked === "zh" && guessed === "ja") return s.kana >= 3 ? { guessed, score: 0.85 } : undefined;
  const askedLatin = LATIN_LANGS.has(asked);
  const guessedLatin = LATIN_LANGS.has(guessed);
  if (askedLatin && guessedLatin) {
    if (confusable(asked, guessed)) return undefined;
    const n = countWordsAccurate(text, undefined, 12);
    if (n < o.minLatinWords) return undefined;
    // Confirm with function words; without lists for both languages, ask for a longer text.
    const counts = functionWordCounts(text, asked, guessed);
    if (counts) {
      const [askedCount, guessedCount] = counts;
      const confirmed =
        askedCount === 0 ? guessedCount >= 1 : guessedCount >= 2 && guessedCount > 2 * askedCount;
      if (!confirmed) return undefined;
    } else if (n < 12) return undefined;
    return { guessed, score: 0.8 };
  }
  // Different scripts (or a script-specific language): a clear mismatch, if the text has enough of it.
  if (cjk < o.minCjkChars && letters < o.minLetters) return undefined;
  return { guessed, score: 0.95 };
}

/** The requested language of each field, as a short code. */
function requested(
  record: Parameters<Detector["detect"]>[0],
): { field: FieldText; code: string; asked: string }[] {
  const out: { field: FieldText; code: string; asked: string }[] = [];
  const fields = fieldsOf(record);
  const p = record.params;
  const isLabels = record.taskFamily === "long-short" || record.taskFamily === "classification";
  if (
    record.taskFamily === "bitext" ||
    (p.source_language !== undefined && p.target_language !== undefined)
  ) {
    const src = languageCode(p.source_language);
    const tgt = languageCode(p.target_language);
    const [q, ...passages] = fields;
    if (src && q) out.push({ field: q, code: src, asked: String(p.source_language) });
    if (tgt) for (const f of passages) out.push({ field: f, code: tgt, asked: String(p.target_language) });
    return out;
  }
  const code = languageCode(p.language);
  if (!code) return out;
  for (const f of fields) {
    if (isLabels && f.target !== "query") continue;
    out.push({ field: f, code, asked: String(p.language) });
  }
  return out;
}

export const languageMismatch: Detector<LanguageMismatchOptions> = {
  defect: "language_mismatch",
  version: VERSION,
  description: "A text not in the requested language (params.language; bitext source/target languages).",
  optionsSchema: languageMismatchOptions,
  detect(record, _ctx, o) {
    const flags: Flag[] = [];
    for (const { field, code, asked } of requested(record)) {
      const v = languageVerdict(field.text, code, o);
      if (!v) continue;
      const note = `asked: ${asked} · looks like: ${nameOf(v.guessed)}`;
      flags.push(makeFlag("language_mismatch", VERSION, field, v.score, [evidence(field, 0, 0, note)]));
    }
    return flags;
  },
};
