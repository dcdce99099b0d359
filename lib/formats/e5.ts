import { z } from "zod";
import {
  extraFields,
  has,
  type InputFormat,
  idSchema,
  isPlainObject,
  safeParse,
  setOwn,
  type ToRecordResult,
  textSchema,
  typeName,
} from "./format";
import { languageCode, recordLanguage } from "./language";
import { MAX_JSON_DEPTH, nestedDeeperThan, tooDeepReason } from "./source";
import { countWords } from "./text";
import { type CanonicalRecord, GENERATION_PARAMS, type Passage, type TaskFamily } from "./types";

/** The four key shapes of E5 generated objects; short-short/long-long and sts/bitext share one each. */
type Shape = "short-long" | "long-short" | "pair" | "sts";

const SHAPE_FAMILIES: Record<Shape, readonly TaskFamily[]> = {
  "short-long": ["short-long"],
  "long-short": ["long-short"],
  pair: ["short-short", "long-long"],
  sts: ["sts", "bitext"],
};

const SHAPE_FIELDS: Record<Shape, string> = {
  "short-long": "user_query, positive_document, hard_negative_document",
  "long-short": "input_text, label, misleading_label",
  pair: "input, positive_document",
  sts: "S1, S2, S3",
};

const FAMILY_FIELDS = ["task_family", "family", "task_type"] as const;
const TASK_FIELDS = ["task", "task_definition", "instruction"] as const;
const NESTING_FIELDS = ["output", "response"] as const;

/** Family names as found in E5-style data and reimplementations → canonical family. */
const FAMILY_ALIASES: Record<string, TaskFamily> = {
  "short-long": "short-long",
  retrieval: "short-long",
  "long-short": "long-short",
  classification: "long-short",
  "short-short": "short-short",
  "text-matching-short": "short-short",
  "short-text-matching": "short-short",
  "long-long": "long-long",
  "text-matching-long": "long-long",
  "long-text-matching": "long-long",
  sts: "sts",
  "semantic-textual-similarity": "sts",
  bitext: "bitext",
  "bitext-matching": "bitext",
  "bitext-retrieval": "bitext",
};

export function normalizeE5Family(value: unknown): TaskFamily | undefined {
  if (typeof value !== "string") return undefined;
  const key = value
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-");
  return Object.hasOwn(FAMILY_ALIASES, key) ? FAMILY_ALIASES[key] : undefined;
}

function shapeOf(g: Record<string, unknown>): Shape | undefined {
  if (has(g, "user_query")) return "short-long";
  if (has(g, "input_text")) return "long-short";
  if (has(g, "S1") || has(g, "S2")) return "sts";
  if (has(g, "input") && has(g, "positive_document")) return "pair";
  if (has(g, "positive_document")) return "short-long";
  if (has(g, "misleading_label")) return "long-short";
  return undefined;
}

const SHAPE_SCHEMAS = {
  "short-long": z.object({
    user_query: textSchema,
    positive_document: textSchema,
    hard_negative_document: textSchema,
  }),
  "long-short": z.object({ input_text: textSchema, label: textSchema, misleading_label: textSchema }),
  pair: z.object({
    input: textSchema,
    positive_document: textSchema,
    hard_negative_document: textSchema.nullish(),
  }),
  sts: z.object({ S1: textSchema, S2: textSchema, S3: textSchema }),
} as const;

const SHAPE_KEYS: Record<Shape, ReadonlySet<string>> = {
  "short-long": new Set(["user_query", "positive_document", "hard_negative_document"]),
  "long-short": new Set(["input_text", "label", "misleading_label"]),
  pair: new Set(["input", "positive_document", "hard_negative_document"]),
  sts: new Set(["S1", "S2", "S3"]),
};

const envelopeSchema = z.object({
  id: idSchema.nullish(),
  task: z.string({ error: "a string" }).nullish(),
  task_definition: z.string({ error: "a string" }).nullish(),
  instruction: z.string({ error: "a string" }).nullish(),
  params: z.record(z.string(), z.unknown(), { error: "an object" }).nullish(),
});

type Located =
  | { ok: true; gen: Record<string, unknown>; under?: (typeof NESTING_FIELDS)[number]; wasString?: boolean }
  | { ok: false; reason: string };

/** Strips a Markdown code fence (```json … ```) that LLM responses often carry. */
function stripFence(s: string): string {
  const t = s.trim();
  const m = /^```[\w-]*\s*\n([\s\S]*?)\n?```\s*$/.exec(t);
  return m ? (m[1] as string) : t;
}

/** Finds the generated object: the record itself, or nested under `output` / `response` (maybe a JSON string). */
function locate(obj: Record<string, unknown>): Located {
  if (shapeOf(obj)) return { ok: true, gen: obj };
  for (const key of NESTING_FIELDS) {
    const v = obj[key];
    if (v === undefined || v === null) continue;
    if (isPlainObject(v)) return { ok: true, gen: v, under: key };
    if (typeof v === "string") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(stripFence(v));
      } catch (err) {
        return {
          ok: false,
          reason: `"${key}" is not valid JSON (${err instanceof Error ? err.message : String(err)})`,
        };
      }
      if (!isPlainObject(parsed))
        return { ok: false, reason: `"${key}" must hold a JSON object (got ${typeName(parsed)})` };
      if (nestedDeeperThan(parsed, MAX_JSON_DEPTH)) return { ok: false, reason: tooDeepReason(`"${key}"`) };
      return { ok: true, gen: parsed, under: key, wasString: true };
    }
    return { ok: false, reason: `"${key}" must be an object or a JSON string (got ${typeName(v)})` };
  }
  return { ok: true, gen: obj };
}

const isParamValue = (v: unknown): v is string | number | boolean =>
  typeof v === "string" || (typeof v === "number" && Number.isFinite(v)) || typeof v === "boolean";

const firstNumber = (v: unknown): number | undefined => {
  if (typeof v === "number") return v;
  if (typeof v !== "string") return undefined;
  const m = /\d+(\.\d+)?/.exec(v);
  return m ? Number(m[0]) : undefined;
};

function toRecord(obj: Record<string, unknown>): ToRecordResult {
  const loc = locate(obj);
  if (!loc.ok) return loc;
  const { gen, under } = loc;
  const prefix = under ? `${under}.` : "";
  const shape = shapeOf(gen);
  if (!shape) {
    return {
      ok: false,
      reason: `no E5 fields found${under ? ` in "${under}"` : ""}: expected user_query, input_text, input + positive_document, or S1/S2/S3`,
    };
  }

  const env = safeParse(envelopeSchema, obj);
  if (!env.ok) return env;
  const parsed = safeParse(SHAPE_SCHEMAS[shape], gen, prefix);
  if (!parsed.ok) return parsed;
  const fields = parsed.data as Record<string, string | null | undefined>;

  // Generation params: named ones at top level, everything scalar under `params`.
  const params: Record<string, string | number | boolean> = {};
  const consumed = new Set<string>();
  // The input object itself (zod's copy drops a "__proto__" key), once zod has checked it is one.
  const paramsObj = env.data.params ? (obj.params as Record<string, unknown>) : undefined;
  if (paramsObj) {
    consumed.add("params");
    for (const [k, v] of Object.entries(paramsObj)) if (isParamValue(v)) setOwn(params, k, v);
  }
  for (const k of GENERATION_PARAMS) {
    const v = obj[k];
    if (isParamValue(v)) {
      params[k] = v;
      consumed.add(k);
    }
  }

  // Task definition: top level first, then inside the generated object.
  let task: string | undefined;
  for (const k of TASK_FIELDS) {
    const v = obj[k] ?? (under ? gen[k] : undefined);
    if (typeof v === "string" && v.trim() !== "") {
      task = v;
      if (obj[k] !== undefined) consumed.add(k);
      break;
    }
  }

  // Family: an explicit field when it fits the shape, else inferred.
  let explicit: TaskFamily | undefined;
  for (const k of FAMILY_FIELDS) {
    const v = obj[k] ?? (under ? gen[k] : undefined);
    const fam = normalizeE5Family(v);
    if (fam === undefined) continue;
    if (!SHAPE_FAMILIES[shape].includes(fam)) {
      return {
        ok: false,
        reason: `"${k}" says ${fam} but the fields are those of ${SHAPE_FAMILIES[shape].join(" / ")} (${SHAPE_FIELDS[shape]})`,
      };
    }
    explicit = fam;
    if (obj[k] !== undefined) consumed.add(k);
    break;
  }

  let family: TaskFamily;
  let query: string;
  let positive: string;
  let negatives: Passage[];
  let label: string | undefined;
  let misleadingLabel: string | undefined;
  let language: string | undefined;

  switch (shape) {
    case "short-long":
      family = "short-long";
      query = fields.user_query as string;
      positive = fields.positive_document as string;
      negatives = [{ text: fields.hard_negative_document as string }];
      break;
    case "long-short":
      family = "long-short";
      query = fields.input_text as string;
      positive = fields.label as string;
      negatives = [{ text: fields.misleading_label as string }];
      label = positive;
      misleadingLabel = fields.misleading_label as string;
      break;
    case "pair": {
      query = fields.input as string;
      positive = fields.positive_document as string;
      const neg = fields.hard_negative_document;
      negatives = typeof neg === "string" ? [{ text: neg }] : [];
      const asked = firstNumber(params.num_words);
      if (explicit) family = explicit;
      else if (asked !== undefined) family = asked >= 100 ? "long-long" : "short-short";
      else family = countWords(positive, 100) > 100 ? "long-long" : "short-short";
      break;
    }
    case "sts": {
      query = fields.S1 as string;
      positive = fields.S2 as string;
      negatives = [{ text: fields.S3 as string }];
      const src = params.source_language;
      const tgt = params.target_language;
      const differ =
        typeof src === "string" &&
        typeof tgt === "string" &&
        src.trim().toLowerCase() !== tgt.trim().toLowerCase();
      family = explicit ?? (differ ? "bitext" : "sts");
      if (family === "bitext") language = languageCode(src);
      break;
    }
  }

  if (env.data.id != null) consumed.add("id");
  if (under) consumed.add(under);
  else for (const k of SHAPE_KEYS[shape]) consumed.add(k);
  const meta = extraFields(obj, consumed);
  if (under) {
    meta.nesting = loc.wasString ? `${under} (JSON string)` : under;
    for (const [k, v] of Object.entries(extraFields(gen, SHAPE_KEYS[shape]))) {
      if (TASK_FIELDS.includes(k as (typeof TASK_FIELDS)[number]) && gen[k] === task) continue;
      setOwn(meta, Object.hasOwn(meta, k) ? `${under}.${k}` : k, v);
    }
  }

  const record: CanonicalRecord = {
    externalId: env.data.id ?? undefined,
    task,
    taskFamily: family,
    language: language ?? recordLanguage(params.language, query, positive),
    query,
    positive: { text: positive },
    extraPositives: [],
    negatives,
    label,
    misleadingLabel,
    params,
    meta,
  };
  return { ok: true, record };
}

export const e5: InputFormat = {
  id: "e5",
  label: "E5-Mistral synthetic",
  description:
    "E5-Mistral synthetic output, all six families (user_query/positive_document/hard_negative_document, " +
    "input_text/label/misleading_label, input/positive_document, S1/S2/S3), flat or under output/response, " +
    "with task and generation params",
  example:
    '{"task": "Retrieve recipes for a given dish", "params": {"query_length": "less than 5 words", "num_words": 50}, ' +
    '"user_query": "vegan lasagna", "positive_document": "Layer lentil ragù…", "hard_negative_document": "Classic beef lasagna…"}',
  detect(obj) {
    const loc = locate(obj);
    return loc.ok && shapeOf(loc.gen) !== undefined;
  },
  toRecord,
};
