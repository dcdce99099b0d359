import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../client";
import { importFile } from "../import-file";
import { ENGINES, openTestDatabase } from "../testing";
import { auditCells, drawAuditSample, getAuditReport, getAuditSample, reviewerStats } from "./audit";
import { runDetection } from "./detect";
import { decide } from "./review";

const DEMO = path.join(process.cwd(), "demo", "e5_synthetic_generated.jsonl");

interface Rec {
  id: number;
  task: string | null;
  flag_count: number;
  defects: string[];
  negative_count: number;
  language: string | null;
}

describe.each(ENGINES)("audit queries on %s", (engine) => {
  let database: Database;
  let datasetId: number;
  let recs: Rec[];

  const q = <T>(text: string, params: unknown[] = []) => database.raw.query<T>(text, params);
  const decideAs = async (actor: string, id: number, action: Parameters<typeof decide>[1]["action"]) => {
    const [{ version }] = (await q<{ version: number }>(
      "SELECT version FROM record_state WHERE record_id = $1",
      [id],
    )) as [{ version: number }];
    return decide(database, { datasetId, recordId: id, expectedVersion: version, actor, action });
  };

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    datasetId = (await importFile(database, { path: DEMO, dataset: "audit" })).datasetId;
    await runDetection(database, datasetId, { teacher: "none" });
    recs = (
      await q<Rec & { id: string | number }>(
        "SELECT id, task, flag_count, defects, negative_count, language FROM records WHERE dataset_id = $1 ORDER BY id",
        [datasetId],
      )
    ).map((r) => ({ ...r, id: Number(r.id) }));
  });
  afterAll(async () => {
    await database?.close();
  });

  it("counts records, flagged records and defects per task, family and language", async () => {
    const report = (await getAuditReport(database, datasetId))!;
    expect(report.dataset.name).toBe("audit");
    expect(report.total.records).toBe(recs.length);
    const flagged = recs.filter((r) => r.flag_count > 0).length;
    expect(flagged).toBeGreaterThan(0);
    expect(report.total.flagged).toBe(flagged);
    for (const list of [report.byTask, report.byFamily, report.byLanguage]) {
      expect(list.reduce((s, r) => s + r.records, 0)).toBe(recs.length);
      expect(list.reduce((s, r) => s + r.flagged, 0)).toBe(flagged);
    }
    // Per task and defect, as counted from the current run's flags.
    const fromFlags = await q<{ task: string | null; defect: string; n: string | number }>(
      `SELECT r.task, f.defect, count(DISTINCT f.record_id) AS n
         FROM flags f JOIN datasets d ON d.id = f.dataset_id AND d.flags_run_id = f.run_id
         JOIN records r ON r.id = f.record_id WHERE f.dataset_id = $1 GROUP BY 1, 2`,
      [datasetId],
    );
    expect(fromFlags.length).toBeGreaterThan(3);
    for (const f of fromFlags) {
      const row = report.byTask.find((t) => t.key === f.task)!;
      expect(row.byDefect[f.defect]).toBe(Number(f.n));
    }
    for (const d of report.defects) {
      expect(d.records).toBe(recs.filter((r) => r.defects.includes(d.defect)).length);
    }
    const und = recs.filter((r) => r.language === null).length;
    if (und) expect(report.byLanguage.find((l) => l.key === "und")?.records).toBe(und);
    expect(report.total.status.pending).toBe(recs.length);
    expect(report.estimate).toEqual({ reviewed: null, samples: null });
  });

  it("reads review progress, detector precision and reviewers from the decisions", async () => {
    const flagged = recs.filter((r) => r.flag_count > 0 && r.negative_count > 0);
    const clean = recs.filter((r) => r.flag_count === 0);
    const [f1, f2, f3, f4] = flagged;
    await decideAs("ann", f1!.id, { type: "reject", reason: "bad" });
    await decideAs("ann", f2!.id, { type: "accept" });
    await decideAs("ann", f3!.id, { type: "drop_negative", position: 0 });
    const undone = await decideAs("bob", f4!.id, { type: "accept" });
    await decideAs("bob", f4!.id, { type: "undo", decisionId: undone.decisionId });
    await decideAs("bob", clean[0]!.id, { type: "accept" });
    const reviewers = await reviewerStats(database, datasetId);
    const b = reviewers.find((r) => r.actor === "bob")!;
    expect(b).toMatchObject({ decisions: 2, undos: 1, records: 2 });
    expect(b.activeSeconds).toBeLessThan(60);
    const a = reviewers.find((r) => r.actor === "ann")!;
    expect(a).toMatchObject({ decisions: 3, undos: 0, records: 3 });

    const report = (await getAuditReport(database, datasetId))!;
    expect(report.total.status).toMatchObject({ accepted: 2, rejected: 1, relabeled: 1 });
    // Precision over flagged records decided: f1 rejected, f3 relabeled confirm; f2 accepted (f4 undone).
    const f3After = (await q<Rec>("SELECT flag_count FROM records WHERE id = $1", [f3!.id]))[0]!;
    const confirmed = 1 + (f3After.flag_count > 0 ? 1 : 0);
    expect(report.total.precision).toMatchObject({ confirmed, accepted: 1 });
    const d1 = f1!.defects[0]!;
    const row = report.defects.find((d) => d.defect === d1)!;
    expect(row.confirmed).toBeGreaterThanOrEqual(1);
    const task = report.byTask.find((t) => t.key === f1!.task)!;
    expect(task.status.rejected).toBeGreaterThanOrEqual(1);
    expect(report.estimate.reviewed).not.toBeNull();
    expect(report.estimate.reviewed!.knownDefective).toBe(2);
  });

  it("keeps each reviewer's activity as decisions are written, equal to deriving it from all of them", async () => {
    const ids = recs.slice(0, 6).map((r) => r.id);
    const t0 = Date.parse("2025-03-01T09:00:00Z");
    const at = (sec: number) => new Date(t0 + sec * 1000).toISOString();
    /** One INSERT statement of decisions: [actor, record index, action, seconds after t0]. */
    const write = (rows: [string, number, string, number][]) =>
      q(
        `INSERT INTO decisions (dataset_id, record_id, actor, action, created_at)
         SELECT $1, r, a, x, t::timestamptz FROM unnest($2::bigint[], $3::text[], $4::text[], $5::text[]) AS u(r, a, x, t)`,
        [
          datasetId,
          rows.map((r) => ids[r[1]]!),
          rows.map((r) => r[0]),
          rows.map((r) => r[2]),
          rows.map((r) => at(r[3])),
        ],
      );
    // dan: 0 s, +10 min, a bulk statement of three at +15 min, +3 h (a break), an undo 20 s later.
    // eve: interleaved with dan, one statement holding two times 40 min apart (a break inside it).
    await write([["dan", 0, "accept", 0]]);
    await write([["eve", 1, "reject", 60]]);
    await write([["dan", 1, "reject", 600]]);
    await write([
      ["dan", 2, "accept", 900],
      ["dan", 3, "accept", 900],
      ["dan", 0, "accept", 900],
    ]);
    await write([
      ["eve", 2, "accept", 120],
      ["eve", 3, "accept", 120 + 2400],
    ]);
    await write([["dan", 4, "reject", 3 * 3600 + 900]]);
    await write([["dan", 4, "undo", 3 * 3600 + 920]]);

    const kept = (await reviewerStats(database, datasetId)).filter(
      (r) => r.actor === "dan" || r.actor === "eve",
    );
    const derived = await q<{
      actor: string;
      decisions: number;
      undos: number;
      records: number;
      active: number;
    }>(
      `SELECT actor, count(*) FILTER (WHERE action <> 'undo')::int AS decisions,
              count(*) FILTER (WHERE action = 'undo')::int AS undos, count(DISTINCT record_id)::int AS records,
              coalesce(sum(extract(epoch FROM gap)) FILTER (WHERE gap <= interval '30 minutes'), 0)::float8 AS active
         FROM (SELECT actor, action, record_id, created_at,
                      created_at - lag(created_at) OVER (PARTITION BY actor ORDER BY created_at, id) AS gap
                 FROM decisions WHERE dataset_id = $1 AND actor IN ('dan', 'eve')) d
        GROUP BY actor ORDER BY actor`,
      [datasetId],
    );
    expect(
      kept.map((r) => ({
        actor: r.actor,
        decisions: r.decisions,
        undos: r.undos,
        records: r.records,
        active: r.activeSeconds,
      })),
    ).toEqual(derived);
    // dan: 600 + 300 + 20 s; eve: 60 s (60 → 120; 120 → 2,520 is a break).
    expect(derived).toEqual([
      { actor: "dan", decisions: 6, undos: 1, records: 5, active: 920 },
      { actor: "eve", decisions: 3, undos: 0, records: 3, active: 60 },
    ]);
    const dan = kept.find((r) => r.actor === "dan")!;
    expect([dan.first.toISOString(), dan.last.toISOString()]).toEqual([at(0), at(3 * 3600 + 920)]);
    const report = (await getAuditReport(database, datasetId))!;
    expect(report.reviewers.find((r) => r.actor === "dan")!.perHour).toBeCloseTo((6 / 920) * 3600);
  });

  it("draws a stratified, seeded sample of pending records per task and tracks its progress", async () => {
    const pending = await q<{ task: string | null; n: string | number }>(
      `SELECT r.task, count(*) AS n FROM records r JOIN record_state s ON s.record_id = r.id
        WHERE r.dataset_id = $1 AND s.status = 'pending' GROUP BY 1`,
      [datasetId],
    );
    const expectedSize = pending.reduce((s, p) => s + Math.min(3, Number(p.n)), 0);
    const s1 = await drawAuditSample(database, { datasetId, perTask: 3, seed: 11, actor: "ann" });
    expect(s1).toMatchObject({ size: expectedSize, tasks: pending.length });
    const sample = (await getAuditSample(database, datasetId, s1.id))!;
    expect(sample).toMatchObject({ perTask: 3, seed: 11, actor: "ann" });
    expect(sample.recordIds).toHaveLength(expectedSize);
    const rows = await q<{ id: string | number; status: string; task: string | null }>(
      `SELECT r.id, s.status, r.task FROM records r JOIN record_state s ON s.record_id = r.id
        WHERE r.id = ANY($1::bigint[]) AND r.dataset_id = $2`,
      [sample.recordIds, datasetId],
    );
    expect(rows).toHaveLength(expectedSize);
    for (const r of rows) expect(r.status).toBe("pending");
    const perTask = new Map<string | null, number>();
    for (const r of rows) perTask.set(r.task, (perTask.get(r.task) ?? 0) + 1);
    for (const p of pending) expect(perTask.get(p.task)).toBe(Math.min(3, Number(p.n)));

    // Same seed, same pending records: the same sample. Another seed: another one.
    const s2 = await drawAuditSample(database, { datasetId, perTask: 3, seed: 11, actor: "ann" });
    expect((await getAuditSample(database, datasetId, s2.id))!.recordIds).toEqual(sample.recordIds);
    const s3 = await drawAuditSample(database, { datasetId, perTask: 3, seed: 12, actor: "ann" });
    expect((await getAuditSample(database, datasetId, s3.id))!.recordIds).not.toEqual(sample.recordIds);

    // Review two of the first sample's records: one rejected, one accepted.
    await decideAs("cat", sample.recordIds[0]!, { type: "reject", reason: "audit" });
    await decideAs("cat", sample.recordIds[1]!, { type: "accept" });
    const report = (await getAuditReport(database, datasetId))!;
    expect(report.samples.map((s) => s.id)).toEqual([s3.id, s2.id, s1.id]);
    const r1 = report.samples.find((s) => s.id === s1.id)!;
    expect(r1).toMatchObject({
      size: expectedSize,
      found: expectedSize,
      reviewed: 2,
      defective: 1,
      perTask: 3,
    });
    expect(r1.estimate).not.toBeNull();
    expect(r1.estimate!.low).toBeLessThanOrEqual(r1.estimate!.rate);
    expect(r1.estimate!.high).toBeGreaterThanOrEqual(r1.estimate!.rate);
    // s2 holds the same records; all samples together count each record once.
    expect(report.samples.find((s) => s.id === s2.id)!.reviewed).toBe(2);
    expect(report.estimate.samples!.observations).toBeGreaterThanOrEqual(2);

    expect(await getAuditSample(database, datasetId + 1, s1.id)).toBeNull();
    expect(await getAuditReport(database, datasetId + 1)).toBeNull();
    expect(await auditCells(database, datasetId + 1)).toEqual([]);
  });
});
