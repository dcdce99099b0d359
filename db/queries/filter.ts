import { type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { likeContains, NO_LANGUAGE, type RecordFilter, searchTerms } from "@/lib/review/filter";
import type { RawSql } from "../client";

/**
 * The WHERE condition of a review filter over `records r` (aliased `r`), as one drizzle SQL
 * fragment: every value is a bound parameter, every column comes from this file — the filter
 * schema (lib/review/filter.ts) has already allow-listed keys and values.
 *
 * `omit` leaves one facet's own selection out (facet counts show what each option would add).
 */
export type Facet = "status" | "task" | "family" | "lang" | "defect" | "reviewer";

/**
 * The conditions on the columns `records` and `record_counts` share (status, task, task_family,
 * language, defects), over the table aliased `alias`: one definition for the table's rows and for
 * the trigger-kept counts that answer its facets.
 */
export function groupConditions(f: RecordFilter, alias: "r" | "c", omit?: Facet): SQL[] {
  const col = (name: string) => sql.raw(`${alias}.${name}`);
  const parts: SQL[] = [];
  if (omit !== "status" && f.status.length) parts.push(sql`${col("status")} = ANY(${textArray(f.status)})`);
  if (omit !== "task" && f.task.length) parts.push(sql`${col("task")} = ANY(${textArray(f.task)})`);
  if (omit !== "family" && f.family.length)
    parts.push(sql`${col("task_family")} = ANY(${textArray(f.family)})`);
  if (omit !== "lang" && f.lang.length) {
    const langs = f.lang.filter((l) => l !== NO_LANGUAGE);
    const opts: SQL[] = [];
    if (langs.length) opts.push(sql`${col("language")} = ANY(${textArray(langs)})`);
    if (f.lang.includes(NO_LANGUAGE)) opts.push(sql`${col("language")} IS NULL`);
    parts.push(opts.length === 1 ? opts[0]! : sql`(${sql.join(opts, sql` OR `)})`);
  }
  if (omit !== "defect" && f.defect.length) {
    const defects = textArray(f.defect);
    parts.push(
      f.match === "none"
        ? sql`NOT (${col("defects")} && ${defects})`
        : f.match === "all"
          ? sql`${col("defects")} @> ${defects}`
          : sql`${col("defects")} && ${defects}`,
    );
  }
  return parts;
}
export function filterCondition(datasetId: number, f: RecordFilter, omit?: Facet): SQL {
  const parts: SQL[] = [sql`r.dataset_id = ${datasetId}`, ...groupConditions(f, "r", omit)];
  if (omit !== "reviewer" && f.reviewer.length)
    parts.push(sql`r.last_decision_by = ANY(${textArray(f.reviewer)})`);

  const scored = f.smin !== undefined || f.smax !== undefined;
  if (scored && omit !== "defect" && f.defect.length && f.match !== "none") {
    // The score range applies to the selected defects' own flags (current run only).
    const flagged = (defect: SQL) =>
      sql`EXISTS (SELECT 1 FROM flags fl JOIN datasets ds ON ds.id = fl.dataset_id
                   WHERE fl.dataset_id = r.dataset_id AND fl.record_id = r.id AND fl.run_id = ds.flags_run_id
                     AND ${defect} AND ${scoreRange(sql`fl.score`, f)})`;
    if (f.match === "all") for (const d of f.defect) parts.push(flagged(sql`fl.defect = ${d}`));
    else parts.push(flagged(sql`fl.defect = ANY(${textArray(f.defect)})`));
  }
  if (scored && !(omit !== "defect" && f.defect.length && f.match !== "none")) {
    parts.push(scoreRange(sql`r.max_flag_score`, f));
  }
  if (f.mmin !== undefined) parts.push(sql`r.teacher_margin >= ${f.mmin}`);
  if (f.mmax !== undefined) parts.push(sql`r.teacher_margin <= ${f.mmax}`);
  const terms = searchTerms(f.q);
  if (terms.length) {
    // record_search.body is query + " " + positive, with a trigram index that serves ILIKE.
    parts.push(
      sql`r.id IN (SELECT s.record_id FROM record_search s WHERE ${sql.join(
        terms.map((t) => sql`s.body ILIKE ${likeContains(t)}`),
        sql` AND `,
      )})`,
    );
  }
  if (f.sample !== undefined) {
    parts.push(
      sql`r.id IN (SELECT (jsonb_array_elements_text(s.record_ids))::bigint FROM audit_samples s
                    WHERE s.id = ${f.sample} AND s.dataset_id = r.dataset_id)`,
    );
  }
  return sql.join(parts, sql` AND `);
}

function scoreRange(col: SQL, f: RecordFilter): SQL {
  const parts: SQL[] = [];
  if (f.smin !== undefined) parts.push(sql`${col} >= ${f.smin}`);
  if (f.smax !== undefined) parts.push(sql`${col} <= ${f.smax}`);
  return parts.length ? sql.join(parts, sql` AND `) : sql`true`;
}

/** A bigint[] parameter (ids are integers, so the literal needs no quoting). */
export function bigintArray(ids: readonly number[]): SQL {
  return sql`${`{${ids.join(",")}}`}::bigint[]`;
}

/** A text[] parameter (PGlite and postgres.js both bind a JS array given as a text[] literal). */
export function textArray(values: readonly string[]): SQL {
  return sql`${toPgArray(values)}::text[]`;
}

/** A PostgreSQL array literal: every element quoted, quotes and backslashes escaped. */
export function toPgArray(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/[\\"]/g, (c) => `\\${c}`)}"`).join(",")}}`;
}

const dialect = new PgDialect();

/** A drizzle SQL fragment as text with $n placeholders and its parameters, for the raw interface. */
export function toRawQuery(fragment: SQL): { text: string; params: unknown[] } {
  const q = dialect.sqlToQuery(fragment);
  return { text: q.sql, params: q.params };
}

/** Runs a drizzle SQL fragment through the raw interface (inside a transaction when given one). */
export async function rawQuery<T>(tx: RawSql, fragment: SQL): Promise<T[]> {
  const q = toRawQuery(fragment);
  return tx.query<T>(q.text, q.params);
}
