"use server";

import { APIError } from "better-auth/api";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { createUser, UserError } from "@/db/queries/users";
import { getDatabase } from "@/db/server";
import { emailSchema, newUserSchema, safeNextPath } from "@/lib/auth/access";
import { authEnabled, getAuth } from "@/lib/server/auth";

export type SignInState = { message?: string; email?: string };

const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "enter your password").max(128),
});

async function signIn(email: string, password: string): Promise<string | null> {
  try {
    await (await getAuth()).api.signInEmail({ body: { email, password }, headers: await headers() });
    return null;
  } catch (e) {
    if (e instanceof APIError) {
      return e.status === "TOO_MANY_REQUESTS"
        ? "Too many sign-in attempts; wait a minute and try again."
        : "Wrong email or password.";
    }
    throw e;
  }
}

/** Email + password sign-in; the session cookie is set by better-auth (nextCookies). */
export async function signInAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  if (!authEnabled()) redirect("/datasets");
  const parsed = signInSchema.safeParse({ email: form.get("email"), password: form.get("password") });
  const email = String(form.get("email") ?? "");
  if (!parsed.success) return { message: parsed.error.issues.map((i) => i.message).join("; "), email };
  const failed = await signIn(parsed.data.email, parsed.data.password);
  if (failed) return { message: failed, email };
  redirect(safeNextPath(String(form.get("next") ?? "")));
}

/** The very first account of an instance: it becomes the admin. Refused once any user exists. */
export async function createFirstAdminAction(_prev: SignInState, form: FormData): Promise<SignInState> {
  if (!authEnabled()) redirect("/datasets");
  const email = String(form.get("email") ?? "");
  const parsed = newUserSchema.safeParse({
    email: form.get("email"),
    name: form.get("name"),
    password: form.get("password"),
    role: "admin",
  });
  if (!parsed.success) return { message: parsed.error.issues.map((i) => i.message).join("; "), email };
  try {
    await createUser(await getDatabase(), parsed.data, { onlyIfFirst: true });
  } catch (e) {
    if (e instanceof UserError) return { message: e.message, email };
    throw e;
  }
  const failed = await signIn(parsed.data.email, parsed.data.password);
  if (failed) return { message: failed, email };
  redirect("/datasets");
}

export async function signOutAction(): Promise<void> {
  if (authEnabled()) await (await getAuth()).api.signOut({ headers: await headers() });
  redirect("/sign-in");
}
