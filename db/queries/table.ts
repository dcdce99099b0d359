import { type SQL, sql } from "drizzle-orm";
import {
  type Cursor,
  NO_LANGUAGE,
  type RecordFilter,
  type RecordView,
  type SortKey,
} from "@/lib/review/filter";
import type { Database } from "../client";
import type { RecordRow } from "../schema";
import { bigintArray, filterCondition, groupConditions, rawQuery } from "./filter";

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
}

const SORTS: Record<SortKey, SortSpec> = {
  id: { col: sql`r.id`, type: sql`bigint`, nullable: false },
  status: { col: sql`r.status`, type: sql`text`, nullable: false },
  task: { col: sql`r.task`, type: sql`text`, nullable: true },
  language: { col: sql`r.language`, type: sql`text`, nullable: true },
  flags: { col: sql`r.flag_count`, type: sql`integer`, nullable: false },
  score: { col: sql`r.max_flag_score`, type: sql`real`, nullable: true },
  margin: { col: sql`r.teacher_margin`, type: sql`real`, nullable: true },
  decided: { col: sql`r.last_decision_at`, type: sql`timestamptz`, nullable: true },
};

/** A row of the table: short excerpts, never whole passages. */
export interface TableRow {
  id: number;
  version: number;
  status: RecordRow["status"];
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
  status: RecordRow["status"];
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

/** One page of a view: after `after` (or from the start), or the page before `before`. */
export async function listTablePage(
  database: Database,
  p: { datasetId: number; view: RecordView; after?: Cursor | null; before?: Cursor | null; limit: number },
): Promise<TablePage> {
  const sort = SORTS[p.view.sort];
  const cond = filterCondition(p.datasetId, p.view);
  const backward = !p.after && !!p.before;
  const cursor = backward ? p.before! : (p.after ?? null);
  const dir = backward ? flip(p.view.dir) : p.view.dir;
  const segments: ("values" | "nulls")[] = !sort.nullable
    ? ["values"]
    : dir === "asc"
      ? ["values", "nulls"]
      : ["nulls", "values"];
  let start = 0;
  // Resume in the segment the cursor's row is in.
  if (cursor && sort.nullable) start = segments.indexOf(cursor[0] === null ? "nulls" : "values");

  const want = p.limit + 1;
  const rows: DbRow[] = [];
  for (let i = start; i < segments.length && rows.length < want; i++) {
    const seg = segments[i]!;
    const parts: SQL[] = [cond];
    const at = i === start ? cursor : null;
    const op = dir === "asc" ? sql`>` : sql`<`;
    const order = dir === "asc" ? sql`ASC` : sql`DESC`;
    let orderBy: SQL;
    if (seg === "nulls") {
      parts.push(sql`${sort.col} IS NULL`);
      if (at) parts.push(sql`r.id ${op} ${at[1]}`);
      orderBy = sql`r.id ${order}`;
    } else if (p.view.sort === "id") {
      if (at) parts.push(sql`r.id ${op} ${at[1]}`);
      orderBy = sql`r.id ${order}`;
    } else {
      if (sort.nullable) parts.push(sql`${sort.col} IS NOT NULL`);
      if (at) parts.push(sql`(${sort.col}, r.id) ${op} (${at[0]}::${sort.type}, ${at[1]}::bigint)`);
      orderBy = sql`${sort.col} ${order}, r.id ${order}`;
    }
    const got = await rawQuery<DbRow>(
      database.raw,
      sql`SELECT r.id, r.version, r.status, r.task, r.task_family, r.language,
                 left(r.query, ${EXCERPT}) AS query, left(r.positive, ${EXCERPT}) AS positive,
                 r.negative_count, r.flag_count, r.defects, r.max_flag_score, r.teacher_margin,
                 r.last_decision_at, r.last_decision_by, (${sort.col})::text AS sort_value,
                 (SELECT count(*) FROM negatives n WHERE n.record_id = r.id AND n.status = 'kept') AS kept_count
            FROM records r
           WHERE ${sql.join(parts, sql` AND `)}
           ORDER BY ${orderBy}
           LIMIT ${want - rows.length}`,
    );
    rows.push(...got);
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
    sql`SELECT count(*) AS n FROM records r WHERE ${filterCondition(datasetId, f)}`,
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
  status: sql`r.status`,
  family: sql`r.task_family`,
  lang: sql`r.language`,
  task: sql`r.task`,
  reviewer: sql`r.last_decision_by`,
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
 * Facets the filter does not narrow share one condition, so they come from one scan with GROUPING
 * SETS; a facet the filter narrows gets its own query; the defect facet reads only flagged records
 * (a partial index). The count comes free from the status facet when status is not filtered.
 */
export async function tableSummary(
  database: Database,
  datasetId: number,
  f: RecordFilter,
): Promise<TableSummary> {
  return countsCover(f) ? summaryFromCounts(database, datasetId, f) : scanSummary(database, datasetId, f);
}

async function scanSummary(database: Database, datasetId: number, f: RecordFilter): Promise<TableSummary> {
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
              FROM records r WHERE ${filterCondition(datasetId, f)}
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
        sql`SELECT ${FACET_COLUMNS[k]} AS value, count(*) AS n FROM records r
             WHERE ${filterCondition(datasetId, f, k)} GROUP BY 1`,
      ).then((rows) => {
        for (const r of rows) push(k, r.value, r.n);
      }),
    );
  }
  jobs.push(
    rawQuery<{ value: string; n: string | number }>(
      database.raw,
      sql`SELECT d.defect AS value, count(*) AS n
            FROM records r CROSS JOIN LATERAL unnest(r.defects) AS d(defect)
           WHERE ${filterCondition(datasetId, f, "defect")} AND r.flag_count > 0
           GROUP BY 1`,
    ).then((rows) => {
      for (const r of rows) push("defect", r.value, r.n);
    }),
  );
  let matching: number | null = null;
  if (f.status.length) {
    jobs.push(
      countMatching(database, datasetId, f).then((n) => {
        matching = n;
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
 * Whether `record_counts` can answer a filter: it narrows by status, task, family, language and the
 * defect set (any / all / none) — not by scores, margins, search, reviewer or sample.
 */
function countsCover(f: RecordFilter): boolean {
  return (
    !f.reviewer.length &&
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
 * scan of every record. Only the reviewer facet reads records — the decided ones, through an index.
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
    rawQuery<{ value: string; n: string | number }>(
      database.raw,
      sql`SELECT r.last_decision_by AS value, count(*) AS n FROM records r
           WHERE ${filterCondition(datasetId, f, "reviewer")} AND r.last_decision_by IS NOT NULL GROUP BY 1`,
    ),
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
    sql`SELECT (${sort.col})::text AS v FROM records r WHERE r.id = ${recordId} AND r.dataset_id = ${datasetId}`,
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
