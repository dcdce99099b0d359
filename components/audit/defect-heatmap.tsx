"use client";

import Link from "next/link";
import { useCallback } from "react";
import { reviewHref } from "@/lib/audit/links";
import type { RateRow } from "@/lib/audit/rates";
import { pct } from "./format";
import { SortHeader, useSort } from "./sortable";

const nf = new Intl.NumberFormat("en-US");

/** Background for a rate: white at 0, rose at the table's highest rate (numbers stay readable). */
function shade(rate: number, max: number) {
  if (rate <= 0 || max <= 0) return { background: "transparent", color: "#94a3b8" };
  const t = Math.min(1, rate / max);
  const alpha = 0.08 + 0.72 * t;
  return { background: `rgba(225, 29, 72, ${alpha.toFixed(3)})`, color: alpha > 0.5 ? "#fff" : "#0f172a" };
}

/**
 * Task × defect heatmap as a table: each cell is the share of the task's records flagged with the
 * defect, coloured by rate, the number as text; a cell opens the review table filtered to it.
 */
export function DefectHeatmap(props: { datasetId: number; rows: RateRow[]; defects: string[] }) {
  type Key = string;
  const { sorted, sort, toggle } = useSort<RateRow, Key>(
    props.rows,
    useCallback((r: RateRow, k: Key) => {
      if (k === "__task") return r.key ?? "";
      if (k === "__any") return r.rate;
      return r.records ? (r.byDefect[k] ?? 0) / r.records : 0;
    }, []),
    { key: "__any", dir: "desc" },
  );
  let max = 0;
  for (const r of props.rows) {
    for (const d of props.defects) max = Math.max(max, r.records ? (r.byDefect[d] ?? 0) / r.records : 0);
  }
  const h = { sort, toggle };
  return (
    <figure className="rounded-lg border border-slate-200 bg-white p-4">
      <div className="overflow-x-auto">
        <table className="w-full border-separate border-spacing-0.5 text-xs">
          <caption className="mb-1 text-left text-sm font-semibold text-slate-700">
            Task × defect heatmap
            <span className="block text-xs font-normal text-slate-500">
              Share of each task’s records flagged with each defect (darker = higher). Click a cell for those
              records; click a header to sort.
            </span>
          </caption>
          <thead className="text-slate-600">
            <tr>
              <SortHeader
                label="Task"
                sortKey="__task"
                firstDir="asc"
                className="min-w-56 align-bottom"
                {...h}
              />
              <SortHeader label="Any defect" sortKey="__any" align="right" className="align-bottom" {...h} />
              {props.defects.map((d) => (
                <SortHeader
                  key={d}
                  label={<span className="whitespace-nowrap">{d.replaceAll("_", " ")}</span>}
                  sortKey={d}
                  align="right"
                  className="align-bottom"
                  {...h}
                />
              ))}
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => {
              const name = r.key ?? "(no task)";
              return (
                <tr key={String(r.key)}>
                  <th scope="row" className="max-w-xs px-2 py-1 text-left font-normal text-slate-800">
                    <span className="line-clamp-1" title={name}>
                      {name}
                    </span>
                  </th>
                  <td
                    className="rounded px-2 py-1 text-right tabular-nums"
                    style={shade(r.rate, Math.max(max, r.rate))}
                  >
                    {pct(r.rate)}
                  </td>
                  {props.defects.map((d) => {
                    const n = r.byDefect[d] ?? 0;
                    const rate = r.records ? n / r.records : 0;
                    const href = n ? reviewHref(props.datasetId, { task: r.key, defect: d }) : null;
                    const label = `${pct(rate)}`;
                    return (
                      <td key={d} className="rounded p-0 text-right tabular-nums" style={shade(rate, max)}>
                        {href ? (
                          <Link
                            href={href}
                            className="block px-2 py-1 hover:underline"
                            aria-label={`${name}, ${d}: ${label} (${nf.format(n)} of ${nf.format(r.records)} records)`}
                            title={`${nf.format(n)} of ${nf.format(r.records)} records`}
                          >
                            {label}
                          </Link>
                        ) : (
                          <span className="block px-2 py-1">{n ? label : "·"}</span>
                        )}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
