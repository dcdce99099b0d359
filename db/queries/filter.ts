import { type SQL, sql } from "drizzle-orm";
import { PgDialect } from "drizzle-orm/pg-core";
import { DEFECTS } from "@/lib/detect/types";
import { likeContains, NO_LANGUAGE, type RecordFilter, searchTerms } from "@/lib/review/filter";
import type { RawSql } from "../client";

/**
 * The WHERE condition of a review filter over `records r` with its state `s` (REVIEW_FROM), as one drizzle SQL
 * fragment: every value is a bound parameter, every column comes from this file — the filter
 * schema (lib/review/filter.ts) has already allow-listed keys and values.
 *
 * `omit` leaves one facet's own selection out (facet counts show what each option would add).
 */
export type Facet = "status" | "task" | "family" | "lang" | "defect" | "reviewer";

/**
 * The records of the review queries: each with its review state (record_state, aliased `s`; one row
 * per record). The data set is part of the join so that a condition on `r.dataset_id` reaches the
 * state's indexes too.
 */
export const REVIEW_FROM = sql`records r JOIN record_state s ON s.record_id = r.id AND s.dataset_id = r.dataset_id`;

/**
 * REVIEW_FROM when the state is needed (`state`), else `records r` alone: the planner keeps a join it
 * does not need (each record's state read for nothing — 25 ms for 7,000 records at a million).
 */
export function reviewFrom(state: boolean): SQL {
  return state ? REVIEW_FROM : sql`records r`;
}

/** Whether a filter's condition (less `omit`'s own selection) reads the review state (status, reviewer). */
export function filterReadsState(f: RecordFilter, omit?: Facet): boolean {
  return (f.status.length > 0 && omit !== "status") || (f.reviewer.length > 0 && omit !== "reviewer");
}

/**
 * record_state standing in for the records: it holds a copy of every column a filter reads (migration 0013), so it
 * answers both as `r` (the record's columns, `r.id` its key) and as `s` (the state). The planner folds both into one
 * scan of record_state: a query that needs no text reads only the narrow state rows. `r` is a plain subquery so that
 * its columns stay plain columns of the table (indexable, `r.id = ANY(…)` on the primary key, with GROUPING SETS too);
 * the columns of a lateral subquery without FROM become placeholders there, which no index serves (a score range's
 * summary then filtered every state row by its 7,042 ids: 4.2 s). Lock its rows with FOR UPDATE OF r.
 */
export const STATE_AS_RECORDS = sql`(SELECT s.record_id AS id, s.dataset_id, s.task, s.task_family, s.language,
         s.defects, s.flag_count, s.max_flag_score, s.teacher_margin, s.status, s.last_decision_at, s.last_decision_by
    FROM record_state s) r
  CROSS JOIN LATERAL (SELECT r.id AS record_id, r.status, r.last_decision_at, r.last_decision_by) s`;

/**
 * Whether a filter finds its records by id — through a search, an audit sample, or the flags behind a score range on
 * selected defects — rather than through the indexes on records.
 */
export function narrowsByIds(f: RecordFilter): boolean {
  return f.q !== undefined || f.sample !== undefined || scoresSelectedDefects(f);
}

/**
 * What a count over a filter's matches reads. Matches found by id are looked up in record_state alone (a state row is
 * a twentieth of a records row: at a million records a search's 30,000 matches read from records took half of its
 * summary). Other filters narrow through the indexes on records (task, family, language, score, margin), joined to
 * their state only when `state` (the condition or the counted columns read status or reviewer).
 */
export function countFrom(f: RecordFilter, state: boolean): SQL {
  return narrowsByIds(f) ? STATE_AS_RECORDS : reviewFrom(state);
}

/**
 * The conditions on the columns `records` (with its state) and `record_counts` share (status, task, task_family,
 * language, last_decision_by, defects), over the table aliased `alias`: one definition for the table's rows and for
 * the trigger-kept counts that answer its facets.
 */
export function groupConditions(f: RecordFilter, alias: "r" | "c", omit?: Facet): SQL[] {
  return Object.entries(groupConditionMap(f, alias))
    .filter(([k]) => k !== omit)
    .map(([, cond]) => cond);
}

/** groupConditions by facet (in the order status, task, family, lang, reviewer, defect). */
function groupConditionMap(f: RecordFilter, alias: "r" | "c"): Partial<Record<Facet, SQL>> {
  // Over records, the review state's columns are record_state's (joined as `s`: REVIEW_FROM).
  const col = (name: string) =>
    sql.raw(`${alias === "r" && (name === "status" || name === "last_decision_by") ? "s" : alias}.${name}`);
  const out: Partial<Record<Facet, SQL>> = {};
  if (f.status.length) out.status = sql`${col("status")} = ANY(${textArray(f.status)})`;
  if (f.task.length) out.task = sql`${col("task")} = ANY(${textArray(f.task)})`;
  if (f.family.length) out.family = sql`${col("task_family")} = ANY(${textArray(f.family)})`;
  if (f.lang.length) {
    const langs = f.lang.filter((l) => l !== NO_LANGUAGE);
    const opts: SQL[] = [];
    if (langs.length) opts.push(sql`${col("language")} = ANY(${textArray(langs)})`);
    if (f.lang.includes(NO_LANGUAGE)) opts.push(sql`${col("language")} IS NULL`);
    out.lang = opts.length === 1 ? opts[0]! : sql`(${sql.join(opts, sql` OR `)})`;
  }
  if (f.reviewer.length) out.reviewer = sql`${col("last_decision_by")} = ANY(${textArray(f.reviewer)})`;
  if (f.defect.length) {
    const defects = textArray(f.defect);
    out.defect =
      f.match === "none"
        ? sql`NOT (${col("defects")} && ${defects})`
        : f.match === "all"
          ? sql`${col("defects")} @> ${defects}`
          : sql`${col("defects")} && ${defects}`;
  }
  return out;
}

/**
 * A filter taken apart: the parts every facet count shares (`base`), each facet's own selection, and
 * the score range in both of its forms. The score range applies to the selected defects' own flags
 * when defects are selected (any / all) — except in the defect facet, which leaves the defect
 * selection out and so applies it to the record's highest flag score, as it does with no defect
 * selected.
 */
export interface FilterParts {
  base: SQL[];
  facets: Partial<Record<Facet, SQL>>;
  /** The score range on the selected defects' flags (only when defects are selected and it applies). */
  scoreOnDefects?: SQL;
  /** The score range on `max_flag_score`. */
  scoreOnMax?: SQL;
  /**
   * A bound every record either score form admits satisfies (a flag's score is at most its
   * record's highest): lets a summary read a range of the score index instead of every record.
   */
  scoreBound?: SQL;
}

/**
 * How a score range on the selected defects' flags narrows records: `in` — a semi-join the planner
 * orders as it likes; `array` — the flags' record ids read first (one range of
 * flags_dataset_run_defect_score_idx), then those records by primary key. The planner misjudges how
 * few flags pass both the defect and the score (it multiplies their selectivities), and with `in`
 * walks a sort index or scans every record looking for them: counts always use `array`; a page
 * uses it when the flags are few (fewFlagRecords), else `in` (many matches: a sort index finds a
 * page's worth soon).
 */
export type FlagIdsForm = "in" | "array";

export function filterParts(datasetId: number, f: RecordFilter, form: FlagIdsForm = "in"): FilterParts {
  const base: SQL[] = [sql`r.dataset_id = ${datasetId}`];
  const facets = groupConditionMap(f, "r");

  const out: FilterParts = { base, facets };
  if (f.smin !== undefined || f.smax !== undefined) {
    out.scoreOnMax = scoreRange(sql`r.max_flag_score`, f);
    if (scoresSelectedDefects(f)) {
      // The score range applies to the selected defects' own flags (current run only): the ids of
      // those flags' records, read from (dataset_id, run_id, defect, score) once, not per record.
      const flagged = (defect: SQL) => {
        const ids = flagRecordIds(datasetId, defect, f);
        return form === "array" ? sql`r.id = ANY(ARRAY(${ids}))` : sql`r.id IN (${ids})`;
      };
      out.scoreOnDefects =
        f.match === "all"
          ? sql.join(
              f.defect.map((d) => flagged(sql`fl.defect = ${d}`)),
              sql` AND `,
            )
          : flagged(sql`fl.defect = ANY(${textArray(f.defect)})`);
      out.scoreBound =
        f.smin !== undefined ? sql`r.max_flag_score >= ${f.smin}` : sql`r.max_flag_score IS NOT NULL`;
    }
  }
  if (f.mmin !== undefined) base.push(sql`r.teacher_margin >= ${f.mmin}`);
  if (f.mmax !== undefined) base.push(sql`r.teacher_margin <= ${f.mmax}`);
  const terms = searchTerms(f.q);
  if (terms.length) {
    // record_search.body is lower(query + " " + positive) (a trigger lowercases it with the
    // database's own lower(), the one ILIKE applies to both sides), with a trigram index: so
    // `body LIKE lower(pattern)` finds exactly what `query || ' ' || positive ILIKE pattern`
    // would, without lowercasing every candidate's text again.
    base.push(
      sql`r.id IN (SELECT s.record_id FROM record_search s WHERE ${sql.join(
        terms.map((t) => sql`s.body LIKE lower(${likeContains(t)})`),
        sql` AND `,
      )})`,
    );
  }
  if (f.sample !== undefined) {
    base.push(
      sql`r.id IN (SELECT (jsonb_array_elements_text(s.record_ids))::bigint FROM audit_samples s
                    WHERE s.id = ${f.sample} AND s.dataset_id = r.dataset_id)`,
    );
  }
  return out;
}

/** The records of the data set's current-run flags of `defect` with a score in the filter's range. */
function flagRecordIds(datasetId: number, defect: SQL, f: RecordFilter): SQL {
  return sql`SELECT fl.record_id FROM flags fl
              WHERE fl.dataset_id = ${datasetId}
                AND fl.run_id = (SELECT ds.flags_run_id FROM datasets ds WHERE ds.id = ${datasetId})
                AND ${defect} AND ${scoreRange(sql`fl.score`, f)}`;
}

/** Whether the filter's score range applies to the selected defects' flags (any / all of them). */
export function scoresSelectedDefects(f: RecordFilter): boolean {
  return (f.smin !== undefined || f.smax !== undefined) && f.defect.length > 0 && f.match !== "none";
}

/**
 * Whether the flags behind a filter's score range on selected defects number at most `limit` (one
 * range of flags_dataset_run_defect_score_idx, at most limit + 1 entries); null when the filter
 * has no such range.
 */
export function fewFlagRecords(datasetId: number, f: RecordFilter, limit: number): SQL | null {
  if (!scoresSelectedDefects(f)) return null;
  return sql`SELECT count(*) <= ${limit} AS few FROM (${flagRecordIds(
    datasetId,
    sql`fl.defect = ANY(${textArray(f.defect)})`,
    f,
  )} LIMIT ${limit + 1}) x`;
}

/** The score condition in effect when `omit` is left out of the filter. */
export function scoreCondition(p: FilterParts, omit?: Facet): SQL | undefined {
  if (p.scoreOnDefects && omit !== "defect") return p.scoreOnDefects;
  return p.scoreOnMax;
}

export function filterCondition(
  datasetId: number,
  f: RecordFilter,
  omit?: Facet,
  form: FlagIdsForm = "in",
  withScore = true,
): SQL {
  const p = filterParts(datasetId, f, form);
  const parts: SQL[] = [p.base[0]!];
  for (const [k, cond] of Object.entries(p.facets) as [Facet, SQL][]) if (k !== omit) parts.push(cond);
  const score = withScore ? scoreCondition(p, omit) : undefined;
  if (score) parts.push(score);
  parts.push(...p.base.slice(1));
  return sql.join(parts, sql` AND `);
}

/**
 * The defect facet under a score range: for each defect, the records with a current-run flag of it
 * scored in the range — what selecting that defect would show — among the records the rest of the
 * filter (not its defect selection) admits. One query per defect, each one index range — of the
 * best flags (flags_best_score_idx) under a lower bound alone, else of every flag
 * (flags_dataset_run_defect_score_idx) counted by distinct record; records are looked up only when
 * the filter has other conditions — so that they can run side by side: a common defect's range
 * holds hundreds of thousands of flags at a million records. Null when the filter has no score
 * range (the facet then counts records' defects).
 */
export function defectFacetInScoreRange(
  datasetId: number,
  f: RecordFilter,
): { defect: (typeof DEFECTS)[number]; count: SQL }[] | null {
  if (f.smin === undefined && f.smax === undefined) return null;
  const others =
    f.status.length ||
    f.task.length ||
    f.family.length ||
    f.lang.length ||
    f.reviewer.length ||
    f.mmin !== undefined ||
    f.mmax !== undefined ||
    f.q !== undefined ||
    f.sample !== undefined;
  const admitted = others
    ? sql` AND EXISTS (SELECT 1 FROM ${STATE_AS_RECORDS} WHERE r.id = fl.record_id AND ${filterCondition(
        datasetId,
        f,
        "defect",
        "in",
        false,
      )})`
    : sql``;
  // With a lower bound only, a record has a flag in the range exactly when its best flag of the
  // defect is: one index range of the best flags, each record once. An upper bound needs every flag.
  const count = f.smax === undefined ? sql`count(*)` : sql`count(DISTINCT fl.record_id)`;
  const best = f.smax === undefined ? sql` AND fl.best` : sql``;
  return DEFECTS.map((defect) => ({
    defect,
    count: sql`SELECT ${count} AS n FROM flags fl
                WHERE fl.dataset_id = ${datasetId}
                  AND fl.run_id = (SELECT ds.flags_run_id FROM datasets ds WHERE ds.id = ${datasetId})
                  AND fl.defect = ${defect}${best} AND ${scoreRange(sql`fl.score`, f)}${admitted}`,
  }));
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
