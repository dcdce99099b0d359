import path from "node:path";
import type { FormatId } from "./format";
import { parseInput } from "./index";
import type { CanonicalRecord, ParseEvent } from "./types";

/** Test helpers (not part of the library API). */

export const FIXTURES = path.resolve(import.meta.dirname, "../../test/fixtures");
export const fixture = (...parts: string[]): string => path.join(FIXTURES, ...parts);

/** A byte stream from strings/bytes, optionally re-cut into chunks of `chunkSize` bytes. */
export async function* streamOf(
  parts: (string | Uint8Array)[],
  chunkSize?: number,
): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.concat(
    parts.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : Buffer.from(p))),
  );
  const size = chunkSize ?? Math.max(1, bytes.length);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export interface Parsed {
  format: FormatId;
  container: string;
  events: ParseEvent[];
  records: (CanonicalRecord & { line: number; hash: string })[];
  errors: { line: number; reason: string }[];
}

export async function parseAll(
  source: AsyncIterable<Uint8Array> | Parameters<typeof parseInput>[0]["source"],
  fileName: string,
  options: { format?: FormatId | "auto"; maxLineBytes?: number } = {},
): Promise<Parsed> {
  const parsed = await parseInput({ source, fileName, ...options });
  const events = await collect(parsed.events);
  return {
    format: parsed.format,
    container: parsed.container,
    events,
    records: events.flatMap((e) =>
      e.kind === "record" ? [{ ...e.record, line: e.line, hash: e.hash }] : [],
    ),
    errors: events.flatMap((e) => (e.kind === "error" ? [{ line: e.line, reason: e.reason }] : [])),
  };
}

export const parseText = (fileName: string, text: string, options: Parameters<typeof parseAll>[2] = {}) =>
  parseAll(streamOf([text]), fileName, options);

/** A JSON Lines text from objects. */
export const jsonl = (...objs: unknown[]): string => `${objs.map((o) => JSON.stringify(o)).join("\n")}\n`;
