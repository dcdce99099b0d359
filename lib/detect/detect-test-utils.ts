import { parseInput } from "@/lib/formats";
import { openInput } from "@/lib/formats/node";
import { collect, fixture } from "@/lib/formats/test-utils";
import type { DetectRecord, Flag } from "./types";

/** Test helpers for the detectors (not part of the library API). */

/** A short-long record with defaults. */
export function rec(
  partial: Partial<Omit<DetectRecord, "positive" | "negatives">> & {
    query?: string;
    positive?: string;
    negatives?: string[];
  },
): DetectRecord {
  return {
    taskFamily: partial.taskFamily ?? "short-long",
    task: partial.task,
    language: partial.language,
    query: partial.query ?? "how long does the vaccine protect",
    positive: { text: partial.positive ?? "The vaccine protects for about six months." },
    extraPositives: [],
    negatives: (partial.negatives ?? []).map((text) => ({ text })),
    label: partial.label,
    misleadingLabel: partial.misleadingLabel,
    params: partial.params ?? {},
  };
}

/** The text a flag's evidence points into. */
export function evidenceText(record: DetectRecord, flag: Flag, i = 0): string {
  const e = flag.evidence[i];
  if (!e) throw new Error("no evidence");
  const text =
    e.field === "query"
      ? record.query
      : e.field === "positive"
        ? record.positive.text
        : e.field === "task"
          ? (record.task ?? "")
          : (record.negatives[e.negativeIndex ?? -1]?.text ?? "");
  return text.slice(e.start, e.end);
}

/** Records of a real fixture file (test/fixtures/real). */
export async function realRecords(name: string): Promise<DetectRecord[]> {
  const parsed = await parseInput(await openInput(fixture("real", name)));
  const events = await collect(parsed.events);
  return events.flatMap((e) => (e.kind === "record" ? [e.record] : []));
}
