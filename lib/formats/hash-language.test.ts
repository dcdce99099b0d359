import { describe, expect, it } from "vitest";
import { e5 } from "./e5";
import { flagembedding } from "./flagembedding";
import { contentHash } from "./hash";
import { guessLanguage, languageCode } from "./language";
import { countWords } from "./text";
import type { CanonicalRecord } from "./types";

const base: CanonicalRecord = {
  externalId: "a1",
  task: "Retrieve passages",
  taskFamily: "short-long",
  language: "en",
  query: "q",
  positive: { text: "p", score: 0.9 },
  extraPositives: [{ text: "p2" }],
  negatives: [{ text: "n1", score: 0.1 }, { text: "n2" }],
  label: undefined,
  misleadingLabel: undefined,
  params: { num_words: 50, language: "English" },
  meta: { source: "x" },
};

describe("contentHash", () => {
  it("is 32 hex characters and ignores key order, externalId and meta", () => {
    const h = contentHash(base);
    expect(h).toMatch(/^[0-9a-f]{32}$/);
    const reordered: CanonicalRecord = {
      meta: { other: 1 },
      params: { language: "English", num_words: 50 },
      negatives: [{ score: 0.1, text: "n1" }, { text: "n2" }],
      extraPositives: [{ text: "p2" }],
      positive: { score: 0.9, text: "p" },
      query: "q",
      language: "en",
      taskFamily: "short-long",
      task: "Retrieve passages",
      externalId: "other-id",
    };
    expect(contentHash(reordered)).toBe(h);
  });

  it("ignores what pairsift infers (family, guessed language), so a better guesser adds no duplicates", () => {
    expect(contentHash({ ...base, taskFamily: "long-long", language: "de" })).toBe(contentHash(base));
  });

  it("changes with any content change", () => {
    const h = contentHash(base);
    const variants: Partial<CanonicalRecord>[] = [
      { task: "Retrieve documents" },
      { task: undefined },
      { query: "q " },
      { positive: { text: "p", score: 0.8 } },
      { positive: { text: "p" } },
      { extraPositives: [] },
      { negatives: [{ text: "n2" }, { text: "n1", score: 0.1 }] },
      { negatives: [{ text: "n1", score: 0.1 }] },
      { label: "x" },
      { misleadingLabel: "y" },
      { params: { num_words: 100, language: "English" } },
      { params: { num_words: "50", language: "English" } },
    ];
    const hashes = variants.map((v) => contentHash({ ...base, ...v }));
    for (const x of hashes) expect(x).not.toBe(h);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it("same source content in a different key order gives the same hash through a format", () => {
    const a = flagembedding.toRecord({
      query: "q",
      pos: ["p"],
      neg: ["n"],
      pos_scores: [1],
      neg_scores: [0],
      prompt: "t",
    });
    const b = flagembedding.toRecord({
      prompt: "t",
      neg_scores: [0],
      neg: ["n"],
      pos_scores: [1],
      pos: ["p"],
      query: "q",
    });
    expect(a.ok && b.ok && contentHash(a.record) === contentHash(b.record)).toBe(true);
    const c = e5.toRecord({
      params: { b: 1, a: 2 },
      user_query: "q",
      positive_document: "p",
      hard_negative_document: "n",
    });
    const d = e5.toRecord({
      hard_negative_document: "n",
      positive_document: "p",
      user_query: "q",
      params: { a: 2, b: 1 },
    });
    expect(c.ok && d.ok && contentHash(c.record) === contentHash(d.record)).toBe(true);
  });
});

describe("languageCode", () => {
  it("maps language names and codes to short codes", () => {
    expect(
      ["English", "Chinese", "Simplified Chinese", "Korean", "Japanese", "German", "french", " Spanish "].map(
        languageCode,
      ),
    ).toEqual(["en", "zh", "zh", "ko", "ja", "de", "fr", "es"]);
    expect(["en", "zh-CN", "pt_BR", "deu", "Klingon", "", 5].map(languageCode)).toEqual([
      "en",
      "zh",
      "pt",
      "de",
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe("guessLanguage", () => {
  it("decides CJK and other scripts by script", () => {
    expect(guessLanguage("鹦鹉吃自己的小鱼吗")).toBe("zh");
    expect(guessLanguage("山の上に顔の白い牛が2頭います。")).toBe("ja");
    expect(guessLanguage("東京タワー")).toBe("ja");
    expect(guessLanguage("안전모를 가진 한 남자가 춤을 추고 있다.")).toBe("ko");
    expect(guessLanguage("大韓民國 헌법 제1조")).toBe("ko");
    expect(guessLanguage("Москва — столица России.")).toBe("ru");
    expect(guessLanguage("القاهرة هي عاصمة مصر")).toBe("ar");
    expect(guessLanguage("Η Αθήνα είναι η πρωτεύουσα της Ελλάδας.")).toBe("el");
    expect(guessLanguage("กรุงเทพมหานครเป็นเมืองหลวงของประเทศไทย")).toBe("th");
    expect(guessLanguage("नई दिल्ली भारत की राजधानी है")).toBe("hi");
  });

  it("guesses Latin-script languages from stop words or franc, and says undefined when unsure", () => {
    expect(guessLanguage("What is the capital of Australia and why was it chosen?")).toBe("en");
    expect(guessLanguage("A man giving a speech in a restaurant.")).toBe("en");
    expect(guessLanguage("Die Europäische Zentralbank hat den Leitzins nicht verändert.")).toBe("de");
    expect(guessLanguage("Le musée est fermé le lundi et ouvert tous les autres jours.")).toBe("fr");
    expect(guessLanguage("El museo está cerrado los lunes y abre el resto de la semana.")).toBe("es");
    expect(guessLanguage("Il museo è chiuso il lunedì e aperto negli altri giorni della settimana.")).toBe(
      "it",
    );
    expect(guessLanguage("O museu está fechado às segundas e abre nos outros dias da semana.")).toBe("pt");
    expect(guessLanguage("Het museum is op maandag gesloten en de andere dagen open.")).toBe("nl");
    expect(guessLanguage("Muzeum jest zamknięte w poniedziałki, ale otwarte w pozostałe dni.")).toBe("pl");
    expect(guessLanguage("Bảo tàng đóng cửa vào thứ Hai và mở cửa vào các ngày còn lại trong tuần.")).toBe(
      "vi",
    );
    expect(guessLanguage("Müze pazartesi günleri kapalıdır ve haftanın diğer günlerinde açıktır.")).toBe(
      "tr",
    );
    expect(guessLanguage("xyz")).toBeUndefined();
    expect(guessLanguage("12345 !!! ---")).toBeUndefined();
    expect(guessLanguage("")).toBeUndefined();
  });

  it("looks at the first 400 characters only", () => {
    expect(guessLanguage(`${"The cat is on the mat. ".repeat(20)}${"这是中文。".repeat(200)}`)).toBe("en");
  });
});

describe("countWords", () => {
  it("counts whitespace words, and two CJK characters as one word", () => {
    expect(countWords("one two  three\nfour")).toBe(4);
    expect(countWords("鹦鹉吃自己的小鱼吗")).toBe(5);
    expect(countWords("안전모를 가진 한 남자가")).toBe(4);
    expect(countWords("word ".repeat(1000), 40)).toBe(41);
  });
});
