import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../client";
import { importFile } from "../import-file";
import { ENGINES, openTestDatabase } from "../testing";
import { runDetection } from "./detect";
import { decide, getRecordForReview, ReviewRuleError, StaleVersionError } from "./review";

const EXPLAINED =
  "The Eiffel Tower is 330 metres tall and stands on the Champ de Mars in Paris. " +
  "This passage is relevant because it answers the query about the height of the tower.";

/** Ten FlagEmbedding records; each test works on its own record. */
function fixture(): string {
  const lines: string[] = [];
  for (let i = 0; i < 10; i++) {
    lines.push(
      JSON.stringify({
        query: `how tall is the eiffel tower ${i}`,
        pos: [
          i % 2 === 0 ? EXPLAINED : `The tower number ${i} is a wrought-iron lattice tower in Paris, France.`,
        ],
        neg: [
          `The Louvre museum ${i} holds the Mona Lisa and many other paintings.`,
          `Paris has thirty-seven bridges across the Seine, record ${i}.`,
          `Montmartre ${i} is a hill in the north of the city known for its artists.`,
        ],
        prompt: "Given a question, retrieve passages that answer it.",
      }),
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairsift-review-"));
  const file = path.join(dir, "review.jsonl");
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

describe.each(ENGINES)("review decisions on %s", (engine) => {
  let database: Database;
  let datasetId: number;
  let ids: number[];
  const actor = "tester";

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    datasetId = (await importFile(database, { path: fixture(), dataset: "review" })).datasetId;
    await runDetection(database, datasetId, { teacher: "none" });
    const rows = await database.raw.query<{ id: string | number }>(
      "SELECT id FROM records WHERE dataset_id = $1 ORDER BY id",
      [datasetId],
    );
    ids = rows.map((r) => Number(r.id));
  });
  afterAll(async () => {
    await database?.close();
  });

  const view = async (i: number) => (await getRecordForReview(database, datasetId, ids[i]!))!;
  const decisionRows = async (recordId: number) =>
    database.raw.query<{
      id: string | number;
      action: string;
      before: unknown;
      after: unknown;
      reason: string;
    }>("SELECT id, action, before, after, reason FROM decisions WHERE record_id = $1 ORDER BY id", [
      recordId,
    ]);

  it("loads a record with its negatives, current flags, history and neighbours", async () => {
    const v = await view(0);
    expect(v.dataset.name).toBe("review");
    expect(v.record).toMatchObject({ id: ids[0], version: 1, status: "pending" });
    expect(v.negatives.map((n) => [n.position, n.status])).toEqual([
      [0, "kept"],
      [1, "kept"],
      [2, "kept"],
    ]);
    const se = v.flags.find((f) => f.defect === "self_explanation");
    expect(se?.target).toBe("positive");
    const span = se!.evidence[0]!;
    expect(v.record.positive.slice(span.start, span.end)).toMatch(/^This passage is relevant/);
    expect(v.record.flagCount).toBe(v.flags.length);
    expect(v.decisions).toEqual([]);
    expect(v.undoableDecisionId).toBeNull();
    const flagged = await database.raw.query<{ id: string | number }>(
      "SELECT id FROM records WHERE dataset_id = $1 AND flag_count > 0 AND id > $2 ORDER BY id LIMIT 1",
      [datasetId, ids[0]],
    );
    expect(flagged.length).toBe(1);
    expect(v.nav).toEqual({ prevId: null, nextId: ids[1], nextFlaggedId: Number(flagged[0]!.id) });
    expect((await view(5)).nav).toMatchObject({ prevId: ids[4], nextId: ids[6] });
    expect(await getRecordForReview(database, datasetId + 1, ids[0]!)).toBeNull();
  });

  it("accept, then reject: status, version, last decision and an append-only log", async () => {
    const id = ids[1]!;
    const a = await decide(database, {
      datasetId,
      recordId: id,
      expectedVersion: 1,
      actor,
      action: { type: "accept" },
    });
    expect(a).toMatchObject({ version: 2, status: "accepted", redetected: false });
    const r = await decide(database, {
      datasetId,
      recordId: id,
      expectedVersion: 2,
      actor,
      action: { type: "reject", reason: "off-topic negatives" },
    });
    expect(r.status).toBe("rejected");
    const v = await getRecordForReview(database, datasetId, id);
    expect(v!.record).toMatchObject({ status: "rejected", version: 3, lastDecisionBy: actor });
    expect(v!.decisions.map((d) => [d.action, d.reason])).toEqual([
      ["reject", "off-topic negatives"],
      ["accept", "accepted"],
    ]);
    const rows = await decisionRows(id);
    expect(rows[0]!.before).toMatchObject({ status: "pending" });
    expect(rows[0]!.after).toMatchObject({ status: "accepted" });
    expect(rows[1]!.before).toMatchObject({ status: "accepted" });
  });

  it("drop_negative, mark_false_negative and swap_positive change the negatives", async () => {
    const id = ids[3]!;
    let version = 1;
    const run = async (action: Parameters<typeof decide>[1]["action"]) => {
      const res = await decide(database, {
        datasetId,
        recordId: id,
        expectedVersion: version,
        actor,
        action,
      });
      version = res.version;
      return res;
    };
    const before = await view(3);
    const d = await run({ type: "drop_negative", position: 0 });
    expect(d).toMatchObject({ status: "relabeled", redetected: true });
    await run({ type: "mark_false_negative", position: 1, mode: "promote" });
    await run({ type: "swap_positive", position: 2 });
    const v = await view(3);
    expect(v.negatives.map((n) => n.status)).toEqual(["dropped", "promoted", "kept"]);
    expect(v.record.positive).toBe(before.negatives[2]!.text);
    expect(v.negatives[2]!.text).toBe(before.record.positive);
    expect(v.record).toMatchObject({ status: "relabeled", version: 4 });
    await expect(run({ type: "drop_negative", position: 0 })).rejects.toThrow(ReviewRuleError);
    expect((await view(3)).record.version).toBe(4);
  });

  it("strip_span removes a flagged span and reruns the detectors on the record", async () => {
    const v = await view(4);
    const se = v.flags.find((f) => f.defect === "self_explanation")!;
    const span = se.evidence[0]!;
    const res = await decide(database, {
      datasetId,
      recordId: ids[4]!,
      expectedVersion: 1,
      actor,
      action: { type: "strip_span", field: "positive", start: span.start, end: span.end },
    });
    expect(res.redetected).toBe(true);
    const after = await view(4);
    expect(after.record.positive).toBe(
      "The Eiffel Tower is 330 metres tall and stands on the Champ de Mars in Paris.",
    );
    expect(after.flags.some((f) => f.defect === "self_explanation")).toBe(false);
    expect(after.record.flagCount).toBe(after.flags.length);
    // The replacement flags belong to the data set's current run.
    const [{ n } = { n: -1 }] = await database.raw.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM flags f JOIN datasets d ON d.id = f.dataset_id
        WHERE f.record_id = $1 AND f.run_id IS DISTINCT FROM d.flags_run_id`,
      [ids[4]],
    );
    expect(n).toBe(0);
  });

  it("edit_text and set_language relabel; an edit that adds a self-explanation is flagged", async () => {
    const id = ids[7]!;
    expect((await view(7)).flags.some((f) => f.defect === "self_explanation")).toBe(false);
    const e = await decide(database, {
      datasetId,
      recordId: id,
      expectedVersion: 1,
      actor,
      action: { type: "edit_text", field: "negative", position: 1, text: EXPLAINED },
    });
    expect(e.status).toBe("relabeled");
    const v = await view(7);
    expect(v.negatives[1]!.text).toBe(EXPLAINED);
    const se = v.flags.find((f) => f.defect === "self_explanation" && f.target === "negative");
    expect(se?.negativeIndex).toBe(1);
    expect(se?.evidence[0]?.negativeIndex).toBe(1);
    await decide(database, {
      datasetId,
      recordId: id,
      expectedVersion: 2,
      actor,
      action: { type: "set_language", language: "fr" },
    });
    expect((await view(7)).record.language).toBe("fr");
  });

  it("undo restores the before snapshot in stack order, flags included, and is itself logged", async () => {
    const id = ids[6]!;
    const v0 = await view(6);
    const span = v0.flags.find((f) => f.defect === "self_explanation")!.evidence[0]!;
    const d1 = await decide(database, {
      datasetId,
      recordId: id,
      expectedVersion: 1,
      actor,
      action: { type: "strip_span", field: "positive", start: span.start, end: span.end },
    });
    const d2 = await decide(database, {
      datasetId,
      recordId: id,
      expectedVersion: 2,
      actor,
      action: { type: "accept" },
    });
    // Only the latest decision can be undone.
    await expect(
      decide(database, {
        datasetId,
        recordId: id,
        expectedVersion: 3,
        actor,
        action: { type: "undo", decisionId: d1.decisionId },
      }),
    ).rejects.toThrow(ReviewRuleError);
    expect((await view(6)).undoableDecisionId).toBe(d2.decisionId);
    const u2 = await decide(database, {
      datasetId,
      recordId: id,
      expectedVersion: 3,
      actor,
      action: { type: "undo", decisionId: d2.decisionId },
    });
    expect(u2.status).toBe("relabeled");
    const mid = await view(6);
    expect(mid.undoableDecisionId).toBe(d1.decisionId);
    expect(mid.decisions[1]).toMatchObject({ id: d2.decisionId, undone: true });
    const u1 = await decide(database, {
      datasetId,
      recordId: id,
      expectedVersion: 4,
      actor,
      action: { type: "undo", decisionId: d1.decisionId },
    });
    expect(u1).toMatchObject({ status: "pending", version: 5, redetected: true });
    const back = await view(6);
    expect(back.record.positive).toBe(v0.record.positive);
    expect(back.record.status).toBe("pending");
    expect(back.flags.map((f) => f.defect).sort()).toEqual(v0.flags.map((f) => f.defect).sort());
    expect(back.undoableDecisionId).toBeNull();
    expect(back.decisions.map((d) => d.action)).toEqual(["undo", "undo", "accept", "strip_span"]);
  });

  it("refuses a stale version and changes nothing", async () => {
    const id = ids[8]!;
    await decide(database, {
      datasetId,
      recordId: id,
      expectedVersion: 1,
      actor,
      action: { type: "accept" },
    });
    const before = await view(8);
    const err = await decide(database, {
      datasetId,
      recordId: id,
      expectedVersion: 1,
      actor,
      action: { type: "drop_negative", position: 0 },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StaleVersionError);
    expect((err as StaleVersionError).fresh).toMatchObject({ version: 2, state: { status: "accepted" } });
    expect(await view(8)).toEqual(before);
  });

  it("two concurrent decisions on one record: exactly one is stored", async () => {
    const id = ids[9]!;
    const results = await Promise.allSettled([
      decide(database, {
        datasetId,
        recordId: id,
        expectedVersion: 1,
        actor: "alice",
        action: { type: "accept" },
      }),
      decide(database, {
        datasetId,
        recordId: id,
        expectedVersion: 1,
        actor: "bob",
        action: { type: "reject", reason: "bad" },
      }),
    ]);
    const ok = results.filter((r) => r.status === "fulfilled");
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.reason).toBeInstanceOf(StaleVersionError);
    const rows = await decisionRows(id);
    expect(rows).toHaveLength(1);
    const v = await view(9);
    expect(v.record.version).toBe(2);
    expect(v.record.status).toBe(rows[0]!.action === "accept" ? "accepted" : "rejected");
  });

  it("the decisions log is append-only: earlier rows never change", async () => {
    const id = ids[5]!;
    await decide(database, {
      datasetId,
      recordId: id,
      expectedVersion: 1,
      actor,
      action: { type: "accept" },
    });
    const first = await decisionRows(id);
    await decide(database, {
      datasetId,
      recordId: id,
      expectedVersion: 2,
      actor,
      action: { type: "undo", decisionId: Number(first[0]!.id) },
    });
    await decide(database, {
      datasetId,
      recordId: id,
      expectedVersion: 3,
      actor,
      action: { type: "reject", reason: "x" },
    });
    const all = await decisionRows(id);
    expect(all).toHaveLength(3);
    expect(all[0]).toEqual(first[0]);
    expect(all.map((r) => Number(r.id))).toEqual([...all.map((r) => Number(r.id))].sort((a, b) => a - b));
  });
});
