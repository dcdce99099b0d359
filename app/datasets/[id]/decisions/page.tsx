import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { fmtDate, fmtInt } from "@/components/ui/format";
import { getDatasetById } from "@/db/queries/datasets";
import { decisionsByActor, listDecisions } from "@/db/queries/decisions";
import { getDatabase } from "@/db/server";
import { datasetIdParam } from "@/lib/ids";
import { pageAccess } from "@/lib/server/auth";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Decisions" };

const querySchema = z.object({
  actor: z.string().trim().min(1).max(320).optional().catch(undefined),
  before: z.coerce
    .number()
    .int()
    .positive()
    .max(2 ** 53 - 1)
    .optional()
    .catch(undefined),
});

export default async function DecisionsPage(props: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const id = datasetIdParam.safeParse((await props.params).id);
  if (!id.success) notFound();
  await pageAccess(id.data, "read", `/datasets/${id.data}/decisions`);
  const sp = await props.searchParams;
  const q = querySchema.parse({
    actor: typeof sp.actor === "string" ? sp.actor : undefined,
    before: typeof sp.before === "string" ? sp.before : undefined,
  });
  const database = await getDatabase();
  const dataset = await getDatasetById(database, id.data);
  if (!dataset) notFound();
  const [log, actors] = await Promise.all([
    listDecisions(database, dataset.id, q),
    decisionsByActor(database, dataset.id),
  ]);
  const base = `/datasets/${dataset.id}/decisions`;
  const withActor = (actor?: string, before?: number) => {
    const p = new URLSearchParams();
    if (actor) p.set("actor", actor);
    if (before) p.set("before", String(before));
    const s = p.toString();
    return s ? `${base}?${s}` : base;
  };
  return (
    <div className="space-y-6">
      <div>
        <Link href={`/datasets/${dataset.id}`} className="text-sm text-indigo-700 hover:underline">
          ← {dataset.name}
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight">Decisions{q.actor ? ` by ${q.actor}` : ""}</h1>
      </div>
      <nav aria-label="Reviewers" className="flex flex-wrap gap-2 text-sm">
        <Link
          href={withActor()}
          aria-current={q.actor ? undefined : "page"}
          className="rounded-full px-3 py-1 ring-1 ring-slate-300 aria-[current=page]:bg-slate-900 aria-[current=page]:text-white"
        >
          Everyone
        </Link>
        {actors.map((a) => (
          <Link
            key={a.actor}
            href={withActor(a.actor)}
            aria-current={q.actor === a.actor ? "page" : undefined}
            className="rounded-full px-3 py-1 ring-1 ring-slate-300 aria-[current=page]:bg-slate-900 aria-[current=page]:text-white"
          >
            {a.actor} · {fmtInt(a.decisions)}
          </Link>
        ))}
      </nav>
      {log.rows.length ? (
        <table className="w-full rounded-lg border border-slate-200 bg-white text-left text-sm">
          <caption className="sr-only">Decisions log</caption>
          <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
            <tr>
              <th scope="col" className="px-4 py-2">
                When
              </th>
              <th scope="col" className="px-4 py-2">
                Reviewer
              </th>
              <th scope="col" className="px-4 py-2">
                Record
              </th>
              <th scope="col" className="px-4 py-2">
                Action
              </th>
              <th scope="col" className="px-4 py-2">
                Reason
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {log.rows.map((d) => (
              <tr key={d.id}>
                <td className="px-4 py-2 whitespace-nowrap text-slate-600">{fmtDate(d.createdAt)}</td>
                <td className="px-4 py-2">{d.actor}</td>
                <td className="px-4 py-2">
                  <Link
                    href={`/datasets/${dataset.id}/records/${d.recordId}`}
                    className="text-indigo-700 hover:underline"
                  >
                    #{d.recordId}
                  </Link>
                </td>
                <td className="px-4 py-2">
                  {d.action}
                  {d.bulkRuleId ? <span className="text-slate-500"> · bulk rule #{d.bulkRuleId}</span> : null}
                  {d.undoesId ? <span className="text-slate-500"> · undoes #{d.undoesId}</span> : null}
                </td>
                <td className="px-4 py-2 text-slate-600">{d.reason ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="text-sm text-slate-600">No decisions yet.</p>
      )}
      {log.more ? (
        <Link
          href={withActor(q.actor, log.rows.at(-1)!.id)}
          className="text-sm text-indigo-700 hover:underline"
        >
          Older decisions →
        </Link>
      ) : null}
    </div>
  );
}
