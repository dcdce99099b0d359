import { isUtf8 } from "node:buffer";
import {
  DEFAULT_MAX_LINE_BYTES,
  type ObjectEvent,
  oversizeReason,
  parseJsonObject,
  toBuffer,
} from "./source";

export type LineEvent =
  | { line: number; text: string; error?: undefined }
  | { line: number; error: string; text?: undefined };

export interface LineOptions {
  /** Lines longer than this are reported and skipped without being buffered. Default 8 MiB. */
  maxLineBytes?: number;
}

const NL = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into UTF-8 lines (1-based numbers). Strips a leading BOM and a trailing
 * \r, skips blank lines (they still count), reports invalid UTF-8 and oversized lines as errors.
 */
export async function* splitLines(
  chunks: AsyncIterable<Uint8Array>,
  options: LineOptions = {},
): AsyncGenerator<LineEvent> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let lineNo = 0;
  // Pieces of the current line that started in earlier chunks.
  let parts: Buffer[] = [];
  let partBytes = 0;
  // Inside an oversized line: only its length is counted until the next newline.
  let skipping = false;
  let skippedBytes = 0;

  const decode = (bytes: Buffer): LineEvent | undefined => {
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === CR) end--;
    let start = 0;
    if (lineNo === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
    const slice = start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end);
    // Validate first (simdutf), then decode: ~2x faster than a fatal TextDecoder.
    if (!isUtf8(slice)) return { line: lineNo, error: "invalid UTF-8" };
    const text = slice.toString("utf8");
    if (text.trim().length === 0) return undefined;
    return { line: lineNo, text };
  };

  for await (const chunk of chunks) {
    const buf = toBuffer(chunk);
    let pos = 0;
    while (pos < buf.length) {
      const nl = buf.indexOf(NL, pos);
      if (nl === -1) {
        const rest = buf.length - pos;
        if (skipping) {
          skippedBytes += rest;
        } else if (partBytes + rest > max) {
          skipping = true;
          skippedBytes = partBytes + rest;
          parts = [];
          partBytes = 0;
        } else {
          parts.push(buf.subarray(pos));
          partBytes += rest;
        }
        break;
      }
      lineNo++;
      const len = nl - pos;
      if (skipping) {
        yield { line: lineNo, error: oversizeReason("line", skippedBytes + len, max) };
        skipping = false;
        skippedBytes = 0;
      } else if (partBytes + len > max) {
        yield { line: lineNo, error: oversizeReason("line", partBytes + len, max) };
        parts = [];
        partBytes = 0;
      } else {
        let bytes: Buffer;
        if (partBytes === 0) {
          bytes = buf.subarray(pos, nl);
        } else {
          parts.push(buf.subarray(pos, nl));
          bytes = Buffer.concat(parts, partBytes + len);
          parts = [];
          partBytes = 0;
        }
        const ev = decode(bytes);
        if (ev) yield ev;
      }
      pos = nl + 1;
    }
  }
  // A last line without a newline.
  if (skipping) {
    lineNo++;
    yield { line: lineNo, error: oversizeReason("line", skippedBytes, max) };
  } else if (partBytes > 0) {
    lineNo++;
    const ev = decode(parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, partBytes));
    if (ev) yield ev;
  }
}

/** JSON Lines: one JSON object per line. */
export async function* jsonlObjects(
  chunks: AsyncIterable<Uint8Array>,
  options: LineOptions = {},
): AsyncGenerator<ObjectEvent> {
  for await (const ev of splitLines(chunks, options)) {
    if (ev.error !== undefined) yield { kind: "error", line: ev.line, reason: ev.error };
    else yield parseJsonObject(ev.text, ev.line);
  }
}
