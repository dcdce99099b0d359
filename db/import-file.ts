import { stat } from "node:fs/promises";
import { type FormatId, type InputSource, parseInput } from "@/lib/formats";
import { openInput } from "@/lib/formats/node";
import { isAsyncBuffer } from "@/lib/formats/source";
import type { Database } from "./client";
import { type ImportProgress, type ImportSummary, importIntoDataset } from "./queries/import";

/** Counts the bytes a stream hands out, for a progress fraction. */
export function countingSource(source: InputSource, onBytes: (n: number) => void): InputSource {
  if (isAsyncBuffer(source)) return source;
  return (async function* () {
    for await (const chunk of source) {
      onBytes(chunk.byteLength);
      yield chunk;
    }
  })();
}

export interface ImportFileOptions {
  path: string;
  dataset: string;
  format?: FormatId | "auto";
  strict?: boolean;
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress & { fraction: number }) => void;
}

/** Imports one file from disk (the CLI, the demo loader and the benchmark all come through here). */
export async function importFile(database: Database, opts: ImportFileOptions): Promise<ImportSummary> {
  let bytesRead = 0;
  let size = (await stat(opts.path)).size;
  return importIntoDataset(database, {
    dataset: opts.dataset,
    bytes: size,
    source: opts.path.split(/[\\/]/).pop() ?? opts.path,
    strict: opts.strict,
    batchSize: opts.batchSize,
    signal: opts.signal,
    open: async () => {
      const input = await openInput(opts.path);
      size = input.byteLength;
      bytesRead = 0;
      return parseInput({
        source: countingSource(input.source, (n) => {
          bytesRead += n;
        }),
        fileName: input.fileName,
        format: opts.format ?? "auto",
      });
    },
    onProgress: (p) => opts.onProgress?.({ ...p, fraction: size ? Math.min(1, bytesRead / size) : 0 }),
  });
}
