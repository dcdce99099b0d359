import { z } from "zod";
import { datasetIdParam, recordIdParam } from "@/lib/ids";
import { decideInputSchema } from "@/lib/review";
import { crossOriginRefusal, routeAccess } from "@/lib/server/auth";
import { decideAs } from "@/lib/server/decide";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const paramsSchema = z.object({ id: datasetIdParam, recordId: recordIdParam });
const bodySchema = decideInputSchema.pick({ expectedVersion: true, action: true });

const STATUS = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  stale: 409,
  rule: 422,
  unavailable: 503,
} as const;

/**
 * POST /api/datasets/:id/records/:recordId/decisions {expectedVersion, action} — the record view's
 * decision as JSON, for scripts: 200 with the new version; 409 with the fresh version when someone
 * decided first; 401/403/404 by role; 400/422 for a bad or inapplicable action; 503 (retry) when the
 * database does not answer.
 */
export async function POST(request: Request, ctx: { params: Promise<{ id: string; recordId: string }> }) {
  const refused = crossOriginRefusal(request);
  if (refused) return refused;
  const params = paramsSchema.safeParse(await ctx.params);
  if (!params.success) return Response.json({ error: "No such record." }, { status: 404 });
  const access = await routeAccess(request, params.data.id, "review");
  if (access instanceof Response) return access;
  let json: unknown;
  try {
    json = await request.json();
  } catch {
    return Response.json({ ok: false, kind: "invalid", message: "The body is not JSON." }, { status: 400 });
  }
  const body = bodySchema.safeParse(json);
  if (!body.success) {
    const message = body.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
    return Response.json({ ok: false, kind: "invalid", message }, { status: 400 });
  }
  const res = await decideAs(access.principal, {
    datasetId: params.data.id,
    recordId: params.data.recordId,
    ...body.data,
  });
  const headers = !res.ok && res.kind === "unavailable" ? { "retry-after": "5" } : undefined;
  return Response.json(res, { status: res.ok ? 200 : STATUS[res.kind], headers });
}
