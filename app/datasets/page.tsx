import type { Metadata } from "next";
import Link from "next/link";
import { UploadPanel } from "@/components/datasets/upload-panel";
import { fmtDate, fmtInt } from "@/components/ui/format";
import { listDatasets } from "@/db/queries/datasets";
import { visibleDatasetIds } from "@/db/queries/users";
import { engineLabel, getDatabase } from "@/db/server";
import { formatOptions } from "@/lib/formats/catalog";
import { pagePrincipal } from "@/lib/server/auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Data sets" };

export default async function DatasetsPage() {
  const principal = await pagePrincipal("/datasets");
  const database = await getDatabase();
  const visible = await visibleDatasetIds(database, principal);
  const rows = (await listDatasets(database)).filter((d) => visible === null || visible.has(d.id));
  const isAdmin = principal.role === "admin";
  return (
    <div className="space-y-8">
      <section aria-labelledby="datasets-heading">
        <div className="flex items-baseline justify-between">
          <h1 id="datasets-heading" className="text-2xl font-semibold tracking-tight">
            Data sets
          </h1>
          <p className="text-xs text-slate-500">Database: {engineLabel(database)}</p>
        </div>
        {rows.length === 0 ? (
          <p className="mt-4 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-sm text-slate-600">
            {isAdmin ? (
              <>
                No data sets yet. Import a file below, or from the command line:{" "}
                <code>npx pairsift import FILE</code>.
              </>
            ) : (
              "You are not a member of any data set yet."
            )}
          </p>
        ) : (
          <div className="mt-4 overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-left text-sm">
              <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
                <tr>
                  <th scope="col" className="px-4 py-2">
                    Name
                  </th>
                  <th scope="col" className="px-4 py-2 text-right">
                    Records
                  </th>
                  <th scope="col" className="px-4 py-2 text-right">
                    Negatives
                  </th>
                  <th scope="col" className="px-4 py-2 text-right">
                    Tasks
                  </th>
                  <th scope="col" className="px-4 py-2">
                    Languages
                  </th>
                  <th scope="col" className="px-4 py-2">
                    Imported
                  </th>
                  <th scope="col" className="px-4 py-2 text-right">
                    Rejected lines
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((d) => (
                  <tr key={d.id} className="hover:bg-slate-50">
                    <td className="px-4 py-2 font-medium">
                      <Link className="text-indigo-700 hover:underline" href={`/datasets/${d.id}`}>
                        {d.name}
                      </Link>
                      {d.lastImportState && d.lastImportState !== "done" ? (
                        <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-800">
                          last import {d.lastImportState}
                        </span>
                      ) : null}
                    </td>
                    <td className="px-4 py-2 text-right tabular-nums">{fmtInt(d.records)}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{fmtInt(d.negatives)}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{fmtInt(d.tasks)}</td>
                    <td className="px-4 py-2">{d.languages.slice(0, 6).join(", ")}</td>
                    <td className="px-4 py-2 text-slate-600">{fmtDate(d.updatedAt)}</td>
                    <td className="px-4 py-2 text-right tabular-nums">
                      {d.rejected > 0 ? (
                        <Link className="text-red-700 hover:underline" href={`/datasets/${d.id}#imports`}>
                          {fmtInt(d.rejected)}
                        </Link>
                      ) : (
                        "0"
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      {isAdmin ? (
        <UploadPanel formats={formatOptions()} />
      ) : (
        <p className="text-sm text-slate-600">Ask an admin to import data sets or to add you to one.</p>
      )}
    </div>
  );
}
