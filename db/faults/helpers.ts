/**
 * Shared pieces of the fault tests: temp folders and child processes that are always cleaned up,
 * a generated data set, a snapshot of a data set's review state, and the record_counts check.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { generateFlagEmbedding, toJson } from "@/bench/generate";
import type { Database } from "../client";

export const ROOT = path.resolve(import.meta.dirname, "..", "..");

// ───────────────────────────── temp folders ─────────────────────────────

const tempDirs = new Set<string>();

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `pairsift-fault-${prefix}-`));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs) {
    fs.rmSync(dir, { recursive: true, force: true });
    tempDirs.delete(dir);
  }
}

/** A FlagEmbedding file of `records` generated records (deterministic for the seed). */
export function generatedFile(dir: string, records: number, seed = 7): string {
  const file = path.join(dir, `generated-${records}-${seed}.jsonl`);
  const lines: string[] = [];
  for (const r of generateFlagEmbedding({ records, seed, maxNegatives: 4 })) lines.push(toJson(r));
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

// ───────────────────────────── child processes ─────────────────────────────

export interface Child {
  proc: ChildProcess;
  /** Everything it wrote to stdout / stderr so far. */
  out(): string;
  err(): string;
  /** Resolves with the first stdout line that starts with `prefix` (the rest of the line). */
  line(prefix: string, timeoutMs?: number): Promise<string>;
  /** Resolves when the process has exited (and was reaped). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();

/** Runs a TypeScript file of this repository in a child node process (tsx, the repository's tsconfig). */
export function spawnTs(script: string, args: string[]): Child {
  const proc = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: ROOT,
    env: { ...process.env, PAIRSIFT_ROOT: ROOT },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.add(proc);
  let out = "";
  let err = "";
  const waiters: (() => void)[] = [];
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  proc.stdout!.on("data", (b: Buffer) => {
    out += b.toString();
    wake();
  });
  proc.stderr!.on("data", (b: Buffer) => {
    err += b.toString();
  });
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on("exit", (code, signal) => {
      done = true;
      children.delete(proc);
      wake();
      resolve({ code, signal });
    });
  });
  const line = (prefix: string, timeoutMs = 45_000) =>
    new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "${prefix}" line from the child in ${timeoutMs} ms\n${out}\n${err}`)),
        timeoutMs,
      );
      const check = () => {
        const hit = out.split("\n").find((l, i, all) => l.startsWith(prefix) && i < all.length - 1);
        if (hit !== undefined) {
          clearTimeout(timer);
          resolve(hit.slice(prefix.length).trim());
        } else if (done) {
          clearTimeout(timer);
          reject(new Error(`the child exited without a "${prefix}" line\n${out}\n${err}`));
        } else {
          waiters.push(check);
        }
      };
      check();
    });
  return { proc, out: () => out, err: () => err, line, exited };
}

/** SIGKILL and wait for the exit; a no-op for a child that is gone already. */
export async function killHard(
  child: Child,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.proc.exitCode === null && child.proc.signalCode === null) child.proc.kill("SIGKILL");
  return child.exited;
}

/** Kills every child these helpers started that is still running (for afterAll). */
export async function killChildren(): Promise<void> {
  const waits: Promise<unknown>[] = [];
  for (const proc of children) {
    waits.push(new Promise((resolve) => proc.once("exit", resolve)));
    proc.kill("SIGKILL");
  }
  await Promise.all(waits);
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// ───────────────────────────── database state ─────────────────────────────

export interface RecordSnapshotRow {
  id: number;
  status: string;
  version: number;
  flag_count: number;
  last_decision_by: string | null;
  negatives: string;
  flags: number;
}

export interface DatasetSnapshot {
  records: RecordSnapshotRow[];
  decisions: number;
  bulkRules: number;
}

/** Each record's review state (status, version, negatives' statuses, flags) and the log sizes. */
export async function snapshot(database: Database, datasetId: number): Promise<DatasetSnapshot> {
  const rows = await database.raw.query<RecordSnapshotRow & { id: string | number; flags: string | number }>(
    `SELECT r.id, s.status, s.version, r.flag_count, s.last_decision_by,
            coalesce((SELECT string_agg(n.status, ',' ORDER BY n.position) FROM negatives n WHERE n.record_id = r.id), '') AS negatives,
            (SELECT count(*) FROM flags f WHERE f.record_id = r.id) AS flags
       FROM records r JOIN record_state s ON s.record_id = r.id WHERE r.dataset_id = $1 ORDER BY r.id`,
    [datasetId],
  );
  const [d] = await database.raw.query<{ decisions: string | number; rules: string | number }>(
    `SELECT (SELECT count(*) FROM decisions WHERE dataset_id = $1) AS decisions,
            (SELECT count(*) FROM bulk_rules WHERE dataset_id = $1) AS rules`,
    [datasetId],
  );
  return {
    records: rows.map((r) => ({ ...r, id: Number(r.id), flags: Number(r.flags) })),
    decisions: Number(d!.decisions),
    bulkRules: Number(d!.rules),
  };
}

/** Rows that differ between two snapshots (first 5), for a readable failure. */
export function snapshotDiff(a: DatasetSnapshot, b: DatasetSnapshot): unknown[] {
  const diffs: unknown[] = [];
  if (a.records.length !== b.records.length) diffs.push({ records: [a.records.length, b.records.length] });
  for (let i = 0; i < Math.min(a.records.length, b.records.length) && diffs.length < 5; i++) {
    if (JSON.stringify(a.records[i]) !== JSON.stringify(b.records[i]))
      diffs.push({ before: a.records[i], after: b.records[i] });
  }
  if (a.decisions !== b.decisions) diffs.push({ decisions: [a.decisions, b.decisions] });
  if (a.bulkRules !== b.bulkRules) diffs.push({ bulkRules: [a.bulkRules, b.bulkRules] });
  return diffs;
}

/**
 * record_counts (kept by triggers) equals a fresh count of records (as db/record-counts.test.ts), and every
 * record's state holds the record's own task, family, language, defects, flag count, score and margin.
 */
export async function expectRecordCountsFresh(database: Database): Promise<void> {
  const stale = await database.raw.query<{ id: string }>(
    `SELECT r.id::text AS id FROM records r LEFT JOIN record_state s ON s.record_id = r.id
      WHERE (r.dataset_id, r.task, r.task_family, r.language, r.defects, r.flag_count, r.max_flag_score, r.teacher_margin)
            IS DISTINCT FROM (s.dataset_id, s.task, s.task_family, s.language, s.defects, s.flag_count, s.max_flag_score,
                              s.teacher_margin)
      ORDER BY r.id LIMIT 5`,
  );
  expect(stale).toEqual([]);
  const [orphans] = await database.raw.query<{ n: string }>(
    "SELECT count(*)::text AS n FROM record_state s WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.id = s.record_id)",
  );
  expect(orphans?.n).toBe("0");
  const kept = await database.raw.query<{ k: string; n: string }>(
    `SELECT concat_ws('|', dataset_id, task, task_family, language, flagged, status, defects::text, last_decision_by) k, sum(n)::text n
       FROM record_counts GROUP BY 1 HAVING sum(n) <> 0 ORDER BY 1`,
  );
  const fresh = await database.raw.query<{ k: string; n: string }>(
    `SELECT concat_ws('|', r.dataset_id, r.task, r.task_family, r.language, r.flag_count > 0, s.status, r.defects::text,
                      s.last_decision_by) k,
            count(*)::text n
       FROM records r JOIN record_state s ON s.record_id = r.id GROUP BY 1 ORDER BY 1`,
  );
  expect(kept).toEqual(fresh);
}
