import Link from "next/link";
import { fmtDate, fmtInt } from "@/components/ui/format";
import { reviewHref } from "@/lib/audit/links";
import type { SampleRow } from "@/lib/audit/report";
import { ci, pct } from "./format";

/** The data set's audit samples, newest first: progress, estimate and a link to review each. */
export function SamplesList(props: { datasetId: number; samples: SampleRow[] }) {
  if (!props.samples.length) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">
        No audit sample yet. Draw one to estimate the true defect rate, including what the detectors miss.
      </p>
    );
  }
  return (
    <ul aria-label="Audit samples" className="space-y-2">
      {props.samples.map((s) => {
        const done = s.size ? s.reviewed / s.size : 0;
        const e = s.estimate;
        return (
          <li
            key={s.id}
            aria-label={`Sample ${s.id}`}
            className="rounded-lg border border-slate-200 bg-white p-4 text-sm"
          >
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <div>
                <span className="font-medium">Sample #{s.id}</span>{" "}
                <span className="text-slate-500">
                  {fmtInt(s.perTask)} per task · seed {s.seed} · {fmtInt(s.tasks)} task
                  {s.tasks === 1 ? "" : "s"} · drawn {fmtDate(s.createdAt)} by {s.actor}
                </span>
              </div>
              <Link
                href={reviewHref(props.datasetId, { sample: s.id }) ?? "#"}
                className="rounded-md border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50"
              >
                Review sample #{s.id}
              </Link>
            </div>
            <div className="mt-2 flex items-center gap-3">
              <div
                className="h-2 w-48 overflow-hidden rounded bg-slate-100"
                role="progressbar"
                aria-label={`Sample ${s.id} reviewed`}
                aria-valuemin={0}
                aria-valuemax={s.size}
                aria-valuenow={s.reviewed}
              >
                <div className="h-full bg-emerald-500" style={{ width: `${done * 100}%` }} />
              </div>
              <span className="tabular-nums">
                {fmtInt(s.reviewed)}/{fmtInt(s.size)} reviewed
                {s.found < s.size ? ` (${fmtInt(s.size - s.found)} records deleted since)` : ""} ·{" "}
                {fmtInt(s.defective)} defective
              </span>
            </div>
            <p className="mt-2">
              {e ? (
                <>
                  Estimated true defect rate: <strong className="tabular-nums">{pct(e.rate)}</strong>{" "}
                  <span className="text-slate-600">(95% CI {ci(e)})</span>
                  {e.coveredRecords < e.totalRecords ? (
                    <span className="text-slate-500">
                      {" "}
                      — covers the {fmtInt(e.coveredRecords)} of {fmtInt(e.totalRecords)} records in tasks
                      with a reviewed sample record
                    </span>
                  ) : null}
                </>
              ) : (
                <span className="text-slate-500">No estimate until a record of the sample is reviewed.</span>
              )}
            </p>
          </li>
        );
      })}
    </ul>
  );
}
