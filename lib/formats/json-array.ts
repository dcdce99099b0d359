import type { LineOptions } from "./lines";
import {
  DEFAULT_MAX_LINE_BYTES,
  type ObjectEvent,
  oversizeReason,
  parseJsonObject,
  toBuffer,
} from "./source";

const NL = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const BOM = [0xef, 0xbb, 0xbf];

const isSpace = (b: number): boolean => b === 0x20 || b === NL || b === 0x0d || b === 0x09;

type State = "before" | "between" | "element" | "after" | "stopped";

/**
 * Streams the elements of a top-level JSON array (`[ {...}, {...} ]`) one by one, each with the
 * line where it starts. A byte-level scanner tracks strings, escapes and bracket depth to find
 * element boundaries; each element is then JSON.parse'd on its own, so a bad element is reported
 * with its line and the following ones still load. Element size is limited like a line.
 */
export async function* jsonArrayObjects(
  chunks: AsyncIterable<Uint8Array>,
  options: LineOptions = {},
): AsyncGenerator<ObjectEvent> {
  const max = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let line = 1;
  let state: State = "before";
  // Bytes of a leading UTF-8 BOM seen so far (it may be split across chunks); -1 once past it.
  let bomBytes = 0;

  // Current element.
  let depth = 0;
  let inString = false;
  let escaped = false;
  let startLine = 0;
  let parts: Buffer[] = [];
  let partBytes = 0;
  let oversized = false;

  const finish = (last: Buffer): ObjectEvent => {
    const total = partBytes + last.length;
    const at = startLine;
    const wasOversized = oversized || total > max;
    const pieces = parts;
    parts = [];
    partBytes = 0;
    oversized = false;
    depth = 0;
    inString = false;
    escaped = false;
    state = "between";
    if (wasOversized) return { kind: "error", line: at, reason: oversizeReason("element", total, max) };
    const bytes = pieces.length === 0 ? last : Buffer.concat([...pieces, last], total);
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      return { kind: "error", line: at, reason: "invalid UTF-8" };
    }
    return parseJsonObject(text, at);
  };

  for await (const chunk of chunks) {
    if (state === "stopped") break;
    const buf = toBuffer(chunk);
    const n = buf.length;
    let i = 0;
    while (bomBytes >= 0 && i < n) {
      if (buf[i] === BOM[bomBytes]) {
        i++;
        bomBytes = bomBytes === 2 ? -1 : bomBytes + 1;
      } else {
        // Not a BOM after all: a partial one is not the "[" the file must start with.
        if (bomBytes > 0) {
          yield { kind: "error", line, reason: "expected a JSON array starting with [" };
          state = "stopped";
        }
        bomBytes = -1;
      }
    }
    if (state === "stopped") break;
    let elementStart = state === "element" ? 0 : -1;
    // Next positions of the bytes that matter inside a string (-1: none left in this chunk), so that
    // string contents, most of the bytes, are skipped with indexOf instead of byte by byte.
    let nextQuote = -2;
    let nextBackslash = -2;
    let nextNewline = -2;

    for (; i < n; i++) {
      if (inString && !escaped && state === "element") {
        if (nextQuote !== -1 && nextQuote < i) nextQuote = buf.indexOf(QUOTE, i);
        if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = buf.indexOf(BACKSLASH, i);
        if (nextNewline !== -1 && nextNewline < i) nextNewline = buf.indexOf(NL, i);
        let j = n;
        if (nextQuote !== -1) j = nextQuote;
        if (nextBackslash !== -1 && nextBackslash < j) j = nextBackslash;
        if (nextNewline !== -1 && nextNewline < j) j = nextNewline;
        if (j === n) break;
        i = j;
      }
      const b = buf[i] as number;
      if (state === "element") {
        if (inString) {
          if (escaped) {
            escaped = false;
            if (b === NL) line++;
          } else if (b === BACKSLASH) {
            escaped = true;
          } else if (b === QUOTE) {
            inString = false;
            if (depth === 0) {
              yield finish(buf.subarray(elementStart, i + 1));
              elementStart = -1;
            }
          } else if (b === NL) {
            // A raw newline cannot be inside a valid JSON string: resynchronise (JSON.parse reports it).
            line++;
            inString = false;
          }
          continue;
        }
        if (b === QUOTE) {
          inString = true;
        } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
          depth++;
        } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
          if (depth === 0) {
            // End of a scalar element, immediately followed by the closing bracket of the array.
            yield finish(buf.subarray(elementStart, i));
            elementStart = -1;
            if (b === CLOSE_BRACKET) state = "after";
          } else {
            depth--;
            if (depth === 0) {
              yield finish(buf.subarray(elementStart, i + 1));
              elementStart = -1;
            }
          }
        } else if (depth === 0 && (b === COMMA || isSpace(b))) {
          yield finish(buf.subarray(elementStart, i));
          elementStart = -1;
          if (b === NL) line++;
        } else if (b === NL) {
          line++;
        }
        continue;
      }
      if (b === NL) {
        line++;
        continue;
      }
      if (isSpace(b)) continue;
      if (state === "between") {
        if (b === COMMA) continue;
        if (b === CLOSE_BRACKET) {
          state = "after";
          continue;
        }
        state = "element";
        startLine = line;
        elementStart = i;
        depth = b === OPEN_BRACE || b === OPEN_BRACKET ? 1 : 0;
        inString = b === QUOTE;
        escaped = false;
      } else if (state === "before") {
        if (b === OPEN_BRACKET) {
          state = "between";
        } else {
          yield { kind: "error", line, reason: "expected a JSON array starting with [" };
          state = "stopped";
          break;
        }
      } else if (state === "after") {
        yield { kind: "error", line, reason: "unexpected content after the end of the JSON array" };
        state = "stopped";
        break;
      }
    }

    if (state === "element" && elementStart >= 0) {
      const rest = n - elementStart;
      if (oversized || partBytes + rest > max) {
        oversized = true;
        parts = [];
      } else {
        parts.push(buf.subarray(elementStart));
      }
      partBytes += rest;
    }
  }

  if (state === "element") {
    yield {
      kind: "error",
      line: startLine,
      reason: "unexpected end of file inside this element (the JSON array is not closed)",
    };
  } else if (state === "before" || state === "between") {
    yield { kind: "error", line, reason: "unexpected end of file: the JSON array is not closed" };
  }
}
