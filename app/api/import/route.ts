import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { importFile } from "@/db/import-file";
import { detectInBackground } from "@/db/jobs";
import { getDatabase } from "@/db/server";
import { readEnv } from "@/lib/env";
import { FORMAT_IDS } from "@/lib/formats/catalog";
import { UnknownFormatError } from "@/lib/formats/format";
import {
  AccessError,
  accessErrorResponse,
  checkAdmin,
  crossOriginRefusal,
  principalFrom,
} from "@/lib/server/auth";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const querySchema = z.object({
  dataset: z.string().trim().min(1, "the data set needs a name").max(200),
  filename: z
    .string()
    .trim()
    .min(1)
    .max(300)
    .transform((f) => path.basename(f)),
  format: z.enum(["auto", ...FORMAT_IDS]).default("auto"),
  strict: z.enum(["0", "1"]).default("0"),
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/**
 * POST /api/import?dataset=…&filename=…&format=auto&strict=0 with the file as the raw body.
 * The upload is spooled to a temporary file first (a dropped connection imports nothing), then
 * imported; the response is NDJSON: progress lines, then one `done` (or `error`) line.
 */
export async function POST(request: Request): Promise<Response> {
  const url = new URL(request.url);
  // Changes data: refuse cross-site requests (same check Next applies to server actions).
  const crossOrigin = crossOriginRefusal(request);
  if (crossOrigin) return crossOrigin;
  // Data sets are created by admins.
  try {
    checkAdmin(await principalFrom(request.headers));
  } catch (e) {
    if (e instanceof AccessError) return accessErrorResponse(e);
    throw e;
  }
  const parsed = querySchema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    return json(400, {
      error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    });
  }
  const q = parsed.data;
  const maxBytes = readEnv().PAIRSIFT_MAX_UPLOAD_MB * 1024 * 1024;
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) {
    return json(413, {
      error: `The file is larger than the ${readEnv().PAIRSIFT_MAX_UPLOAD_MB} MB upload limit.`,
    });
  }
  if (!request.body) return json(400, { error: "The request has no file." });

  const dir = await mkdtemp(path.join(os.tmpdir(), "pairsift-upload-"));
  const file = path.join(dir, q.filename);
  try {
    let size = 0;
    const out = createWriteStream(file);
    for await (const chunk of request.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBytes) {
        out.destroy();
        await rm(dir, { recursive: true, force: true });
        return json(413, {
          error: `The file is larger than the ${readEnv().PAIRSIFT_MAX_UPLOAD_MB} MB upload limit.`,
        });
      }
      if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
    }
    await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
    if (size === 0) {
      await rm(dir, { recursive: true, force: true });
      return json(400, { error: "The file is empty." });
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    return json(400, { error: `The upload was interrupted: ${e instanceof Error ? e.message : e}` });
  }

  const database = await getDatabase();
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (obj: unknown) => controller.enqueue(encoder.encode(`${JSON.stringify(obj)}\n`));
      let last = 0;
      try {
        const summary = await importFile(database, {
          path: file,
          dataset: q.dataset,
          format: q.format,
          strict: q.strict === "1",
          onProgress: (p) => {
            const now = Date.now();
            if (now - last < 200) return;
            last = now;
            send({ type: "progress", ...p });
          },
        });
        send({ type: "done", ...summary });
        if (summary.loaded > 0) detectInBackground(database, summary.datasetId);
      } catch (e) {
        const message =
          e instanceof UnknownFormatError
            ? e.message
            : `The import failed: ${e instanceof Error ? e.message : String(e)}`;
        send({ type: "error", error: message });
      } finally {
        controller.close();
        await rm(dir, { recursive: true, force: true });
      }
    },
  });
  return new Response(stream, {
    headers: { "content-type": "application/x-ndjson; charset=utf-8", "cache-control": "no-store" },
  });
}
