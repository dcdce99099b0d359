import { francAll } from "franc-min";

/** How many characters of a text the guess looks at (franc, scripts), and the stop-word vote. */
const SAMPLE_CHARS = 400;
const VOTE_CHARS = 250;

// ---------------------------------------------------------------------------------------------
// Language names (as written in E5 `language` / `source_language` params) → short codes.

const NAMES: Record<string, string> = {
  afrikaans: "af",
  albanian: "sq",
  amharic: "am",
  arabic: "ar",
  armenian: "hy",
  assamese: "as",
  azerbaijani: "az",
  basque: "eu",
  belarusian: "be",
  bengali: "bn",
  bangla: "bn",
  bosnian: "bs",
  breton: "br",
  bulgarian: "bg",
  burmese: "my",
  catalan: "ca",
  chinese: "zh",
  mandarin: "zh",
  "simplified chinese": "zh",
  "traditional chinese": "zh",
  "chinese (simplified)": "zh",
  "chinese (traditional)": "zh",
  croatian: "hr",
  czech: "cs",
  danish: "da",
  dutch: "nl",
  english: "en",
  esperanto: "eo",
  estonian: "et",
  filipino: "tl",
  tagalog: "tl",
  finnish: "fi",
  french: "fr",
  galician: "gl",
  georgian: "ka",
  german: "de",
  greek: "el",
  gujarati: "gu",
  hausa: "ha",
  hebrew: "he",
  hindi: "hi",
  hungarian: "hu",
  icelandic: "is",
  indonesian: "id",
  irish: "ga",
  italian: "it",
  japanese: "ja",
  javanese: "jv",
  kannada: "kn",
  kazakh: "kk",
  khmer: "km",
  korean: "ko",
  kurdish: "ku",
  kyrgyz: "ky",
  lao: "lo",
  latin: "la",
  latvian: "lv",
  lithuanian: "lt",
  macedonian: "mk",
  malagasy: "mg",
  malay: "ms",
  malayalam: "ml",
  marathi: "mr",
  mongolian: "mn",
  nepali: "ne",
  norwegian: "no",
  "norwegian bokmål": "nb",
  oriya: "or",
  odia: "or",
  oromo: "om",
  pashto: "ps",
  persian: "fa",
  farsi: "fa",
  polish: "pl",
  portuguese: "pt",
  punjabi: "pa",
  romanian: "ro",
  russian: "ru",
  sanskrit: "sa",
  "scottish gaelic": "gd",
  serbian: "sr",
  sindhi: "sd",
  sinhala: "si",
  slovak: "sk",
  slovenian: "sl",
  somali: "so",
  spanish: "es",
  sundanese: "su",
  swahili: "sw",
  swedish: "sv",
  tamil: "ta",
  telugu: "te",
  thai: "th",
  turkish: "tr",
  ukrainian: "uk",
  urdu: "ur",
  uyghur: "ug",
  uzbek: "uz",
  vietnamese: "vi",
  welsh: "cy",
  western_frisian: "fy",
  "western frisian": "fy",
  xhosa: "xh",
  yiddish: "yi",
  yoruba: "yo",
  zulu: "zu",
};
const KNOWN_CODES = new Set(Object.values(NAMES));

/**
 * A language name ("English", "Simplified Chinese") or code ("en", "zh-CN", "pt_BR") → short
 * code ("en", "zh", "pt"); undefined when it is not recognised.
 */
export function languageCode(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const v = value.trim().toLowerCase();
  if (v === "") return undefined;
  if (Object.hasOwn(NAMES, v)) return NAMES[v];
  const primary = v.split(/[-_]/)[0] ?? "";
  if (primary.length === 2 && KNOWN_CODES.has(primary)) return primary;
  if (primary.length === 3 && Object.hasOwn(ISO3, primary)) return ISO3[primary];
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Guessing from text: script first (cheap), then stop words for common Latin-script languages,
// then franc-min for the rest of Latin script. "a" counts for English only: it is the most common
// English word, while Portuguese, Spanish and Italian texts have plenty of other stop words.

/** ISO 639-3 (franc) → 639-1. Languages franc-min knows but that have no 639-1 code are left out. */
const ISO3: Record<string, string> = {
  eng: "en",
  deu: "de",
  fra: "fr",
  spa: "es",
  ita: "it",
  por: "pt",
  nld: "nl",
  pol: "pl",
  ind: "id",
  jav: "jv",
  vie: "vi",
  tur: "tr",
  swh: "sw",
  sun: "su",
  ron: "ro",
  hau: "ha",
  bos: "bs",
  hrv: "hr",
  srp: "sr",
  yor: "yo",
  uzn: "uz",
  zlm: "ms",
  ibo: "ig",
  tgl: "tl",
  hun: "hu",
  azj: "az",
  ces: "cs",
  plt: "mg",
  nya: "ny",
  kin: "rw",
  zul: "zu",
  swe: "sv",
  lin: "ln",
  som: "so",
  run: "rn",
  rus: "ru",
  ukr: "uk",
  bel: "be",
  bul: "bg",
  kaz: "kk",
  arb: "ar",
  urd: "ur",
  pes: "fa",
  hin: "hi",
  mar: "mr",
  npi: "ne",
};
const FRANC_LATIN_ONLY = [
  "eng",
  "deu",
  "fra",
  "spa",
  "ita",
  "por",
  "nld",
  "pol",
  "ind",
  "vie",
  "tur",
  "swh",
  "ron",
  "hrv",
  "bos",
  "srp",
  "zlm",
  "tgl",
  "hun",
  "azj",
  "ces",
  "swe",
  "som",
  "zul",
  "jav",
  "sun",
  "hau",
  "yor",
  "ibo",
  "uzn",
];

const STOP_WORDS: Record<string, string[]> = {
  en: "a the of and to in is that for it was on with as are by this be what how which from or at an not have has were can does do you your they their there who why when where will would his her he she we its into about than then some all been had but if so up out more other any these those".split(
    " ",
  ),
  de: "der die das und ist nicht ein eine zu den von mit sich des auf für im dem auch es wie wird sind ich wir was bei oder aus nach einer".split(
    " ",
  ),
  fr: "le la les et est un une du que qui dans pour pas sur au avec ce il elle sont par ne je nous vous des aux cette mais ou".split(
    " ",
  ),
  es: "el la los las y que en un una es por con para del se no lo al como su más pero sus está son este esta qué cómo".split(
    " ",
  ),
  it: "il la di e che è un una per del della non con sono gli le da si al dei come lo nel alla anche questo".split(
    " ",
  ),
  pt: "o os as e que do da em um uma é para com não dos das no na por se mais ao como mas está são".split(
    " ",
  ),
  nl: "de het een en van is dat op te in niet zijn met voor er die ook aan wat maar bij naar hoe".split(" "),
  pl: "i w z na się nie jest to do że o jak co ale od po dla są ten czy jak który".split(" "),
};
const STOP_LANGS = Object.keys(STOP_WORDS);
/** Stop word → ids (indexes in STOP_LANGS) of the languages that use it. */
const STOP_INDEX = new Map<string, number[]>();
STOP_LANGS.forEach((lang, id) => {
  for (const w of STOP_WORDS[lang] as string[]) {
    const list = STOP_INDEX.get(w);
    if (list) list.push(id);
    else STOP_INDEX.set(w, [id]);
  }
});
const votes = new Float64Array(STOP_LANGS.length);

/** Scripts told apart by the guess; the index is the script id used in the counting loop. */
const SCRIPTS = [
  "latin",
  "hangul",
  "kana",
  "han",
  "cyrillic",
  "greek",
  "arabic",
  "hebrew",
  "thai",
  "devanagari",
  "bengali",
  "tamil",
  "telugu",
  "kannada",
  "malayalam",
  "gujarati",
  "gurmukhi",
  "georgian",
  "armenian",
  "ethiopic",
  "khmer",
  "lao",
  "myanmar",
  "sinhala",
] as const;
type Script = (typeof SCRIPTS)[number];
const S = Object.fromEntries(SCRIPTS.map((name, i) => [name, i])) as Record<Script, number>;

/** Scripts used by one main language (kana, han and latin are decided separately). */
const SCRIPT_LANGUAGE: Partial<Record<Script, string>> = {
  hangul: "ko",
  cyrillic: "ru",
  greek: "el",
  arabic: "ar",
  hebrew: "he",
  thai: "th",
  devanagari: "hi",
  bengali: "bn",
  tamil: "ta",
  telugu: "te",
  kannada: "kn",
  malayalam: "ml",
  gujarati: "gu",
  gurmukhi: "pa",
  georgian: "ka",
  armenian: "hy",
  ethiopic: "am",
  khmer: "km",
  lao: "lo",
  myanmar: "my",
  sinhala: "si",
};

/** Script id of a non-ASCII UTF-16 code unit, or -1 for marks, punctuation and unknown scripts. */
function scriptOf(c: number): number {
  if (c >= 0xc0 && c <= 0x24f) return c === 0xd7 || c === 0xf7 ? -1 : S.latin;
  if (c >= 0xac00 && c <= 0xd7a3) return S.hangul;
  if (c >= 0x4e00 && c <= 0x9fff) return S.han;
  if (c >= 0x3040 && c <= 0x30ff) return c === 0x30fb || c === 0x30fc ? -1 : S.kana;
  if (c >= 0x3400 && c <= 0x4dbf) return S.han;
  if (c >= 0x1100 && c <= 0x11ff) return S.hangul;
  if (c >= 0x3130 && c <= 0x318f) return S.hangul;
  if (c >= 0xf900 && c <= 0xfaff) return S.han;
  if (c >= 0x31f0 && c <= 0x31ff) return S.kana;
  if (c >= 0xff66 && c <= 0xff9f) return S.kana;
  if (c >= 0x400 && c <= 0x4ff) return S.cyrillic;
  if (c >= 0x370 && c <= 0x3ff) return S.greek;
  if (c >= 0x600 && c <= 0x6ff) return S.arabic;
  if (c >= 0x590 && c <= 0x5ff) return S.hebrew;
  if (c >= 0xe00 && c <= 0xe7f) return S.thai;
  if (c >= 0xe80 && c <= 0xeff) return S.lao;
  if (c >= 0x900 && c <= 0x97f) return S.devanagari;
  if (c >= 0x980 && c <= 0x9ff) return S.bengali;
  if (c >= 0xa00 && c <= 0xa7f) return S.gurmukhi;
  if (c >= 0xa80 && c <= 0xaff) return S.gujarati;
  if (c >= 0xb80 && c <= 0xbff) return S.tamil;
  if (c >= 0xc00 && c <= 0xc7f) return S.telugu;
  if (c >= 0xc80 && c <= 0xcff) return S.kannada;
  if (c >= 0xd00 && c <= 0xd7f) return S.malayalam;
  if (c >= 0xd80 && c <= 0xdff) return S.sinhala;
  if (c >= 0x1000 && c <= 0x109f) return S.myanmar;
  if (c >= 0x10a0 && c <= 0x10ff) return S.georgian;
  if (c >= 0x530 && c <= 0x58f) return S.armenian;
  if (c >= 0x1200 && c <= 0x137f) return S.ethiopic;
  if (c >= 0x1780 && c <= 0x17ff) return S.khmer;
  if (c >= 0x1e00 && c <= 0x1eff) return S.latin;
  return -1;
}

const counts = new Int32Array(SCRIPTS.length);

/**
 * Guess a text's language as a short code ("en", "zh", "ko"…), or undefined when unsure.
 * Looks at the first ~400 characters only. Script decides most languages; Latin script goes
 * through a stop-word vote for common languages and franc-min when that is inconclusive.
 */
export function guessLanguage(text: string): string | undefined {
  const sample = text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text;
  counts.fill(0);
  let latin = 0;
  let letters = 0;
  for (let i = 0; i < sample.length; i++) {
    const c = sample.charCodeAt(i);
    if (c < 0x80) {
      if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) latin++;
      continue;
    }
    const s = scriptOf(c);
    if (s >= 0) {
      (counts[s] as number)++;
      letters++;
    }
  }
  counts[S.latin] = (counts[S.latin] as number) + latin;
  letters += latin;
  if (letters === 0) return undefined;
  const hangul = counts[S.hangul] as number;
  const kana = counts[S.kana] as number;
  const han = counts[S.han] as number;
  if (hangul + kana + han >= letters * 0.3) {
    if (hangul >= kana + han) return "ko";
    if (kana > 0 && kana >= (kana + han) * 0.05) return "ja";
    if (han > hangul) return "zh";
    return hangul > 0 ? "ko" : undefined;
  }
  let best = -1;
  let bestCount = 0;
  for (let s = 0; s < counts.length; s++) {
    if ((counts[s] as number) > bestCount) {
      best = s;
      bestCount = counts[s] as number;
    }
  }
  const script = SCRIPTS[best];
  if (script === undefined) return undefined;
  if (script !== "latin") return SCRIPT_LANGUAGE[script];
  return guessLatin(sample);
}

const isLatinLetter = (c: number): boolean =>
  (c >= 0x61 && c <= 0x7a) ||
  c === 0x27 ||
  (c >= 0xc0 && c <= 0x24f && c !== 0xd7 && c !== 0xf7) ||
  (c >= 0x1e00 && c <= 0x1eff);

function guessLatin(sample: string): string | undefined {
  // Stop-word vote: a word shared by several languages splits its vote between them.
  votes.fill(0);
  const low = (sample.length > VOTE_CHARS ? sample.slice(0, VOTE_CHARS) : sample).toLowerCase();
  let words = 0;
  let start = -1;
  for (let i = 0; i <= low.length; i++) {
    if (i < low.length && isLatinLetter(low.charCodeAt(i))) {
      if (start < 0) start = i;
      continue;
    }
    if (start < 0) continue;
    words++;
    const langs = STOP_INDEX.get(low.slice(start, i));
    if (langs) for (const id of langs) (votes[id] as number) += 1 / langs.length;
    start = -1;
  }
  if (words === 0) return undefined;
  let first = -1;
  let firstVotes = 0;
  let secondVotes = 0;
  for (let id = 0; id < votes.length; id++) {
    const v = votes[id] as number;
    if (v > firstVotes) {
      secondVotes = firstVotes;
      first = id;
      firstVotes = v;
    } else if (v > secondVotes) {
      secondVotes = v;
    }
  }
  if (first >= 0 && firstVotes >= 2 && firstVotes >= words * 0.15 && firstVotes >= secondVotes * 2) {
    return STOP_LANGS[first];
  }
  if (sample.length < 30) return undefined;
  const ranked = francAll(sample, { only: FRANC_LATIN_ONLY, minLength: 30 });
  const top = ranked[0];
  const runnerUp = ranked[1];
  if (!top || top[0] === "und") return undefined;
  if (runnerUp && runnerUp[1] > 0.97) return undefined;
  return ISO3[top[0]];
}

/**
 * The language of a record: the `language` param when the data names it, else a guess from the
 * query (topped up with the start of the positive when the query is short).
 */
export function recordLanguage(named: unknown, query: string, positive: string): string | undefined {
  const given = languageCode(named);
  if (given) return given;
  const sample = query.length >= 200 ? query : `${query}\n${positive.slice(0, SAMPLE_CHARS - query.length)}`;
  return guessLanguage(sample);
}
