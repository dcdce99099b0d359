import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { afterEach, describe, expect, it } from "vitest";
import { expectRecordCountsFresh } from "@/db/faults/helpers";
import { recordViewSchema } from "@/lib/review/filter";
import { type Database, migrationsFolder, openDatabase } from "./client";
import { importFile } from "./import-file";
import { reviewerStats } from "./queries/audit";
import { listTablePage, tableSummary } from "./queries/table";
import { ENGINES, type Engine } from "./testing";

/**
 * Upgrading a database that holds reviewed records: migrations up to 0010 (review state on
 * `records`), records decided the old way, then the rest — 0011 moves the review state to
 * `record_state` and nothing is lost.
 */

const MIGRATIONS = migrationsFolder();

/** A project root whose db/migrations holds the migrations up to and including `lastTag`. */
function migrationsUpTo(lastTag: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "pairsift-migrations-"));
  const dir = path.join(root, "db", "migrations");
  fs.mkdirSync(path.join(dir, "meta"), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, "meta", "_journal.json"), "utf8")) as {
    entries: { tag: string }[];
  };
  const upTo = journal.entries.findIndex((e) => e.tag === lastTag);
  if (upTo < 0) throw new Error(`no migration ${lastTag}`);
  journal.entries = journal.entries.slice(0, upTo + 1);
  fs.writeFileSync(path.join(dir, "meta", "_journal.json"), JSON.stringify(journal));
  for (const e of journal.entries)
    fs.copyFileSync(path.join(MIGRATIONS, `${e.tag}.sql`), path.join(dir, `${e.tag}.sql`));
  return root;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  delete process.env.PAIRSIFT_ROOT;
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Opens the same database again and again: a PGlite directory, or a PostgreSQL database of its own. */
async function reopener(engine: Engine): Promise<() => Promise<Database>> {
  if (engine === "pglite") {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairsift-upgrade-"));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    return () => openDatabase({ kind: "pglite", dataDir: dir });
  }
  const url = process.env.DATABASE_URL!;
  const name = `pairsift_upgrade_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const a = postgres(url, { max: 1, onnotice: () => {} });
    await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await a.end();
  });
  const u = new URL(url);
  u.pathname = `/${name}`;
  return () => openDatabase({ kind: "postgres", url: u.toString(), max: 2 });
}

describe.each(ENGINES)("upgrade on %s", (engine) => {
  it("0011 moves every record's review state to record_state, 0012 derives reviewers' activity; counts stay exact", async () => {
    const open = await reopener(engine);
    const old = migrationsUpTo("0010_flags_best");
    cleanups.push(() => fs.rmSync(old, { recursive: true, force: true }));

    process.env.PAIRSIFT_ROOT = old;
    let db = await open();
    const { datasetId } = await importFile(db, {
      path: "test/fixtures/real/zh_t2ranking_100.jsonl",
      dataset: "t",
    });
    // Decided the way 0010's schema stored it: on the records row (its counts trigger keeps record_counts).
    await db.raw.query(
      `UPDATE records SET status = CASE WHEN id % 3 = 0 THEN 'accepted' ELSE 'rejected' END,
              version = 1 + (id % 4)::int, last_decision_at = '2026-11-02T10:00:00Z'::timestamptz + id * interval '1 s',
              last_decision_by = CASE WHEN id % 2 = 0 THEN 'ana' ELSE 'bo' END
        WHERE dataset_id = $1 AND id % 5 <> 0`,
      [datasetId],
    );
    // Decisions logged before 0012: their reviewers' activity is derived once by the migration.
    await db.raw.query(
      `INSERT INTO decisions (dataset_id, record_id, actor, action, created_at)
       SELECT $1, id, CASE WHEN id % 2 = 0 THEN 'ana' ELSE 'bo' END, 'accept',
              '2026-11-02T10:00:00Z'::timestamptz + (id % 7) * interval '1 min'
         FROM records WHERE dataset_id = $1 AND id % 5 <> 0`,
      [datasetId],
    );
    const before = await db.raw.query<Record<string, unknown>>(
      `SELECT id, status, version, last_decision_at::text AS at, last_decision_by AS by
         FROM records WHERE dataset_id = $1 ORDER BY id`,
      [datasetId],
    );
    await db.close();

    delete process.env.PAIRSIFT_ROOT;
    db = await open();
    cleanups.push(() => db.close());
    const after = await db.raw.query<Record<string, unknown>>(
      `SELECT record_id AS id, status, version, last_decision_at::text AS at, last_decision_by AS by
         FROM record_state WHERE dataset_id = $1 ORDER BY record_id`,
      [datasetId],
    );
    expect(after).toEqual(before);
    expect(before.filter((r) => r.status === "pending")).toHaveLength(20);
    await expectRecordCountsFresh(db);

    // The review table reads the moved state: filters, the reviewer sort's index, the counts.
    const accepted = recordViewSchema.parse({ status: ["accepted"], reviewer: ["ana"], sort: "decided" });
    const page = await listTablePage(db, { datasetId, view: accepted, limit: 100 });
    const expected = before.filter((r) => r.status === "accepted" && r.by === "ana").map((r) => Number(r.id));
    expect(page.rows.map((r) => r.id)).toEqual(expected);
    expect((await tableSummary(db, datasetId, accepted)).matching).toBe(expected.length);

    const activity = await reviewerStats(db, datasetId);
    expect(activity.map((r) => [r.actor, r.decisions, r.undos, r.records, r.activeSeconds])).toEqual([
      ["ana", 40, 0, 40, 360],
      ["bo", 40, 0, 40, 360],
    ]);

    // New records get a pending state of their own; deleting the data set removes every state.
    const next = await importFile(db, { path: "test/fixtures/real/zh_t2ranking_100.jsonl", dataset: "u" });
    const [fresh] = await db.raw.query<{ n: number; pending: number }>(
      "SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'pending' AND version = 1)::int AS pending FROM record_state WHERE dataset_id = $1",
      [next.datasetId],
    );
    expect(fresh).toEqual({ n: 100, pending: 100 });
    await db.raw.query("DELETE FROM datasets WHERE id = $1", [datasetId]);
    const [left] = await db.raw.query<{ n: number }>("SELECT count(*)::int AS n FROM record_state");
    expect(left!.n).toBe(100);
    await expectRecordCountsFresh(db);
  });
});
