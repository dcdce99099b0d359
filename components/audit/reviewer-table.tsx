"use client";

import Link from "next/link";
import { useCallback } from "react";
import type { ReviewerRow } from "@/lib/audit/report";
import { SortHeader, useSort } from "./sortable";

const nf = new Intl.NumberFormat("en-US");
type Key = "actor" | "decisions" | "undos" | "records" | "activeSeconds" | "perHour" | "first" | "last";
const when = (iso: string) => iso.slice(0, 16).replace("T", " ");
const duration = (s: number) =>
  s < 60 ? `${Math.round(s)} s` : s < 3600 ? `${Math.round(s / 60)} min` : `${(s / 3600).toFixed(1)} h`;

/** Decisions per reviewer, with their pace over active time. */
export function ReviewerTable(props: { datasetId: number; rows: ReviewerRow[]; gapMinutes: number }) {
  const { sorted, sort, toggle } = useSort<ReviewerRow, Key>(
    props.rows,
    useCallback((r: ReviewerRow, k: Key) => r[k], []),
    { key: "decisions", dir: "desc" },
  );
  const h = { sort, toggle };
  if (!props.rows.length) {
    return (
      <p className="rounded-lg border border-dashed border-slate-300 bg-white p-4 text-sm text-slate-600">
        No decisions yet.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm">
        <caption className="sr-only">Decisions per reviewer — sortable</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-slate-600">
          <tr>
            <SortHeader label="Reviewer" sortKey="actor" firstDir="asc" {...h} />
            <SortHeader label="Decisions" sortKey="decisions" align="right" {...h} />
            <SortHeader label="Undos" sortKey="undos" align="right" {...h} />
            <SortHeader label="Records" sortKey="records" align="right" {...h} />
            <SortHeader label="Active time" sortKey="activeSeconds" align="right" {...h} />
            <SortHeader label="Decisions / hour" sortKey="perHour" align="right" {...h} />
            <SortHeader label="First" sortKey="first" {...h} />
            <SortHeader label="Last" sortKey="last" {...h} />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {sorted.map((r) => (
            <tr key={r.actor} className="hover:bg-slate-50">
              <th scope="row" className="px-3 py-2 text-left font-normal">
                <Link
                  href={`/datasets/${props.datasetId}?${new URLSearchParams({ reviewer: r.actor })}`}
                  className="hover:text-indigo-700 hover:underline"
                >
                  {r.actor}
                </Link>
              </th>
              <td className="px-3 py-2 text-right tabular-nums">{nf.format(r.decisions)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{nf.format(r.undos)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{nf.format(r.records)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{duration(r.activeSeconds)}</td>
              <td className="px-3 py-2 text-right tabular-nums">
                {r.perHour === null ? (
                  <span className="text-slate-400" title="Under a minute of activity">
                    —
                  </span>
                ) : (
                  r.perHour.toFixed(0)
                )}
              </td>
              <td className="px-3 py-2 tabular-nums text-slate-600">{when(r.first)}</td>
              <td className="px-3 py-2 tabular-nums text-slate-600">{when(r.last)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="border-t border-slate-200 px-3 py-2 text-xs text-slate-500">
        Active time sums the gaps between a reviewer’s consecutive decisions; a gap over {props.gapMinutes}{" "}
        minutes counts as a break. Undos are not counted as decisions.
      </p>
    </div>
  );
}
