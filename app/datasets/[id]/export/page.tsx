import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ExportForm } from "@/components/export/export-form";
import { getDatasetById } from "@/db/queries/datasets";
import { countMatching } from "@/db/queries/table";
import { getDatabase } from "@/db/server";
import { EXPORTABLE_STATUSES, exportStatuses } from "@/lib/export/options";
import { datasetIdParam } from "@/lib/ids";
import { filterOf, isFilterEmpty, parseRecordView, viewToSearchParams } from "@/lib/review/filter";
import { pageAccess } from "@/lib/server/auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Export" };

/**
 * The export form for a data set. Its search params are the review view's ("export = view"): the
 * export holds exactly the records that view shows, in the statuses chosen here.
 */
export default async function ExportPage(props: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const id = datasetIdParam.safeParse((await props.params).id);
  if (!id.success) notFound();
  await pageAccess(id.data, "read", `/datasets/${id.data}/export`);
  const database = await getDatabase();
  const dataset = await getDatasetById(database, id.data);
  if (!dataset) notFound();
  const { view, ignored } = parseRecordView(await props.searchParams);
  const filter = filterOf(view);
  const filterParams = viewToSearchParams(filter);
  const counts = Object.fromEntries(
    await Promise.all(
      EXPORTABLE_STATUSES.map(async (s) => {
        const allowed = exportStatuses(filter.status, [s]).length > 0;
        const n = allowed ? await countMatching(database, dataset.id, { ...filter, status: [s] }) : 0;
        return [s, n] as const;
      }),
    ),
  ) as Record<(typeof EXPORTABLE_STATUSES)[number], number>;
  const rejected = await countMatching(database, dataset.id, {
    ...filter,
    status: filter.status.length ? filter.status.filter((s) => s === "rejected") : ["rejected"],
  });
  const filterText = [...filterParams.entries()].map(([k, v]) => `${k}=${v}`);

  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          <Link href="/datasets" className="hover:underline">
            Data sets
          </Link>{" "}
          /{" "}
          <Link href={`/datasets/${dataset.id}`} className="hover:underline">
            {dataset.name}
          </Link>{" "}
          /
        </p>
        <h1 className="text-2xl font-semibold tracking-tight">Export {dataset.name}</h1>
        <p className="mt-1 text-sm text-slate-600">
          The curated records in the format a trainer reads, in their reviewed form: current texts, kept
          negatives only, promoted negatives as extra positives. Rejected records are never exported.
        </p>
      </div>

      <section aria-labelledby="view-heading" className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id="view-heading" className="text-sm font-semibold text-slate-700">
          Records in view
        </h2>
        {isFilterEmpty(filter) ? (
          <p className="mt-1 text-sm text-slate-600">The whole data set (no filter).</p>
        ) : (
          <ul aria-label="Filter" className="mt-2 flex flex-wrap gap-2 text-sm">
            {filterText.map((t) => (
              <li key={t} className="rounded-md bg-slate-100 px-2 py-0.5 font-mono text-xs text-slate-700">
                {t}
              </li>
            ))}
          </ul>
        )}
        {ignored.length ? (
          <p className="mt-2 text-sm text-amber-800">Ignored invalid filter values: {ignored.join(", ")}.</p>
        ) : null}
      </section>

      <ExportForm
        datasetId={dataset.id}
        filterQuery={filterParams.toString()}
        counts={counts}
        rejected={rejected}
      />
    </div>
  );
}
