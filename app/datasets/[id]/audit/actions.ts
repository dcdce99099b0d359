"use server";

import { revalidatePath } from "next/cache";
import type { DrawSampleState } from "@/components/audit/draw-sample-form";
import { drawAuditSample } from "@/db/queries/audit";
import { getDatabase } from "@/db/server";
import { datasetIdSchema, drawSampleSchema } from "@/lib/audit/schema";
import { actorName } from "@/lib/auth/access";
import { actionAccess } from "@/lib/server/auth";

/** Draws a stratified audit sample (bound to the data set id by the page). */
export async function drawSampleAction(
  datasetIdInput: number,
  _prev: DrawSampleState,
  form: FormData,
): Promise<DrawSampleState> {
  const datasetId = datasetIdSchema.safeParse(datasetIdInput);
  if (!datasetId.success) return { status: "error", message: "Unknown data set." };
  const parsed = drawSampleSchema.safeParse({ perTask: form.get("perTask"), seed: form.get("seed") });
  if (!parsed.success) {
    const fieldErrors: Partial<Record<"perTask" | "seed", string>> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path[0];
      if ((key === "perTask" || key === "seed") && !fieldErrors[key]) fieldErrors[key] = issue.message;
    }
    return { status: "error", message: "Fix the highlighted field.", fieldErrors };
  }
  const allowed = await actionAccess(datasetId.data, "review");
  if (!allowed.ok) return { status: "error", message: allowed.message };
  const database = await getDatabase();
  const r = await drawAuditSample(database, {
    datasetId: datasetId.data,
    ...parsed.data,
    actor: actorName(allowed.access.principal),
  });
  revalidatePath(`/datasets/${datasetId.data}/audit`);
  if (r.size === 0) {
    return {
      status: "ok",
      sampleId: r.id,
      message: `Sample #${r.id} is empty: every record is reviewed already.`,
    };
  }
  return {
    status: "ok",
    sampleId: r.id,
    message: `Drew sample #${r.id}: ${r.size.toLocaleString("en-US")} records from ${r.tasks} task${r.tasks === 1 ? "" : "s"}.`,
  };
}
