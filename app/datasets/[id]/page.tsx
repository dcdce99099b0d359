import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { DetectionStatus } from "@/components/datasets/detection-status";
import { RecordsTable } from "@/components/datasets/records-table";
import { RejectedLines } from "@/components/datasets/upload-panel";
import { UndoBulkRuleButton } from "@/components/review/bulk-panel";
import { ViewFilters } from "@/components/review/view-filters";
import { fmtDate, fmtInt, plural } from "@/components/ui/format";
import { listBulkRules } from "@/db/queries/bulk";
import { countRecords, getDatasetById } from "@/db/queries/datasets";
import { flagCounts, latestDetectionRun } from "@/db/queries/detect";
import { listImportJobs } from "@/db/queries/import";
import { datasetTaskCount, defectCounts, listTablePage, tableSummary } from "@/db/queries/table";
import { getDatabase } from "@/db/server";
import { datasetIdParam } from "@/lib/ids";
import {
  type Cursor,
  decodeCursor,
  describeFilter,
  encodeCursor,
  filterOf,
  isFilterEmpty,
  parseRecordView,
  viewToSearchParams,
} from "@/lib/review/filter";
import { pageAccess } from "@/lib/server/auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Data set" };

const PAGE_SIZES = [25, 50, 100, 250, 500] as const;
const pageSchema = z.object({
  after: z.string().max(2000).optional().catch(undefined),
  before: z.string().max(2000).optional().catch(undefined),
  size: z.coerce
    .number()
    .pipe(z.union(PAGE_SIZES.map((n) => z.literal(n))))
    .optional()
    .catch(undefined),
});

export default async function DatasetPage(props: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const id = datasetIdParam.safeParse((await props.params).id);
  if (!id.success) notFound();
  const searchParams = await props.searchParams;
  const { view, ignored } = parseRecordView(searchParams);
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const paging = pageSchema.parse({
    after: one(searchParams.after),
    before: one(searchParams.before),
    size: one(searchParams.size),
  });
  const limit = paging.size ?? 100;
  const access = await pageAccess(id.data, "read", `/datasets/${id.data}`);
  const canReview = access.role !== "viewer";
  const database = await getDatabase();
  const dataset = await getDatasetById(database, id.data);
  if (!dataset) notFound();
  const filter = filterOf(view);
  const [total, taskCount, { matching, facets }, jobs, page, counts, run, rules] = await Promise.all([
    countRecords(database, dataset.id),
    datasetTaskCount(database, dataset.id),
    tableSummary(database, dataset.id, filter),
    listImportJobs(database, dataset.id),
    listTablePage(database, {
      datasetId: dataset.id,
      view,
      after: decodeCursor(paging.after),
      before: decodeCursor(paging.before),
      limit,
    }),
    flagCounts(database, dataset.id),
    latestDetectionRun(database, dataset.id),
    listBulkRules(database, dataset.id),
  ]);
  const chips = await defectCounts(
    database,
    dataset.id,
    page.rows.map((r) => r.id),
  );
  const basePath = `/datasets/${dataset.id}`;
  const viewParams = viewToSearchParams(view);
  const viewQuery = viewParams.toString();
  const pageHref = (key: "after" | "before", c: Cursor | null) => {
    const p = new URLSearchParams(viewParams);
    if (paging.size) p.set("size", String(paging.size));
    if (c) p.set(key, encodeCursor(c));
    return `?${p.toString()}`;
  };
  const sizeHref = (n: number) => {
    const p = new URLSearchParams(viewParams);
    if (n !== 100) p.set("size", String(n));
    const qs = p.toString();
    return qs ? `?${qs}` : basePath;
  };
  const filtered = !isFilterEmpty(filter);
  const filterLabel = filtered ? describeFilter(filter) : "(whole data set)";

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <p className="text-sm text-slate-500">
            <Link href="/datasets" className="hover:underline">
              Data sets
            </Link>{" "}
            /
          </p>
          <h1 className="text-2xl font-semibold tracking-tight">{dataset.name}</h1>
          <p className="mt-1 text-sm text-slate-600">
            {fmtInt(total)} records · {plural(taskCount, "task")} · updated {fmtDate(dataset.updatedAt)}
          </p>
        </div>
        <nav aria-label="Data set" className="flex gap-2 text-sm">
          <Link
            href={`${basePath}/audit`}
            className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50"
          >
            Audit
          </Link>
          <Link
            href={`${basePath}/export${viewQuery ? `?${viewQuery}` : ""}`}
            className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50"
          >
            Export this view
          </Link>
          <Link
            href={`${basePath}/decisions`}
            className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50"
          >
            Decisions
          </Link>
          {access.role === "admin" ? (
            <Link
              href={`${basePath}/members`}
              className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50"
            >
              Members
            </Link>
          ) : null}
        </nav>
      </div>

      <section aria-labelledby="defects-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h2 id="defects-heading" className="text-sm font-semibold text-slate-700">
            Defects
          </h2>
          <DetectionStatus run={run} />
        </div>
        {counts.length ? (
          <ul className="mt-2 flex flex-wrap gap-2 text-sm" aria-label="Records flagged per defect">
            {counts.map((c) => (
              <li key={c.defect}>
                <Link
                  href={`?${new URLSearchParams({ defect: c.defect }).toString()}`}
                  className="block rounded-md bg-amber-50 px-2 py-1 text-amber-900 ring-1 ring-amber-200 hover:bg-amber-100"
                >
                  <span className="font-medium">{c.defect}</span>{" "}
                  <span className="tabular-nums">
                    {fmtInt(c.records)} record{c.records === 1 ? "" : "s"} (
                    {((c.records / Math.max(total, 1)) * 100).toFixed(1)}%)
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-2 text-sm text-slate-600">
            {run?.state === "done" ? "No defects found." : "Not checked yet."}
          </p>
        )}
      </section>

      <section aria-labelledby="records-heading" className="grid gap-4 lg:grid-cols-[15rem_minmax(0,1fr)]">
        <ViewFilters view={view} facets={facets} basePath={basePath} />
        <div className="min-w-0 space-y-3">
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h2 id="records-heading" className="text-lg font-semibold">
              Records{" "}
              <span className="text-base font-normal text-slate-600" role="status" aria-live="polite">
                {filtered ? `${fmtInt(matching)} of ${fmtInt(total)} match` : `${fmtInt(total)} in all`}
              </span>
            </h2>
            <div className="flex items-center gap-3 text-sm">
              {filtered ? (
                <Link href={basePath} className="text-indigo-700 hover:underline">
                  Clear filters
                </Link>
              ) : null}
              <span className="text-slate-500">Rows per page</span>
              {PAGE_SIZES.map((n) =>
                n === limit ? (
                  <span key={n} aria-current="true" className="font-semibold">
                    {n}
                  </span>
                ) : (
                  <Link key={n} href={sizeHref(n)} className="text-indigo-700 hover:underline">
                    {n}
                  </Link>
                ),
              )}
            </div>
          </div>
          {ignored.length ? (
            <p role="alert" className="rounded bg-amber-50 px-3 py-2 text-sm text-amber-900">
              Ignored invalid filter values in the address: {ignored.join(", ")}.
            </p>
          ) : null}
          {page.rows.length ? (
            <RecordsTable
              rows={page.rows}
              defects={chips}
              datasetId={dataset.id}
              view={view}
              viewQuery={viewQuery}
              bulk={canReview ? { filter, filterLabel, matching } : undefined}
            />
          ) : (
            <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
              {filtered ? "No records match this filter." : "No records on this page."}
            </p>
          )}
          <nav aria-label="Pagination" className="flex items-center gap-2 text-sm">
            {page.hasPrev ? (
              <>
                <Link
                  className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50"
                  href={pageHref("after", null)}
                >
                  First page
                </Link>
                <Link
                  className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50"
                  href={pageHref("before", page.firstCursor)}
                >
                  Previous page
                </Link>
              </>
            ) : (
              <span className="rounded border border-slate-200 px-3 py-1 text-slate-400">Previous page</span>
            )}
            {page.hasNext && page.lastCursor ? (
              <Link
                className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50"
                href={pageHref("after", page.lastCursor)}
              >
                Next page
              </Link>
            ) : (
              <span className="rounded border border-slate-200 px-3 py-1 text-slate-400">Next page</span>
            )}
          </nav>
        </div>
      </section>

      {rules.length ? (
        <section aria-labelledby="rules-heading" className="space-y-2">
          <h2 id="rules-heading" className="text-lg font-semibold">
            Bulk rules
          </h2>
          <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
            {rules.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 px-4 py-2">
                <span>
                  <span className="font-medium">{r.name}</span>{" "}
                  <span className="text-slate-500">
                    #{r.id} · {plural(r.affected, "record")} · {r.actor} · {fmtDate(r.appliedAt)}
                  </span>
                </span>
                {canReview ? (
                  <UndoBulkRuleButton
                    datasetId={dataset.id}
                    ruleId={r.id}
                    name={r.name}
                    undone={r.undoneAt ? `undone by ${r.undoneBy} · ${fmtDate(r.undoneAt)}` : undefined}
                  />
                ) : r.undoneAt ? (
                  <span className="text-xs text-slate-500">undone by {r.undoneBy}</span>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section id="imports" aria-labelledby="imports-heading" className="space-y-3">
        <h2 id="imports-heading" className="text-lg font-semibold">
          Imports
        </h2>
        <ul className="space-y-2">
          {jobs.map((j) => (
            <li key={j.id} className="rounded-lg border border-slate-200 bg-white p-4 text-sm">
              <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
                <span className="font-medium">{j.source}</span>
                <span className="text-slate-500">
                  {j.format ?? "?"}
                  {j.container ? ` / ${j.container}` : ""}
                </span>
                <span
                  className={`rounded px-1.5 py-0.5 text-xs ${j.state === "done" ? "bg-emerald-100 text-emerald-800" : j.state === "running" ? "bg-sky-100 text-sky-800" : "bg-amber-100 text-amber-800"}`}
                >
                  {j.state}
                </span>
                <span>
                  {fmtInt(j.rowsLoaded)} loaded · {fmtInt(j.rowsDuplicate)} already present ·{" "}
                  {fmtInt(j.rowsRejected)} rejected
                </span>
                <span className="text-slate-500">{fmtDate(j.startedAt)}</span>
              </div>
              {j.message ? <p className="mt-1 text-slate-700">{j.message}</p> : null}
              {j.errors.length ? (
                <details className="mt-2">
                  <summary className="cursor-pointer text-red-700">
                    {fmtInt(j.rowsRejected)} rejected line{j.rowsRejected === 1 ? "" : "s"}
                  </summary>
                  <RejectedLines errors={j.errors} total={j.rowsRejected} />
                </details>
              ) : null}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
