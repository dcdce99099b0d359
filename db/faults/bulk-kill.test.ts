/**
 * kill -9 of the process applying a bulk rule, in the middle of the rule's transaction: afterwards
 * the database holds all of the rule or none of it — here none, since it never committed: no
 * bulk_rules row, no decision of the rule, every record's status / version / negatives / flags as
 * before, record_counts equal to a fresh count. Then the same rule, applied normally, changes exactly
 * what the killed transaction had written (so the kill really did interrupt work).
 *
 * The child (bulk-child.ts) reports on stdout how far it got; the kill points are deterministic:
 * - PostgreSQL: (a) the whole rule written, the child holding the transaction open just before its
 *   last statement (server side: "idle in transaction" with an xid); (b) a statement in flight on the
 *   server, blocked half-way through a drop-flagged-negatives rule by a lock the test holds.
 * - PGlite, data folder in a temp dir: (a) and (b) paused in the child at the same points, and (c) the
 *   kill landing while the WASM engine executes the rule's big UPDATE (all-or-nothing either way).
 *   Reopening after the kill goes through the stale lock file (db/lock.ts) and PGlite's recovery.
 */
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bulkRuleSchema } from "@/lib/review/bulk";
import { type Database, openDatabase } from "../client";
import { importFile } from "../import-file";
import { applyBulkRule } from "../queries/bulk";
import { runDetection } from "../queries/detect";
import { openTestDatabase } from "../testing";
import {
  type DatasetSnapshot,
  expectRecordCountsFresh,
  generatedFile,
  killChildren,
  killHard,
  ROOT,
  removeTempDirs,
  snapshot,
  snapshotDiff,
  spawnTs,
  tempDir,
  waitFor,
} from "./helpers";

const CHILD = path.join(ROOT, "db/faults/bulk-child.ts");
const RECORDS = 2000;

const ACCEPT_ALL = { name: "accept everything", target: { filter: {} }, action: { type: "accept" } };
const DROP_FLAGGED = {
  name: "drop flagged negatives",
  target: { filter: {} },
  action: { type: "drop_flagged_negatives", defects: ["duplicate_negative", "false_negative"] },
};

let file: string;
beforeAll(() => {
  file = generatedFile(tempDir("data"), RECORDS);
});
afterAll(async () => {
  await killChildren();
  removeTempDirs();
});

async function loadDataset(database: Database): Promise<number> {
  const s = await importFile(database, { path: file, dataset: "fault" });
  expect(s.loaded).toBeGreaterThan(RECORDS * 0.95);
  await runDetection(database, s.datasetId, { teacher: "none", workers: 0 });
  return s.datasetId;
}

async function rulesNamed(database: Database, ruleId: number) {
  const [r] = await database.raw.query<{ rules: string | number; decisions: string | number }>(
    `SELECT (SELECT count(*) FROM bulk_rules WHERE id = $1) AS rules,
            (SELECT count(*) FROM decisions WHERE bulk_rule_id = $1) AS decisions`,
    [ruleId],
  );
  return { rules: Number(r!.rules), decisions: Number(r!.decisions) };
}

/** Nothing of the killed rule is stored; the same rule then applies normally (control). */
async function expectNothingApplied(
  database: Database,
  datasetId: number,
  before: DatasetSnapshot,
  ruleId: number,
  rule: unknown,
): Promise<number> {
  expect(await rulesNamed(database, ruleId)).toEqual({ rules: 0, decisions: 0 });
  expect(snapshotDiff(before, await snapshot(database, datasetId))).toEqual([]);
  await expectRecordCountsFresh(database);
  const control = await applyBulkRule(database, datasetId, bulkRuleSchema.parse(rule), "control");
  expect(control.changed).toBeGreaterThan(0);
  await expectRecordCountsFresh(database);
  return control.changed;
}

describe.skipIf(!process.env.DATABASE_URL)("kill -9 during a bulk rule on PostgreSQL", () => {
  let database: Database & { kind: "postgres" };
  let datasetId: number;

  beforeAll(async () => {
    database = (await openTestDatabase("postgres")) as typeof database;
    datasetId = await loadDataset(database);
  });
  afterAll(async () => {
    await killChildren();
    await database?.close();
  });

  it("killed with the whole rule written but not committed: none of it is stored", async () => {
    const before = await snapshot(database, datasetId);
    const child = spawnTs(CHILD, [
      JSON.stringify({
        open: { kind: "postgres", url: database.url, max: 2 },
        datasetId,
        rule: ACCEPT_ALL,
        pauseAt: "UPDATE bulk_rules",
      }),
    ]);
    const ruleId = Number(await child.line("RULE"));
    const written = JSON.parse(await child.line("PAUSED")) as { decisions: number; records: number };
    expect(written.decisions).toBeGreaterThan(RECORDS * 0.9);
    expect(written.records).toBe(written.decisions);
    // Server side: an open transaction that has written (it has an xid), waiting for its client.
    const backend = await waitFor("the child's open transaction", async () => {
      const [row] = await database.raw.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
            AND backend_xid IS NOT NULL AND state = 'idle in transaction'`,
      );
      return row;
    });
    expect(await killHard(child)).toEqual({ code: null, signal: "SIGKILL" });
    await waitFor("the killed client's backend to end", async () => {
      const rows = await database.raw.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [backend.pid]);
      return rows.length === 0;
    });
    const changed = await expectNothingApplied(database, datasetId, before, ruleId, ACCEPT_ALL);
    expect(changed).toBe(written.decisions);
  });

  it("killed while a statement of the rule runs on the server (blocked half-way): none of it is stored", async () => {
    const before = await snapshot(database, datasetId);
    // Hold a lock the rule's DELETE FROM flags needs: the rule stops there with its decisions
    // inserted and negatives dropped, inside the transaction.
    const locker = postgres(database.url, { max: 1, onnotice: () => {} });
    const held = await locker.reserve();
    try {
      await held`BEGIN`;
      await held`LOCK TABLE flags IN SHARE MODE`;
      const child = spawnTs(CHILD, [
        JSON.stringify({
          open: { kind: "postgres", url: database.url, max: 2 },
          datasetId,
          rule: DROP_FLAGGED,
        }),
      ]);
      const ruleId = Number(await child.line("RULE"));
      const backend = await waitFor("the rule to block on the flags lock", async () => {
        const [row] = await database.raw.query<{ pid: number; query: string }>(
          `SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
              AND backend_xid IS NOT NULL AND wait_event_type = 'Lock'`,
        );
        return row;
      });
      expect(backend.query).toMatch(/^DELETE FROM flags/);
      expect(await killHard(child)).toEqual({ code: null, signal: "SIGKILL" });
      // The server finds its client gone once the statement can go on: it must roll back, not commit.
      await held`ROLLBACK`;
      await waitFor(
        "the killed client's backend to end",
        async () => {
          const rows = await database.raw.query("SELECT 1 FROM pg_stat_activity WHERE pid = $1", [
            backend.pid,
          ]);
          return rows.length === 0;
        },
        20_000,
      );
      await expectNothingApplied(database, datasetId, before, ruleId, DROP_FLAGGED);
    } finally {
      await held`ROLLBACK`.catch(() => {});
      held.release();
      await locker.end({ timeout: 5 });
    }
  });
});

describe("kill -9 during a bulk rule on PGlite (data folder)", () => {
  let dataDir: string;
  let datasetId: number;
  let before: DatasetSnapshot;
  const open = () => openDatabase({ kind: "pglite", dataDir });

  beforeAll(async () => {
    dataDir = path.join(tempDir("pglite"), "db");
    const database = await open();
    try {
      datasetId = await loadDataset(database);
      before = await snapshot(database, datasetId);
    } finally {
      await database.close();
    }
  });
  afterAll(killChildren);

  /** Runs the child until `stop` says so, SIGKILLs it, and reopens the folder. */
  async function killChild(rule: unknown, pauseAt: string | undefined, stop: "PAUSED" | "RULE") {
    const child = spawnTs(CHILD, [
      JSON.stringify({ open: { kind: "pglite", dataDir }, datasetId, rule, pauseAt }),
    ]);
    const ruleId = Number(await child.line("RULE"));
    const at = stop === "PAUSED" ? await child.line("PAUSED") : "";
    expect(await killHard(child)).toEqual({ code: null, signal: "SIGKILL" });
    // The dead child's lock file is still there; the next opener takes it over as stale.
    const lock = JSON.parse(fs.readFileSync(path.join(dataDir, "pairsift.lock"), "utf8")) as { pid: number };
    expect(lock.pid).toBe(child.proc.pid);
    const database = await open();
    return {
      database,
      ruleId,
      written: at ? (JSON.parse(at) as { decisions: number; records: number }) : null,
    };
  }

  it("killed with the whole accept rule written but not committed: none of it after reopening", async () => {
    const { database, ruleId, written } = await killChild(ACCEPT_ALL, "UPDATE bulk_rules", "PAUSED");
    try {
      expect(written!.decisions).toBeGreaterThan(RECORDS * 0.9);
      expect(written!.records).toBe(written!.decisions);
      expect(await expectNothingApplied(database, datasetId, before, ruleId, ACCEPT_ALL)).toBe(
        written!.decisions,
      );
      before = await snapshot(database, datasetId);
    } finally {
      await database.close();
    }
  });

  it("killed half-way through dropping flagged negatives: none of it after reopening", async () => {
    const { database, ruleId, written } = await killChild(DROP_FLAGGED, "DELETE FROM flags", "PAUSED");
    try {
      expect(written!.decisions).toBeGreaterThan(0);
      expect(await expectNothingApplied(database, datasetId, before, ruleId, DROP_FLAGGED)).toBe(
        written!.decisions,
      );
      before = await snapshot(database, datasetId);
    } finally {
      await database.close();
    }
  });

  it("killed while the engine executes the rule: all of it or none of it after reopening", async () => {
    const reject = {
      name: "reject everything",
      target: { filter: {} },
      action: { type: "reject", reason: "fault test" },
    };
    const { database, ruleId } = await killChild(reject, undefined, "RULE");
    try {
      const stored = await rulesNamed(database, ruleId);
      const now = await snapshot(database, datasetId);
      await expectRecordCountsFresh(database);
      if (stored.rules === 0) {
        expect(stored.decisions).toBe(0);
        expect(snapshotDiff(before, now)).toEqual([]);
      } else {
        // Committed before the kill landed: every record rejected, one decision each, versions bumped.
        const [rule] = await database.raw.query<{ affected: number }>(
          "SELECT affected FROM bulk_rules WHERE id = $1",
          [ruleId],
        );
        expect(stored.decisions).toBe(rule!.affected);
        expect(stored.decisions).toBe(before.records.length);
        expect(now.records.every((r) => r.status === "rejected")).toBe(true);
        expect(now.records.map((r) => r.version)).toEqual(before.records.map((r) => r.version + 1));
      }
      console.info(
        `PGlite kill while running: rule ${stored.rules ? "committed (all)" : "rolled back (none)"}`,
      );
    } finally {
      await database.close();
    }
  });
});
