import Link from "next/link";
import { signOutAction } from "@/app/sign-in/actions";
import { authEnabled, currentPrincipal } from "@/lib/server/auth";

/** The header's right side: who is signed in (and a way out), or that sign-in is off. */
export async function AccountMenu() {
  if (!authEnabled()) {
    return (
      <p className="ml-auto rounded bg-amber-50 px-2 py-1 text-xs text-amber-900 ring-1 ring-amber-200">
        Sign-in is off: single-user mode, everyone here is admin
      </p>
    );
  }
  const principal = await currentPrincipal();
  if (!principal) return null;
  return (
    <div className="ml-auto flex items-center gap-4 text-sm">
      {principal.role === "admin" ? (
        <Link href="/admin/users" className="text-slate-600 hover:text-slate-900">
          Users
        </Link>
      ) : null}
      <span className="text-slate-600">
        <span className="font-medium text-slate-900">{principal.name}</span> ({principal.email} ·{" "}
        {principal.role})
      </span>
      <form action={signOutAction}>
        <button
          type="submit"
          className="rounded px-2 py-1 text-slate-600 ring-1 ring-slate-300 hover:bg-slate-50"
        >
          Sign out
        </button>
      </form>
    </div>
  );
}
