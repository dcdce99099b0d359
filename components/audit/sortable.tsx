"use client";

import { type ReactNode, useMemo, useState } from "react";

export type SortDir = "asc" | "desc";
export type SortValue = string | number | null | undefined;

/** Client-side sorting of a small table (a few hundred rows at most: tasks, defects, reviewers). */
export function useSort<T, K extends string>(
  rows: readonly T[],
  value: (row: T, key: K) => SortValue,
  initial: { key: K; dir: SortDir },
) {
  const [sort, setSort] = useState(initial);
  const sorted = useMemo(() => {
    const out = [...rows];
    const mul = sort.dir === "asc" ? 1 : -1;
    out.sort((a, b) => {
      const x = value(a, sort.key);
      const y = value(b, sort.key);
      // Missing values always last.
      if (x === null || x === undefined) return y === null || y === undefined ? 0 : 1;
      if (y === null || y === undefined) return -1;
      if (typeof x === "number" && typeof y === "number") return (x - y) * mul;
      return String(x).localeCompare(String(y)) * mul;
    });
    return out;
  }, [rows, sort, value]);
  const toggle = (key: K, firstDir: SortDir = "desc") =>
    setSort((s) => (s.key === key ? { key, dir: s.dir === "asc" ? "desc" : "asc" } : { key, dir: firstDir }));
  return { sorted, sort, toggle };
}

/** A column header that sorts its table: a button, with aria-sort on the header cell. */
export function SortHeader<K extends string>(props: {
  label: ReactNode;
  sortKey: K;
  sort: { key: K; dir: SortDir };
  toggle: (key: K, firstDir?: SortDir) => void;
  firstDir?: SortDir;
  align?: "left" | "right";
  className?: string;
}) {
  const active = props.sort.key === props.sortKey;
  return (
    <th
      scope="col"
      aria-sort={active ? (props.sort.dir === "asc" ? "ascending" : "descending") : "none"}
      className={`px-3 py-2 font-medium ${props.align === "right" ? "text-right" : "text-left"} ${props.className ?? ""}`}
    >
      <button
        type="button"
        onClick={() => props.toggle(props.sortKey, props.firstDir)}
        className={`inline-flex items-center gap-1 hover:text-slate-900 ${active ? "text-slate-900" : ""}`}
      >
        {props.label}
        <span aria-hidden="true" className="text-xs text-slate-400">
          {active ? (props.sort.dir === "asc" ? "▲" : "▼") : "↕"}
        </span>
      </button>
    </th>
  );
}
