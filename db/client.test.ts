import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "./client";
import { openDatabase } from "./client";
import { DataDirLockedError } from "./lock";
import { ENGINES, openTestDatabase } from "./testing";

describe.each(ENGINES)("database on %s", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("applies the migrations (tables exist)", async () => {
    const rows = await database.raw.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    expect(rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(["datasets", "decisions", "flags", "import_jobs", "negatives", "records"]),
    );
  });

  it.runIf(engine === "postgres")(
    "connects with JIT compilation off (it costs the review queries)",
    async () => {
      const [row] = await database.raw.query<{ jit: string }>("SHOW jit");
      expect(row?.jit).toBe("off");
    },
  );

  it("COPY inside a transaction is rolled back with it", async () => {
    await database.raw.query("CREATE TABLE copy_probe (a text, b int)");
    await expect(
      database.rawTransaction(async (tx) => {
        await tx.copyIn("copy_probe", ["a", "b"], "x\\ty\t1\n");
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await database.raw.query("SELECT * FROM copy_probe")).toEqual([]);
    await database.rawTransaction((tx) => tx.copyIn("copy_probe", ["a", "b"], "x\\ty\t1\n\\N\t2\n"));
    const rows = await database.raw.query<{ a: string | null; b: number }>(
      "SELECT a, b FROM copy_probe ORDER BY b",
    );
    expect(rows).toEqual([
      { a: "x\ty", b: 1 },
      { a: null, b: 2 },
    ]);
  });
});

describe("PGlite data folder lock", () => {
  it("refuses a second opener with a message that says what to do", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairsift-lock-"));
    // A lock held by another live process (our parent) looks exactly like a running server.
    fs.writeFileSync(
      path.join(dir, "pairsift.lock"),
      JSON.stringify({ pid: process.ppid, command: "next start", since: "2026-01-01T00:00:00Z" }),
    );
    const err = await openDatabase({ kind: "pglite", dataDir: dir }).catch((e) => e);
    expect(err).toBeInstanceOf(DataDirLockedError);
    expect(String(err.message)).toMatch(/in use by another pairsift process \(pid \d+, next start/);
    expect(String(err.message)).toMatch(/DATABASE_URL/);
  });

  it("takes over a stale lock left by a dead process", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairsift-lock-"));
    fs.writeFileSync(path.join(dir, "pairsift.lock"), JSON.stringify({ pid: 2 ** 22 + 7 }));
    const database = await openDatabase({ kind: "pglite", dataDir: dir });
    const lock = JSON.parse(fs.readFileSync(path.join(dir, "pairsift.lock"), "utf8"));
    expect(lock.pid).toBe(process.pid);
    await database.close();
    expect(fs.existsSync(path.join(dir, "pairsift.lock"))).toBe(false);
  });
});
