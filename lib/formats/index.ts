import { FORMATS } from "./catalog";
import { openContainer } from "./containers";
import { e5 } from "./e5";
import { flagembedding } from "./flagembedding";
import { type FormatId, type InputFormat, UnknownFormatError } from "./format";
import { contentHash } from "./hash";
import { sentenceTransformers } from "./sentence-transformers";
import type { InputSource, ObjectEvent } from "./source";
import { tevatron } from "./tevatron";
import type { ParseEvent } from "./types";

export { FORMATS, type FormatOption, formatOptions } from "./catalog";
export { CONTAINERS, type ContainerId } from "./containers";
export { FORMAT_IDS, type FormatId, formatIdSchema, type InputFormat, UnknownFormatError } from "./format";
export { contentHash } from "./hash";
export { guessLanguage, languageCode } from "./language";
export { DEFAULT_MAX_LINE_BYTES, type InputSource } from "./source";
export * from "./types";

/**
 * Detection order. Each format's keys are distinct, and the order settles the overlaps: Tevatron
 * (positive_passages) before FlagEmbedding (query + pos), both before E5 (user_query, input_text,
 * S1…) and sentence-transformers (anchor|query|question + positive, or sentence1 + sentence2),
 * which refuses objects with `pos`.
 */
export const DETECTION_ORDER: readonly InputFormat[] = [tevatron, flagembedding, e5, sentenceTransformers];

/** How many container events detection may read ahead looking for an object it recognises. */
export const DETECTION_LOOKAHEAD = 100;

export function detectFormat(obj: Record<string, unknown>): FormatId | undefined {
  return DETECTION_ORDER.find((f) => f.detect(obj))?.id;
}

export function knownFormatsText(): string {
  return DETECTION_ORDER.map((f) => `  ${f.id}: ${f.description}`).join("\n");
}

export interface ParseInputOptions {
  source: InputSource;
  /** Used for the container (extension) and in messages. */
  fileName: string;
  format?: FormatId | "auto";
  maxLineBytes?: number;
}

export interface ParsedInput {
  format: FormatId;
  /** "jsonl", "json-array", "csv", "tsv", "parquet", prefixed "gzip+" when compressed. */
  container: string;
  /** Records and rejected lines in file order. Container-level failures (corrupt gzip/parquet) throw. */
  events: AsyncGenerator<ParseEvent>;
}

function toEvent(ev: ObjectEvent, format: InputFormat): ParseEvent {
  if (ev.kind === "error") return ev;
  let result: ReturnType<InputFormat["toRecord"]>;
  try {
    result = format.toRecord(ev.value);
  } catch (err) {
    result = { ok: false, reason: `could not convert: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (!result.ok) return { kind: "error", line: ev.line, reason: result.reason };
  return { kind: "record", line: ev.line, record: result.record, hash: contentHash(result.record) };
}

/**
 * Opens an input and returns its format and a stream of parse events. With `format` "auto" (the
 * default) the format is detected from the first object that a format recognises, reading ahead
 * at most DETECTION_LOOKAHEAD events; those are replayed, so nothing is lost.
 * Throws UnknownFormatError when the container or the format cannot be recognised.
 */
export async function parseInput(options: ParseInputOptions): Promise<ParsedInput> {
  const { source, fileName, maxLineBytes } = options;
  const { container, objects } = await openContainer(source, fileName, { maxLineBytes });
  const it = objects[Symbol.asyncIterator]();
  const buffered: ObjectEvent[] = [];
  let exhausted = false;
  let format: InputFormat | undefined =
    options.format && options.format !== "auto" ? FORMATS[options.format] : undefined;

  if (!format) {
    let firstObject: ObjectEvent | undefined;
    try {
      while (buffered.length < DETECTION_LOOKAHEAD) {
        const r = await it.next();
        if (r.done) {
          exhausted = true;
          break;
        }
        buffered.push(r.value);
        if (r.value.kind !== "object") continue;
        firstObject ??= r.value;
        const id = detectFormat(r.value.value);
        if (id) {
          format = FORMATS[id];
          break;
        }
      }
    } catch (err) {
      await it.return?.(undefined);
      throw err;
    }
    if (!format) {
      await it.return?.(undefined);
      throw unknownFormat(fileName, container, buffered, firstObject);
    }
  }

  const chosen = format;
  async function* events(): AsyncGenerator<ParseEvent> {
    try {
      for (const ev of buffered) yield toEvent(ev, chosen);
      buffered.length = 0;
      if (exhausted) return;
      for (;;) {
        const r = await it.next();
        if (r.done) {
          exhausted = true;
          return;
        }
        yield toEvent(r.value, chosen);
      }
    } finally {
      if (!exhausted) await it.return?.(undefined);
    }
  }
  return { format: chosen.id, container, events: events() };
}

function unknownFormat(
  fileName: string,
  container: string,
  seen: ObjectEvent[],
  firstObject: ObjectEvent | undefined,
): UnknownFormatError {
  const known = `Known formats:\n${knownFormatsText()}`;
  if (firstObject?.kind === "object") {
    const keys = Object.keys(firstObject.value);
    const what = container.endsWith("csv") || container.endsWith("tsv") ? "columns" : "keys";
    return new UnknownFormatError(
      `Unrecognised format in "${fileName}" (${container}): the first ${container.endsWith("parquet") ? "row" : "object"} ` +
        `(line ${firstObject.line}) has ${what} ${keys.map((k) => JSON.stringify(k)).join(", ") || "(none)"}, ` +
        `which match no known format.\n${known}`,
      keys,
    );
  }
  const firstError = seen.find((e) => e.kind === "error");
  if (firstError?.kind === "error") {
    return new UnknownFormatError(
      `Unrecognised format in "${fileName}" (${container}): no valid object in the first ${seen.length} ` +
        `line${seen.length === 1 ? "" : "s"} (line ${firstError.line}: ${firstError.reason}); ` +
        `the file does not look like JSON, JSON Lines, CSV/TSV or Parquet.\n${known}`,
    );
  }
  return new UnknownFormatError(`"${fileName}" holds no records (it is empty).\n${known}`);
}
