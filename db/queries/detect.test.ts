import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../client";
import { importFile } from "../import-file";
import { bestFlagCheck, ENGINES, openTestDatabase } from "../testing";
import { refreshFlagSummary } from "./derived";
import { flagCounts, flagsForRecords, runDetection, setDetectorOptions } from "./detect";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const T2 = path.join(ROOT, "test/fixtures/real/zh_t2ranking_100.jsonl");

describe.each(ENGINES)("detection on %s", (engine) => {
  let database: Database;
  let datasetId: number;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    datasetId = (await importFile(database, { path: T2, dataset: "t2" })).datasetId;
  });
  afterAll(async () => {
    await database?.close();
  });

  it("flags the six t2ranking records whose negative equals a positive", async () => {
    const run = await runDetection(database, datasetId, { teacher: "none" });
    expect(run).toMatchObject({ state: "done", recordsDone: 100, recordsTotal: 100 });
    const rows = await database.raw.query<{ source_line: number }>(
      `SELECT DISTINCT r.source_line FROM flags f JOIN records r ON r.id = f.record_id
        WHERE f.defect = 'duplicate_negative' AND f.run_id = $1 AND f.evidence::text LIKE '%positive%'
        ORDER BY 1`,
      [run.id],
    );
    expect(rows.map((r) => r.source_line)).toEqual(expect.arrayContaining([10, 19, 47, 52, 82, 83]));
    // Each record's highest flag per defect is marked best (several records have more than one).
    const best = await bestFlagCheck(database, datasetId);
    expect(best.multi).toBeGreaterThan(0);
    expect(best.wrong).toBe(0);
    // The writers' refresh (review edits, bulk rules) derives the same marks from scratch.
    await database.raw.query("UPDATE flags SET best = NOT best WHERE dataset_id = $1", [datasetId]);
    expect((await bestFlagCheck(database, datasetId)).wrong).toBe(best.groups);
    await database.rawTransaction((tx) => refreshFlagSummary(tx, { datasetId, runId: run.id }));
    expect(await bestFlagCheck(database, datasetId)).toEqual(best);
    const counts = await flagCounts(database, datasetId);
    expect(counts.find((c) => c.defect === "duplicate_negative")?.records).toBeGreaterThanOrEqual(6);
    const [rec] = await database.raw.query<{ flag_count: number; id: number }>(
      "SELECT id, flag_count FROM records WHERE dataset_id = $1 AND source_line = 10",
      [datasetId],
    );
    expect(rec!.flag_count).toBeGreaterThan(0);
    const onPage = await flagsForRecords(database, datasetId, [Number(rec!.id)]);
    const dup = onPage.find((f) => f.defect === "duplicate_negative");
    expect(dup?.target).toBe("negative");
    expect(dup?.negative_index).not.toBeNull();
  });

  it("a run on worker threads stores the same flags as one in this thread", async () => {
    const stored = async (runId: number) =>
      database.raw.query<Record<string, unknown>>(
        `SELECT record_id, negative_id, defect, target, negative_index, score, evidence::text, detector
           FROM flags WHERE run_id = $1 ORDER BY record_id, defect, target, negative_index, evidence::text`,
        [runId],
      );
    const inProcess = await runDetection(database, datasetId, { teacher: "bm25", workers: 0 });
    const expected = await stored(inProcess.id);
    const pooled = await runDetection(database, datasetId, { teacher: "bm25", workers: 2 });
    expect(pooled).toMatchObject({ state: "done", recordsDone: 100, flags: inProcess.flags });
    expect(await stored(pooled.id)).toEqual(expected);
    await runDetection(database, datasetId, { teacher: "none" }); // as the next test expects
  });

  it("a rerun replaces the flags and never touches decisions", async () => {
    const [rec] = await database.raw.query<{ id: number }>(
      "SELECT id FROM records WHERE dataset_id = $1 ORDER BY id LIMIT 1",
      [datasetId],
    );
    await database.raw.query(
      "INSERT INTO decisions (dataset_id, record_id, actor, action) VALUES ($1, $2, 'alice', 'accept')",
      [datasetId, rec!.id],
    );
    const before = await database.raw.query<{ n: number }>("SELECT count(*)::int AS n FROM flags");
    const run = await runDetection(database, datasetId, { teacher: "none" });
    const after = await database.raw.query<{ n: number; runs: number }>(
      "SELECT count(*)::int AS n, count(DISTINCT run_id)::int AS runs FROM flags",
    );
    expect(after[0]).toEqual({ n: before[0]!.n, runs: 1 });
    const [cur] = await database.raw.query<{ flags_run_id: number }>(
      "SELECT flags_run_id FROM datasets WHERE id = $1",
      [datasetId],
    );
    expect(cur!.flags_run_id).toBe(run.id);
    const decisions = await database.raw.query<{ n: number }>("SELECT count(*)::int AS n FROM decisions");
    expect(decisions[0]!.n).toBe(1);
  });

  it("flags of a run that never finished are not shown, and the next run clears them", async () => {
    const [{ id: recId } = { id: 0 }] = await database.raw.query<{ id: number }>(
      "SELECT id FROM records WHERE dataset_id = $1 ORDER BY id LIMIT 1",
      [datasetId],
    );
    const shownBefore = (await flagsForRecords(database, datasetId, [Number(recId)])).length;
    await database.raw.query(
      `INSERT INTO flags (dataset_id, record_id, defect, target, score, detector, run_id)
       VALUES ($1, $2, 'query_leakage', 'positive', 1, 'query_leakage@1', 999999)`,
      [datasetId, recId],
    );
    expect((await flagsForRecords(database, datasetId, [Number(recId)])).length).toBe(shownBefore);
    await runDetection(database, datasetId, { teacher: "none" });
    const stale = await database.raw.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM flags WHERE run_id = 999999",
    );
    expect(stale[0]!.n).toBe(0);
  });

  it("thresholds stored per data set apply to the next run; invalid ones are refused", async () => {
    const before = await runDetection(database, datasetId, { teacher: "none" });
    await setDetectorOptions(database, datasetId, {
      duplicate_negative: { minSimilarity: 1 },
      query_leakage: {},
    });
    await expect(
      setDetectorOptions(database, datasetId, { duplicate_negative: { minSimilarity: 7 } }),
    ).rejects.toThrow();
    const [row] = await database.raw.query<{
      settings: { detectors: { duplicate_negative: { minSimilarity: number } } };
    }>("SELECT settings FROM datasets WHERE id = $1", [datasetId]);
    expect(row!.settings.detectors.duplicate_negative.minSimilarity).toBe(1);
    // Exact copies are still caught at similarity 1, so the six records stay flagged.
    const after = await runDetection(database, datasetId, { teacher: "none" });
    expect(after.state).toBe("done");
    expect(
      (await flagCounts(database, datasetId)).find((c) => c.defect === "duplicate_negative")?.records,
    ).toBeGreaterThanOrEqual(6);
    expect(after.flags).toBeLessThanOrEqual(before.flags);
    await setDetectorOptions(database, datasetId, { duplicate_negative: { minSimilarity: 0.9 } });
  });
});
