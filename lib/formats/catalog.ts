import { e5 } from "./e5";
import { flagembedding } from "./flagembedding";
import { FORMAT_IDS, type FormatId, formatIdSchema, type InputFormat } from "./format";
import { sentenceTransformers } from "./sentence-transformers";
import { tevatron } from "./tevatron";

export { FORMAT_IDS, type FormatId, formatIdSchema };

/**
 * The format registry without the container/stream machinery (no Node built-ins), for pages and
 * the CLI's option lists. index.ts re-exports it with parseInput.
 */
export const FORMATS: Record<FormatId, InputFormat> = {
  e5,
  flagembedding,
  "sentence-transformers": sentenceTransformers,
  tevatron,
};

export interface FormatOption {
  id: FormatId;
  label: string;
  description: string;
  example: string;
}

/** id, label, description and example of every format, in FORMAT_IDS order. */
export function formatOptions(): FormatOption[] {
  return FORMAT_IDS.map((id) => {
    const { label, description, example } = FORMATS[id];
    return { id, label, description, example };
  });
}
