"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import {
  applyBulkRule,
  type BulkPreview,
  BulkRuleError,
  previewBulkRule,
  undoBulkRule,
} from "@/db/queries/bulk";
import { getDatabase } from "@/db/server";
import { actorName } from "@/lib/auth/access";
import { datasetIdParam } from "@/lib/ids";
import { bulkRuleSchema } from "@/lib/review/bulk";
import { actionAccess } from "@/lib/server/auth";

const datasetIdSchema = datasetIdParam;

type Failure = { ok: false; message: string; kind?: "forbidden" };
const invalid = (e: z.ZodError): Failure => ({
  ok: false,
  message: e.issues.map((i) => `${i.path.join(".") || "input"}: ${i.message}`).join("; "),
});

/** The count and a sample of what a bulk rule would change; writes nothing. */
export async function previewBulkAction(
  datasetId: number,
  rule: unknown,
): Promise<{ ok: true; preview: BulkPreview } | Failure> {
  const ds = datasetIdSchema.safeParse(datasetId);
  if (!ds.success) return invalid(ds.error);
  const parsed = bulkRuleSchema.safeParse(rule);
  if (!parsed.success) return invalid(parsed.error);
  const allowed = await actionAccess(ds.data, "review");
  if (!allowed.ok) return allowed;
  const preview = await previewBulkRule(await getDatabase(), ds.data, parsed.data);
  return { ok: true, preview };
}

/** Applies a bulk rule in one transaction; logged under its name and undoable as a whole. */
export async function applyBulkAction(
  datasetId: number,
  rule: unknown,
): Promise<{ ok: true; ruleId: number; changed: number; negatives: number } | Failure> {
  const ds = datasetIdSchema.safeParse(datasetId);
  if (!ds.success) return invalid(ds.error);
  const parsed = bulkRuleSchema.safeParse(rule);
  if (!parsed.success) return invalid(parsed.error);
  const allowed = await actionAccess(ds.data, "review");
  if (!allowed.ok) return allowed;
  const actor = actorName(allowed.access.principal);
  const r = await applyBulkRule(await getDatabase(), ds.data, parsed.data, actor);
  revalidatePath(`/datasets/${ds.data}`);
  return { ok: true, ...r };
}

export async function undoBulkAction(
  datasetId: number,
  ruleId: number,
): Promise<{ ok: true; restored: number; skipped: number } | Failure> {
  const ds = datasetIdSchema.safeParse(datasetId);
  if (!ds.success) return invalid(ds.error);
  const id = z.number().int().positive().safeParse(ruleId);
  if (!id.success) return invalid(id.error);
  const allowed = await actionAccess(ds.data, "review");
  if (!allowed.ok) return allowed;
  try {
    const actor = actorName(allowed.access.principal);
    const r = await undoBulkRule(await getDatabase(), ds.data, id.data, actor);
    revalidatePath(`/datasets/${ds.data}`);
    return { ok: true, ...r };
  } catch (e) {
    if (e instanceof BulkRuleError) return { ok: false, message: e.message };
    throw e;
  }
}
