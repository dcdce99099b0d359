import { and, asc, desc, eq, gt, lt, sql } from "drizzle-orm";
import type { Database } from "../client";
import { datasets, importJobs, records } from "../schema";

// Fully qualified: drizzle renders a lone column unqualified, which a correlated subquery would capture.
const dsId = sql.raw(`"datasets"."id"`);

export async function listDatasets(database: Database) {
  const rows = await database.db
    .select({
      id: datasets.id,
      name: datasets.name,
      description: datasets.description,
      createdAt: datasets.createdAt,
      updatedAt: datasets.updatedAt,
      records: sql<number>`(select count(*) from ${records} r where r.dataset_id = ${dsId})`.mapWith(Number),
      negatives:
        sql<number>`(select coalesce(sum(r.negative_count), 0) from ${records} r where r.dataset_id = ${dsId})`.mapWith(
          Number,
        ),
      tasks:
        sql<number>`(select count(distinct r.task) from ${records} r where r.dataset_id = ${dsId})`.mapWith(
          Number,
        ),
      languages: sql<string[]>`(select coalesce(array_agg(l.language order by l.n desc), '{}') from (
          select coalesce(r.language, 'und') as language, count(*) as n from ${records} r
          where r.dataset_id = ${dsId} group by 1) l)`,
      rejected:
        sql<number>`(select coalesce(sum(j.rows_rejected), 0) from ${importJobs} j where j.dataset_id = ${dsId} and j.state <> 'failed')`.mapWith(
          Number,
        ),
      lastImportState: sql<
        string | null
      >`(select j.state from ${importJobs} j where j.dataset_id = ${dsId} order by j.id desc limit 1)`,
    })
    .from(datasets)
    .orderBy(asc(datasets.name));
  return rows;
}
export type DatasetSummary = Awaited<ReturnType<typeof listDatasets>>[number];

export async function getDatasetById(database: Database, id: number) {
  const [row] = await database.db.select().from(datasets).where(eq(datasets.id, id));
  return row ?? null;
}

export async function getDatasetByName(database: Database, name: string) {
  const [row] = await database.db.select().from(datasets).where(eq(datasets.name, name));
  return row ?? null;
}

/** Counts per task / family / language for a data set's summary. */
export async function datasetBreakdown(database: Database, datasetId: number) {
  const by = async (col: typeof records.task | typeof records.taskFamily | typeof records.language) =>
    database.db
      .select({ value: col, count: sql<number>`count(*)`.mapWith(Number) })
      .from(records)
      .where(eq(records.datasetId, datasetId))
      .groupBy(col)
      .orderBy(desc(sql`count(*)`))
      .limit(50);
  const [tasks, families, languages] = await Promise.all([
    by(records.task),
    by(records.taskFamily),
    by(records.language),
  ]);
  return { tasks, families, languages };
}

export interface RecordPageQuery {
  datasetId: number;
  /** Keyset cursors: records with id > after (next page) or id < before (previous page). */
  after?: number;
  before?: number;
  limit: number;
}

/** One page of records ordered by id, keyset-paginated (deep pages cost what the first one does). */
export async function listRecordPage(database: Database, q: RecordPageQuery) {
  const cols = {
    id: records.id,
    task: records.task,
    taskFamily: records.taskFamily,
    language: records.language,
    query: sql<string>`left(${records.query}, 300)`,
    positive: sql<string>`left(${records.positive}, 300)`,
    negativeCount: records.negativeCount,
    status: records.status,
    flagCount: records.flagCount,
  };
  const base = eq(records.datasetId, q.datasetId);
  if (q.before !== undefined) {
    const r = await database.db
      .select(cols)
      .from(records)
      .where(and(base, lt(records.id, q.before)))
      .orderBy(desc(records.id))
      .limit(q.limit + 1);
    const hasMore = r.length > q.limit;
    const page = r.slice(0, q.limit).reverse();
    return { rows: page, hasPrev: hasMore, hasNext: true };
  }
  const r = await database.db
    .select(cols)
    .from(records)
    .where(q.after !== undefined ? and(base, gt(records.id, q.after)) : base)
    .orderBy(asc(records.id))
    .limit(q.limit + 1);
  return { rows: r.slice(0, q.limit), hasPrev: q.after !== undefined, hasNext: r.length > q.limit };
}
export type RecordPage = Awaited<ReturnType<typeof listRecordPage>>;
export type RecordPageRow = RecordPage["rows"][number];

export async function countRecords(database: Database, datasetId: number): Promise<number> {
  const [row] = await database.db
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(records)
    .where(eq(records.datasetId, datasetId));
  return row?.n ?? 0;
}
