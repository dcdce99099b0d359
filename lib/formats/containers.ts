import { pipeline, Readable } from "node:stream";
import { createGunzip } from "node:zlib";
import { csvRows } from "./csv";
import { UnknownFormatError } from "./format";
import { jsonArrayObjects } from "./json-array";
import { jsonlObjects, type LineOptions } from "./lines";
import { hasParquetMagic, parquetRows } from "./parquet";
import {
  asyncBufferChunks,
  firstSignificantByte,
  type InputSource,
  isAsyncBuffer,
  type ObjectEvent,
  peekUntil,
} from "./source";

/** The byte-level containers. Any text container may also be gzip-compressed (detected by magic bytes). */
export const CONTAINERS = [
  {
    id: "jsonl",
    label: "JSON Lines",
    extensions: [".jsonl", ".ndjson", ".json"],
    description: "one JSON object per line (also a .json file whose first character is {)",
  },
  {
    id: "json-array",
    label: "JSON array",
    extensions: [".json"],
    description: "a .json file holding one top-level array of objects, read element by element",
  },
  {
    id: "csv",
    label: "CSV",
    extensions: [".csv"],
    description: "comma-separated, RFC 4180 quoting, header row",
  },
  {
    id: "tsv",
    label: "TSV",
    extensions: [".tsv", ".tab"],
    description: "tab-separated, no quoting, header row",
  },
  {
    id: "parquet",
    label: "Parquet",
    extensions: [".parquet"],
    description: "Apache Parquet, one row group at a time",
  },
] as const;
export type ContainerId = (typeof CONTAINERS)[number]["id"];

export interface OpenedContainer {
  /** The container id, prefixed with "gzip+" when the bytes were gzip-compressed. */
  container: string;
  objects: AsyncGenerator<ObjectEvent>;
}

const GZIP_EXT = /\.gz$/i;

const extensionOf = (name: string): string => {
  const base = name.replace(/^.*[\\/]/, "");
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot).toLowerCase() : "";
};

const isGzip = (head: Buffer): boolean => head[0] === 0x1f && head[1] === 0x8b;

/** Decompresses a gzip byte stream (multi-member files included). */
async function* gunzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  // pipeline (not pipe) so that destroying the output also closes the source.
  const gz = pipeline(Readable.from(source, { objectMode: false }), createGunzip(), () => {});
  try {
    for await (const chunk of gz) yield chunk as Buffer;
  } catch (err) {
    throw new Error(`gzip data is corrupt or truncated: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    gz.destroy();
  }
}

function describeStart(head: Buffer): string {
  const text = head.subarray(0, 24).toString("utf8").replace(/\s+/g, " ").trim();
  return text === "" ? "it is empty" : `it starts with ${JSON.stringify(text)}`;
}

/**
 * Picks the container from the magic bytes and the file name, and returns its object stream.
 * gzip is recognised by its magic bytes (the inner container then by the name without ".gz", or
 * by sniffing). Parquet needs random access: pass an AsyncBuffer (openInput does).
 */
export async function openContainer(
  source: InputSource,
  fileName: string,
  options: LineOptions = {},
): Promise<OpenedContainer> {
  let stream: AsyncIterable<Uint8Array>;
  if (isAsyncBuffer(source)) {
    const magic = source.byteLength >= 4 ? new Uint8Array(await source.slice(0, 4)) : new Uint8Array(0);
    if (hasParquetMagic(magic)) return { container: "parquet", objects: parquetRows(source) };
    stream = asyncBufferChunks(source);
  } else {
    stream = source;
  }

  let name = fileName;
  let prefix = "";
  let peeked = await peekUntil(stream, (h) => h.length >= 4);
  if (isGzip(peeked.head)) {
    prefix = "gzip+";
    name = name.replace(GZIP_EXT, "");
    peeked = await peekUntil(gunzip(peeked.stream), (h) => h.length >= 4);
  }
  if (hasParquetMagic(peeked.head)) {
    await peeked.close();
    if (prefix) throw new UnknownFormatError(`"${fileName}": gzip-compressed parquet is not supported`);
    throw new UnknownFormatError(
      `"${fileName}" is a Parquet file, which needs random access: open it with openInput() (an AsyncBuffer), not as a stream`,
    );
  }

  const ext = extensionOf(name);
  if (ext === ".csv" || ext === ".tsv" || ext === ".tab") {
    const dialect = ext === ".csv" ? "csv" : "tsv";
    return { container: prefix + dialect, objects: csvRows(peeked.stream, { ...options, dialect }) };
  }
  if (ext === ".parquet") {
    await peeked.close();
    throw new UnknownFormatError(
      `"${fileName}" is named .parquet but is not a Parquet file (no PAR1 magic bytes)`,
    );
  }

  // JSON family: sniff the first significant character.
  peeked = await peekUntil(peeked.stream, (h) => firstSignificantByte(h) !== -1, 1 << 20);
  const first = firstSignificantByte(peeked.head);
  // A JSON Lines file is read line by line even when its first line holds an array (and is reported).
  if (first === 0x5b /* [ */ && ext !== ".jsonl" && ext !== ".ndjson") {
    return { container: `${prefix}json-array`, objects: jsonArrayObjects(peeked.stream, options) };
  }
  if (first === 0x7b /* { */ || ext === ".jsonl" || ext === ".ndjson" || ext === ".json") {
    return { container: `${prefix}jsonl`, objects: jsonlObjects(peeked.stream, options) };
  }
  peeked = await peekUntil(peeked.stream, (h) => h.length >= 24); // what describeStart shows
  await peeked.close();
  throw new UnknownFormatError(
    `"${fileName}" is not JSON, JSON Lines, CSV/TSV or Parquet (${describeStart(peeked.head)}); ` +
      "name CSV/TSV files .csv/.tsv so they are read as such",
  );
}
