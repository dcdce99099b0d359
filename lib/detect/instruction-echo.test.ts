import { describe, expect, it } from "vitest";
import { evidenceText, realRecords, rec } from "./detect-test-utils";
import { instructionEcho } from "./instruction-echo";
import type { DetectRecord } from "./types";

const options = instructionEcho.optionsSchema.parse({});
const detect = (r: DetectRecord) => instructionEcho.detect(r, { key: 0, data: undefined }, options);
const TASK = "Given a cooking question, retrieve recipes that answer it";
const POS = "Sourdough starts with a culture of wild yeast. Mix flour and water, rest, fold, proof and bake.";

describe("instruction_echo", () => {
  it("flags the task copied into the query, alone or as a prefix", () => {
    for (const query of [TASK, `${TASK}: basic sourdough loaf`, `${TASK}\nbasic sourdough loaf`]) {
      const r = rec({ task: TASK, query, positive: POS });
      const flags = detect(r);
      expect(flags.map((f) => f.target)).toEqual(["query"]);
      expect(evidenceText(r, flags[0]!)).toBe(TASK);
    }
  });

  it("flags the task copied into a passage, and Chinese tasks by characters", () => {
    const r = rec({ task: TASK, query: "basic sourdough loaf", positive: `${TASK}. ${POS}` });
    expect(detect(r).map((f) => f.target)).toEqual(["positive"]);
    const zhTask = "给定一个烹饪问题，检索能够回答该问题的菜谱";
    expect(detect(rec({ task: zhTask, query: `${zhTask}：红烧肉怎么做`, positive: POS }))).toHaveLength(1);
  });

  it("flags an Instruct/Query prefix even without a task", () => {
    const r = rec({ query: `Instruct: ${TASK}\nQuery: basic sourdough loaf`, positive: POS });
    const flags = detect(r);
    expect(flags).toHaveLength(1);
    expect(evidenceText(r, flags[0]!)).toBe(`Instruct: ${TASK}\nQuery:`);
  });

  it("does not flag ordinary queries, short tasks, or records without a task", () => {
    expect(
      detect(rec({ task: TASK, query: "how do I bake a sourdough loaf at home", positive: POS })),
    ).toEqual([]);
    expect(detect(rec({ task: "Retrieve recipes", query: "Retrieve recipes", positive: POS }))).toEqual([]);
    expect(detect(rec({ query: "basic sourdough loaf", positive: POS }))).toEqual([]);
  });

  it("finds nothing in the real FlagEmbedding files (their prompts are kept apart)", async () => {
    for (const name of [
      "flagemb_msmarco_scored.jsonl",
      "flagemb_cls_amazon.jsonl",
      "gritlm_instruct_embedding.jsonl",
    ]) {
      expect((await realRecords(name)).flatMap((r) => detect(r))).toEqual([]);
    }
  });
});
