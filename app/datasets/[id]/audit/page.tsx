import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DefectHeatmap } from "@/components/audit/defect-heatmap";
import { DefectTable } from "@/components/audit/defect-table";
import { DrawSampleForm } from "@/components/audit/draw-sample-form";
import { ci, defectColor, pct } from "@/components/audit/format";
import { ProgressTable } from "@/components/audit/progress-table";
import { RateTables } from "@/components/audit/rate-tables";
import { ReviewerTable } from "@/components/audit/reviewer-table";
import { SamplesList } from "@/components/audit/samples-list";
import { type ChartRow, StackedBarChart } from "@/components/audit/stacked-bar-chart";
import { fmtInt } from "@/components/ui/format";
import { getAuditReport } from "@/db/queries/audit";
import { getDatabase } from "@/db/server";
import type { DefectEstimate } from "@/lib/audit/estimate";
import { reviewHref } from "@/lib/audit/links";
import { ACTIVE_GAP_MINUTES } from "@/lib/audit/report";
import { datasetIdSchema } from "@/lib/audit/schema";
import { pageAccess } from "@/lib/server/auth";
import { drawSampleAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Audit" };

/** Tasks in the chart (the tables and the heatmap list every task). */
const CHART_TASKS = 30;

function Stat(props: { label: string; value: string; detail?: React.ReactNode }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{props.label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums">{props.value}</dd>
      {props.detail ? <dd className="mt-1 text-xs text-slate-600">{props.detail}</dd> : null}
    </div>
  );
}

function EstimateDetail({ e, source }: { e: DefectEstimate; source: string }) {
  return (
    <>
      95% CI {ci(e)} · {source}: {fmtInt(e.knownDefective)} defective found, {fmtInt(e.pending)} pending
      records estimated from {fmtInt(e.observations)} reviewed
      {e.coveredRecords < e.totalRecords
        ? ` · covers ${fmtInt(e.coveredRecords)} of ${fmtInt(e.totalRecords)} records`
        : ""}
    </>
  );
}

export default async function AuditPage(props: { params: Promise<{ id: string }> }) {
  const id = datasetIdSchema.safeParse((await props.params).id);
  if (!id.success) notFound();
  const access = await pageAccess(id.data, "read", `/datasets/${id.data}/audit`);
  const database = await getDatabase();
  const t0 = performance.now();
  const report = await getAuditReport(database, id.data);
  const ms = performance.now() - t0;
  if (!report) notFound();
  const datasetId = report.dataset.id;
  const t = report.total;
  const defects = report.defects.map((d) => d.defect);
  const headline = report.estimate.samples
    ? { e: report.estimate.samples, source: "from audit samples" }
    : report.estimate.reviewed
      ? { e: report.estimate.reviewed, source: "from reviewed records (no audit sample reviewed yet)" }
      : null;

  const flaggedTasks = report.byTask.filter((r) => r.flagged > 0).length;
  const chartRows: ChartRow[] = report.byTask
    .filter((r) => r.flagged > 0)
    .sort((a, b) => b.rate - a.rate || b.records - a.records)
    .slice(0, CHART_TASKS)
    .map((r) => ({
      label: r.key ?? "(no task)",
      values: Object.fromEntries(defects.map((d) => [d, r.records ? (r.byDefect[d] ?? 0) / r.records : 0])),
      links: Object.fromEntries(
        defects.flatMap((d) => {
          const href = reviewHref(datasetId, { task: r.key, defect: d });
          return href ? [[d, href]] : [];
        }),
      ),
    }));
  const api = `/api/datasets/${datasetId}/audit`;

  return (
    <div className="space-y-8">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500">
            <Link href="/datasets" className="hover:underline">
              Data sets
            </Link>{" "}
            /{" "}
            <Link href={`/datasets/${datasetId}`} className="hover:underline">
              {report.dataset.name}
            </Link>{" "}
            /
          </p>
          <h1 className="text-2xl font-semibold tracking-tight">Audit: {report.dataset.name}</h1>
          <p className="mt-1 text-sm text-slate-600">
            Defect rates, review progress, detector precision and the estimated true defect rate.
          </p>
        </div>
        <nav aria-label="Downloads" className="flex flex-wrap items-center gap-2 text-sm">
          <a
            href={`${api}?format=csv&table=rates`}
            download
            className="rounded-md border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50"
          >
            Download CSV
          </a>
          <a href={`${api}?format=csv&table=reviewers`} download className="text-slate-600 hover:underline">
            reviewers CSV
          </a>
          <a href={`${api}?format=csv&table=samples`} download className="text-slate-600 hover:underline">
            samples CSV
          </a>
          <a
            href={`${api}?format=json`}
            download
            className="rounded-md border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50"
          >
            Download JSON
          </a>
        </nav>
      </div>

      <section aria-labelledby="summary-heading">
        <h2 id="summary-heading" className="sr-only">
          Summary
        </h2>
        <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
          <Stat
            label="Records"
            value={fmtInt(t.records)}
            detail={`${fmtInt(report.byTask.length)} tasks · ${fmtInt(report.byFamily.length)} families · ${fmtInt(report.byLanguage.length)} languages`}
          />
          <Stat
            label="Flagged by detectors"
            value={pct(t.rate)}
            detail={`${fmtInt(t.flagged)} records with at least one flag · ${fmtInt(defects.length)} defects`}
          />
          <Stat
            label="Reviewed"
            value={pct(t.records ? t.reviewed / t.records : 0)}
            detail={`${fmtInt(t.reviewed)} of ${fmtInt(t.records)}: ${fmtInt(t.status.accepted)} accepted, ${fmtInt(t.status.rejected)} rejected, ${fmtInt(t.status.relabeled)} relabeled`}
          />
          <Stat
            label="Estimated true defect rate"
            value={headline ? pct(headline.e.rate) : "—"}
            detail={
              headline ? (
                <EstimateDetail e={headline.e} source={headline.source} />
              ) : (
                <>
                  Review records to estimate it — best an{" "}
                  <a href="#samples-heading" className="text-indigo-700 hover:underline">
                    audit sample
                  </a>
                  .
                </>
              )
            }
          />
        </dl>
        {report.estimate.samples && report.estimate.reviewed ? (
          <p className="mt-2 text-xs text-slate-500">
            From all reviewed records (flagged and unflagged records weighted apart):{" "}
            {pct(report.estimate.reviewed.rate)} (95% CI {ci(report.estimate.reviewed)}). Reviewed records
            count as defective when rejected or relabeled; the audit samples are random, so their estimate is
            the one to trust.
          </p>
        ) : null}
      </section>

      <section aria-labelledby="rates-heading" className="space-y-4">
        <div>
          <h2 id="rates-heading" className="text-lg font-semibold">
            Defect rates
          </h2>
          <p className="text-sm text-slate-600">
            The share of records the detectors flagged, per task, task family and language. Click a bar, a
            cell or a name to open those records in the review table.
          </p>
        </div>
        {defects.length ? (
          <>
            <StackedBarChart
              title="Defect rate by task, stacked by defect"
              description={`Records flagged with each defect, as a share of the task's records${flaggedTasks > CHART_TASKS ? ` — the ${CHART_TASKS} tasks with the highest flag rate` : ""}; tasks without a flag are left out. A record with two defects counts in both.`}
              rows={chartRows}
              series={defects.map((d, i) => ({ key: d, name: d, color: defectColor(i) }))}
              unit="%"
            />
            <DefectHeatmap datasetId={datasetId} rows={report.byTask} defects={defects} />
          </>
        ) : (
          <p className="rounded-lg border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">
            No flags: the detectors have not run on this data set yet, or found nothing.
          </p>
        )}
        <RateTables
          datasetId={datasetId}
          defects={defects}
          tables={{ task: report.byTask, family: report.byFamily, language: report.byLanguage }}
        />
      </section>

      <section aria-labelledby="precision-heading" className="space-y-3">
        <div>
          <h2 id="precision-heading" className="text-lg font-semibold">
            Detector precision
          </h2>
          <p className="text-sm text-slate-600">
            Of the flagged records reviewers decided, the share they rejected or relabeled (confirmed) rather
            than accepted. Per task it is in the defect-rate table above.
          </p>
        </div>
        {report.defects.length ? (
          <DefectTable datasetId={datasetId} rows={report.defects} />
        ) : (
          <p className="text-sm text-slate-600">No flagged records.</p>
        )}
      </section>

      <section aria-labelledby="progress-heading" className="space-y-3">
        <h2 id="progress-heading" className="text-lg font-semibold">
          Review progress
        </h2>
        <ProgressTable datasetId={datasetId} rows={report.byTask} />
        <h3 className="pt-2 text-sm font-semibold text-slate-700">Reviewers</h3>
        <ReviewerTable datasetId={datasetId} rows={report.reviewers} gapMinutes={ACTIVE_GAP_MINUTES} />
      </section>

      <section aria-labelledby="samples-heading" className="space-y-3">
        <div>
          <h2 id="samples-heading" className="text-lg font-semibold">
            Audit samples
          </h2>
          <p className="text-sm text-slate-600">
            A random sample of unreviewed records estimates how many defects remain, flagged or not. The
            estimate adds the defects reviewers already found to the pending records of each task at the
            sample’s defect rate for that task, with a Wilson 95% confidence interval.
          </p>
        </div>
        {access.role === "viewer" ? (
          <p role="note" className="text-sm text-slate-600">
            Drawing a sample needs the reviewer role.
          </p>
        ) : (
          <DrawSampleForm
            action={drawSampleAction.bind(null, datasetId)}
            defaultSeed={Math.floor(Math.random() * 1_000_000)}
            tasks={report.byTask.length}
          />
        )}
        {report.estimate.samples && report.samples.length > 1 ? (
          <p className="text-sm">
            All samples together:{" "}
            <strong className="tabular-nums">{pct(report.estimate.samples.rate)}</strong>{" "}
            <span className="text-slate-600">(95% CI {ci(report.estimate.samples)})</span>
          </p>
        ) : null}
        <SamplesList datasetId={datasetId} samples={report.samples} />
      </section>

      <p className="text-xs text-slate-400">Computed in {ms.toFixed(0)} ms.</p>
    </div>
  );
}
