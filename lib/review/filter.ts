/**
 * The review table's view — filters, sort and page cursor — as it lives in the URL.
 *
 * One schema for every way a view arrives: the page's search params, a bulk rule, an export
 * ("export = view"). Only allow-listed keys and values get through; a bad value is dropped and
 * reported, never passed on, so a hand-edited or hostile URL cannot reach the SQL.
 *
 *   ?status=pending&defect=query_leakage&defect=self_explanation&match=all&sort=score&dir=desc
 */
import { z } from "zod";
import { DEFECTS } from "@/lib/detect/types";
import { TASK_FAMILIES } from "@/lib/formats/types";
import { RECORD_STATUSES } from "./schema";

/** Columns the table can be sorted by (each backed by an index on (dataset_id, column, id)). */
export const SORT_KEYS = ["id", "status", "task", "language", "flags", "score", "margin", "decided"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
/** How selected defects combine: a record with any of them, with all of them, or with none. */
export const DEFECT_MATCHES = ["any", "all", "none"] as const;
/** The language facet's value for records without a language. */
export const NO_LANGUAGE = "und";

const text = z.string().trim().min(1).max(500);
const list = <T extends z.ZodType>(item: T) => z.array(item).max(100);
const score = z.coerce.number().min(-1e6).max(1e6);

/** Every key of a view; each parses on its own so one bad value never voids the rest. */
export const viewFields = {
  status: list(z.enum(RECORD_STATUSES)),
  task: list(text),
  family: list(z.enum(TASK_FAMILIES)),
  lang: list(z.string().trim().min(1).max(35)),
  defect: list(z.enum(DEFECTS)),
  match: z.enum(DEFECT_MATCHES),
  /** Detector score range: of the selected defects' flags, or of the record's highest flag score. */
  smin: score.min(0).max(1),
  smax: score.min(0).max(1),
  /** Teacher margin range (positive score − best kept negative score). */
  mmin: score,
  mmax: score,
  /** Search over query and positive; every whitespace-separated term must occur (case-insensitive). */
  q: z.string().trim().min(1).max(200),
  reviewer: list(text),
  /** An audit sample's id: only its records. */
  sample: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
  sort: z.enum(SORT_KEYS),
  dir: z.enum(["asc", "desc"]),
} as const;

export const recordFilterSchema = z.object({
  status: viewFields.status.default([]),
  task: viewFields.task.default([]),
  family: viewFields.family.default([]),
  lang: viewFields.lang.default([]),
  defect: viewFields.defect.default([]),
  match: viewFields.match.default("any"),
  smin: viewFields.smin.optional(),
  smax: viewFields.smax.optional(),
  mmin: viewFields.mmin.optional(),
  mmax: viewFields.mmax.optional(),
  q: viewFields.q.optional(),
  reviewer: viewFields.reviewer.default([]),
  sample: viewFields.sample.optional(),
});
export type RecordFilter = z.infer<typeof recordFilterSchema>;
export type RecordFilterInput = z.input<typeof recordFilterSchema>;

export const recordViewSchema = recordFilterSchema.extend({
  sort: viewFields.sort.default("id"),
  dir: viewFields.dir.default("asc"),
});
export type RecordView = z.infer<typeof recordViewSchema>;

const LIST_KEYS = new Set(["status", "task", "family", "lang", "defect", "reviewer"]);
const FILTER_KEYS = Object.keys(recordFilterSchema.shape) as (keyof RecordFilter)[];
const VIEW_KEYS = Object.keys(recordViewSchema.shape) as (keyof RecordView)[];

export type SearchParamsLike = URLSearchParams | Record<string, string | string[] | undefined>;

function valuesOf(params: SearchParamsLike, key: string): string[] {
  if (params instanceof URLSearchParams) return params.getAll(key);
  const v = params[key];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export interface ParsedView {
  view: RecordView;
  /** Parameters that were present but not valid, and so ignored: shown to the user. */
  ignored: string[];
}

/** Parses a view from search params: unknown keys are not views' business; bad values are dropped and listed. */
export function parseRecordView(params: SearchParamsLike): ParsedView {
  const raw: Record<string, unknown> = {};
  const ignored: string[] = [];
  for (const key of VIEW_KEYS) {
    const values = valuesOf(params, key).filter((v) => v !== "");
    if (!values.length) continue;
    if (LIST_KEYS.has(key)) {
      const kept: string[] = [];
      for (const v of values) {
        const one = (viewFields[key as keyof typeof viewFields] as z.ZodArray<z.ZodType>).element.safeParse(
          v,
        );
        if (one.success) {
          if (!kept.includes(one.data as string)) kept.push(one.data as string);
        } else ignored.push(key);
      }
      if (kept.length > 100) ignored.push(key);
      raw[key] = kept.slice(0, 100);
      continue;
    }
    const one = viewFields[key as keyof typeof viewFields].safeParse(values[0]);
    if (one.success) raw[key] = one.data;
    else ignored.push(key);
  }
  for (const [lo, hi] of [
    ["smin", "smax"],
    ["mmin", "mmax"],
  ] as const) {
    const a = raw[lo] as number | undefined;
    const b = raw[hi] as number | undefined;
    if (a !== undefined && b !== undefined && a > b) {
      delete raw[lo];
      delete raw[hi];
      ignored.push(lo, hi);
    }
  }
  return { view: recordViewSchema.parse(raw), ignored: [...new Set(ignored)] };
}

/** The filter part of a view (what bulk rules and exports take). */
export function filterOf(view: RecordFilter): RecordFilter {
  const out: Record<string, unknown> = {};
  for (const k of FILTER_KEYS) out[k] = view[k];
  return recordFilterSchema.parse(out);
}

/** Search params for a view, in a stable order, defaults left out: the link that reproduces it. */
export function viewToSearchParams(view: Partial<RecordView>): URLSearchParams {
  const out = new URLSearchParams();
  for (const key of VIEW_KEYS) {
    const v = view[key];
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) for (const item of v) out.append(key, String(item));
    else if (
      (key === "match" && v === "any") ||
      (key === "sort" && v === "id") ||
      (key === "dir" && v === "asc")
    )
      continue;
    else out.set(key, String(v));
  }
  return out;
}

/** Whether the filter narrows anything (an empty filter is the whole data set). */
export function isFilterEmpty(f: RecordFilter): boolean {
  return (
    !f.status.length &&
    !f.task.length &&
    !f.family.length &&
    !f.lang.length &&
    !f.defect.length &&
    !f.reviewer.length &&
    f.smin === undefined &&
    f.smax === undefined &&
    f.mmin === undefined &&
    f.mmax === undefined &&
    f.q === undefined &&
    f.sample === undefined
  );
}

/** The search terms of `q`: whitespace-separated, each must occur in the query or the positive. */
export function searchTerms(q: string | undefined): string[] {
  if (!q) return [];
  return [...new Set(q.split(/\s+/u).filter(Boolean))].slice(0, 8);
}

/** `term` as a LIKE pattern matching it anywhere, LIKE's own wildcards escaped. */
export function likeContains(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Keyset cursor: the sort value and id of the row a page starts after (or ends before). */
const cursorSchema = z.tuple([
  z.union([z.string().max(1000), z.number(), z.null()]),
  z.number().int().positive(),
]);
export type Cursor = z.infer<typeof cursorSchema>;

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c), "utf8").toString("base64url");
}

/** Decodes a cursor from the URL; null when it is not one of ours. */
export function decodeCursor(s: string | undefined | null): Cursor | null {
  if (!s || s.length > 2000) return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(s, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** A short human description of a filter, e.g. "status=pending, defect=query_leakage (all)". */
export function describeFilter(f: RecordFilter): string {
  const parts: string[] = [];
  for (const k of ["status", "task", "family", "lang", "defect", "reviewer"] as const) {
    if (f[k].length)
      parts.push(`${k}=${f[k].join("|")}${k === "defect" && f.match !== "any" ? ` (${f.match})` : ""}`);
  }
  if (f.smin !== undefined || f.smax !== undefined) parts.push(`score ${f.smin ?? "…"}–${f.smax ?? "…"}`);
  if (f.mmin !== undefined || f.mmax !== undefined) parts.push(`margin ${f.mmin ?? "…"}–${f.mmax ?? "…"}`);
  if (f.q) parts.push(`"${f.q}"`);
  if (f.sample !== undefined) parts.push(`sample #${f.sample}`);
  return parts.join(", ") || "(whole data set)";
}
