import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ActionForm } from "@/components/auth/action-form";
import { getDatasetById } from "@/db/queries/datasets";
import { listMembers } from "@/db/queries/users";
import { getDatabase } from "@/db/server";
import { datasetIdParam } from "@/lib/ids";
import { authEnabled, pageAccess } from "@/lib/server/auth";
import { removeMemberAction, setMemberAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Members" };

const field = "mt-1 block rounded-md border border-slate-300 px-3 py-2 text-sm";

export default async function MembersPage(props: { params: Promise<{ id: string }> }) {
  const id = datasetIdParam.safeParse((await props.params).id);
  if (!id.success) notFound();
  await pageAccess(id.data, "manage", `/datasets/${id.data}/members`);
  const database = await getDatabase();
  const dataset = await getDatasetById(database, id.data);
  if (!dataset) notFound();
  const members = await listMembers(database, dataset.id);
  return (
    <div className="space-y-6">
      <div>
        <Link href={`/datasets/${dataset.id}`} className="text-sm text-indigo-700 hover:underline">
          ← {dataset.name}
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight">Members of {dataset.name}</h1>
        <p className="text-sm text-slate-600">
          Reviewers decide; viewers read. Admins can do everything on every data set.
          {authEnabled() ? null : " Sign-in is off, so these roles take effect once it is on."}
        </p>
      </div>
      {members.length ? (
        <ul className="max-w-2xl divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white text-sm">
          {members.map((m) => (
            <li key={m.userId} className="flex items-center justify-between gap-2 px-4 py-2">
              <span>
                <span className="font-medium">{m.name}</span>{" "}
                <span className="text-slate-500">{m.email}</span> · {m.role}
              </span>
              <form action={removeMemberAction.bind(null, dataset.id, m.userId)}>
                <button
                  type="submit"
                  className="rounded px-2 py-1 text-xs ring-1 ring-slate-300 hover:bg-slate-50"
                  aria-label={`Remove ${m.email}`}
                >
                  Remove
                </button>
              </form>
            </li>
          ))}
        </ul>
      ) : (
        <p className="text-sm text-slate-600">No members yet: only admins can see this data set.</p>
      )}
      <ActionForm action={setMemberAction.bind(null, dataset.id)} label="Add a member" submit="Add member">
        <label className="text-sm font-medium">
          Email
          <input className={field} name="email" type="email" required />
        </label>
        <label className="text-sm font-medium">
          Role
          <select className={field} name="role" defaultValue="reviewer">
            <option value="reviewer">reviewer</option>
            <option value="viewer">viewer</option>
          </select>
        </label>
      </ActionForm>
    </div>
  );
}
