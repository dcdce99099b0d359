import { type SQL, sql } from "drizzle-orm";
import {
  type Cursor,
  NO_LANGUAGE,
  type RecordFilter,
  type RecordView,
  type SortKey,
} from "@/lib/review/filter";
import type { Database } from "../client";
import type { RecordRow, RecordStateRow } from "../schema";
import { countRecords } from "./datasets";
import {
  bigintArray,
  countFrom,
  defectFacetInScoreRange,
  type Facet,
  type FlagIdsForm,
  fewFlagRecords,
  filterCondition,
  filterParts,
  filterReadsState,
  groupConditions,
  rawQuery,
  reviewFrom,
  STATE_AS_RECORDS,
  scoreCondition,
  scoresSelectedDefects,
} from "./filter";

/**
 * The review table: one keyset-paginated page of a filtered, sorted view, its exact count and its
 * facet counts. Every sort is backed by an index on (dataset_id, column, id), so a deep page costs
 * what the first one does; NULLs sort last ascending and first descending (PostgreSQL's order,
 * which is the index order both ways), and a page that crosses from values into NULLs is read
 * as two index ranges.
 */

interface SortSpec {
  col: SQL;
  /** The cast of a cursor value back to the column type. */
  type: SQL;
  nullable: boolean;
  /** The column is the review state's (record_state). */
  state?: boolean;
}

const SORTS: Record<SortKey, SortSpec> = {
  id: { col: sql`r.id`, type: sql`bigint`, nullable: false },
  status: { col: sql`s.status`, type: sql`text`, nullable: false, state: true },
  task: { col: sql`r.task`, type: sql`text`, nullable: true },
  language: { col: sql`r.language`, type: sql`text`, nullable: true },
  flags: { col: sql`r.flag_count`, type: sql`integer`, nullable: false },
  score: { col: sql`r.max_flag_score`, type: sql`real`, nullable: true },
  margin: { col: sql`r.teacher_margin`, type: sql`real`, nullable: true },
  decided: { col: sql`s.last_decision_at`, type: sql`timestamptz`, nullable: true, state: true },
};

/** A row of the table: short excerpts, never whole passages. */
export interface TableRow {
  id: number;
  version: number;
  status: RecordStateRow["status"];
  task: string | null;
  taskFamily: RecordRow["taskFamily"];
  language: string | null;
  query: string;
  positive: string;
  negativeCount: number;
  keptCount: number;
  flagCount: number;
  defects: string[];
  maxFlagScore: number | null;
  teacherMargin: number | null;
  lastDecisionAt: Date | null;
  lastDecisionBy: string | null;
}

interface DbRow {
  id: string | number;
  version: number;
  status: RecordStateRow["status"];
  task: string | null;
  task_family: RecordRow["taskFamily"];
  language: string | null;
  query: string;
  positive: string;
  negative_count: number;
  kept_count: string | number;
  flag_count: number;
  defects: string[] | string | null;
  max_flag_score: number | null;
  teacher_margin: number | null;
  last_decision_at: Date | string | null;
  last_decision_by: string | null;
  sort_value: string | null;
}

export interface TablePage {
  rows: TableRow[];
  /** Cursor of the first and last row: `before` / `after` for the neighbouring pages. */
  firstCursor: Cursor | null;
  lastCursor: Cursor | null;
  hasPrev: boolean;
  hasNext: boolean;
}

const EXCERPT = 300;
/**
 * A score range on selected defects whose flags cover at most this many records is read from those
 * records (by primary key, then sorted); a larger one is left to the planner's semi-join, which walks
 * the sort's index until a page is found. Reading m flagged records costs ~m row reads; walking costs
 * ~page·N/m of the N records: the two meet near m = √(page·N) — 10,000 at a million records.
 */
const fewFlagRecordsFor = (records: number) => Math.max(5000, Math.ceil(Math.sqrt(100 * records)));

/** One page of a view: after `after` (or from the start), or the page before `before`. */
export async function listTablePage(
  database: Database,
  p: { datasetId: number; view: RecordView; after?: Cursor | null; before?: Cursor | null; limit: number },
): Promise<TablePage> {
  const sort = SORTS[p.view.sort];
  const form = await flagIdsForm(database, p.datasetId, p.view);
  const cond = filterCondition(p.datasetId, p.view, undefined, form);
  const backward = !p.after && !!p.before;
  const cursor = backward ? p.before! : (p.after ?? null);
  const dir = backward ? flip(p.view.dir) : p.view.dir;
  const segments: ("values" | "nulls")[] =
    !sort.nullable || excludesNulls(p.view)
      ? ["values"]
      : dir === "asc"
        ? ["values", "nulls"]
        : ["nulls", "values"];
  let start = 0;
  // Resume in the segment the cursor's row is in (none: a null cursor where the filter has no nulls).
  if (cursor && sort.nullable) {
    start = segments.indexOf(cursor[0] === null ? "nulls" : "values");
    if (start < 0) start = segments.length;
  }

  const want = p.limit + 1;
  const withState = filterReadsState(p.view) || sort.state === true;
  // The page's rows are chosen from their keys and sort values alone, their text read after for the
  // page only. A few flagged records (the flags' ids read first) are sorted from their state rows,
  // which hold every sort column: reading 7,000 records rows — text and all — to sort them was most of
  // a score range's page at a million records. Otherwise records, whose indexes serve every sort.
  const source = form === "array" ? STATE_AS_RECORDS : reviewFrom(withState);
  const rows: DbRow[] = [];
  for (let i = start; i < segments.length && rows.length < want; i++) {
    const seg = segments[i]!;
    const parts: SQL[] = [cond];
    const at = i === start ? cursor : null;
    const op = dir === "asc" ? sql`>` : sql`<`;
    const order = dir === "asc" ? sql`ASC` : sql`DESC`;
    // With the state joined, an id bound is given on both sides: the planner carries equalities
    // across a join, not ranges, and would otherwise merge-join from the far end of record_state.
    const idBound = (id: string | number | null) =>
      withState ? sql`r.id ${op} ${id} AND s.record_id ${op} ${id}` : sql`r.id ${op} ${id}`;
    let orderBy: SQL;
    let pageOrder: SQL;
    if (seg === "nulls") {
      parts.push(sql`${sort.col} IS NULL`);
      if (at) parts.push(idBound(at[1]));
      orderBy = sql`r.id ${order}`;
      pageOrder = sql`p.id ${order}`;
    } else if (p.view.sort === "id") {
      if (at) parts.push(idBound(at[1]));
      orderBy = sql`r.id ${order}`;
      pageOrder = sql`p.id ${order}`;
    } else {
      // A sort on the state's column ties on the state's own id: the keyset then matches its index
      // (dataset, column, record_id), which a row comparison naming r.id cannot use.
      const idCol = sort.state ? sql`s.record_id` : sql`r.id`;
      if (sort.nullable) parts.push(sql`${sort.col} IS NOT NULL`);
      if (at) parts.push(sql`(${sort.col}, ${idCol}) ${op} (${at[0]}::${sort.type}, ${at[1]}::bigint)`);
      orderBy = sql`${sort.col} ${order}, ${idCol} ${order}`;
      pageOrder = sql`p.sort_key ${order}, p.id ${order}`;
    }
    // The page is chosen first, its records' columns and review state read after: joined below the
    // sort, the state (and text) of every candidate would be read.
    const got = await rawQuery<DbRow>(
      database.raw,
      sql`SELECT r.id, r.task, r.task_family, r.language,
                 left(r.query, ${EXCERPT}) AS query, left(r.positive, ${EXCERPT}) AS positive,
                 r.negative_count, r.flag_count, r.defects, r.max_flag_score, r.teacher_margin,
                 (p.sort_key)::text AS sort_value, s.version, s.status, s.last_decision_at, s.last_decision_by,
                 (SELECT count(*) FROM negatives n WHERE n.record_id = p.id AND n.status = 'kept') AS kept_count
            FROM (SELECT r.id, ${sort.col} AS sort_key
                    FROM ${source}
                   WHERE ${sql.join(parts, sql` AND `)}
                   ORDER BY ${orderBy}
                   LIMIT ${want - rows.length}) p
            JOIN records r ON r.id = p.id
            JOIN record_state s ON s.record_id = p.id
           ORDER BY ${pageOrder}`,
    );
    for (const row of got) rows.push(row); // not push(...got): a large limit would overflow the stack
  }
  const more = rows.length > p.limit;
  const page = rows.slice(0, p.limit);
  if (backward) page.reverse();
  const cursorOf = (r: DbRow | undefined): Cursor | null =>
    r ? [p.view.sort === "id" ? Number(r.id) : r.sort_value, Number(r.id)] : null;
  return {
    rows: page.map(toTableRow),
    firstCursor: cursorOf(page[0]),
    lastCursor: cursorOf(page.at(-1)),
    hasPrev: backward ? more : !!cursor,
    hasNext: backward ? true : more,
  };
}

/**
 * Whether the filter itself rules out NULLs in the sort column, so that the NULL segment need not be
 * read (the planner does not see that `score IS NULL AND score >= x` is empty, and would walk the
 * whole id index looking for such rows).
 */
function excludesNulls(v: RecordView): boolean {
  switch (v.sort) {
    case "score":
      return v.smin !== undefined || v.smax !== undefined;
    case "margin":
      return v.mmin !== undefined || v.mmax !== undefined;
    case "task":
      return v.task.length > 0;
    case "language":
      return v.lang.length > 0 && !v.lang.includes(NO_LANGUAGE);
    default:
      return false;
  }
}

/** How to read a score range on selected defects' flags (see FlagIdsForm): one short probe decides. */
async function flagIdsForm(database: Database, datasetId: number, f: RecordFilter): Promise<FlagIdsForm> {
  if (!scoresSelectedDefects(f)) return "in";
  const probe = fewFlagRecords(datasetId, f, fewFlagRecordsFor(await countRecords(database, datasetId)))!;
  const [row] = await rawQuery<{ few: boolean }>(database.raw, probe);
  return row?.few === true ? "array" : "in";
}

function flip(d: "asc" | "desc"): "asc" | "desc" {
  return d === "asc" ? "desc" : "asc";
}

function toTableRow(r: DbRow): TableRow {
  return {
    id: Number(r.id),
    version: r.version,
    status: r.status,
    task: r.task,
    taskFamily: r.task_family,
    language: r.language,
    query: r.query,
    positive: r.positive,
    negativeCount: r.negative_count,
    keptCount: Number(r.kept_count),
    flagCount: r.flag_count,
    defects: parseTextArray(r.defects),
    maxFlagScore: r.max_flag_score,
    teacherMargin: r.teacher_margin,
    lastDecisionAt: r.last_decision_at === null ? null : new Date(r.last_decision_at),
    lastDecisionBy: r.last_decision_by,
  };
}

/** text[] as both drivers return it (an array, or PostgreSQL's literal when a driver leaves it as text). */
export function parseTextArray(v: string[] | string | null): string[] {
  if (v === null) return [];
  if (Array.isArray(v)) return v;
  const inner = v.replace(/^\{|\}$/g, "");
  if (!inner) return [];
  return inner.split(",").map((s) => s.replace(/^"|"$/g, "").replace(/\\(.)/g, "$1"));
}

/** The exact number of records a filter matches ("all N matching this filter"). */
export async function countMatching(database: Database, datasetId: number, f: RecordFilter): Promise<number> {
  const [row] = await rawQuery<{ n: string | number }>(
    database.raw,
    sql`SELECT count(*) AS n FROM ${countFrom(f, filterReadsState(f))}
         WHERE ${filterCondition(datasetId, f, undefined, "array")}`,
  );
  return Number(row?.n ?? 0);
}

export interface FacetValue {
  value: string;
  count: number;
}
export interface Facets {
  status: FacetValue[];
  family: FacetValue[];
  lang: FacetValue[];
  task: FacetValue[];
  defect: FacetValue[];
  reviewer: FacetValue[];
}

const FACET_LIMIT = 100;

/** A facet's options as shown: most records first, then by value; the first FACET_LIMIT. */
function topValues(values: FacetValue[]): FacetValue[] {
  return values.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1)).slice(0, FACET_LIMIT);
}

/** The plain columns behind the facets (the defect facet unnests `defects`). */
const FACET_COLUMNS = {
  status: sql`s.status`,
  family: sql`r.task_family`,
  lang: sql`r.language`,
  task: sql`r.task`,
  reviewer: sql`s.last_decision_by`,
} as const;
type ColumnFacet = keyof typeof FACET_COLUMNS;

export interface TableSummary {
  /** The exact number of records the filter matches. */
  matching: number;
  facets: Facets;
}

/**
 * Counts beside each filter option: for each facet, the records matching every other part of the
 * filter, grouped by the facet's value (so selecting an option shows what it would add) — and the
 * exact count of the filter.
 *
 * Filters `record_counts` covers are answered from it; others by one statement over the records
 * (scanSummary).
 */
export async function tableSummary(
  database: Database,
  datasetId: number,
  f: RecordFilter,
): Promise<TableSummary> {
  return countsCover(f) ? summaryFromCounts(database, datasetId, f) : scanSummary(database, datasetId, f);
}

/**
 * tableSummary by reading records. A search or an audit sample narrows the records through another
 * table, at a cost worth paying once: those filters are counted in one pass (onePassSummary). The
 * others narrow through indexes on records, which each facet's own query uses best
 * (perFacetSummary): materialising their shared records would cost more than it saves when, say,
 * only a reviewer is selected and every record of the data set feeds the other facets.
 */
async function scanSummary(database: Database, datasetId: number, f: RecordFilter): Promise<TableSummary> {
  return f.q !== undefined || f.sample !== undefined
    ? onePassSummary(database, datasetId, f)
    : perFacetSummary(database, datasetId, f);
}

/**
 * Facets the filter does not narrow share one condition, so they come from one scan with GROUPING
 * SETS; a facet the filter narrows gets its own query; the defect facet reads only flagged records
 * (a partial index). The count comes free from the status facet when status is not filtered.
 */
async function perFacetSummary(
  database: Database,
  datasetId: number,
  f: RecordFilter,
): Promise<TableSummary> {
  // Counting visits every matching record anyway: a score range on selected defects' flags drives
  // from those flags' records whatever their number (see FlagIdsForm).
  const cond = (omit?: Facet) => filterCondition(datasetId, f, omit, "array");
  /** The records, with their review state when the condition (less `omit`) or the grouped columns read it. */
  const from = (omit: Facet | undefined, stateColumns: boolean) =>
    countFrom(f, stateColumns || filterReadsState(f, omit));
  const names = Object.keys(FACET_COLUMNS) as ColumnFacet[];
  const shared = names.filter((k) => !f[k].length);
  const own = names.filter((k) => f[k].length);
  const out: Partial<Record<keyof Facets, FacetValue[]>> = {};
  const push = (facet: keyof Facets, value: string | null, n: string | number) => {
    if (value === null && facet !== "lang") return;
    const list = out[facet] ?? [];
    out[facet] = list;
    list.push({ value: value ?? NO_LANGUAGE, count: Number(n) });
  };
  const jobs: Promise<void>[] = [];
  if (shared.length) {
    const cols = shared.map((k) => FACET_COLUMNS[k]);
    jobs.push(
      rawQuery<Record<string, string | number | null>>(
        database.raw,
        sql`SELECT ${sql.join(
          shared.map(
            (k, i) => sql`GROUPING(${cols[i]}) AS ${sql.raw(`g_${k}`)}, ${cols[i]} AS ${sql.raw(`v_${k}`)}`,
          ),
          sql`, `,
        )}, count(*) AS n
              FROM ${from(undefined, shared.includes("status") || shared.includes("reviewer"))} WHERE ${cond()}
             GROUP BY GROUPING SETS (${sql.join(
               cols.map((c) => sql`(${c})`),
               sql`, `,
             )})`,
      ).then((rows) => {
        for (const row of rows) {
          const k = shared.find((name) => Number(row[`g_${name}`]) === 0);
          if (k) push(k, row[`v_${k}`] as string | null, row.n!);
        }
      }),
    );
  }
  for (const k of own) {
    jobs.push(
      rawQuery<{ value: string | null; n: string | number }>(
        database.raw,
        // Records without a reviewer are not an option of the reviewer facet: its query reads the
        // decided records only (an index range).
        sql`SELECT ${FACET_COLUMNS[k]} AS value, count(*) AS n FROM ${from(k, k === "status" || k === "reviewer")}
             WHERE ${cond(k)}${k === "reviewer" ? sql` AND s.last_decision_by IS NOT NULL` : sql``} GROUP BY 1`,
      ).then((rows) => {
        for (const r of rows) push(k, r.value, r.n);
      }),
    );
  }
  jobs.push(
    (
      defectCountsInScoreRange(database, datasetId, f) ??
      rawQuery<{ value: string; n: string | number }>(
        database.raw,
        sql`SELECT d.defect AS value, count(*) AS n
              FROM ${from("defect", false)} CROSS JOIN LATERAL unnest(r.defects) AS d(defect)
             WHERE ${cond("defect")} AND r.flag_count > 0
             GROUP BY 1`,
      )
    ).then((rows) => {
      for (const r of rows) if (Number(r.n) > 0) push("defect", r.value, r.n);
    }),
  );
  let matching: number | null = null;
  if (f.status.length) {
    jobs.push(
      rawQuery<{ n: string | number }>(
        database.raw,
        sql`SELECT count(*) AS n FROM ${from(undefined, false)} WHERE ${cond()}`,
      ).then(([row]) => {
        matching = Number(row?.n ?? 0);
      }),
    );
  }
  await Promise.all(jobs);
  const top = (facet: keyof Facets) => topValues(out[facet] ?? []);
  const facets: Facets = {
    status: top("status"),
    family: top("family"),
    lang: top("lang"),
    task: top("task"),
    defect: top("defect"),
    reviewer: top("reviewer"),
  };
  return {
    matching: matching ?? (out.status ?? []).reduce((a, b) => a + b.count, 0),
    facets,
  };
}

/**
 * tableSummary in one statement: the records every facet count shares (the data set, score, margin,
 * search and sample parts of the filter) are read once, each with one boolean per remaining condition,
 * and streamed into one GROUPING SETS aggregate: the five column facets, the exact count, and the
 * defect sets (each distinct set of defects with its records; the defect facet sums them per defect
 * here — a few hundred sets, where unnesting every record's defects took a second pass). So a costly
 * condition (a search, the flags behind a score range) is evaluated once per request, not once per
 * facet, and nothing is materialized.
 */
async function onePassSummary(database: Database, datasetId: number, f: RecordFilter): Promise<TableSummary> {
  const p = filterParts(datasetId, f);
  const FACETS = ["status", "task", "family", "lang", "defect", "reviewer"] as const;
  const cond = (k: Facet) => p.facets[k] ?? sql`true`;
  const onDefects = scoreCondition(p);
  const onMax = scoreCondition(p, "defect");
  const where = [...p.base];
  // Without a defect selection both score forms are the same condition on max_flag_score.
  const split = onDefects !== onMax;
  if (!split && onMax) where.push(onMax);
  if (split && p.scoreBound) where.push(p.scoreBound);
  const scoreCols = split
    ? sql`, ${onDefects ?? sql`true`} AS c_sd, ${onMax ?? sql`true`} AS c_sm`
    : sql`, true AS c_sd, true AS c_sm`;
  /** A facet's records: every condition but its own (and the score form it applies). */
  const ok = (omit?: Facet) =>
    sql.join(
      [
        ...FACETS.filter((k) => k !== omit && p.facets[k]).map((k) => sql.raw(`m.c_${k}`)),
        omit === "defect" ? sql`m.c_sm` : sql`m.c_sd`,
      ],
      sql` AND `,
    );
  // Under a score range the defect facet counts flags in the range (defectFacetInScoreRange).
  const defectRows = defectCountsInScoreRange(database, datasetId, f);
  // The grouped columns, in GROUPING's argument order; the defect sets only when the facet is counted here.
  const grouped: [keyof Facets, string][] = [
    ["status", "m.status"],
    ["task", "m.task"],
    ["family", "m.task_family"],
    ["lang", "m.language"],
    ["reviewer", "m.last_decision_by"],
  ];
  if (!defectRows) grouped.push(["defect", "m.defects"]);
  const defectSet = defectRows ? sql`` : sql`, (m.ok_defect, m.defects)`;
  // Both subqueries are fenced (OFFSET 0): the conditions are evaluated once per record, and each
  // ok_* stays a column of its own — were they inlined, equal expressions (e.g. all `m.c_sd`) would
  // be grouped as one.
  const query = rawQuery<{
    g: number | string;
    v: string | null;
    d: string[] | string | null;
    n: string | number;
  }>(
    database.raw,
    sql`SELECT GROUPING(${sql.raw(grouped.map(([, col]) => col).join(", "))}) AS g,
               coalesce(m.status, m.task, m.task_family, m.language, m.last_decision_by) AS v,
               ${defectRows ? sql`NULL::text[]` : sql`m.defects`} AS d,
               count(*) AS n
          FROM (SELECT m.status, m.task, m.task_family, m.language, m.last_decision_by, m.defects,
                       ${ok("status")} AS ok_status, ${ok("task")} AS ok_task, ${ok("family")} AS ok_family,
                       ${ok("lang")} AS ok_lang, ${ok("reviewer")} AS ok_reviewer, ${ok()} AS ok_all,
                       ${ok("defect")} AS ok_defect
                  FROM (SELECT s.status, r.task, r.task_family, r.language, s.last_decision_by, r.defects,
                               ${sql.join(
                                 FACETS.map((k) => sql`${cond(k)} AS ${sql.raw(`c_${k}`)}`),
                                 sql`, `,
                               )}${scoreCols}
                          FROM ${STATE_AS_RECORDS} WHERE ${sql.join(where, sql` AND `)}
                        OFFSET 0) m
                OFFSET 0) m
         GROUP BY GROUPING SETS ((m.ok_status, m.status), (m.ok_task, m.task), (m.ok_family, m.task_family),
                                 (m.ok_lang, m.language), (m.ok_reviewer, m.last_decision_by), (m.ok_all)${defectSet})
        HAVING coalesce(m.ok_status, m.ok_task, m.ok_family, m.ok_lang, m.ok_reviewer, m.ok_all${
          defectRows ? sql`` : sql`, m.ok_defect`
        })`,
  );
  // Awaited together: a failure of either is the summary's, never an unhandled rejection.
  const [rows, byFlags] = await Promise.all([query, defectRows]);
  // GROUPING(…) sets a bit for each argument not grouped (first argument = highest bit): a facet's set
  // groups its own column only, the count's set none. The sets are told apart by these bits: the ok_*
  // columns can hold equal values, which is also why the HAVING clause's coalesce is right: in each
  // set, the first ok_* that is not NULL is that set's own.
  const none = (1 << grouped.length) - 1;
  const SETS = new Map<number, keyof Facets | "all">([[none, "all"]]);
  for (const [i, [facet]] of grouped.entries()) SETS.set(none & ~(1 << (grouped.length - 1 - i)), facet);
  const out: Record<keyof Facets, FacetValue[]> = {
    status: [],
    family: [],
    lang: [],
    task: [],
    defect: [],
    reviewer: [],
  };
  const perDefect = new Map<string, number>();
  let matching = 0;
  for (const row of rows) {
    const facet = SETS.get(Number(row.g));
    if (!facet) throw new Error(`unexpected grouping set ${row.g}`);
    if (facet === "all") {
      matching = Number(row.n);
      continue;
    }
    if (facet === "defect") {
      for (const d of parseTextArray(row.d)) perDefect.set(d, (perDefect.get(d) ?? 0) + Number(row.n));
      continue;
    }
    if (row.v === null && facet !== "lang") continue;
    out[facet].push({ value: row.v ?? NO_LANGUAGE, count: Number(row.n) });
  }
  for (const [value, count] of perDefect) out.defect.push({ value, count });
  for (const r of byFlags ?? []) if (Number(r.n) > 0) out.defect.push({ value: r.value, count: Number(r.n) });
  return {
    matching,
    facets: {
      status: topValues(out.status),
      family: topValues(out.family),
      lang: topValues(out.lang),
      task: topValues(out.task),
      defect: topValues(out.defect),
      reviewer: topValues(out.reviewer),
    },
  };
}

/**
 * The defect facet under a score range (defectFacetInScoreRange), its per-defect counts run side by
 * side on the pool; null without a score range.
 */
function defectCountsInScoreRange(
  database: Database,
  datasetId: number,
  f: RecordFilter,
): Promise<{ value: string; n: number }[]> | null {
  const counts = defectFacetInScoreRange(datasetId, f);
  if (!counts) return null;
  return Promise.all(
    counts.map(async ({ defect, count }) => {
      const [row] = await rawQuery<{ n: string | number }>(database.raw, count);
      return { value: defect, n: Number(row?.n ?? 0) };
    }),
  );
}

/**
 * Whether `record_counts` can answer a filter: it narrows by status, task, family, language, last
 * reviewer and the defect set (any / all / none) — not by scores, margins, search or sample.
 */
function countsCover(f: RecordFilter): boolean {
  return (
    f.smin === undefined &&
    f.smax === undefined &&
    f.mmin === undefined &&
    f.mmax === undefined &&
    f.q === undefined &&
    f.sample === undefined
  );
}

const COUNT_COLUMNS = {
  status: sql`c.status`,
  family: sql`c.task_family`,
  lang: sql`c.language`,
  task: sql`c.task`,
  reviewer: sql`c.last_decision_by`,
} as const;
type CountFacet = keyof typeof COUNT_COLUMNS;

function countsCondition(datasetId: number, f: RecordFilter, omit?: CountFacet | "defect"): SQL {
  return sql.join(
    [sql`c.dataset_id = ${datasetId}`, sql`c.n <> 0`, ...groupConditions(f, "c", omit)],
    sql` AND `,
  );
}

/**
 * tableSummary from `record_counts` (exact, kept by triggers): a few hundred group rows instead of a
 * scan of every record, whatever the number of decided records (the last reviewer is part of a group).
 */
async function summaryFromCounts(
  database: Database,
  datasetId: number,
  f: RecordFilter,
): Promise<TableSummary> {
  const grouped = (facet: CountFacet) =>
    rawQuery<{ value: string | null; n: string | number }>(
      database.raw,
      sql`SELECT ${COUNT_COLUMNS[facet]} AS value, sum(c.n) AS n FROM record_counts c
           WHERE ${countsCondition(datasetId, f, facet)} GROUP BY 1 HAVING sum(c.n) > 0`,
    );
  const [status, family, lang, task, defect, reviewer, total] = await Promise.all([
    grouped("status"),
    grouped("family"),
    grouped("lang"),
    grouped("task"),
    rawQuery<{ value: string; n: string | number }>(
      database.raw,
      sql`SELECT d.defect AS value, sum(c.n) AS n FROM record_counts c CROSS JOIN LATERAL unnest(c.defects) AS d(defect)
           WHERE ${countsCondition(datasetId, f, "defect")} GROUP BY 1 HAVING sum(c.n) > 0`,
    ),
    grouped("reviewer"),
    rawQuery<{ n: string | number | null }>(
      database.raw,
      sql`SELECT sum(c.n) AS n FROM record_counts c WHERE ${countsCondition(datasetId, f)}`,
    ),
  ]);
  const list = (rows: { value: string | null; n: string | number }[], facet: keyof Facets) =>
    topValues(
      rows
        .filter((r) => r.value !== null || facet === "lang")
        .map((r) => ({ value: r.value ?? NO_LANGUAGE, count: Number(r.n) })),
    );
  return {
    matching: Number(total[0]?.n ?? 0),
    facets: {
      status: list(status, "status"),
      family: list(family, "family"),
      lang: list(lang, "lang"),
      task: list(task, "task"),
      defect: list(defect, "defect"),
      reviewer: list(reviewer, "reviewer"),
    },
  };
}

/** The same summary computed by scanning records, whatever the filter (tests compare the two). */
export async function tableSummaryByScan(
  database: Database,
  datasetId: number,
  f: RecordFilter,
): Promise<TableSummary> {
  return scanSummary(database, datasetId, f);
}

/** Flags per defect (count and highest score) of the given records, current run only: the table's chips. */
export async function defectCounts(
  database: Database,
  datasetId: number,
  recordIds: readonly number[],
): Promise<Record<number, { defect: string; count: number; score: number }[]>> {
  const out: Record<number, { defect: string; count: number; score: number }[]> = {};
  if (!recordIds.length) return out;
  const rows = await rawQuery<{
    record_id: string | number;
    defect: string;
    n: string | number;
    top: number;
  }>(
    database.raw,
    sql`SELECT f.record_id, f.defect, count(*) AS n, max(f.score) AS top
          FROM flags f JOIN datasets d ON d.id = f.dataset_id
         WHERE f.dataset_id = ${datasetId} AND f.run_id = d.flags_run_id
           AND f.record_id = ANY(${bigintArray(recordIds)})
         GROUP BY 1, 2 ORDER BY 1, 4 DESC`,
  );
  for (const r of rows) {
    const id = Number(r.record_id);
    out[id] ??= [];
    out[id].push({ defect: r.defect, count: Number(r.n), score: Number(r.top) });
  }
  return out;
}

/**
 * The records before and after one record in a view (the record view's j/k and n keys follow the
 * table the reviewer came from). `nextFlaggedId` looks at most 200 rows ahead.
 */
export async function viewNeighbours(
  database: Database,
  datasetId: number,
  view: RecordView,
  recordId: number,
): Promise<{ prevId: number | null; nextId: number | null; nextFlaggedId: number | null }> {
  const sort = SORTS[view.sort];
  const [row] = await rawQuery<{ v: string | null }>(
    database.raw,
    sql`SELECT (${sort.col})::text AS v FROM ${reviewFrom(sort.state === true)}
         WHERE r.id = ${recordId} AND r.dataset_id = ${datasetId}`,
  );
  if (!row) return { prevId: null, nextId: null, nextFlaggedId: null };
  const cursor: Cursor = [view.sort === "id" ? recordId : row.v, recordId];
  const [after, before] = await Promise.all([
    listTablePage(database, { datasetId, view, after: cursor, limit: 200 }),
    listTablePage(database, { datasetId, view, before: cursor, limit: 1 }),
  ]);
  return {
    prevId: before.rows.at(-1)?.id ?? null,
    nextId: after.rows[0]?.id ?? null,
    nextFlaggedId: after.rows.find((r) => r.flagCount > 0)?.id ?? null,
  };
}

/** Distinct tasks of a data set (from record_counts: no scan of records). */
export async function datasetTaskCount(database: Database, datasetId: number): Promise<number> {
  const [row] = await rawQuery<{ n: string | number }>(
    database.raw,
    sql`SELECT count(DISTINCT c.task) AS n FROM record_counts c WHERE c.dataset_id = ${datasetId} AND c.n <> 0`,
  );
  return Number(row?.n ?? 0);
}
