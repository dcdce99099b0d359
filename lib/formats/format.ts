import { z } from "zod";
import type { CanonicalRecord } from "./types";

/** The input formats pairsift reads. Detection tries them in `DETECTION_ORDER` (see index.ts). */
export const FORMAT_IDS = ["e5", "flagembedding", "sentence-transformers", "tevatron"] as const;
export const formatIdSchema = z.enum(FORMAT_IDS);
export type FormatId = z.infer<typeof formatIdSchema>;

export type ToRecordResult = { ok: true; record: CanonicalRecord } | { ok: false; reason: string };

/** One input format: how to recognise an object of it and how to turn it into a canonical record. */
export interface InputFormat {
  id: FormatId;
  label: string;
  /** One line, shown in the unknown-format error and the README. */
  description: string;
  /** One example input line for the README. */
  example: string;
  /** Cheap key-based test on one parsed object (a JSON object, CSV row or Parquet row). */
  detect(obj: Record<string, unknown>): boolean;
  toRecord(obj: Record<string, unknown>): ToRecordResult;
}

/** Thrown when a file's format cannot be recognised; the message says what was seen and lists known formats. */
export class UnknownFormatError extends Error {
  override name = "UnknownFormatError";
  constructor(
    message: string,
    /** Keys of the first object seen, when there was one. */
    readonly seenKeys?: string[],
  ) {
    super(message);
  }
}

// ---------------------------------------------------------------------------------------------
// Small shared schema pieces. Their `error` strings describe what was expected ("a string"); the
// issue formatter below turns a zod issue into a sentence that names the field and what it got.

export const EMPTY_TEXT = "empty text";

export const isBlank = (s: string): boolean => s.trim().length === 0;

/** A non-empty, not whitespace-only string. */
export const textSchema = z.string({ error: "a string" }).refine((s) => !isBlank(s), { error: EMPTY_TEXT });

/** An array of texts, each non-empty. */
export const textListSchema = z.array(
  z.string({ error: "an array of strings" }).refine((s) => !isBlank(s), { error: EMPTY_TEXT }),
  {
    error: "an array of strings",
  },
);

export const scoreListSchema = z.array(z.number({ error: "an array of numbers" }), {
  error: "an array of numbers",
});

/** A number, or a string holding one (CSV cells are strings). */
export const numberish = z.union(
  [
    z.number(),
    z
      .string()
      .regex(/^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/)
      .transform(Number)
      .pipe(z.number()), // finite: "1e999" is out of range
  ],
  { error: "a number" },
);

export const idSchema = z
  .union([z.string(), z.number()], { error: "a string or a number" })
  .transform(String);

// ---------------------------------------------------------------------------------------------

export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  return typeof v;
}

export function pathString(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** A human-readable reason for the first issue of a failed parse. `prefix` names where the object sits (e.g. "output."). */
export function issueReason(error: z.ZodError, prefix = ""): string {
  const issue = error.issues[0];
  if (!issue) return "invalid record";
  const path = prefix + pathString(issue.path);
  const top = prefix + String(issue.path[0] ?? "");
  if (issue.code === "custom") {
    return issue.message === EMPTY_TEXT ? `empty text in "${path}"` : issue.message;
  }
  const hasInput = "input" in issue && issue.input !== undefined;
  if (issue.code === "invalid_type" && !hasInput) return `missing field "${path}"`;
  const got = hasInput ? typeName(issue.input) : "nothing";
  const at = issue.path.length > 1 ? ` at ${path}` : "";
  return `"${top}" must be ${issue.message} (got ${got}${at})`;
}

/** Parse with zod and report input values in issues (for "got number at neg[2]"). */
export function safeParse<T extends z.ZodType>(
  schema: T,
  value: unknown,
  prefix = "",
): { ok: true; data: z.output<T> } | { ok: false; reason: string } {
  const r = schema.safeParse(value, { reportInput: true });
  return r.success ? { ok: true, data: r.data } : { ok: false, reason: issueReason(r.error, prefix) };
}

/**
 * `obj[key] = value`, always as an own property: for the key "__proto__" (a JSON key, a CSV or
 * Parquet column name) plain assignment changes the prototype instead and the value is lost.
 */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  if (key === "__proto__")
    Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/** The entries of `obj` whose keys are not in `consumed`, for `record.meta` / passage meta. */
export function extraFields(
  obj: Record<string, unknown>,
  consumed: ReadonlySet<string>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(obj)) {
    if (!consumed.has(key)) setOwn(out, key, obj[key]);
  }
  return out;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

export const has = (obj: Record<string, unknown>, key: string): boolean => obj[key] !== undefined;
