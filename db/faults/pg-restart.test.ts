/**
 * PostgreSQL restarts while the app runs: requests during the outage fail with errors the app
 * classifies as retryable (isRetryableDbError), a decision attempted then is not stored, and once the
 * server is back the SAME Database object (no reopen) serves queries and decisions again.
 *
 * Runs against a private server (initdb + pg_ctl in a temp folder, as the postgres user when we are
 * root, on a free port), never the shared one on 5432; skipped when the binaries are missing.
 */
import { execFileSync } from "node:child_process";
import { EventEmitter } from "node:events";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Database, isRetryableDbError, openDatabase, ping } from "../client";
import { importFile } from "../import-file";
import { decide, getRecordForReview, StaleVersionError } from "../queries/review";
import { ROOT, removeTempDirs, tempDir } from "./helpers";

const T2 = path.join(ROOT, "test/fixtures/real/zh_t2ranking_100.jsonl");

function findPgBin(): string | null {
  const base = "/usr/lib/postgresql";
  if (!fs.existsSync(base)) return null;
  const versions = fs
    .readdirSync(base)
    .filter((v) => fs.existsSync(path.join(base, v, "bin", "initdb")))
    .filter((v) => fs.existsSync(path.join(base, v, "bin", "pg_ctl")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], "bin") : null;
}

function findRunuser(): string | null {
  return ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].find((p) => fs.existsSync(p)) ?? null;
}

function hasPostgresUser(): boolean {
  try {
    return /^postgres:/m.test(fs.readFileSync("/etc/passwd", "utf8"));
  } catch {
    return false;
  }
}

const PG_BIN = findPgBin();
const IS_ROOT = process.getuid?.() === 0;
const RUNUSER = findRunuser();
const SKIP = !PG_BIN
  ? "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin"
  : IS_ROOT && !RUNUSER
    ? "running as root and runuser is missing (initdb refuses root)"
    : IS_ROOT && !hasPostgresUser()
      ? "running as root and there is no postgres user to run initdb as"
      : null;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** A throwaway PostgreSQL server: initdb'd into a temp folder, started and stopped with pg_ctl. */
class PrivateServer {
  readonly data: string;
  constructor(
    readonly dir: string,
    readonly port: number,
  ) {
    this.data = path.join(dir, "data");
  }
  get url() {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }
  private run(cmd: string, args: string[]): string {
    const argv = IS_ROOT ? [RUNUSER!, "-u", "postgres", "--", cmd, ...args] : [cmd, ...args];
    return execFileSync(argv[0]!, argv.slice(1), { stdio: "pipe", timeout: 60_000 }).toString();
  }
  init() {
    if (IS_ROOT) execFileSync("chown", ["postgres:", this.dir]);
    this.run(path.join(PG_BIN!, "initdb"), ["-D", this.data, "-A", "trust", "-U", "postgres", "-E", "UTF8"]);
  }
  start() {
    this.run(path.join(PG_BIN!, "pg_ctl"), [
      "-D",
      this.data,
      "-l",
      path.join(this.dir, "server.log"),
      "-w",
      "-t",
      "30",
      "-o",
      `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      "start",
    ]);
  }
  stop(mode: "immediate" | "fast") {
    this.run(path.join(PG_BIN!, "pg_ctl"), ["-D", this.data, "-m", mode, "-w", "-t", "30", "stop"]);
  }
  /** Stops it however it can (afterAll): pg_ctl, else SIGKILL the postmaster we started, by its pid. */
  destroy() {
    const pidFile = path.join(this.data, "postmaster.pid");
    if (!fs.existsSync(pidFile)) return;
    try {
      this.stop("immediate");
    } catch {
      const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
      if (pid > 0) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // gone already
        }
      }
    }
  }
  log(): string {
    try {
      return fs.readFileSync(path.join(this.dir, "server.log"), "utf8");
    } catch {
      return "";
    }
  }
}

const settle = <T>(p: Promise<T>) =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

describe("isRetryableDbError", () => {
  it("knows connection failures from other errors", () => {
    const err = (code: string) => Object.assign(new Error(code), { code });
    for (const code of [
      "ECONNREFUSED",
      "ECONNRESET",
      "CONNECTION_CLOSED",
      "57P01",
      "57P02",
      "57P03",
      "08006",
    ])
      expect(isRetryableDbError(err(code)), code).toBe(true);
    for (const code of ["42601", "23505", "40P01", "CONNECTION_ENDED", "ENOENT"])
      expect(isRetryableDbError(err(code)), code).toBe(false);
    expect(isRetryableDbError(new Error("x", { cause: err("ECONNREFUSED") }))).toBe(true);
    expect(isRetryableDbError(new AggregateError([err("ECONNREFUSED")]))).toBe(true);
    expect(isRetryableDbError(new StaleVersionError(1, { version: 2, state: {} as never }))).toBe(false);
    expect(isRetryableDbError(null)).toBe(false);
    expect(isRetryableDbError("ECONNREFUSED")).toBe(false);
  });
});

/**
 * Bytes postgres.js writes on each connection attempt, through fake sockets (its `socket` option): no
 * server. `killFirst`: the first socket closes while the driver's deferred startup write is pending.
 */
async function startupBytesPerAttempt(killFirst: boolean): Promise<number[]> {
  const written: number[] = [];
  const sql = postgres({
    host: "fake.invalid",
    max: 1,
    connect_timeout: 1,
    onnotice: () => {},
    socket: () => {
      const i = written.push(0) - 1;
      const s = Object.assign(new EventEmitter(), {
        readyState: "open",
        setKeepAlive() {},
        write(b: Buffer) {
          written[i]! += b.length;
          return true;
        },
        destroy() {
          s.readyState = "closed";
        },
        end() {
          s.readyState = "closed";
        },
      });
      // Queued before the driver's own setImmediate flush of the startup message: the close wins.
      if (killFirst && i === 0) setImmediate(() => s.emit("close", false));
      return s;
    },
  } as unknown as postgres.Options<Record<string, never>>);
  await sql`select 1`.catch(() => {});
  await sql.end({ timeout: 0 });
  return written;
}

describe("postgres.js 3.4.9 pool-slot poisoning (known driver defect)", () => {
  it("control: a connection attempt writes its startup message", async () => {
    expect((await startupBytesPerAttempt(false))[0]).toBeGreaterThan(0);
  });

  // The driver's close handler cancels a pending deferred write without resetting its timer handle,
  // so that connection never flushes again: every later connect of the slot sends nothing and fails
  // with CONNECT_TIMEOUT. Seen in the restart test below when a request hits a pooled socket the
  // server has just closed (about half the runs before the test waited for the closes). Expected to
  // fail until postgres.js is patched (LanternOps/breeze#3225 has the two-line patch); then drop .fails.
  it.fails("a reconnect after a close with a pending write sends its startup message", async () => {
    const written = await startupBytesPerAttempt(true);
    expect(written.length).toBeGreaterThanOrEqual(2);
    expect(written[1]).toBeGreaterThan(0);
  });
});

describe.skipIf(SKIP !== null)(
  `PostgreSQL restart while the app runs${SKIP ? ` (skipped: ${SKIP})` : ""}`,
  () => {
    let server: PrivateServer;
    let database: Database;
    let datasetId: number;
    let recordId: number;

    beforeAll(async () => {
      server = new PrivateServer(tempDir("pg"), await freePort());
      server.init();
      server.start();
      database = await openDatabase({ kind: "postgres", url: server.url, max: 3 });
      datasetId = (await importFile(database, { path: T2, dataset: "restart" })).datasetId;
      const [r] = await database.raw.query<{ id: string | number }>(
        "SELECT id FROM records WHERE dataset_id = $1 ORDER BY id LIMIT 1",
        [datasetId],
      );
      recordId = Number(r!.id);
    });
    afterAll(async () => {
      try {
        await database?.close();
      } finally {
        server?.destroy();
        removeTempDirs();
      }
    });

    const version = async () => (await getRecordForReview(database, datasetId, recordId))!.record.version;

    for (const mode of ["immediate", "fast"] as const) {
      it(`stop -m ${mode}: retryable errors meanwhile, the same client works again after the restart`, async () => {
        await ping(database);
        const v0 = await version();

        // A request in flight when the server goes down.
        const inflight = settle(database.raw.query("SELECT pg_sleep(30)"));
        const probe = await openDatabase({ kind: "postgres", url: server.url, max: 1 });
        try {
          for (let i = 0; ; i++) {
            const rows = await probe.raw.query(
              "SELECT 1 FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)'",
            );
            if (rows.length) break;
            if (i > 200) throw new Error("the in-flight query never showed up");
            await new Promise((r) => setTimeout(r, 25));
          }
        } finally {
          await probe.close();
        }
        server.stop(mode);
        const flight = await inflight;
        expect(flight.ok).toBe(false);
        const codes: unknown[] = [(flight as { error: { code?: unknown } }).error.code];
        expect(isRetryableDbError((flight as { error: unknown }).error), String(codes[0])).toBe(true);

        // Let the driver see every pooled socket closed before the next requests: one sent to a socket
        // the server already closed but the driver not yet can poison that pool slot (postgres.js
        // 3.4.9, see the known-defect test below), which would make recovery timing-dependent.
        await new Promise((r) => setTimeout(r, 200));
        // Requests while it is down: the drizzle path, the raw path, a decision, a transaction.
        const down = await Promise.all([
          settle(ping(database)),
          settle(database.raw.query("SELECT count(*) FROM records")),
          settle(getRecordForReview(database, datasetId, recordId)),
          settle(
            decide(database, {
              datasetId,
              recordId,
              expectedVersion: v0,
              actor: "ana",
              action: { type: "accept" },
            }),
          ),
          settle(database.rawTransaction((tx) => tx.query("SELECT 1"))),
        ]);
        for (const r of down) {
          expect(r.ok).toBe(false);
          const e = (r as { error: unknown }).error;
          codes.push(
            (e as { code?: unknown; cause?: { code?: unknown } }).code ??
              (e as { cause?: { code?: unknown } }).cause?.code,
          );
          expect(isRetryableDbError(e), String(e)).toBe(true);
        }
        console.info(`stop -m ${mode}: error codes ${JSON.stringify(codes)}`);

        server.start();
        // The same object, not reopened. One round of 3 concurrent requests reconnects every pool slot
        // (max 3). After a fast shutdown the slot whose query was in flight fails its first request
        // with the stale 57P01 the server sent before closing (postgres.js 3.4.9 keeps that error
        // across the reconnect: a second driver defect) — retryable, and only once.
        const round1 = await Promise.all([1, 2, 3].map(() => settle(database.raw.query("SELECT 1"))));
        const spurious = round1.filter((r) => !r.ok).map((r) => (r as { error: unknown }).error);
        for (const e of spurious) expect(isRetryableDbError(e), String(e)).toBe(true);
        expect(spurious.map((e) => (e as { code?: string }).code)).toEqual(mode === "fast" ? ["57P01"] : []);
        const round2 = await Promise.all([1, 2, 3].map(() => settle(database.raw.query("SELECT 1"))));
        expect(round2.every((r) => r.ok)).toBe(true);
        await ping(database);
        expect(await version()).toBe(v0); // the decision tried during the outage was not stored
        const stored = await decide(database, {
          datasetId,
          recordId,
          expectedVersion: v0,
          actor: "ana",
          action: mode === "fast" ? { type: "reject", reason: "after restart" } : { type: "accept" },
        });
        expect(stored.version).toBe(v0 + 1);
        expect(await version()).toBe(v0 + 1);
        const [n] = await database.raw.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM decisions WHERE record_id = $1",
          [recordId],
        );
        expect(n!.n).toBe(v0);
        // Ordinary SQL errors are not retryable.
        const syntax = await settle(database.raw.query("SELEC 1"));
        expect(syntax.ok).toBe(false);
        expect(isRetryableDbError((syntax as { error: unknown }).error)).toBe(false);
      }, 45_000);
    }

    it("the server log shows both shutdowns", () => {
      const log = server.log();
      expect(log.match(/received immediate shutdown request/g)).toHaveLength(1);
      expect(log.match(/received fast shutdown request/g)).toHaveLength(1);
      expect(log.match(/database system is ready to accept connections/g)).toHaveLength(3);
    });
  },
);
