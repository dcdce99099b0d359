import { describe, expect, it } from "vitest";
import { expectRecordCountsFresh } from "@/db/faults/helpers";
import { importFile } from "@/db/import-file";
import { applyBulkRule, undoBulkRule } from "@/db/queries/bulk";
import { runDetection } from "@/db/queries/detect";
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
    await db.raw.query("DELETE FROM datasets WHERE id = $1", [datasetId]);
    await check();
    await db.close();
  });
});
