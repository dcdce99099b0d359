import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/sign-in-form";
import { countUsers } from "@/db/queries/users";
import { getDatabase } from "@/db/server";
import { safeNextPath } from "@/lib/auth/access";
import { authEnabled, currentPrincipal } from "@/lib/server/auth";
import { createFirstAdminAction, signInAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage(props: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const raw = (await props.searchParams).next;
  const next = safeNextPath(typeof raw === "string" ? raw : null);
  if (!authEnabled() || (await currentPrincipal())) redirect(next);
  const first = (await countUsers(await getDatabase())) === 0;
  return (
    <div className="mx-auto mt-12 max-w-sm space-y-6 rounded-lg border border-slate-200 bg-white p-6">
      <div className="space-y-1">
        <h1 className="text-xl font-semibold">{first ? "Set up pairsift" : "Sign in"}</h1>
        <p className="text-sm text-slate-600">
          {first
            ? "No one has an account yet. The first account is the admin: it imports data sets and adds reviewers."
            : "Sign in with the email and password an admin gave you."}
        </p>
      </div>
      <SignInForm action={first ? createFirstAdminAction : signInAction} next={next} first={first} />
    </div>
  );
}
