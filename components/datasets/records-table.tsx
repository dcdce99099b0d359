"use client";

import { createColumnHelper, tableFeatures, useTable } from "@tanstack/react-table";
import Link from "next/link";
import type { RecordPageRow } from "@/db/queries/datasets";

const features = tableFeatures({});

export interface RecordFlag {
  defect: string;
  target: string;
  negativeIndex: number | null;
  score: number;
  notes: string[];
}
const helper = createColumnHelper<typeof features, RecordPageRow>();

const excerpt = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

const columns = helper.columns([
  helper.accessor("id", {
    header: "#",
    cell: (c) => <span className="tabular-nums text-slate-500">{c.getValue()}</span>,
  }),
  helper.accessor("query", {
    header: "Query",
    // Passages are untrusted: always rendered as React text, never as HTML.
    cell: (c) => (
      <Link
        href={`/datasets/${(c.table.options.meta as { datasetId: number }).datasetId}/records/${c.row.original.id}`}
        className="line-clamp-3 whitespace-pre-wrap text-slate-900 hover:text-indigo-700 hover:underline"
      >
        {excerpt(c.getValue(), 200)}
      </Link>
    ),
  }),
  helper.accessor("positive", {
    header: "Positive",
    cell: (c) => (
      <span className="line-clamp-3 whitespace-pre-wrap text-slate-700">{excerpt(c.getValue(), 240)}</span>
    ),
  }),
  helper.accessor("negativeCount", {
    header: "Negatives",
    cell: (c) => <span className="tabular-nums">{c.getValue()}</span>,
  }),
  helper.accessor("task", {
    header: "Task",
    cell: (c) => <span className="line-clamp-2 text-slate-700">{c.getValue() ?? "—"}</span>,
  }),
  helper.accessor("taskFamily", { header: "Family" }),
  helper.accessor("language", { header: "Language", cell: (c) => c.getValue() ?? "und" }),
  helper.accessor("status", { header: "Status" }),
  helper.display({
    id: "defects",
    header: "Defects",
    cell: (c) => (
      <DefectChips
        flags={
          (c.table.options.meta as { flags?: Record<number, RecordFlag[]> } | undefined)?.flags?.[
            c.row.original.id
          ] ?? []
        }
      />
    ),
  }),
]);

function DefectChips({ flags }: { flags: RecordFlag[] }) {
  if (!flags.length) return <span className="text-slate-400">—</span>;
  const byDefect = new Map<string, RecordFlag[]>();
  for (const f of flags) byDefect.set(f.defect, [...(byDefect.get(f.defect) ?? []), f]);
  return (
    <ul className="flex flex-wrap gap-1">
      {[...byDefect].map(([defect, fs]) => (
        <li
          key={defect}
          title={fs
            .map(
              (f) =>
                `${f.target}${f.negativeIndex !== null ? ` #${f.negativeIndex + 1}` : ""}: ${f.notes.join("; ")}`,
            )
            .join("\n")}
          className="rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900"
        >
          {defect}
          {fs.length > 1 ? ` ×${fs.length}` : ""}
        </li>
      ))}
    </ul>
  );
}

/** The records of one page; pagination is server-side (keyset links rendered by the page). */
export function RecordsTable({
  rows,
  total,
  flags,
  datasetId,
}: {
  rows: RecordPageRow[];
  total: number;
  flags: Record<number, RecordFlag[]>;
  datasetId: number;
}) {
  const table = useTable({
    features,
    columns,
    data: rows,
    getRowId: (r) => String(r.id),
    meta: { flags, datasetId },
  });
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table className="w-full table-fixed text-left text-sm" aria-label={`Records (${total} in all)`}>
        <colgroup>
          <col className="w-16" />
          <col className="w-[24%]" />
          <col className="w-[34%]" />
          <col className="w-20" />
          <col className="w-[16%]" />
          <col className="w-24" />
          <col className="w-20" />
          <col className="w-20" />
          <col className="w-40" />
        </colgroup>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          {table.getHeaderGroups().map((g) => (
            <tr key={g.id}>
              {g.headers.map((h) => (
                <th key={h.id} scope="col" className="px-3 py-2">
                  {h.isPlaceholder ? null : <table.FlexRender header={h} />}
                </th>
              ))}
            </tr>
          ))}
        </thead>
        <tbody className="divide-y divide-slate-100 align-top">
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id} className="hover:bg-slate-50">
              {row.getAllCells().map((cell) => (
                <td key={cell.id} className="px-3 py-2">
                  <table.FlexRender cell={cell} />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
