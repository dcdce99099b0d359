import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { openInput } from "@/lib/formats/node";
import { FIXTURES, parseAll } from "@/lib/formats/test-utils";
import { arraySource, createTeacher, scoreAll } from "@/lib/teacher";
import { teacherOnWorkers } from "@/lib/teacher/types";
import { workerEntry } from "./pool";
import { runDetectorsAsync } from "./run-async";
import type { DetectRecord, TeacherResult } from "./types";

/** Every real and E5 fixture file. */
const FILES = [
  ...fs
    .readdirSync(`${FIXTURES}/real`)
    .filter((f) => /\.(jsonl|json|tsv)$/.test(f))
    .map((f) => `${FIXTURES}/real/${f}`),
  ...fs.readdirSync(`${FIXTURES}/e5`).map((f) => `${FIXTURES}/e5/${f}`),
].filter((f) => !f.endsWith(".md"));

async function records(file: string): Promise<DetectRecord[]> {
  const { source, fileName } = await openInput(file);
  return (await parseAll(source, fileName)).records;
}

/** One JSON line per record: key and flags, exactly as a caller would store or print them. */
async function run(
  recs: DetectRecord[],
  workers: number,
  teacher?: (key: number) => TeacherResult | undefined,
): Promise<string> {
  let out = "";
  let expected = 0;
  for await (const r of runDetectorsAsync(() => recs, { workers, batchSize: 7, teacher })) {
    expect(r.key).toBe(expected++);
    expect(r.record).toBe(recs[r.key]);
    out += `${JSON.stringify({ key: r.key, flags: r.flags })}\n`;
  }
  expect(expected).toBe(recs.length);
  return out;
}

describe("detection on worker threads", () => {
  it("finds its worker entry from the package folder", () => {
    expect(workerEntry()).toMatch(/lib[/\\]detect[/\\]worker-entry\.mjs$/);
  });

  it("gives byte-identical output to the in-process run on the fixtures", async () => {
    // Every fixture file as one data set: cross-record collectors over mixed families and languages.
    const all: DetectRecord[] = [];
    for (const file of FILES) all.push(...(await records(file)));
    const inProcess = await run(all, 0);
    expect(inProcess).toContain("duplicate_record");
    expect(await run(all, 2)).toBe(inProcess);
    // With BM25 ranks from the teacher, through one worker.
    const bm25 = await scoreAll(createTeacher({ kind: "bm25" }), arraySource(all));
    const teacher = (key: number) => bm25.get(key);
    const ranked = await run(all, 0, teacher);
    expect(ranked).toContain("negative_rank");
    expect(await run(all, 1, teacher)).toBe(ranked);
    // The BM25 stream scored on the workers (shared index) gives the same flags as read here.
    const onWorkers = async (workers: number) => {
      let out = "";
      const stream = createTeacher({ kind: "bm25" }).score(arraySource(all));
      expect(teacherOnWorkers(stream)).toBeDefined();
      for await (const r of runDetectorsAsync(() => all, { workers, batchSize: 7, teacher: stream }))
        out += `${JSON.stringify({ key: r.key, flags: r.flags })}\n`;
      return out;
    };
    expect(await onWorkers(0)).toBe(ranked);
    expect(await onWorkers(2)).toBe(ranked);
  }, 240_000);

  it("streams teacher results in step and reports a failing source", async () => {
    const recs = await records(`${FIXTURES}/real/flagemb_msmarco_scored.jsonl`);
    const scores = createTeacher({ kind: "scores" });
    const keyed = () => arraySource(recs)();
    const streamed = async () => {
      let out = "";
      for await (const r of runDetectorsAsync(() => recs, {
        workers: 2,
        batchSize: 5,
        teacher: scores.score(keyed),
      }))
        out += `${JSON.stringify(r.flags)}\n`;
      return out;
    };
    const lookup = await scoreAll(scores, arraySource(recs));
    let expected = "";
    for await (const r of runDetectorsAsync(() => recs, { teacher: (k) => lookup.get(k) }))
      expected += `${JSON.stringify(r.flags)}\n`;
    expect(await streamed()).toBe(expected);

    const failing = async function* () {
      yield* recs.slice(0, 20);
      throw new Error("source broke");
    };
    await expect(async () => {
      for await (const _ of runDetectorsAsync(failing, { workers: 2, batchSize: 4 })) {
        // drained
      }
    }).rejects.toThrow("source broke");
  }, 120_000);
});
