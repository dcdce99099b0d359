"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { FormState } from "@/components/auth/action-form";
import { removeMembership, setMembership, UserError } from "@/db/queries/users";
import { getDatabase } from "@/db/server";
import { membershipSchema } from "@/lib/auth/access";
import { actionAccess } from "@/lib/server/auth";

/** An admin gives a user a role on this data set (or changes it). */
export async function setMemberAction(
  datasetId: number,
  _prev: FormState,
  form: FormData,
): Promise<FormState> {
  const parsed = membershipSchema.safeParse({ datasetId, email: form.get("email"), role: form.get("role") });
  if (!parsed.success) return { message: parsed.error.issues.map((i) => i.message).join("; ") };
  const allowed = await actionAccess(parsed.data.datasetId, "manage");
  if (!allowed.ok) return { message: allowed.message };
  try {
    await setMembership(await getDatabase(), parsed.data.datasetId, parsed.data.email, parsed.data.role);
  } catch (e) {
    if (e instanceof UserError) return { message: e.message };
    throw e;
  }
  revalidatePath(`/datasets/${parsed.data.datasetId}/members`);
  return { ok: true, message: `${parsed.data.email} is now a ${parsed.data.role} of this data set.` };
}

export async function removeMemberAction(datasetId: number, userId: string): Promise<void> {
  const id = membershipSchema.shape.datasetId.parse(datasetId);
  const user = z.string().min(1).max(100).parse(userId);
  const allowed = await actionAccess(id, "manage");
  if (!allowed.ok) throw new Error(allowed.message);
  await removeMembership(await getDatabase(), id, user);
  revalidatePath(`/datasets/${id}/members`);
}
