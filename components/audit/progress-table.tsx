"use client";

import Link from "next/link";
import { useCallback } from "react";
import { reviewHref } from "@/lib/audit/links";
import type { RateRow, Status } from "@/lib/audit/rates";
import { pct } from "./format";
import { SortHeader, useSort } from "./sortable";

const nf = new Intl.NumberFormat("en-US");
export const STATUS_COLORS: Record<Status, string> = {
  pending: "#cbd5e1",
  accepted: "#10b981",
  rejected: "#e11d48",
  relabeled: "#6366f1",
};
const ORDER: Status[] = ["pending", "accepted", "rejected", "relabeled"];
type Key = "task" | Status | "done";

/** Review progress per task: records in each status, links to them, and a stacked bar. */
export function ProgressTable(props: { datasetId: number; rows: RateRow[] }) {
  const { sorted, sort, toggle } = useSort<RateRow, Key>(
    props.rows,
    useCallback((r: RateRow, k: Key) => {
      if (k === "task") return r.key ?? "";
      if (k === "done") return r.records ? r.reviewed / r.records : 0;
      return r.status[k];
    }, []),
    { key: "done", dir: "desc" },
  );
  const h = { sort, toggle };
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm">
        <caption className="sr-only">Review progress per task — sortable</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-slate-600">
          <tr>
            <SortHeader label="Task" sortKey="task" firstDir="asc" {...h} />
            {ORDER.map((s) => (
              <SortHeader
                key={s}
                label={
                  <>
                    <span
                      aria-hidden="true"
                      className="inline-block size-2 rounded-full"
                      style={{ background: STATUS_COLORS[s] }}
                    />
                    {s[0]!.toUpperCase() + s.slice(1)}
                  </>
                }
                sortKey={s}
                align="right"
                {...h}
              />
            ))}
            <SortHeader label="Reviewed" sortKey="done" align="right" {...h} />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {sorted.map((r) => {
            const name = r.key ?? "(no task)";
            const done = r.records ? r.reviewed / r.records : 0;
            return (
              <tr key={String(r.key)} className="hover:bg-slate-50">
                <th scope="row" className="max-w-xs px-3 py-2 text-left font-normal">
                  <span className="line-clamp-1" title={name}>
                    {name}
                  </span>
                </th>
                {ORDER.map((s) => {
                  const href = r.status[s] ? reviewHref(props.datasetId, { task: r.key, status: s }) : null;
                  return (
                    <td key={s} className="px-3 py-2 text-right tabular-nums">
                      {href ? (
                        <Link href={href} className="hover:underline">
                          {nf.format(r.status[s])}
                        </Link>
                      ) : (
                        nf.format(r.status[s])
                      )}
                    </td>
                  );
                })}
                <td className="w-48 px-3 py-2">
                  <div className="flex items-center gap-2">
                    <div
                      className="flex h-2 flex-1 overflow-hidden rounded bg-slate-100"
                      role="img"
                      aria-label={`${pct(done, 0)} reviewed`}
                    >
                      {ORDER.filter((s) => s !== "pending").map((s) => (
                        <div
                          key={s}
                          style={{
                            width: `${(r.status[s] / Math.max(1, r.records)) * 100}%`,
                            background: STATUS_COLORS[s],
                          }}
                        />
                      ))}
                    </div>
                    <span className="w-10 text-right text-xs tabular-nums text-slate-600">
                      {pct(done, 0)}
                    </span>
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
