import { describe, expect, it } from "vitest";
import { expectRecordCountsFresh } from "@/db/faults/helpers";
import { importFile } from "@/db/import-file";
import { applyBulkRule, undoBulkRule } from "@/db/queries/bulk";
import { runDetection } from "@/db/queries/detect";
import { decide } from "@/db/queries/review";
import { ENGINES, openTestDatabase } from "@/db/testing";
import { recordFilterSchema } from "@/lib/review/filter";

describe.each(ENGINES)("record_counts on %s", (engine) => {
  it("stays equal to a fresh count through import, detection, bulk, undo, delete", async () => {
    const db = await openTestDatabase(engine);
    const check = () => expectRecordCountsFresh(db);
    const { datasetId } = await importFile(db, {
      path: "test/fixtures/real/zh_t2ranking_100.jsonl",
      dataset: "t",
    });
    await check();
    await runDetection(db, datasetId, { teacher: "none", workers: 0 });
    await check();
    const r = await applyBulkRule(
      db,
      datasetId,
      {
        name: "x",
        target: { filter: recordFilterSchema.parse({ defect: ["duplicate_negative"] }) },
        action: { type: "drop_flagged_negatives", defects: ["duplicate_negative"] },
      },
      "me",
    );
    expect(r.changed).toBeGreaterThan(0);
    await check();
    await undoBulkRule(db, datasetId, r.ruleId, "me");
    await check();
    // Edits change the record's own columns (task, language; flags and margin after the detectors rerun).
    const [first] = await db.raw.query<{ id: string }>(
      "SELECT id::text AS id FROM records WHERE dataset_id = $1 ORDER BY id LIMIT 1",
      [datasetId],
    );
    const recordId = Number(first!.id);
    const edit = (expectedVersion: number, action: Parameters<typeof decide>[1]["action"]) =>
      decide(db, { datasetId, recordId, expectedVersion, actor: "me", action });
    await edit(1, { type: "set_task", task: "a task of its own" });
    await edit(2, { type: "set_language", language: "fr" });
    await edit(3, {
      type: "edit_text",
      field: "positive",
      text: "As an AI language model, I wrote this passage.",
    });
    await check();
    const last = await edit(4, { type: "accept" });
    await edit(5, { type: "undo", decisionId: last.decisionId });
    await check();
    await db.raw.query("DELETE FROM datasets WHERE id = $1", [datasetId]);
    await check();
    await db.close();
  });
});
