"use server";

import { revalidatePath } from "next/cache";
import type { FormState } from "@/components/auth/action-form";
import { createUser, UserError } from "@/db/queries/users";
import { getDatabase } from "@/db/server";
import { newUserSchema } from "@/lib/auth/access";
import { AccessError, checkAdmin, currentPrincipal } from "@/lib/server/auth";

/** An admin adds a user (who then signs in with this email and password). */
export async function addUserAction(_prev: FormState, form: FormData): Promise<FormState> {
  try {
    checkAdmin(await currentPrincipal());
  } catch (e) {
    if (e instanceof AccessError) return { message: e.message };
    throw e;
  }
  const parsed = newUserSchema.safeParse({
    email: form.get("email"),
    name: form.get("name"),
    password: form.get("password"),
    role: form.get("admin") === "on" ? "admin" : "member",
  });
  if (!parsed.success) return { message: parsed.error.issues.map((i) => i.message).join("; ") };
  try {
    const u = await createUser(await getDatabase(), parsed.data);
    revalidatePath("/admin/users");
    return { ok: true, message: `Added ${u.email} (${u.role}).` };
  } catch (e) {
    if (e instanceof UserError) return { message: e.message };
    throw e;
  }
}
