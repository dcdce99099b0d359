import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { DetectionStatus } from "@/components/datasets/detection-status";
import { type RecordFlag, RecordsTable } from "@/components/datasets/records-table";
import { RejectedLines } from "@/components/datasets/upload-panel";
import { fmtDate, fmtInt } from "@/components/ui/format";
import { countRecords, datasetBreakdown, getDatasetById, listRecordPage } from "@/db/queries/datasets";
import { flagCounts, flagsForRecords, latestDetectionRun } from "@/db/queries/detect";
import { listImportJobs } from "@/db/queries/import";
import { getDatabase } from "@/db/server";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Data set" };

const PAGE_SIZE = 50;
const idSchema = z.coerce
  .number()
  .int()
  .positive()
  .max(2 ** 31);
const searchSchema = z.object({
  after: z.coerce.number().int().nonnegative().optional().catch(undefined),
  before: z.coerce.number().int().positive().optional().catch(undefined),
});

export default async function DatasetPage(props: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const id = idSchema.safeParse((await props.params).id);
  if (!id.success) notFound();
  const search = searchSchema.parse(await props.searchParams);
  const database = await getDatabase();
  const dataset = await getDatasetById(database, id.data);
  if (!dataset) notFound();
  const [total, breakdown, jobs, page, counts, run] = await Promise.all([
    countRecords(database, dataset.id),
    datasetBreakdown(database, dataset.id),
    listImportJobs(database, dataset.id),
    listRecordPage(database, {
      datasetId: dataset.id,
      after: search.after,
      before: search.before,
      limit: PAGE_SIZE,
    }),
    flagCounts(database, dataset.id),
    latestDetectionRun(database, dataset.id),
  ]);
  const pageFlags = await flagsForRecords(
    database,
    dataset.id,
    page.rows.map((r) => r.id),
  );
  const flagsByRecord: Record<number, RecordFlag[]> = {};
  for (const f of pageFlags) {
    const id = Number(f.record_id);
    flagsByRecord[id] = flagsByRecord[id] ?? [];
    flagsByRecord[id].push({
      defect: f.defect,
      target: f.target,
      negativeIndex: f.negative_index,
      score: f.score,
      notes: f.evidence.map((e) => e.note).filter(Boolean),
    });
  }
  const first = page.rows[0]?.id;
  const last = page.rows.at(-1)?.id;

  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          <Link href="/datasets" className="hover:underline">
            Data sets
          </Link>{" "}
          /
        </p>
        <h1 className="text-2xl font-semibold tracking-tight">{dataset.name}</h1>
        <p className="mt-1 text-sm text-slate-600">
          {fmtInt(total)} records · {fmtInt(breakdown.tasks.length)}
          {breakdown.tasks.length === 50 ? "+" : ""} tasks · updated {fmtDate(dataset.updatedAt)}
        </p>
      </div>

      <section aria-label="Breakdown" className="grid gap-4 md:grid-cols-3">
        {(
          [
            ["Task families", breakdown.families],
            ["Languages", breakdown.languages],
            ["Tasks", breakdown.tasks],
          ] as const
        ).map(([title, items]) => (
          <div key={title} className="rounded-lg border border-slate-200 bg-white p-4">
            <h2 className="text-sm font-semibold text-slate-700">{title}</h2>
            <ul className="mt-2 max-h-40 space-y-1 overflow-y-auto text-sm">
              {items.map((it) => (
                <li key={String(it.value)} className="flex justify-between gap-3">
                  <span className="truncate" title={it.value ?? undefined}>
                    {it.value ?? (title === "Languages" ? "und" : "(none)")}
                  </span>
                  <span className="tabular-nums text-slate-500">{fmtInt(it.count)}</span>
                </li>
              ))}
            </ul>
          </div>
        ))}
      </section>

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
              <li
                key={c.defect}
                className="rounded-md bg-amber-50 px-2 py-1 text-amber-900 ring-1 ring-amber-200"
              >
                <span className="font-medium">{c.defect}</span>{" "}
                <span className="tabular-nums">
                  {fmtInt(c.records)} record{c.records === 1 ? "" : "s"} (
                  {((c.records / Math.max(total, 1)) * 100).toFixed(1)}%)
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-2 text-sm text-slate-600">
            {run?.state === "done" ? "No defects found." : "Not checked yet."}
          </p>
        )}
      </section>

      <section aria-labelledby="records-heading" className="space-y-3">
        <div className="flex items-center justify-between">
          <h2 id="records-heading" className="text-lg font-semibold">
            Records
          </h2>
          <nav aria-label="Pagination" className="flex items-center gap-2 text-sm">
            {page.hasPrev && first !== undefined ? (
              <Link
                className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50"
                href={`?before=${first}`}
              >
                Previous page
              </Link>
            ) : (
              <span className="rounded border border-slate-200 px-3 py-1 text-slate-400">Previous page</span>
            )}
            {page.hasNext && last !== undefined ? (
              <Link
                className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50"
                href={`?after=${last}`}
              >
                Next page
              </Link>
            ) : (
              <span className="rounded border border-slate-200 px-3 py-1 text-slate-400">Next page</span>
            )}
          </nav>
        </div>
        {page.rows.length ? (
          <RecordsTable rows={page.rows} total={total} flags={flagsByRecord} datasetId={dataset.id} />
        ) : (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
            No records on this page.
          </p>
        )}
      </section>

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
