import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordFilterSchema } from "@/lib/review/filter";
import type { Database } from "../client";
import { importFile } from "../import-file";
import { bestFlagCheck, ENGINES, openTestDatabase } from "../testing";
import { applyBulkRule, listBulkRules, previewBulkRule, undoBulkRule } from "./bulk";
import { runDetection } from "./detect";
import { decide, getRecordForReview } from "./review";

const EXPLAINED =
  "The Eiffel Tower is 330 metres tall and stands on the Champ de Mars in Paris. " +
  "This passage is relevant because it answers the query about the height of the tower.";

const OTHER = [
  "The Louvre holds the Mona Lisa and many other paintings.",
  "Montmartre is a hill in the north of the city known for its artists.",
  "Croissants are best eaten warm with butter in the morning.",
  "The Seine flows through Paris before reaching the English Channel.",
  "Notre-Dame cathedral was damaged by a fire in April 2019.",
  "The metro network has sixteen lines and over three hundred stations.",
  "Versailles palace lies about twenty kilometres west of the capital.",
  "Impressionist painters often worked outdoors to capture changing light.",
  "The Tour de France usually ends on the Champs-Élysées in July.",
  "Camembert cheese comes from Normandy in northern France.",
  "The Pantheon houses the tombs of Voltaire and Rousseau.",
  "Bordeaux is famous for its red wine and its stone bridges.",
];

/** 12 records: even ones explain themselves; every third repeats its positive as negative 2. */
function fixture(): string {
  const lines: string[] = [];
  for (let i = 0; i < 12; i++) {
    const pos =
      i % 2 === 0
        ? EXPLAINED.replace("330", String(300 + i))
        : `Tower ${i} is a lattice tower in Paris, France.`;
    lines.push(
      JSON.stringify({
        query: `how tall is the eiffel tower ${i}`,
        pos: [pos],
        neg: [
          OTHER[i]!,
          i % 3 === 0 ? pos : `${OTHER[(i + 5) % 12]} Also: ${OTHER[(i + 7) % 12]!.toLowerCase()}`,
        ],
      }),
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairsift-bulk-"));
  const file = path.join(dir, "bulk.jsonl");
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

describe.each(ENGINES)("bulk rules on %s", (engine) => {
  let database: Database;
  let datasetId: number;
  let ids: number[];
  const filter = (f: object) => recordFilterSchema.parse(f);

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    datasetId = (await importFile(database, { path: fixture(), dataset: "bulk" })).datasetId;
    await runDetection(database, datasetId, { teacher: "none" });
    ids = (
      await database.raw.query<{ id: string | number }>(
        "SELECT id FROM records WHERE dataset_id = $1 ORDER BY id",
        [datasetId],
      )
    ).map((r) => Number(r.id));
  });
  afterAll(async () => {
    await database?.close();
  });

  const statuses = async () =>
    (
      await database.raw.query<{ status: string }>(
        "SELECT status FROM record_state WHERE dataset_id = $1 ORDER BY record_id",
        [datasetId],
      )
    ).map((r) => r.status);
  const negStatuses = async (recordId: number) =>
    (
      await database.raw.query<{ status: string }>(
        "SELECT status FROM negatives WHERE record_id = $1 ORDER BY position",
        [recordId],
      )
    ).map((r) => r.status);

  it("previews, applies and undoes a rule over a filter; later decisions survive the undo", async () => {
    const rule = {
      name: "reject self-explanations",
      target: { filter: filter({ defect: ["self_explanation"] }) },
      action: { type: "reject" as const, reason: "explains itself" },
    };
    const preview = await previewBulkRule(database, datasetId, rule);
    expect(preview).toMatchObject({ matched: 6, changed: 6 });
    expect(preview.sample.map((s) => s.id)).toEqual([ids[0], ids[2], ids[4], ids[6], ids[8]]);

    const applied = await applyBulkRule(database, datasetId, rule, "lead");
    expect(applied.changed).toBe(6);
    expect(await statuses()).toEqual(ids.map((_, i) => (i % 2 === 0 ? "rejected" : "pending")));
    const logged = await database.raw.query<{ n: string | number }>(
      "SELECT count(*) AS n FROM decisions WHERE bulk_rule_id = $1 AND reason = 'explains itself' AND actor = 'lead'",
      [applied.ruleId],
    );
    expect(Number(logged[0]!.n)).toBe(6);
    // Applying it again changes nothing: everything matched is rejected already.
    expect((await previewBulkRule(database, datasetId, rule)).changed).toBe(0);

    // A reviewer accepts record 0 afterwards (at its new version): the rule's undo leaves it alone.
    const v = (await getRecordForReview(database, datasetId, ids[0]!))!;
    expect(v.record.version).toBe(2);
    await decide(database, {
      datasetId,
      recordId: ids[0]!,
      expectedVersion: 2,
      actor: "ana",
      action: { type: "accept" },
    });
    const undone = await undoBulkRule(database, datasetId, applied.ruleId, "lead");
    expect(undone).toEqual({ restored: 5, skipped: 1 });
    expect(await statuses()).toEqual(ids.map((_, i) => (i === 0 ? "accepted" : "pending")));
    await expect(undoBulkRule(database, datasetId, applied.ruleId, "lead")).rejects.toThrow(/undone already/);
    const [rule0] = await listBulkRules(database, datasetId);
    expect(rule0).toMatchObject({ id: applied.ruleId, name: "reject self-explanations", affected: 6 });
    expect(rule0!.undoneAt).toBeInstanceOf(Date);
  });

  it("drops flagged negatives, relabels their records, and undoes that with the flags back", async () => {
    const flagsBefore = await database.raw.query<{ n: string | number }>(
      "SELECT count(*) AS n FROM flags WHERE dataset_id = $1 AND defect = 'duplicate_negative'",
      [datasetId],
    );
    expect(Number(flagsBefore[0]!.n)).toBeGreaterThanOrEqual(4);
    const rule = {
      name: "drop duplicates",
      target: { filter: filter({}) },
      action: { type: "drop_flagged_negatives" as const, defects: ["duplicate_negative" as const] },
    };
    const preview = await previewBulkRule(database, datasetId, rule);
    expect(preview).toMatchObject({ matched: 12, changed: 4, negatives: 4 });
    const applied = await applyBulkRule(database, datasetId, rule, "lead");
    expect(applied).toMatchObject({ changed: 4, negatives: 4 });
    expect(await negStatuses(ids[3]!)).toEqual(["kept", "dropped"]);
    expect(await negStatuses(ids[1]!)).toEqual(["kept", "kept"]);
    const rec3 = (await getRecordForReview(database, datasetId, ids[3]!))!;
    expect(rec3.record.status).toBe("relabeled");
    expect(rec3.flags.filter((f) => f.defect === "duplicate_negative")).toEqual([]);
    const [row] = await database.raw.query<{ defects: string[] | string }>(
      "SELECT defects FROM records WHERE id = $1",
      [ids[3]!],
    );
    expect(String(row!.defects)).not.toContain("duplicate_negative");
    expect((await bestFlagCheck(database, datasetId)).wrong).toBe(0);

    const undone = await undoBulkRule(database, datasetId, applied.ruleId, "lead");
    expect(undone).toEqual({ restored: 4, skipped: 0 });
    expect(await negStatuses(ids[3]!)).toEqual(["kept", "kept"]);
    const back = (await getRecordForReview(database, datasetId, ids[3]!))!;
    expect(back.record.status).toBe("pending");
    expect(back.flags.filter((f) => f.defect === "duplicate_negative").length).toBeGreaterThan(0);
    expect((await bestFlagCheck(database, datasetId)).wrong).toBe(0);
  });

  it("applies to selected rows, and one record's bulk decision can be undone from the record", async () => {
    const applied = await applyBulkRule(
      database,
      datasetId,
      { name: "accept selection", target: { ids: [ids[5]!, ids[7]!] }, action: { type: "accept" } },
      "bo",
    );
    expect(applied.changed).toBe(2);
    const v = (await getRecordForReview(database, datasetId, ids[5]!))!;
    expect(v.record.status).toBe("accepted");
    await decide(database, {
      datasetId,
      recordId: ids[5]!,
      expectedVersion: v.record.version,
      actor: "bo",
      action: { type: "undo", decisionId: v.undoableDecisionId! },
    });
    expect((await getRecordForReview(database, datasetId, ids[5]!))!.record.status).toBe("pending");
    expect((await getRecordForReview(database, datasetId, ids[7]!))!.record.status).toBe("accepted");
  });

  it("is all or nothing: a failure part-way writes nothing", async () => {
    const before = await statuses();
    await database.raw.query(
      "ALTER TABLE decisions ADD CONSTRAINT test_no_boom CHECK (bulk_rule_id IS NULL OR reason <> 'boom')",
    );
    try {
      await expect(
        applyBulkRule(
          database,
          datasetId,
          { name: "boom", target: { filter: filter({}) }, action: { type: "reject", reason: "boom" } },
          "lead",
        ),
      ).rejects.toThrow();
    } finally {
      await database.raw.query("ALTER TABLE decisions DROP CONSTRAINT test_no_boom");
    }
    expect(await statuses()).toEqual(before);
    const rules = await listBulkRules(database, datasetId);
    expect(rules.map((r) => r.name)).not.toContain("boom");
  });
});
