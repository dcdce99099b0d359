import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "../client";
import { importFile } from "../import-file";
import { ENGINES, openTestDatabase } from "../testing";
import { listDatasets } from "./datasets";
import { copyField } from "./import";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const T2 = path.join(ROOT, "test/fixtures/real/zh_t2ranking_100.jsonl");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pairsift-import-test-"));

/** Negatives per line of a FlagEmbedding file, counted without the parser. */
function countNegatives(file: string): number {
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .reduce((n, l) => n + (JSON.parse(l).neg as unknown[]).length, 0);
}

function writeLines(name: string, lines: string[]): string {
  const f = path.join(tmp, name);
  fs.writeFileSync(f, `${lines.join("\n")}\n`);
  return f;
}

function flagLine(i: number, negs = 3): string {
  return JSON.stringify({
    query: `query number ${i}`,
    pos: [`positive passage ${i}\twith a tab, a backslash \\ and a newline\nin it`],
    neg: Array.from({ length: negs }, (_, k) => `negative ${k} of record ${i}`),
    prompt: "Retrieve passages that answer the question.",
  });
}

async function snapshot(database: Database, dataset: string) {
  const records = await database.raw.query<Record<string, unknown>>(
    `SELECT r.content_hash, r.task, r.task_family, r.language, r.query, r.positive, r.positive_score,
            r.extra_positives, r.params, r.meta, r.negative_count, r.source_line,
            (SELECT json_agg(json_build_array(n.position, n.text, n.teacher_score) ORDER BY n.position)
               FROM negatives n WHERE n.record_id = r.id) AS negs
       FROM records r JOIN datasets d ON d.id = r.dataset_id
      WHERE d.name = $1 ORDER BY r.content_hash`,
    [dataset],
  );
  return records;
}

const snapshots: Record<string, unknown[]> = {};

describe.each(ENGINES)("import on %s", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("loads zh_t2ranking_100.jsonl: 100 records with all their negatives", async () => {
    const s = await importFile(database, { path: T2, dataset: "t2" });
    expect(s).toMatchObject({
      state: "done",
      format: "flagembedding",
      loaded: 100,
      rejected: 0,
      duplicate: 0,
    });
    const [row] = await database.raw.query<{ n: number; negs: number; declared: number }>(
      `SELECT count(*)::int AS n, (SELECT count(*)::int FROM negatives) AS negs,
              sum(negative_count)::int AS declared FROM records`,
    );
    expect(row).toEqual({ n: 100, negs: countNegatives(T2), declared: countNegatives(T2) });
    snapshots[engine] = await snapshot(database, "t2");
  });

  it("re-importing the same file adds nothing", async () => {
    const s = await importFile(database, { path: T2, dataset: "t2" });
    expect(s).toMatchObject({ state: "done", loaded: 0, duplicate: 100 });
    const [row] = await database.raw.query<{ n: number }>("SELECT count(*)::int AS n FROM records");
    expect(row?.n).toBe(100);
    const ds = (await listDatasets(database)).find((d) => d.name === "t2");
    expect(ds).toMatchObject({ records: 100, languages: ["zh"], rejected: 0 });
  });

  it("reports malformed lines with their numbers and loads the rest; text survives COPY escaping", async () => {
    const file = writeLines("mixed.jsonl", [
      flagLine(1),
      "{not json",
      flagLine(2),
      JSON.stringify({ query: "q", pos: [""], neg: [] }),
      flagLine(3),
      JSON.stringify({ query: "nul", pos: ["a\u0000b"], neg: [] }),
      flagLine(2), // the same content twice in one file: stored once
    ]);
    const s = await importFile(database, { path: file, dataset: "mixed", batchSize: 2 });
    expect(s.state).toBe("done");
    expect(s.loaded).toBe(3);
    expect(s.duplicate).toBe(1);
    expect(s.errors.map((e) => e.line)).toEqual([2, 4, 6]);
    expect(s.errors[2]?.reason).toMatch(/NUL/);
    const rows = await database.raw.query<{ positive: string }>(
      "SELECT positive FROM records r JOIN datasets d ON d.id = r.dataset_id WHERE d.name = 'mixed' ORDER BY r.id",
    );
    expect(rows[0]?.positive).toBe("positive passage 1\twith a tab, a backslash \\ and a newline\nin it");
    const jobs = await database.raw.query<{ rows_rejected: number; errors: unknown[] }>(
      "SELECT rows_rejected, errors FROM import_jobs j JOIN datasets d ON d.id = j.dataset_id WHERE d.name = 'mixed'",
    );
    expect(jobs[0]?.rows_rejected).toBe(3);
    expect(jobs[0]?.errors).toHaveLength(3);
  });

  it("--strict loads nothing when a line is rejected", async () => {
    const file = writeLines("strict.jsonl", [flagLine(10), flagLine(11), "[1,2]"]);
    const s = await importFile(database, { path: file, dataset: "strict", strict: true });
    expect(s).toMatchObject({ state: "failed", loaded: 0, rejected: 1 });
    expect(s.errors[0]).toMatchObject({ line: 3 });
    const [row] = await database.raw.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM records r JOIN datasets d ON d.id = r.dataset_id WHERE d.name = 'strict'",
    );
    expect(row?.n).toBe(0);
  });

  it("an unknown format writes nothing and names the known formats", async () => {
    const file = writeLines("unknown.jsonl", [JSON.stringify({ foo: 1, bar: "x" })]);
    const err = await importFile(database, { path: file, dataset: "unknown-fmt" }).catch((e) => e);
    expect(String(err.message)).toMatch(/foo/);
    expect(String(err.message)).toMatch(/flagembedding/);
    expect((await listDatasets(database)).map((d) => d.name)).not.toContain("unknown-fmt");
  });

  it("a batch that fails is rolled back whole, the job says so, and a rerun completes", async () => {
    const file = writeLines("rollback.jsonl", [flagLine(20), flagLine(21), flagLine(22)]);
    // Sabotage the negatives table so the second COPY of the first batch fails after the first.
    await database.raw.query("ALTER TABLE negatives ADD CONSTRAINT sabotage CHECK (position < 2) NOT VALID");
    const err = await importFile(database, { path: file, dataset: "rollback" }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    const [row] = await database.raw.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM records r JOIN datasets d ON d.id = r.dataset_id WHERE d.name = 'rollback'",
    );
    expect(row?.n).toBe(0);
    const [job] = await database.raw.query<{ state: string }>(
      "SELECT state FROM import_jobs j JOIN datasets d ON d.id = j.dataset_id WHERE d.name = 'rollback'",
    );
    expect(job?.state).toBe("failed");
    await database.raw.query("ALTER TABLE negatives DROP CONSTRAINT sabotage");
    const s = await importFile(database, { path: file, dataset: "rollback" });
    expect(s).toMatchObject({ state: "done", loaded: 3 });
  });
});

describe("engines agree", () => {
  it("PGlite and PostgreSQL store identical records", () => {
    if (ENGINES.length < 2) return; // PostgreSQL only when DATABASE_URL is set (CI sets it)
    expect(snapshots.pglite).toHaveLength(100);
    expect(snapshots.postgres).toEqual(snapshots.pglite);
  });
});

describe("COPY text escaping", () => {
  it("escapes backslash, tab, newline and carriage return, and writes NULL", () => {
    expect(copyField("a\\b\tc\nd\re")).toBe("a\\\\b\\tc\\nd\\re");
    expect(copyField(undefined)).toBe("\\N");
    expect(copyField(Number.NaN)).toBe("\\N");
    expect(copyField(0.5)).toBe("0.5");
  });
});

describe("kill -9 in the middle of an import (PGlite data folder, the CLI)", () => {
  it("a rerun completes the data set with no duplicates and no half-written batch", async () => {
    const dataDir = path.join(tmp, "killdb");
    const lines = Array.from({ length: 6000 }, (_, i) => flagLine(i, 1 + (i % 5)));
    const file = writeLines("big.jsonl", lines);
    const expectedNegatives = lines.reduce((n, l) => n + (JSON.parse(l).neg as unknown[]).length, 0);
    const env = { ...process.env, PAIRSIFT_DATA_DIR: dataDir, DATABASE_URL: "" };
    const bin = path.join(ROOT, "bin/pairsift.mjs");

    const child = spawn(
      process.execPath,
      [bin, "import", file, "--dataset", "big", "--batch-size", "200", "--progress", "json"],
      { env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let killedAfter = -1;
    await new Promise<void>((resolve) => {
      let buf = "";
      child.stderr.on("data", (d: Buffer) => {
        buf += d.toString();
        const m = [...buf.matchAll(/"loaded":(\d+)/g)].pop();
        if (m && Number(m[1]) >= 1000 && killedAfter < 0) {
          killedAfter = Number(m[1]);
          child.kill("SIGKILL");
        }
      });
      child.on("exit", () => resolve());
    });
    expect(killedAfter).toBeGreaterThanOrEqual(1000);
    expect(killedAfter).toBeLessThan(6000);

    const rerun = spawn(process.execPath, [bin, "import", file, "--dataset", "big"], { env, stdio: "pipe" });
    let out = "";
    rerun.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => rerun.on("exit", resolve));
    expect(code).toBe(0);
    expect(out).toMatch(/already present/);

    const database = await openDatabase({ kind: "pglite", dataDir });
    try {
      const [row] = await database.raw.query<{
        n: number;
        distinct_hashes: number;
        negs: number;
        bad: number;
      }>(
        `SELECT count(*)::int AS n, count(DISTINCT content_hash)::int AS distinct_hashes,
                (SELECT count(*)::int FROM negatives) AS negs,
                (SELECT count(*)::int FROM records r WHERE r.negative_count <>
                   (SELECT count(*) FROM negatives n WHERE n.record_id = r.id)) AS bad
           FROM records`,
      );
      expect(row).toEqual({ n: 6000, distinct_hashes: 6000, negs: expectedNegatives, bad: 0 });
      const jobs = await database.raw.query<{ state: string }>("SELECT state FROM import_jobs ORDER BY id");
      expect(jobs.map((j) => j.state)).toEqual(["interrupted", "done"]);
    } finally {
      await database.close();
    }
  });
});
