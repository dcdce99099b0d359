/**
 * Review-table latency and bulk-rule time for `npm run bench`.
 *
 * A "page" is what the data set page asks the database for: the page of rows, the exact count of
 * the filter, and the facet counts — timed together, as the server spends them. Each view is timed
 * at its first page and at a deep page (keyset cursor half-way through its rows).
 */
import type { Database } from "@/db/client";
import { getAuditReport } from "@/db/queries/audit";
import { applyBulkRule, undoBulkRule } from "@/db/queries/bulk";
import { countMatching, listTablePage, tableSummary } from "@/db/queries/table";
import { type Cursor, filterOf, type RecordView, recordViewSchema } from "@/lib/review/filter";

export interface LatencyRow {
  view: string;
  page: "first" | "deep" | "search" | "audit";
  matching: number;
  p50Ms: number;
  p95Ms: number;
  /** Of which the facet counts with the exact count (median). */
  facetsP50Ms: number;
}

const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
};

/** Ten typical views of a data set (filters and sorts a reviewer uses), named for the table. */
async function typicalViews(database: Database, datasetId: number): Promise<[string, RecordView][]> {
  const top = async (sqlText: string) =>
    (await database.raw.query<{ v: string }>(sqlText, [datasetId]))[0]?.v ?? "none";
  const task = await top(
    "SELECT task AS v FROM records WHERE dataset_id = $1 AND task IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
  );
  const lang = await top(
    "SELECT language AS v FROM records WHERE dataset_id = $1 AND language IS NOT NULL AND language <> 'en' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
  );
  const defect = await top(
    "SELECT d AS v FROM records, unnest(defects) d WHERE dataset_id = $1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1",
  );
  const defect2 = await top(
    "SELECT d AS v FROM records, unnest(defects) d WHERE dataset_id = $1 GROUP BY 1 ORDER BY count(*) DESC OFFSET 1 LIMIT 1",
  );
  const v = (x: object) => recordViewSchema.parse(x);
  const defects = [defect, defect2].filter((d) => d !== "none");
  return [
    ["all, by id", v({})],
    ["status=pending", v({ status: ["pending"] })],
    [`defect=${defect}`, v({ defect: defects.slice(0, 1) })],
    [`defects all of ${defects.join("+")}`, v({ defect: defects, match: "all" })],
    [`pending, none of ${defect}`, v({ status: ["pending"], defect: defects.slice(0, 1), match: "none" })],
    ["sort score desc", v({ sort: "score", dir: "desc" })],
    ["sort margin asc", v({ sort: "margin" })],
    ["task=top, sort decided desc", v({ task: [task], sort: "decided", dir: "desc" })],
    [`lang=${lang}, family=short-long`, v({ lang: [lang], family: ["short-long"] })],
    [`${defect} score ≥ 0.9, sort task`, v({ defect: defects.slice(0, 1), smin: 0.9, sort: "task" })],
  ];
}

async function timePage(
  database: Database,
  datasetId: number,
  view: RecordView,
  after: Cursor | null,
): Promise<{ ms: number; facetsMs: number; matching: number }> {
  const t0 = performance.now();
  let facetsMs = 0;
  const filter = filterOf(view);
  let matching = 0;
  await Promise.all([
    listTablePage(database, { datasetId, view, after, limit: 100 }),
    (async () => {
      const f0 = performance.now();
      matching = (await tableSummary(database, datasetId, filter)).matching;
      facetsMs = performance.now() - f0;
    })(),
  ]);
  return { ms: performance.now() - t0, facetsMs, matching };
}

/** p50/p95 of each typical view at its first and at a deep page, and of a full-text search. */
export async function reviewLatency(
  database: Database,
  datasetId: number,
  opts: { repeats?: number; search?: string } = {},
): Promise<LatencyRow[]> {
  const repeats = opts.repeats ?? 7;
  const rows: LatencyRow[] = [];
  const views = await typicalViews(database, datasetId);
  if (opts.search) views.push([`search "${opts.search}"`, recordViewSchema.parse({ q: opts.search })]);
  for (const [name, view] of views) {
    const search = view.q !== undefined;
    // The deep cursor: the row half-way through the view, at most 50,000 rows in (found once, untimed;
    // keyset pages cost the same at any depth, and walking half of a 1M-record view would take minutes).
    const total = await countMatching(database, datasetId, filterOf(view));
    let deep: Cursor | null = null;
    if (!search && total > 200) {
      const half = await listTablePage(database, {
        datasetId,
        view,
        limit: Math.min(Math.floor(total / 2), 50_000),
      });
      deep = half.lastCursor;
    }
    for (const [page, cursor] of (search
      ? [["search", null]]
      : [
          ["first", null],
          ["deep", deep],
        ]) as [LatencyRow["page"], Cursor | null][]) {
      if (page === "deep" && !cursor) continue;
      await timePage(database, datasetId, view, cursor); // warm-up
      const ms: number[] = [];
      const fms: number[] = [];
      let matching = 0;
      for (let i = 0; i < repeats; i++) {
        const t = await timePage(database, datasetId, view, cursor);
        ms.push(t.ms);
        fms.push(t.facetsMs);
        matching = t.matching;
      }
      rows.push({
        view: name,
        page,
        matching,
        p50Ms: percentile(ms, 50),
        p95Ms: percentile(ms, 95),
        facetsP50Ms: percentile(fms, 50),
      });
    }
  }
  // The audit page's figures (getAuditReport: rates, progress, reviewers, samples).
  await getAuditReport(database, datasetId);
  const ams: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await getAuditReport(database, datasetId);
    ams.push(performance.now() - t0);
  }
  rows.push({
    view: "audit report",
    page: "audit",
    matching: 0,
    p50Ms: percentile(ams, 50),
    p95Ms: percentile(ams, 95),
    facetsP50Ms: 0,
  });
  return rows;
}

/**
 * A bulk rule over about `size` pending records (reject), then its undo as a whole: both timed. The
 * rule rejects the pending records of whole tasks, smallest first, while they add up to at most
 * `size` — every pending record when there are fewer (a 100k data set: all of them).
 */
export async function bulkRuleTiming(
  database: Database,
  datasetId: number,
  size = 100_000,
): Promise<{ changed: number; applySeconds: number; restored: number; undoSeconds: number }> {
  const tasks = await database.raw.query<{ task: string | null; n: number }>(
    "SELECT task, sum(n)::int AS n FROM record_counts WHERE dataset_id = $1 AND status = 'pending' GROUP BY task HAVING sum(n) > 0 ORDER BY 2, 1",
    [datasetId],
  );
  const total = tasks.reduce((s, t) => s + t.n, 0);
  let view = recordViewSchema.parse({ status: ["pending"] });
  if (total > size) {
    const chosen: string[] = [];
    let sum = 0;
    for (const t of tasks) {
      if (t.task === null || sum + t.n > size) continue;
      chosen.push(t.task);
      sum += t.n;
    }
    view = recordViewSchema.parse({ status: ["pending"], task: chosen });
  }
  const t0 = performance.now();
  const r = await applyBulkRule(
    database,
    datasetId,
    {
      name: `bench: reject the pending records of ${view.task?.length ?? "every"} tasks`,
      target: { filter: filterOf(view) },
      action: { type: "reject", reason: "bench" },
    },
    "bench",
  );
  const applySeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const u = await undoBulkRule(database, datasetId, r.ruleId, "bench");
  return {
    changed: r.changed,
    applySeconds,
    restored: u.restored,
    undoSeconds: (performance.now() - t1) / 1000,
  };
}

export function printLatency(rows: LatencyRow[]): void {
  const head = ["view", "page", "matching", "p50 ms", "p95 ms", "facets p50 ms"];
  const body = rows.map((r) => [
    r.view,
    r.page,
    r.matching.toLocaleString("en-US"),
    r.p50Ms.toFixed(1),
    r.p95Ms.toFixed(1),
    r.facetsP50Ms.toFixed(1),
  ]);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (c: string[]) =>
    console.log(c.map((x, i) => (i < 2 ? x.padEnd(w[i]!) : x.padStart(w[i]!))).join("  "));
  line(head);
  for (const b of body) line(b);
}
