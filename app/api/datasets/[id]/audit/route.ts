import { getAuditReport } from "@/db/queries/audit";
import { getDatabase } from "@/db/server";
import { auditCsv } from "@/lib/audit/csv";
import { datasetIdSchema, downloadQuerySchema } from "@/lib/audit/schema";
import { routeAccess } from "@/lib/server/auth";

export const dynamic = "force-dynamic";

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "") || "dataset";

/** GET /api/datasets/{id}/audit?format=csv|json[&table=rates|reviewers|samples] — the audit as a download. */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }) {
  const id = datasetIdSchema.safeParse((await ctx.params).id);
  const url = new URL(request.url);
  const query = downloadQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!id.success || !query.success) {
    const issues = [
      ...(id.success ? [] : ["id: not a data set id"]),
      ...(query.success ? [] : query.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`)),
    ];
    return Response.json({ error: "invalid request", issues }, { status: 400 });
  }
  const access = await routeAccess(request, id.data, "read");
  if (access instanceof Response) return access;
  const report = await getAuditReport(await getDatabase(), id.data);
  if (!report) return Response.json({ error: "no such data set" }, { status: 404 });
  const base = `${slug(report.dataset.name)}-audit`;
  if (query.data.format === "json") {
    return new Response(`${JSON.stringify(report, null, 2)}\n`, {
      headers: {
        "content-type": "application/json; charset=utf-8",
        "content-disposition": `attachment; filename="${base}.json"`,
        "cache-control": "no-store",
      },
    });
  }
  return new Response(auditCsv(report, query.data.table), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${base}-${query.data.table}.csv"`,
      "cache-control": "no-store",
    },
  });
}
