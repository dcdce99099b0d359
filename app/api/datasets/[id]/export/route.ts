import { z } from "zod";
import { type ExportPlan, exportBytes, planExport, runExport } from "@/db/queries/export";
import { getDatabase } from "@/db/server";
import {
  describeIssues,
  EXPORT_FORMAT_INFO,
  OutputStats,
  outputFileName,
  parseExportParams,
} from "@/lib/export";
import { datasetIdParam } from "@/lib/ids";
import { filterOf, parseRecordView } from "@/lib/review/filter";
import { routeAccess } from "@/lib/server/auth";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const extraSchema = z.object({
  split: z.enum(["all", "train", "dev"]).optional(),
  manifest: z.enum(["0", "1"]).default("0"),
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body, null, 2), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" },
  });

/** A file-name-safe form of a data set name. */
const slug = (name: string) =>
  name
    .normalize("NFKD")
    .replace(/[^\w.-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 80) || "export";

/**
 * GET /api/datasets/:id/export?format=…&include=…&negatives=…&…&<the review view's filter>
 *
 * Streams one output of the export (`split=train|dev` when a dev fraction is set) as it is
 * written — never buffered whole. `manifest=1` runs the same export without sending it and
 * answers the manifest (counts, detector versions, decisions, sha256 of every output).
 * The planned record count is in the `x-pairsift-records` header, for progress.
 */
export async function GET(request: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const id = datasetIdParam.safeParse((await ctx.params).id);
  if (!id.success) return json(404, { error: "No such data set." });
  const access = await routeAccess(request, id.data, "read");
  if (access instanceof Response) return access;
  const search = new URL(request.url).searchParams;
  const { view, ignored } = parseRecordView(search);
  if (ignored.length) return json(400, { error: `Invalid filter value for ${ignored.join(", ")}.` });
  const options = parseExportParams(search);
  if (!options.success) return json(400, { error: describeIssues(options.error) });
  const extra = extraSchema.safeParse({
    split: search.get("split") ?? undefined,
    manifest: search.get("manifest") ?? undefined,
  });
  if (!extra.success) return json(400, { error: describeIssues(extra.error) });

  const database = await getDatabase();
  const plan = await planExport(database, {
    datasetId: id.data,
    filter: filterOf(view),
    options: options.data,
  });
  if (!plan) return json(404, { error: "No such data set." });
  const base = slug(plan.dataset.name);

  if (extra.data.manifest === "1") {
    const manifest = await runExport(database, plan, { base, signal: request.signal });
    return json(200, manifest);
  }
  const split = plan.splits.find((s) => s.name === (extra.data.split ?? plan.splits[0]!.name));
  if (!split) {
    return json(400, {
      error: `This export has the outputs ${plan.splits.map((s) => s.name).join(", ")}, not ${extra.data.split}.`,
    });
  }
  const info = EXPORT_FORMAT_INFO[plan.options.format];
  const file = outputFileName(base, info.extension, split.name);
  return new Response(streamOf(database, plan, split, request.signal), {
    headers: {
      "content-type": info.contentType,
      "content-disposition": `attachment; filename="${file}"; filename*=UTF-8''${encodeURIComponent(file)}`,
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      "x-pairsift-records": String(split.ids.length),
      "x-pairsift-outputs": plan.splits.map((s) => s.name).join(","),
    },
  });
}

/** The output as a pull stream: the next chunk is produced when the client has taken the last one. */
function streamOf(
  database: Awaited<ReturnType<typeof getDatabase>>,
  plan: ExportPlan,
  split: ExportPlan["splits"][number],
  signal: AbortSignal,
): ReadableStream<Uint8Array> {
  const chunks = exportBytes(database, plan, split, new OutputStats(), { signal });
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (e) {
        // The client sees a broken download (not a complete-looking file).
        controller.error(e);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
