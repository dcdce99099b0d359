import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ActionForm } from "@/components/auth/action-form";
import { fmtDate } from "@/components/ui/format";
import { listUsers } from "@/db/queries/users";
import { getDatabase } from "@/db/server";
import { authEnabled, pagePrincipal } from "@/lib/server/auth";
import { addUserAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Users" };

const field = "mt-1 block rounded-md border border-slate-300 px-3 py-2 text-sm";

export default async function UsersPage() {
  const principal = await pagePrincipal("/admin/users");
  if (!authEnabled() || principal.role !== "admin") notFound();
  const users = await listUsers(await getDatabase());
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Users</h1>
      <table className="w-full max-w-3xl rounded-lg border border-slate-200 bg-white text-left text-sm">
        <caption className="sr-only">Users</caption>
        <thead className="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2">
              Email
            </th>
            <th scope="col" className="px-4 py-2">
              Name
            </th>
            <th scope="col" className="px-4 py-2">
              Role
            </th>
            <th scope="col" className="px-4 py-2">
              Added
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {users.map((u) => (
            <tr key={u.id}>
              <td className="px-4 py-2">{u.email}</td>
              <td className="px-4 py-2">{u.name}</td>
              <td className="px-4 py-2">{u.role}</td>
              <td className="px-4 py-2 text-slate-500">{fmtDate(u.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <section aria-labelledby="add-user" className="space-y-2">
        <h2 id="add-user" className="text-lg font-semibold">
          Add a user
        </h2>
        <p className="text-sm text-slate-600">
          Members see only the data sets they are added to (on a data set’s Members page); admins see all.
        </p>
        <ActionForm action={addUserAction} label="Add a user" submit="Add user">
          <label className="text-sm font-medium">
            Email
            <input className={field} name="email" type="email" required />
          </label>
          <label className="text-sm font-medium">
            Name
            <input className={field} name="name" required maxLength={100} />
          </label>
          <label className="text-sm font-medium">
            Password
            <input
              className={field}
              name="password"
              type="password"
              required
              minLength={8}
              autoComplete="new-password"
            />
          </label>
          <label className="flex items-center gap-2 pb-2 text-sm">
            <input type="checkbox" name="admin" /> Admin
          </label>
        </ActionForm>
      </section>
    </div>
  );
}
