import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import { asyncBufferFromFile } from "hyparquet";
import { hasParquetMagic } from "./parquet";
import type { InputSource } from "./source";

export interface OpenedInput {
  source: InputSource;
  fileName: string;
  byteLength: number;
}

/** Read size for text files: large chunks keep the per-chunk overhead of the line splitter low. */
const CHUNK_BYTES = 1 << 20;

async function* readChunks(path: string): AsyncGenerator<Uint8Array> {
  // Created on first read, so an input that is opened but never read holds no file descriptor.
  yield* createReadStream(path, { highWaterMark: CHUNK_BYTES });
}

/**
 * Opens a file for parseInput: Parquet (by extension or PAR1 magic) as a random-access
 * AsyncBuffer, everything else as a stream of chunks. Usage: `parseInput(await openInput(path))`.
 */
export async function openInput(path: string): Promise<OpenedInput> {
  const { size } = await stat(path);
  const fileName = basename(path);
  let parquet = extname(path).toLowerCase() === ".parquet";
  if (!parquet && size >= 4) {
    const fh = await open(path, "r");
    try {
      const head = new Uint8Array(4);
      await fh.read(head, 0, 4, 0);
      parquet = hasParquetMagic(head);
    } finally {
      await fh.close();
    }
  }
  const source = parquet ? await asyncBufferFromFile(path) : readChunks(path);
  return { source, fileName, byteLength: size };
}
