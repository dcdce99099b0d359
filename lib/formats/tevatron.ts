import { z } from "zod";
import {
  extraFields,
  has,
  type InputFormat,
  idSchema,
  safeParse,
  type ToRecordResult,
  textSchema,
} from "./format";
import { recordLanguage } from "./language";
import { inferFamilyFromLengths } from "./text";
import type { Passage } from "./types";

const PASSAGES = "an array of passages {docid, title, text}";
const passageSchema = z.looseObject(
  {
    text: textSchema,
    score: z.number({ error: "a number" }).nullish(),
  },
  { error: PASSAGES },
);
type TevatronPassage = z.infer<typeof passageSchema>;

const schema = z.object({
  query_id: idSchema.nullish(),
  query: textSchema,
  positive_passages: z
    .array(passageSchema, { error: PASSAGES })
    .min(1, { error: `a non-empty ${PASSAGES.slice(3)}` }),
  negative_passages: z.array(passageSchema, { error: PASSAGES }).nullish(),
});

const PASSAGE_KEYS = new Set(["text", "score"]);

/** docid, title and any other passage fields go to passage meta. */
function toPassage(p: TevatronPassage): Passage {
  const out: Passage = { text: p.text };
  if (typeof p.score === "number") out.score = p.score;
  const meta = extraFields(p, PASSAGE_KEYS);
  if (Object.keys(meta).length > 0) out.meta = meta;
  return out;
}

function toRecord(obj: Record<string, unknown>): ToRecordResult {
  const r = safeParse(schema, obj);
  if (!r.ok) return r;
  const d = r.data;
  const positives = d.positive_passages.map(toPassage);
  const positive = positives[0] as Passage;
  return {
    ok: true,
    record: {
      externalId: d.query_id ?? undefined,
      taskFamily: inferFamilyFromLengths(d.query, positive.text),
      language: recordLanguage(undefined, d.query, positive.text),
      query: d.query,
      positive,
      extraPositives: positives.slice(1),
      negatives: (d.negative_passages ?? []).map(toPassage),
      params: {},
      meta: extraFields(obj, new Set(["query_id", "query", "positive_passages", "negative_passages"])),
    },
  };
}

export const tevatron: InputFormat = {
  id: "tevatron",
  label: "Tevatron",
  description:
    "Tevatron training data {query_id, query, positive_passages:[{docid,title,text}], negative_passages:[…]}",
  example:
    '{"query_id": "q1", "query": "what is dense retrieval", "positive_passages": [{"docid": "d7", "title": "Dense retrieval", ' +
    '"text": "Dense retrieval encodes…"}], "negative_passages": [{"docid": "d9", "title": "BM25", "text": "BM25 is…"}]}',
  detect(obj) {
    return has(obj, "positive_passages") || (has(obj, "query_id") && has(obj, "negative_passages"));
  },
  toRecord,
};
