"use client";

import Link from "next/link";
import { useCallback } from "react";
import type { DefectRow } from "@/lib/audit/rates";
import { ci, defectColor, pct } from "./format";
import { SortHeader, useSort } from "./sortable";

const nf = new Intl.NumberFormat("en-US");
type Key = "defect" | "records" | "rate" | "decided" | "confirmed" | "accepted" | "precision";

/** Detector precision as reviewers confirm it, per defect. */
export function DefectTable(props: { datasetId: number; rows: DefectRow[] }) {
  const colour = new Map(props.rows.map((r, i) => [r.defect, defectColor(i)]));
  const { sorted, sort, toggle } = useSort<DefectRow, Key>(
    props.rows,
    useCallback((r: DefectRow, k: Key) => (k === "precision" ? r.precision?.rate : r[k]), []),
    { key: "records", dir: "desc" },
  );
  const h = { sort, toggle };
  const base = `/datasets/${props.datasetId}`;
  const q = (defect: string, ...statuses: string[]) => {
    const p = new URLSearchParams({ defect });
    for (const s of statuses) p.append("status", s);
    return `${base}?${p}`;
  };
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm">
        <caption className="sr-only">Detector precision per defect — sortable</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-slate-600">
          <tr>
            <SortHeader label="Defect (detector)" sortKey="defect" firstDir="asc" {...h} />
            <SortHeader label="Records flagged" sortKey="records" align="right" {...h} />
            <SortHeader label="Defect rate" sortKey="rate" align="right" {...h} />
            <SortHeader label="Decided" sortKey="decided" align="right" {...h} />
            <SortHeader label="Confirmed" sortKey="confirmed" align="right" {...h} />
            <SortHeader label="Accepted" sortKey="accepted" align="right" {...h} />
            <SortHeader label="Precision (95% CI)" sortKey="precision" align="right" {...h} />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {sorted.map((r) => (
            <tr key={r.defect} className="hover:bg-slate-50">
              <th scope="row" className="px-3 py-2 text-left font-normal">
                <Link
                  href={q(r.defect)}
                  className="inline-flex items-center gap-1.5 hover:text-indigo-700 hover:underline"
                >
                  <span
                    aria-hidden="true"
                    className="inline-block size-2.5 rounded-full"
                    style={{ background: colour.get(r.defect) }}
                  />
                  {r.defect}
                </Link>
              </th>
              <td className="px-3 py-2 text-right tabular-nums">{nf.format(r.records)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{pct(r.rate)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{nf.format(r.decided)}</td>
              <td className="px-3 py-2 text-right tabular-nums">
                {r.confirmed ? (
                  <Link className="hover:underline" href={q(r.defect, "rejected", "relabeled")}>
                    {nf.format(r.confirmed)}
                  </Link>
                ) : (
                  0
                )}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">
                {r.accepted ? (
                  <Link className="hover:underline" href={q(r.defect, "accepted")}>
                    {nf.format(r.accepted)}
                  </Link>
                ) : (
                  0
                )}
              </td>
              <td className="px-3 py-2 text-right tabular-nums">
                {r.precision ? (
                  <>
                    {pct(r.precision.rate, 0)}{" "}
                    <span className="text-xs text-slate-500">({ci(r.precision, 0)})</span>
                  </>
                ) : (
                  <span className="text-slate-400" title="No flagged record decided yet">
                    —
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
