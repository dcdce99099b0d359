import { asc, eq, sql } from "drizzle-orm";
import type { Database } from "../client";
import { datasets, importJobs, recordCounts, records } from "../schema";

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
      // Counts come from the trigger-kept record_counts (no scan of the records themselves).
      records:
        sql<number>`(select coalesce(sum(c.n), 0) from ${recordCounts} c where c.dataset_id = ${dsId})`.mapWith(
          Number,
        ),
      negatives:
        sql<number>`(select coalesce(sum(r.negative_count), 0) from ${records} r where r.dataset_id = ${dsId})`.mapWith(
          Number,
        ),
      tasks:
        sql<number>`(select count(distinct c.task) from ${recordCounts} c where c.dataset_id = ${dsId})`.mapWith(
          Number,
        ),
      languages: sql<string[]>`(select coalesce(array_agg(l.language order by l.n desc), '{}') from (
          select coalesce(c.language, 'und') as language, sum(c.n) as n from ${recordCounts} c
          where c.dataset_id = ${dsId} group by 1) l)`,
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

/** Records in a data set, from record_counts (exact, kept by triggers): no scan of records. */
export async function countRecords(database: Database, datasetId: number): Promise<number> {
  const [row] = await database.raw.query<{ n: string | number | null }>(
    "SELECT sum(n) AS n FROM record_counts WHERE dataset_id = $1",
    [datasetId],
  );
  return Number(row?.n ?? 0);
}
