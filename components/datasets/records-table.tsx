"use client";

import {
  createColumnHelper,
  type RowSelectionState,
  rowSelectionFeature,
  tableFeatures,
  useTable,
} from "@tanstack/react-table";
import { useVirtualizer } from "@tanstack/react-virtual";
import Link from "next/link";
import { useRef, useState } from "react";
import { BulkPanel } from "@/components/review/bulk-panel";
import { fmtDate } from "@/components/ui/format";
import type { TableRow } from "@/db/queries/table";
import type { RecordFilter, RecordView, SortKey } from "@/lib/review/filter";

const features = tableFeatures({ rowSelectionFeature });
const helper = createColumnHelper<typeof features, TableRow>();

/** Per record: flags per defect on this page, for the chips. */
export type DefectCounts = Record<number, { defect: string; count: number; score: number }[]>;

interface Meta {
  datasetId: number;
  recordQuery: string;
  defects: DefectCounts;
  sortHref: (key: SortKey) => string;
  view: RecordView;
}
const metaOf = (m: unknown) => m as Meta;

const excerpt = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);
const fmtScore = (v: number | null) => (v === null ? "—" : v.toFixed(2));

const STATUS_STYLE: Record<TableRow["status"], string> = {
  pending: "bg-slate-100 text-slate-700",
  accepted: "bg-emerald-100 text-emerald-800",
  rejected: "bg-red-100 text-red-800",
  relabeled: "bg-sky-100 text-sky-800",
};

function SortHeader({ meta, sortKey, label }: { meta: Meta; sortKey: SortKey; label: string }) {
  const active = meta.view.sort === sortKey;
  return (
    <Link
      href={meta.sortHref(sortKey)}
      className="inline-flex items-center gap-1 hover:text-slate-900"
      aria-label={`Sort by ${label}${active ? (meta.view.dir === "asc" ? ", descending" : ", ascending") : ""}`}
    >
      {label}
      <span aria-hidden className={active ? "text-slate-900" : "text-slate-300"}>
        {active ? (meta.view.dir === "asc" ? "▲" : "▼") : "↕"}
      </span>
    </Link>
  );
}

const columns = helper.columns([
  helper.display({
    id: "select",
    header: ({ table }) => (
      <input
        type="checkbox"
        aria-label="Select all rows on this page"
        checked={table.getIsAllRowsSelected()}
        ref={(el) => {
          if (el) el.indeterminate = table.getIsSomeRowsSelected();
        }}
        onChange={table.getToggleAllRowsSelectedHandler()}
      />
    ),
    cell: ({ row }) => (
      <input
        type="checkbox"
        aria-label={`Select record ${row.original.id}`}
        checked={row.getIsSelected()}
        onChange={row.getToggleSelectedHandler()}
      />
    ),
  }),
  helper.accessor("id", {
    header: ({ table }) => <SortHeader meta={metaOf(table.options.meta)} sortKey="id" label="#" />,
    cell: (c) => <span className="tabular-nums text-slate-500">{c.getValue()}</span>,
  }),
  helper.accessor("status", {
    header: ({ table }) => <SortHeader meta={metaOf(table.options.meta)} sortKey="status" label="Status" />,
    cell: (c) => (
      <span className={`rounded px-1.5 py-0.5 text-xs ${STATUS_STYLE[c.getValue()]}`}>{c.getValue()}</span>
    ),
  }),
  helper.accessor("query", {
    header: "Query",
    // Passages are untrusted: always rendered as React text, never as HTML.
    cell: (c) => {
      const m = metaOf(c.table.options.meta);
      return (
        <Link
          href={`/datasets/${m.datasetId}/records/${c.row.original.id}${m.recordQuery}`}
          className="line-clamp-3 whitespace-pre-wrap text-slate-900 hover:text-indigo-700 hover:underline"
        >
          {excerpt(c.getValue(), 200)}
        </Link>
      );
    },
  }),
  helper.accessor("positive", {
    header: "Positive",
    cell: (c) => (
      <span className="line-clamp-3 whitespace-pre-wrap text-slate-700">{excerpt(c.getValue(), 240)}</span>
    ),
  }),
  helper.accessor("keptCount", {
    header: "Negatives",
    cell: (c) => (
      <span className="tabular-nums" title="kept / total">
        {c.getValue()}/{c.row.original.negativeCount}
      </span>
    ),
  }),
  helper.display({
    id: "defects",
    header: ({ table }) => <SortHeader meta={metaOf(table.options.meta)} sortKey="flags" label="Defects" />,
    cell: (c) => <DefectChips counts={metaOf(c.table.options.meta).defects[c.row.original.id] ?? []} />,
  }),
  helper.accessor("maxFlagScore", {
    header: ({ table }) => <SortHeader meta={metaOf(table.options.meta)} sortKey="score" label="Score" />,
    cell: (c) => <span className="tabular-nums">{fmtScore(c.getValue())}</span>,
  }),
  helper.accessor("teacherMargin", {
    header: ({ table }) => <SortHeader meta={metaOf(table.options.meta)} sortKey="margin" label="Margin" />,
    cell: (c) => <span className="tabular-nums">{fmtScore(c.getValue())}</span>,
  }),
  helper.accessor("task", {
    header: ({ table }) => <SortHeader meta={metaOf(table.options.meta)} sortKey="task" label="Task" />,
    cell: (c) => (
      <span className="line-clamp-2 text-slate-700" title={c.getValue() ?? undefined}>
        {c.getValue() ?? "—"}
        <span className="block text-xs text-slate-500">{c.row.original.taskFamily}</span>
      </span>
    ),
  }),
  helper.accessor("language", {
    header: ({ table }) => <SortHeader meta={metaOf(table.options.meta)} sortKey="language" label="Lang" />,
    cell: (c) => c.getValue() ?? "und",
  }),
  helper.accessor("lastDecisionAt", {
    header: ({ table }) => <SortHeader meta={metaOf(table.options.meta)} sortKey="decided" label="Decided" />,
    cell: (c) =>
      c.getValue() ? (
        <span className="text-xs text-slate-600">
          {c.row.original.lastDecisionBy}
          <span className="block tabular-nums">{fmtDate(c.getValue())}</span>
        </span>
      ) : (
        <span className="text-slate-400">—</span>
      ),
  }),
]);

const WIDTHS = [
  "w-8",
  "w-16",
  "w-24",
  "w-[20%]",
  "w-[26%]",
  "w-20",
  "w-40",
  "w-16",
  "w-16",
  "w-[12%]",
  "w-14",
  "w-28",
];

function DefectChips({ counts }: { counts: { defect: string; count: number; score: number }[] }) {
  if (!counts.length) return <span className="text-slate-400">—</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Defects">
      {counts.map((c) => (
        <li
          key={c.defect}
          title={`${c.count} flag${c.count === 1 ? "" : "s"}, highest score ${c.score.toFixed(2)}`}
          className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900"
        >
          {c.defect}
          {c.count > 1 ? ` ×${c.count}` : ""}
        </li>
      ))}
    </ul>
  );
}

export interface RecordsTableProps {
  rows: TableRow[];
  defects: DefectCounts;
  datasetId: number;
  view: RecordView;
  /** The view's query string (for sort links and the record view's navigation). */
  viewQuery: string;
  /** The bulk panel's inputs: the view's filter, a label for it and its exact count. */
  bulk?: { filter: RecordFilter; filterLabel: string; matching: number };
}

/**
 * One page of the review table. Sorting, filtering and paging happen on the server (the URL holds
 * them); the rows are virtualized so a 500-row page scrolls smoothly.
 */
export function RecordsTable({ rows, defects, datasetId, view, viewQuery, bulk }: RecordsTableProps) {
  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const sortHref = (key: SortKey) => {
    const p = new URLSearchParams(viewQuery);
    const dir = view.sort === key && view.dir === "asc" ? "desc" : "asc";
    p.set("sort", key);
    p.set("dir", dir);
    if (key === "id") p.delete("sort");
    if (dir === "asc") p.delete("dir");
    return `?${p.toString()}`;
  };
  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (r) => String(r.id),
    state: { rowSelection },
    onRowSelectionChange: setRowSelection,
    enableRowSelection: true,
    meta: {
      datasetId,
      defects,
      view,
      sortHref,
      recordQuery: viewQuery ? `?${viewQuery}` : "",
    } satisfies Meta,
  });

  const scrollRef = useRef<HTMLDivElement>(null);
  const modelRows = table.getRowModel().rows;
  const virtualizer = useVirtualizer({
    count: modelRows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 76,
    overscan: 12,
    // Render every row on the server and in the first paint (no layout yet): small pages need no scrolling work.
    initialRect: { width: 1200, height: 76 * 50 },
  });
  const items = virtualizer.getVirtualItems();
  const padTop = items[0]?.start ?? 0;
  const padBottom = items.length ? virtualizer.getTotalSize() - items.at(-1)!.end : 0;
  const selectedIds = Object.keys(rowSelection)
    .filter((k) => rowSelection[k])
    .map(Number);

  return (
    <div className="space-y-2">
      {bulk ? (
        <BulkPanel
          datasetId={datasetId}
          {...bulk}
          selectedIds={selectedIds}
          clearSelection={() => setRowSelection({})}
        />
      ) : null}
      <div ref={scrollRef} className="max-h-[75vh] overflow-auto rounded-lg border border-slate-200 bg-white">
        <table
          className="w-full table-fixed text-left text-sm"
          aria-label="Records"
          aria-rowcount={rows.length + 1}
        >
          <colgroup>
            {WIDTHS.map((w, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: fixed column list
              <col key={i} className={w} />
            ))}
          </colgroup>
          <thead className="sticky top-0 z-10 bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            {table.getHeaderGroups().map((g) => (
              <tr key={g.id}>
                {g.headers.map((h) => {
                  const sortKey = SORT_COLUMN[h.column.id];
                  const sorted = sortKey && view.sort === sortKey;
                  return (
                    <th
                      key={h.id}
                      scope="col"
                      className="px-3 py-2"
                      aria-sort={sorted ? (view.dir === "asc" ? "ascending" : "descending") : undefined}
                    >
                      {h.isPlaceholder ? null : <table.FlexRender header={h} />}
                    </th>
                  );
                })}
              </tr>
            ))}
          </thead>
          <tbody className="divide-y divide-slate-100 align-top">
            {padTop > 0 ? (
              <tr aria-hidden>
                <td colSpan={WIDTHS.length} style={{ height: padTop }} />
              </tr>
            ) : null}
            {items.map((vi) => {
              const row = modelRows[vi.index]!;
              return (
                <tr
                  key={row.id}
                  data-index={vi.index}
                  ref={virtualizer.measureElement}
                  aria-rowindex={vi.index + 2}
                  aria-selected={row.getIsSelected()}
                  className={row.getIsSelected() ? "bg-indigo-50" : "hover:bg-slate-50"}
                >
                  {row.getAllCells().map((cell) => (
                    <td key={cell.id} className="px-3 py-2">
                      <table.FlexRender cell={cell} />
                    </td>
                  ))}
                </tr>
              );
            })}
            {padBottom > 0 ? (
              <tr aria-hidden>
                <td colSpan={WIDTHS.length} style={{ height: padBottom }} />
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}

const SORT_COLUMN: Record<string, SortKey | undefined> = {
  id: "id",
  status: "status",
  defects: "flags",
  maxFlagScore: "score",
  teacherMargin: "margin",
  task: "task",
  language: "language",
  lastDecisionAt: "decided",
};
