"use client";

import Link from "next/link";
import { useCallback, useId, useState } from "react";
import { FILTER_KEY, reviewHref } from "@/lib/audit/links";
import type { Dimension, RateRow } from "@/lib/audit/rates";
import { ci, defectColor, pct } from "./format";
import { SortHeader, useSort } from "./sortable";

const LABEL: Record<Dimension, string> = { task: "Task", family: "Task family", language: "Language" };
const PLURAL: Record<Dimension, string> = { task: "tasks", family: "task families", language: "languages" };
const LIMIT = 100;
/** Defect chips per row (the heatmap has them all). */
const CHIPS = 3;

type Key = "key" | "records" | "flagged" | "rate" | "reviewed" | "defective" | "precision" | "estimate";

const nf = new Intl.NumberFormat("en-US");

function value(r: RateRow, k: Key) {
  switch (k) {
    case "key":
      return r.key ?? "";
    case "precision":
      return r.precision.precision?.rate;
    case "estimate":
      return r.estimate?.rate;
    case "reviewed":
      return r.records ? r.reviewed / r.records : 0;
    default:
      return r[k];
  }
}

function RateTable(props: { datasetId: number; dim: Dimension; rows: RateRow[]; defects: string[] }) {
  const { sorted, sort, toggle } = useSort<RateRow, Key>(props.rows, useCallback(value, []), {
    key: "rate",
    dir: "desc",
  });
  const [all, setAll] = useState(false);
  const shown = all ? sorted : sorted.slice(0, LIMIT);
  const filterKey = FILTER_KEY[props.dim];
  const href = (key: string | null, extra: Record<string, string> = {}) =>
    props.dim === "task"
      ? reviewHref(props.datasetId, { task: key, ...extra })
      : reviewHref(props.datasetId, { [filterKey]: key ?? "", ...extra });
  const colour = new Map(props.defects.map((d, i) => [d, defectColor(i)]));
  const h = { sort, toggle };
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full text-sm">
        <caption className="sr-only">
          Defect rates by {LABEL[props.dim].toLowerCase()} — sortable; a link opens the review table filtered
          to it
        </caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-slate-600">
          <tr>
            <SortHeader label={LABEL[props.dim]} sortKey="key" firstDir="asc" {...h} />
            <SortHeader label="Records" sortKey="records" align="right" {...h} />
            <SortHeader label="Flagged" sortKey="flagged" align="right" {...h} />
            <SortHeader label="Flag rate" sortKey="rate" align="right" {...h} />
            <th scope="col" className="px-3 py-2 text-left font-medium">
              Defects flagged
            </th>
            <SortHeader label="Reviewed" sortKey="reviewed" align="right" {...h} />
            <SortHeader label="Defective" sortKey="defective" align="right" {...h} />
            <SortHeader label="Detector precision" sortKey="precision" align="right" {...h} />
            <SortHeader label="Est. true defect rate" sortKey="estimate" align="right" {...h} />
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {shown.map((r) => {
            const link = href(r.key);
            const name = r.key ?? "(no task)";
            return (
              <tr key={String(r.key)} className="align-top hover:bg-slate-50">
                <th scope="row" className="max-w-xs px-3 py-2 text-left font-normal">
                  {link ? (
                    <Link
                      href={link}
                      className="line-clamp-2 text-slate-900 hover:text-indigo-700 hover:underline"
                      title={name}
                    >
                      {name}
                    </Link>
                  ) : (
                    <span className="text-slate-500">{name}</span>
                  )}
                </th>
                <td className="px-3 py-2 text-right tabular-nums">{nf.format(r.records)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{nf.format(r.flagged)}</td>
                <td className="px-3 py-2 text-right tabular-nums">{pct(r.rate)}</td>
                <td className="px-3 py-2">
                  <ul className="flex max-w-sm flex-wrap gap-1">
                    {Object.entries(r.byDefect)
                      .slice(0, CHIPS)
                      .map(([d, n]) => {
                        const dl = href(r.key, { defect: d });
                        const chip = (
                          <>
                            <span
                              aria-hidden="true"
                              className="inline-block size-2 rounded-full"
                              style={{ background: colour.get(d) }}
                            />
                            {d} <span className="tabular-nums text-slate-500">{nf.format(n)}</span>
                          </>
                        );
                        return (
                          <li key={d}>
                            {dl ? (
                              <Link
                                href={dl}
                                className="inline-flex items-center gap-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700 hover:bg-slate-200"
                              >
                                {chip}
                              </Link>
                            ) : (
                              <span className="inline-flex items-center gap-1 rounded bg-slate-100 px-1.5 py-0.5 text-xs">
                                {chip}
                              </span>
                            )}
                          </li>
                        );
                      })}
                    {Object.keys(r.byDefect).length > CHIPS ? (
                      <li className="px-1 text-xs text-slate-500">
                        +{Object.keys(r.byDefect).length - CHIPS} more
                      </li>
                    ) : null}
                  </ul>
                </td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {nf.format(r.reviewed)}
                  <span className="block text-xs text-slate-500">
                    {pct(r.records ? r.reviewed / r.records : 0, 0)}
                  </span>
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{nf.format(r.defective)}</td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {r.precision.precision ? (
                    <>
                      {pct(r.precision.precision.rate, 0)}
                      <span className="block text-xs text-slate-500">
                        {nf.format(r.precision.confirmed)}/{nf.format(r.precision.decided)} ·{" "}
                        {ci(r.precision.precision, 0)}
                      </span>
                    </>
                  ) : (
                    <span className="text-slate-400">—</span>
                  )}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {r.estimate ? (
                    <>
                      {pct(r.estimate.rate)}
                      <span className="block text-xs text-slate-500">{ci(r.estimate)}</span>
                    </>
                  ) : (
                    <span className="text-slate-400">—</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {sorted.length > LIMIT ? (
        <div className="border-t border-slate-200 p-2 text-sm">
          <button type="button" onClick={() => setAll((v) => !v)} className="text-indigo-700 hover:underline">
            {all ? `Show the first ${LIMIT}` : `Show all ${nf.format(sorted.length)} ${PLURAL[props.dim]}`}
          </button>
        </div>
      ) : null}
    </div>
  );
}

/** The defect-rate table by task, task family or language (tabs). */
export function RateTables(props: {
  datasetId: number;
  defects: string[];
  tables: Record<Dimension, RateRow[]>;
}) {
  const [dim, setDim] = useState<Dimension>("task");
  const id = useId();
  const dims: Dimension[] = ["task", "family", "language"];
  return (
    <div className="space-y-2">
      <div role="tablist" aria-label="Group defect rates by" className="flex gap-1 text-sm">
        {dims.map((d) => (
          <button
            key={d}
            type="button"
            role="tab"
            id={`${id}-${d}`}
            aria-selected={dim === d}
            aria-controls={`${id}-panel`}
            onClick={() => setDim(d)}
            className={`rounded-md px-3 py-1 ${dim === d ? "bg-slate-900 text-white" : "border border-slate-300 bg-white text-slate-700 hover:bg-slate-50"}`}
          >
            By {LABEL[d].toLowerCase()} ({props.tables[d].length})
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-${dim}`}>
        <RateTable
          key={dim}
          datasetId={props.datasetId}
          dim={dim}
          rows={props.tables[dim]}
          defects={props.defects}
        />
      </div>
    </div>
  );
}
