/**
 * `npm run load` — concurrent reviewers against the built web app on PostgreSQL (loopback only).
 *
 *   npm run load                                          # 50 reviewers, 60 s, 5 000 records
 *   npm run load -- --reviewers 10 --duration 10          # a smoke run
 *   tsx load/run.ts [--duration 60] [--reviewers 50] [--records 5000] [--hot 100] [--hot-share 0.1]
 *
 * 1. Creates a fresh database (DATABASE_URL, else postgres://postgres@127.0.0.1:5432/postgres, is the
 *    admin connection; name pairsift_load_<timestamp>), imports a seeded generated data set
 *    (bench/generate.ts), runs the detectors (so the defect filter has flags), creates an admin and
 *    the reviewers (reviewer role on the data set).
 * 2. Starts the built app (`next start`; builds first when .next/BUILD_ID is missing) on a free
 *    loopback port with sign-in on, and signs every reviewer in over HTTP (session cookie each).
 * 3. --reviewers reviewers for --duration seconds — each on its own, pausing --think-ms on average
 *    after every response (arriving over the first --ramp seconds); or, with --think-ms 0 or --rate,
 *    autocannon with one connection per reviewer, without pauses — each looping: the review table
 *    (pending / a defect / sorted by score / a search), then three times a record page and a decision
 *    on it (POST /api/datasets/:id/records/:recordId/decisions). Each reviewer works its own slice of
 *    the records; --hot-share of the decisions go to a shared hot set of --hot records, with the
 *    version the reviewer last saw, so reviewers contend: 409 "stale" is the expected refusal, not an
 *    error. Errors: any other non-2xx, a timeout (--timeout s), a socket error.
 * 4. Stops the server (SIGKILL), then checks the database: every decision the client saw stored (200)
 *    is in the decisions table (per record and reviewer), none doubled, every record's version is
 *    1 + its decisions, record_counts (kept by triggers) equals a recount, no deadlocks.
 * 5. Prints latency p50/p95/p99/max per request type (measured here: autocannon has no p95), req/s,
 *    errors by kind, machine load; writes load/results/<date>-postgres.json (other sizes:
 *    <date>-postgres-<reviewers>x<duration>s.json). Exit 1 on any error or lost/doubled decision
 *    (p95 over the 250 ms target is reported, not a failure). The database is always dropped and the
 *    server always killed (also on Ctrl-C and errors).
 *
 * Why setupClient and not autocannon's per-connection `context`: autocannon resets the context to
 * `initialContext` each time a connection wraps around its request list, so a reviewer stored there
 * would not stick. setupClient runs once per connection; it binds the connection to its reviewer
 * with `client.setRequests` (closures over the reviewer's state), which lasts for the whole run.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import autocannon, {
  type AutocannonClient,
  type AutocannonInstance,
  type AutocannonRequest,
} from "autocannon";
import postgres from "postgres";
import { generateFlagEmbedding, toJson } from "@/bench/generate";
import { type Database, openDatabase } from "@/db/client";
import { importFile } from "@/db/import-file";
import { runDetection } from "@/db/queries/detect";
import { createUser, setMembership } from "@/db/queries/users";
import { mulberry32 } from "@/lib/audit/prng";

const ROOT = path.resolve(import.meta.dirname, "..");
// Migrations (db/client.ts) and detector workers are found under PAIRSIFT_ROOT: this checkout.
process.env.PAIRSIFT_ROOT = ROOT;

const { values: args } = parseArgs({
  options: {
    duration: { type: "string", default: "60" },
    reviewers: { type: "string", default: "50" },
    records: { type: "string", default: "5000" },
    seed: { type: "string", default: "42" },
    hot: { type: "string", default: "100" },
    "hot-share": { type: "string", default: "0.1" },
    timeout: { type: "string", default: "10" },
    rate: { type: "string", default: "0" },
    "think-ms": { type: "string", default: "2000" },
    ramp: { type: "string", default: "10" },
    "p95-target": { type: "string", default: "250" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (args.help) {
  console.log(`Usage: tsx load/run.ts [options]   (npm run load -- [options])
  --duration S      seconds of load (default 60)
  --reviewers N     concurrent reviewers, one connection each (default 50)
  --records N       records in the generated data set (default 5000)
  --seed N          generator and reviewer seed (default 42)
  --hot N           records in the shared hot set (default 100)
  --hot-share F     share of decisions that go to the hot set (default 0.1)
  --timeout S       per-request timeout, seconds (default 10)
  --rate N          requests per second over all reviewers, through autocannon's loop (default 0: no
                    rate; a reviewer reading each record needs seconds per decision, e.g. --rate 25 =
                    one request every 2 s per reviewer at 50)
  --think-ms MS     each reviewer pauses a random time (exponential, mean MS) after every response
                    before its next request, as a person reading does (default 2000; 0: autocannon's
                    loop, every reviewer sending its next request the moment the last one answers — a
                    saturation test). Unlike --rate, whose per-connection limit resets on one-second
                    ticks that every connection shares (and which caps connections at the rate), the
                    pauses are independent, so requests do not arrive in bursts.
  --ramp S          with --think-ms: reviewers start at random times over the first S seconds (default 10)
  --p95-target MS   reported target for p95 (default 250; not a failure)
PostgreSQL: DATABASE_URL if set, else postgres://postgres@127.0.0.1:5432/postgres (admin connection;
a fresh database is created and dropped).`);
  process.exit(0);
}

function intArg(name: keyof typeof args, min: number): number {
  const v = Number(args[name]);
  if (!Number.isInteger(v) || v < min) {
    console.error(`--${name} must be an integer ≥ ${min}`);
    process.exit(2);
  }
  return v;
}
const DURATION = intArg("duration", 1);
const REVIEWERS = intArg("reviewers", 1);
const RECORDS = intArg("records", 10);
const SEED = intArg("seed", 0);
const HOT = intArg("hot", 0);
const TIMEOUT_S = intArg("timeout", 1);
const RATE = intArg("rate", 0);
const THINK_MS = intArg("think-ms", 0);
const RAMP_S = intArg("ramp", 0);
/** Paced reviewers (think time) unless --rate or --think-ms 0 asks for autocannon's loop. */
const PACED = THINK_MS > 0 && RATE === 0;
const HOT_SHARE = Number(args["hot-share"]);
const P95_TARGET = Number(args["p95-target"]);
if (!(HOT_SHARE >= 0 && HOT_SHARE <= 1)) {
  console.error("--hot-share must be between 0 and 1");
  process.exit(2);
}
if (REVIEWERS > 1000 || DURATION > 3600) {
  console.error("--reviewers is capped at 1000 and --duration at 3600 s");
  process.exit(2);
}

const PASSWORD = "load-test-password";
const ADMIN_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/postgres";
const NEXT_BIN = path.join(ROOT, "node_modules", "next", "dist", "bin", "next");
const SEARCH_TERMS = ["warranty", "refund", "password", "recipe"];
const DEFECT_FILTERS = ["self_explanation", "query_leakage", "length_mismatch", "duplicate_negative"];
const CYCLE = 7; // table, then (record page, decision) × 3

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const log = (msg: string) => console.error(`[load ${new Date().toISOString().slice(11, 19)}] ${msg}`);

// ───────────────────────────── cleanup: always kill the server and drop the database ─────────────

const cleanups: { name: string; fn: () => Promise<void> }[] = [];
let cleaning: Promise<void> | null = null;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c.fn();
      } catch (e) {
        console.error(`cleanup (${c.name}) failed: ${(e as Error).message}`);
      }
    }
  })();
  return cleaning;
}
let instance: AutocannonInstance | null = null;
let interrupted = false;
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(sig, () => {
    // Ctrl-C reaches this process twice (the terminal's signal, relayed again by tsx): once is enough.
    if (interrupted) return;
    interrupted = true;
    log(`${sig}: stopping, killing the server and dropping the database`);
    instance?.stop();
    void cleanup().finally(() => process.exit(130));
  });
}

// A driver error thrown outside any await (e.g. a connection the final DROP … WITH (FORCE) cut
// while setup was using it): clean up all the same.
process.on("uncaughtException", (e) => {
  if (!interrupted) console.error(`load run failed: ${e.stack ?? e}`);
  interrupted = true;
  instance?.stop();
  void cleanup().finally(() => process.exit(1));
});

// ───────────────────────────── setup: database, data set, users ─────────────────────────────

async function writeDataFile(dir: string): Promise<string> {
  const file = path.join(dir, `flagembedding-${RECORDS}-seed${SEED}.jsonl`);
  await pipeline(
    (async function* () {
      let buf = "";
      for (const r of generateFlagEmbedding({ records: RECORDS, seed: SEED })) {
        buf += `${toJson(r)}\n`;
        if (buf.length > 1 << 20) {
          yield buf;
          buf = "";
        }
      }
      if (buf) yield buf;
    })(),
    fs.createWriteStream(file),
  );
  return file;
}

interface Setup {
  datasetId: number;
  recordIds: number[];
  emails: string[];
}

async function setUp(dbUrl: string, tmp: string): Promise<Setup> {
  const database: Database = await openDatabase({ kind: "postgres", url: dbUrl });
  try {
    const file = await writeDataFile(tmp);
    let t0 = performance.now();
    const s = await importFile(database, { path: file, dataset: "load", batchSize: 1000 });
    if (s.state !== "done") throw new Error(`import did not finish: ${JSON.stringify(s)}`);
    log(`imported ${s.loaded} records (${s.duplicate} duplicate, ${s.rejected} rejected) in ${sec(t0)}`);
    const [ds] = await database.raw.query<{ id: number }>("SELECT id FROM datasets WHERE name = 'load'");
    const datasetId = ds!.id;
    t0 = performance.now();
    await runDetection(database, datasetId, { teacher: "none", workers: 0 });
    await database.raw.query("ANALYZE");
    log(`detectors ran in ${sec(t0)}`);
    t0 = performance.now();
    await createUser(database, { email: "admin@load.test", name: "Load admin", password: PASSWORD });
    const emails = Array.from(
      { length: REVIEWERS },
      (_, i) => `reviewer${String(i + 1).padStart(3, "0")}@load.test`,
    );
    for (let i = 0; i < emails.length; i += 8) {
      await Promise.all(
        emails.slice(i, i + 8).map(async (email, j) => {
          await createUser(database, {
            email,
            name: `Reviewer ${i + j + 1}`,
            password: PASSWORD,
            role: "member",
          });
          await setMembership(database, datasetId, email, "reviewer");
        }),
      );
    }
    log(`created 1 admin and ${emails.length} reviewers in ${sec(t0)}`);
    const rows = await database.raw.query<{ id: string | number; version: number }>(
      "SELECT record_id AS id, version FROM record_state WHERE dataset_id = $1 ORDER BY record_id",
      [datasetId],
    );
    const notOne = rows.filter((r) => r.version !== 1).length;
    if (notOne) throw new Error(`${notOne} records do not start at version 1`);
    return { datasetId, recordIds: rows.map((r) => Number(r.id)), emails };
  } finally {
    await database.close();
  }
}

function sec(t0: number): string {
  return `${((performance.now() - t0) / 1000).toFixed(1)} s`;
}

// ───────────────────────────── the app server ─────────────────────────────

function ensureBuilt() {
  if (fs.existsSync(path.join(ROOT, ".next", "BUILD_ID"))) return;
  log("no build (.next/BUILD_ID missing): running next build…");
  const r = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) throw new Error(`next build failed (exit ${r.status ?? r.signal})`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function startServer(port: number, dbUrl: string, logFile: string): ChildProcess {
  const out = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    detached: true, // its own process group: killed as a whole
    stdio: ["ignore", out, out],
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      PAIRSIFT_AUTH: "on",
      PAIRSIFT_ROOT: ROOT,
      PAIRSIFT_NO_DEMO: "1",
      PAIRSIFT_SIGNIN_LIMIT: "1000",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  fs.closeSync(out);
  return child;
}

async function killServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  try {
    process.kill(-child.pid, "SIGKILL");
  } catch {
    child.kill("SIGKILL");
  }
  await Promise.race([exited, sleep(10_000)]);
}

async function waitReady(base: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited (${child.exitCode ?? child.signalCode}):\n${tail(logFile, 30)}`);
    }
    try {
      const r = await fetch(`${base}/sign-in`, { signal: AbortSignal.timeout(5000), redirect: "manual" });
      await r.arrayBuffer();
      if (r.status < 500) return;
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  throw new Error(`the server did not answer within 120 s:\n${tail(logFile, 30)}`);
}

function tail(file: string, lines: number): string {
  try {
    return fs.readFileSync(file, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "";
  }
}

async function signIn(base: string, email: string): Promise<string> {
  const r = await fetch(`${base}/api/auth/sign-in/email`, {
    method: "POST",
    headers: { "content-type": "application/json", origin: base },
    body: JSON.stringify({ email, password: PASSWORD }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = await r.text();
  if (r.status !== 200) throw new Error(`sign-in of ${email}: HTTP ${r.status} ${body.slice(0, 200)}`);
  const cookie = r.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!)
    .filter((c) => c.includes("="))
    .join("; ");
  if (!cookie.includes("session_token")) throw new Error(`sign-in of ${email}: no session cookie`);
  return cookie;
}

/** A few requests of each kind first, so the run does not measure the server loading its modules. */
async function warmUp(base: string, datasetId: number, recordId: number, cookie: string): Promise<void> {
  const get = async (p: string) => {
    const r = await fetch(base + p, { headers: { cookie }, signal: AbortSignal.timeout(60_000) });
    await r.arrayBuffer();
    if (r.status !== 200) throw new Error(`warm-up GET ${p}: HTTP ${r.status}`);
  };
  for (const f of tableFilters()) await get(`/datasets/${datasetId}${f}`);
  await get(`/datasets/${datasetId}/records/${recordId}`);
  // An invalid body: the route loads and answers 400, and no decision is stored.
  const r = await fetch(`${base}/api/datasets/${datasetId}/records/${recordId}/decisions`, {
    method: "POST",
    headers: { cookie, origin: base, "content-type": "application/json" },
    body: "{}",
    signal: AbortSignal.timeout(60_000),
  });
  await r.arrayBuffer();
  if (r.status !== 400) throw new Error(`warm-up POST decision: HTTP ${r.status} (expected 400)`);
}

function tableFilters(): string[] {
  return [
    "?status=pending",
    ...DEFECT_FILTERS.map((d) => `?defect=${d}`),
    "?sort=score&dir=desc",
    ...SEARCH_TERMS.map((q) => `?q=${encodeURIComponent(q)}`),
  ];
}

// ───────────────────────────── the reviewers ─────────────────────────────

type ReqType = "table" | "record" | "decide";
type Status = "pending" | "accepted" | "rejected" | "relabeled";

interface Pending {
  type: ReqType;
  /** Sub-label for the breakdown (the table filter, the decision's outcome is added later). */
  label: string;
  start: number;
  record?: number;
}

interface Reviewer {
  index: number;
  email: string;
  cookie: string;
  slice: number[];
  next: number;
  rng: () => number;
  /** What this reviewer last saw of a record (from its own responses). */
  known: Map<number, { version: number; status: Status }>;
  step: number;
  record: number;
  tableTurn: number;
  pending: Pending | null;
  lastSocketError: string | null;
}

interface Sample {
  type: ReqType;
  label: string;
  ms: number;
}

const samples: Sample[] = [];
const errors = new Map<string, number>();
const errorExamples = new Map<string, string>();
let stored = 0;
let stale = 0;
/** Decisions acknowledged with 200, per `recordId|actor`. */
const storedBy = new Map<string, number>();
/** Versions the 200s returned, per record (must be distinct). */
const versionsSeen = new Map<number, number[]>();
/** Decisions whose outcome the client never saw (timed out, socket closed, cut off at the stop). */
const unknownBy = new Map<string, number>();
let unknownCount = 0;
let cutOffAtStop = 0;
let running = false;

function bump<K>(m: Map<K, number>, k: K, n = 1) {
  m.set(k, (m.get(k) ?? 0) + n);
}

function countError(kind: string, example?: string) {
  bump(errors, kind);
  if (example && !errorExamples.has(kind)) errorExamples.set(kind, example.slice(0, 300));
}

function makeReviewers(setup: Setup, cookies: string[]): { reviewers: Reviewer[]; hot: number[] } {
  const ids = setup.recordIds;
  const hotN = Math.min(HOT, Math.floor(ids.length / 2));
  const hot = ids.slice(0, hotN);
  const rest = ids.slice(hotN);
  if (rest.length < REVIEWERS) throw new Error(`too few records (${rest.length}) for ${REVIEWERS} slices`);
  const per = Math.floor(rest.length / REVIEWERS);
  const reviewers = setup.emails.map(
    (email, i): Reviewer => ({
      index: i,
      email,
      cookie: cookies[i]!,
      slice: rest.slice(i * per, i === REVIEWERS - 1 ? rest.length : (i + 1) * per),
      next: 0,
      rng: mulberry32(SEED * 1000 + i + 1),
      known: new Map(),
      step: 0,
      record: 0,
      tableTurn: i,
      pending: null,
      lastSocketError: null,
    }),
  );
  return { reviewers, hot };
}

function connectionRequests(r: Reviewer, datasetId: number, base: string, hot: number[]) {
  const filters = tableFilters();
  const pickRecord = (): number => {
    if (hot.length && r.rng() < HOT_SHARE) return hot[Math.floor(r.rng() * hot.length)]!;
    return r.slice[r.next++ % r.slice.length]!;
  };

  /** The previous request got no response (the connection timed out or closed). */
  const noResponse = (p: Pending) => {
    const waited = performance.now() - p.start;
    const kind =
      waited >= TIMEOUT_S * 1000 - 50
        ? `timeout (${TIMEOUT_S} s)`
        : r.lastSocketError
          ? `socket error ${r.lastSocketError}`
          : "connection closed without a response";
    r.lastSocketError = null;
    countError(`${p.type}: ${kind}`);
    if (p.type === "decide") {
      bump(unknownBy, `${p.record}|${r.email}`);
      unknownCount++;
    }
  };

  const setupRequest = (req: AutocannonRequest): AutocannonRequest => {
    if (r.pending && running) noResponse(r.pending);
    const s = r.step++ % CYCLE;
    const headers: Record<string, string> = { cookie: r.cookie };
    let p: Pending;
    let out: AutocannonRequest;
    if (s === 0) {
      const f = filters[r.tableTurn++ % filters.length]!;
      p = { type: "table", label: f, start: 0 };
      out = { ...req, method: "GET", path: `/datasets/${datasetId}${f}`, headers, body: "" };
    } else if (s % 2 === 1) {
      r.record = pickRecord();
      p = { type: "record", label: "", start: 0, record: r.record };
      out = { ...req, method: "GET", path: `/datasets/${datasetId}/records/${r.record}`, headers, body: "" };
    } else {
      const id = r.record;
      const k = r.known.get(id) ?? { version: 1, status: "pending" as Status };
      const action =
        k.status === "accepted" || (k.status === "pending" && r.rng() < 0.2)
          ? { type: "reject", reason: "load test" }
          : { type: "accept" };
      p = { type: "decide", label: action.type, start: 0, record: id };
      out = {
        ...req,
        method: "POST",
        path: `/api/datasets/${datasetId}/records/${id}/decisions`,
        headers: { ...headers, origin: base, "content-type": "application/json" },
        body: JSON.stringify({ expectedVersion: k.version, action }),
      };
    }
    p.start = performance.now();
    r.pending = p;
    return out;
  };

  const onResponse = (status: number, body: string) => {
    const p = r.pending;
    r.pending = null;
    if (!p || !running) return;
    const ms = performance.now() - p.start;
    if (p.type !== "decide") {
      samples.push({ type: p.type, label: p.label, ms });
      if (status !== 200) countError(`${p.type}: HTTP ${status}`, body);
      return;
    }
    const id = p.record!;
    let json: { ok?: boolean; kind?: string; version?: number; status?: Status } = {};
    try {
      json = JSON.parse(body);
    } catch {
      // judged below
    }
    if (status === 200 && json.ok === true && typeof json.version === "number") {
      stored++;
      bump(storedBy, `${id}|${r.email}`);
      const seen = versionsSeen.get(id) ?? [];
      seen.push(json.version);
      versionsSeen.set(id, seen);
      r.known.set(id, { version: json.version, status: json.status ?? "pending" });
      samples.push({ type: "decide", label: "stored (200)", ms });
    } else if (status === 409 && json.kind === "stale" && typeof json.version === "number") {
      stale++;
      r.known.set(id, { version: json.version, status: json.status ?? "pending" });
      samples.push({ type: "decide", label: "stale (409)", ms });
    } else {
      samples.push({ type: "decide", label: `HTTP ${status}`, ms });
      countError(`decide: HTTP ${status}${status === 200 ? " with an unexpected body" : ""}`, body);
    }
  };

  /** The request in flight got no response (paced loop: a fetch that failed or timed out). */
  const failed = () => {
    if (!r.pending) return;
    noResponse(r.pending);
    r.pending = null;
  };
  return Object.assign([{ setupRequest, onResponse }] satisfies AutocannonRequest[], { failed });
}

/** What the paced loop reports in place of autocannon's result. */
interface PacedResult {
  duration: number;
  totalRequests: number;
  totalCompletedRequests: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
}

/**
 * --think-ms: every reviewer on a keep-alive connection of its own, one request at a time, a random
 * pause (exponential, mean THINK_MS, the reviewer's own seeded generator) after each response;
 * DURATION seconds, then requests in flight are left (counted as cut off at the stop). The same
 * request and response handlers as the autocannon loop, so the figures and checks are the same.
 */
async function pacedReviewers(
  reviewers: Reviewer[],
  datasetId: number,
  base: string,
  hot: number[],
): Promise<PacedResult> {
  const t0 = performance.now();
  const deadline = t0 + DURATION * 1000;
  const out: PacedResult = {
    duration: DURATION,
    totalRequests: 0,
    totalCompletedRequests: 0,
    errors: 0,
    timeouts: 0,
    statusCodeStats: {},
  };
  const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  await Promise.all(
    reviewers.map(async (r) => {
      const requests = connectionRequests(r, datasetId, base, hot);
      const handlers = requests[0]!;
      // Reviewers arrive over the first RAMP_S seconds, not all at once: each one's first request is
      // a table page, the heaviest, and 50 of them within two seconds queued for up to 2 s (measured).
      await sleep(r.rng() * RAMP_S * 1000);
      try {
        while (running && performance.now() < deadline) {
          const req = handlers.setupRequest({} as AutocannonRequest);
          out.totalRequests++;
          try {
            // Node's fetch keeps connections alive in one pool per origin.
            const res = await fetch(`${base}${req.path}`, {
              method: req.method,
              headers: req.headers as Record<string, string>,
              body: req.method === "POST" ? (req.body as string) : undefined,
              redirect: "manual",
              signal: AbortSignal.timeout(TIMEOUT_S * 1000),
            });
            const body = await res.text();
            out.totalCompletedRequests++;
            const code = String(res.status);
            out.statusCodeStats[code] = { count: (out.statusCodeStats[code]?.count ?? 0) + 1 };
            handlers.onResponse(res.status, body);
          } catch (e) {
            const timeout = (e as Error).name === "TimeoutError";
            if (timeout) out.timeouts++;
            else out.errors++;
            r.lastSocketError = timeout ? null : (e as Error).message;
            // Counted now as an error (a timeout, a socket error), not as cut off at the stop.
            if (running) requests.failed();
          }
          if (performance.now() >= deadline) break;
          await sleep(Math.min(-Math.log(1 - r.rng()) * THINK_MS, deadline - performance.now()));
        }
      } catch (e) {
        countError(`reviewer loop: ${(e as Error).message}`);
      }
    }),
  );
  out.duration = (performance.now() - t0) / 1000;
  return out;
}

// ───────────────────────────── figures ─────────────────────────────

interface Stats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

function stats(ms: number[]): Stats {
  if (!ms.length) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };
  const s = Float64Array.from(ms).sort();
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  const r1 = (x: number) => Math.round(x * 10) / 10;
  return {
    count: s.length,
    p50: r1(q(0.5)),
    p95: r1(q(0.95)),
    p99: r1(q(0.99)),
    max: r1(s[s.length - 1]!),
    mean: r1(ms.reduce((a, b) => a + b, 0) / ms.length),
  };
}

function latencyRows(): { name: string; stats: Stats }[] {
  const rows: { name: string; stats: Stats }[] = [];
  for (const type of ["table", "record", "decide"] as const) {
    const of = samples.filter((s) => s.type === type);
    rows.push({ name: type, stats: stats(of.map((s) => s.ms)) });
    if (type === "record") continue;
    const labels = [...new Set(of.map((s) => s.label))].sort();
    for (const l of labels) {
      rows.push({ name: `  ${l}`, stats: stats(of.filter((s) => s.label === l).map((s) => s.ms)) });
    }
  }
  rows.push({ name: "all", stats: stats(samples.map((s) => s.ms)) });
  return rows;
}

function printTable(head: string[], body: string[][]) {
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (c: string[]) =>
    console.log(c.map((x, i) => (i === 0 ? x.padEnd(w[i]!) : x.padStart(w[i]!))).join("  "));
  line(head);
  for (const b of body) line(b);
}

// ───────────────────────────── verification ─────────────────────────────

interface Verification {
  decisionsInTable: number;
  storedSeenByClient: number;
  unknownOutcome: number;
  /** 200 seen by a reviewer, but not in the table. */
  lost: number;
  /** In the table beyond what the client saw stored plus the requests whose outcome it never saw. */
  doubled: number;
  /** Records whose 200s returned the same version twice. */
  duplicateVersions: number;
  /** Records whose version is not 1 + their decisions. */
  versionMismatches: number;
  /** record_counts rows that differ from a recount of the records. */
  recordCountMismatches: number;
  deadlocks: number;
  rollbacks: number;
  statusCounts: Record<string, number>;
}

async function verify(sql: postgres.Sql, datasetId: number, dbName: string): Promise<Verification> {
  // Wait for the killed server's sessions to end (their last transactions commit or roll back).
  for (let i = 0; i < 100; i++) {
    const [{ n }] = (await sql`SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = ${dbName} AND pid <> pg_backend_pid()`) as unknown as [{ n: number }];
    if (n === 0) break;
    await sleep(100);
  }
  const rows = await sql<{ record_id: string; actor: string; n: number }[]>`
    SELECT record_id, actor, count(*)::int AS n FROM decisions WHERE dataset_id = ${datasetId} GROUP BY 1, 2`;
  const inTable = new Map<string, number>();
  let decisionsInTable = 0;
  for (const r of rows) {
    inTable.set(`${Number(r.record_id)}|${r.actor}`, r.n);
    decisionsInTable += r.n;
  }
  let lost = 0;
  let doubled = 0;
  for (const k of new Set([...inTable.keys(), ...storedBy.keys()])) {
    const db = inTable.get(k) ?? 0;
    const seen = storedBy.get(k) ?? 0;
    const unknown = unknownBy.get(k) ?? 0;
    if (db < seen) lost += seen - db;
    if (db > seen + unknown) doubled += db - seen - unknown;
  }
  let duplicateVersions = 0;
  for (const vs of versionsSeen.values()) if (new Set(vs).size !== vs.length) duplicateVersions++;
  const [{ n: versionMismatches }] = (await sql`
    SELECT count(*)::int AS n FROM record_state s
      LEFT JOIN (SELECT record_id, count(*) AS n FROM decisions WHERE dataset_id = ${datasetId} GROUP BY 1) d
        ON d.record_id = s.record_id
     WHERE s.dataset_id = ${datasetId} AND s.version <> 1 + coalesce(d.n, 0)`) as unknown as [{ n: number }];
  const [{ n: recordCountMismatches }] = (await sql`
    WITH actual AS (
      SELECT r.dataset_id, task, task_family, language, flag_count > 0 AS flagged, status, defects, last_decision_by,
             count(*)::bigint AS n
        FROM records r JOIN record_state s ON s.record_id = r.id
       WHERE r.dataset_id = ${datasetId} GROUP BY 1, 2, 3, 4, 5, 6, 7, 8),
    kept AS (
      SELECT dataset_id, task, task_family, language, flagged, status, defects, last_decision_by, n
        FROM record_counts WHERE dataset_id = ${datasetId} AND n <> 0)
    SELECT count(*)::int AS n FROM (
      (SELECT * FROM actual EXCEPT ALL SELECT * FROM kept)
      UNION ALL
      (SELECT * FROM kept EXCEPT ALL SELECT * FROM actual)) x`) as unknown as [{ n: number }];
  const statusRows = await sql<{ status: string; n: number }[]>`
    SELECT status, count(*)::int AS n FROM record_state WHERE dataset_id = ${datasetId} GROUP BY 1 ORDER BY 1`;
  const [db] = (await sql`SELECT deadlocks::int AS deadlocks, xact_rollback::int AS rollbacks
    FROM pg_stat_database WHERE datname = ${dbName}`) as unknown as [
    { deadlocks: number; rollbacks: number },
  ];
  return {
    decisionsInTable,
    storedSeenByClient: stored,
    unknownOutcome: unknownCount,
    lost,
    doubled,
    duplicateVersions,
    versionMismatches,
    recordCountMismatches,
    deadlocks: db?.deadlocks ?? -1,
    rollbacks: db?.rollbacks ?? -1,
    statusCounts: Object.fromEntries(statusRows.map((r) => [r.status, r.n])),
  };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

/** CPU seconds the whole machine has been busy so far (Linux /proc/stat; 0 elsewhere). */
function machineBusySeconds(): number {
  try {
    const f = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …: busy = all but idle and iowait.
    const busy = f.reduce((a, b) => a + b, 0) - (f[3] ?? 0) - (f[4] ?? 0);
    return busy / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by the app server's process group and by its PostgreSQL backends (Linux /proc). */
async function cpuSeconds(
  sql: postgres.Sql,
  dbName: string,
  serverPid: number | undefined,
): Promise<{ server: number; backends: number }> {
  const ticks = 100; // USER_HZ on Linux
  const read = (pid: number): { pgrp: number; cpu: number } | null => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // After the command: state(0) ppid(1) pgrp(2) … utime(11) stime(12).
      return { pgrp: Number(f[2]), cpu: (Number(f[11]) + Number(f[12])) / ticks };
    } catch {
      return null;
    }
  };
  if (!fs.existsSync("/proc/self/stat")) return { server: 0, backends: 0 };
  let server = 0;
  if (serverPid) {
    for (const e of fs.readdirSync("/proc")) {
      if (!/^\d+$/.test(e)) continue;
      const st = read(Number(e));
      if (st && st.pgrp === serverPid) server += st.cpu;
    }
  }
  const pids = await sql<{ pid: number }[]>`SELECT pid FROM pg_stat_activity
    WHERE datname = ${dbName} AND application_name = 'pairsift'`;
  let backends = 0;
  for (const { pid } of pids) backends += read(pid)?.cpu ?? 0;
  return { server, backends };
}

function summarisePg(xs: { active: number; lockWaits: number; total: number }[]) {
  const mean = (f: (x: (typeof xs)[number]) => number) =>
    xs.length ? Math.round((xs.reduce((a, x) => a + f(x), 0) / xs.length) * 10) / 10 : 0;
  return {
    samples: xs.length,
    maxTotal: Math.max(0, ...xs.map((x) => x.total)),
    meanActive: mean((x) => x.active),
    maxActive: Math.max(0, ...xs.map((x) => x.active)),
    meanLockWaits: mean((x) => x.lockWaits),
    maxLockWaits: Math.max(0, ...xs.map((x) => x.lockWaits)),
    samplesWithLockWaits: xs.filter((x) => x.lockWaits > 0).length,
  };
}

/** Lines of the server log that look like failures (Next prints server errors there). */
function serverLogErrors(file: string): string[] {
  let text = "";
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return [];
  }
  return text.split("\n").filter((l) => /error|deadlock|unhandled|exception|⨯/i.test(l));
}

// ───────────────────────────── main ─────────────────────────────

async function main(): Promise<number> {
  const load = {
    before: os.loadavg().map((x) => Math.round(x * 100) / 100),
    during: [] as number[],
    after: [] as number[],
  };
  log(`machine: ${os.cpus().length} cores, load average ${load.before.join(" ")}`);
  ensureBuilt();

  const stamp = Date.now();
  const dbName = `pairsift_load_${stamp}`;
  const admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${dbName}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  cleanups.push({
    name: "drop database",
    fn: async () => {
      const a = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
        log(`dropped database ${dbName}`);
      } finally {
        await a.end({ timeout: 5 });
      }
    },
  });
  const u = new URL(ADMIN_URL);
  u.pathname = `/${dbName}`;
  const dbUrl = u.toString();
  log(`created database ${dbName}`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pairsift-load-"));
  cleanups.push({ name: "temp folder", fn: async () => fs.rmSync(tmp, { recursive: true, force: true }) });
  const setup = await setUp(dbUrl, tmp);
  const [pgVersion] = (await (async () => {
    const s = postgres(dbUrl, { max: 1, onnotice: () => {} });
    try {
      return await s`SHOW server_version`;
    } finally {
      await s.end({ timeout: 5 });
    }
  })()) as unknown as [{ server_version: string }];

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const logFile = path.join(tmp, "server.log");
  const child = startServer(port, dbUrl, logFile);
  cleanups.push({ name: "kill server", fn: () => killServer(child) });
  log(`starting the app at ${base} (log: ${logFile})`);
  await waitReady(base, child, logFile);

  const t0 = performance.now();
  const cookies: string[] = new Array(setup.emails.length);
  for (let i = 0; i < setup.emails.length; i += 5) {
    await Promise.all(
      setup.emails.slice(i, i + 5).map(async (email, j) => {
        cookies[i + j] = await signIn(base, email);
      }),
    );
  }
  log(`signed ${cookies.length} reviewers in over HTTP in ${sec(t0)}`);
  await warmUp(base, setup.datasetId, setup.recordIds[0]!, cookies[0]!);

  const { reviewers, hot } = makeReviewers(setup, cookies);
  const sql = postgres(dbUrl, { max: 2, onnotice: () => {} });
  cleanups.push({ name: "verification connection", fn: () => sql.end({ timeout: 5 }) });
  const [before] = (await sql`SELECT deadlocks::int AS deadlocks, xact_rollback::int AS rollbacks
    FROM pg_stat_database WHERE datname = ${dbName}`) as unknown as [
    { deadlocks: number; rollbacks: number },
  ];

  log(
    `load: ${REVIEWERS} reviewers × ${DURATION} s, ${setup.recordIds.length} records, hot set ${hot.length} (${Math.round(HOT_SHARE * 100)}% of decisions), timeout ${TIMEOUT_S} s`,
  );
  let nextReviewer = 0;
  const clients: { client: AutocannonClient; reviewer: Reviewer }[] = [];
  const loadTimer = setInterval(() => load.during.push(Math.round(os.loadavg()[0]! * 100) / 100), 5000);
  // The app's database sessions once a second: how many run a query, and how many wait for a lock.
  const pgSamples: { active: number; lockWaits: number; idleInTx: number; total: number }[] = [];
  let sampling = false;
  const pgTimer = setInterval(() => {
    if (sampling) return;
    sampling = true;
    sql`SELECT count(*)::int AS total,
               count(*) FILTER (WHERE state = 'active')::int AS active,
               count(*) FILTER (WHERE wait_event_type = 'Lock')::int AS "lockWaits",
               count(*) FILTER (WHERE state LIKE 'idle in transaction%')::int AS "idleInTx"
          FROM pg_stat_activity WHERE datname = ${dbName} AND pid <> pg_backend_pid()`
      .then((rows) => {
        pgSamples.push(rows[0] as unknown as (typeof pgSamples)[number]);
      })
      .catch(() => {})
      .finally(() => {
        sampling = false;
      });
  }, 1000);
  const progress = setInterval(() => {
    const errs = [...errors.values()].reduce((a, b) => a + b, 0);
    log(
      `${samples.length} responses, ${stored} stored, ${stale} stale, ${errs} errors, load ${os.loadavg()[0]!.toFixed(2)}`,
    );
  }, 10_000);
  // Warm-up, untimed: every table view and a few record pages once, so the measured minute starts
  // with the routes loaded and PostgreSQL's caches warm (a cold start is not a reviewer's steady state:
  // without this, the first round of table pages took over 2 s and made the p95).
  const warmStart = performance.now();
  for (const f of tableFilters()) {
    await fetch(`${base}/datasets/${setup.datasetId}${f}`, {
      headers: { cookie: reviewers[0]!.cookie },
    }).then((r) => r.text());
  }
  for (const id of setup.recordIds.slice(0, 5)) {
    await fetch(`${base}/datasets/${setup.datasetId}/records/${id}`, {
      headers: { cookie: reviewers[0]!.cookie },
    }).then((r) => r.text());
  }
  log(
    `warm-up: ${tableFilters().length} table views and 5 record pages in ${((performance.now() - warmStart) / 1000).toFixed(1)} s`,
  );
  running = true;
  const cpuBefore = await cpuSeconds(sql, dbName, child.pid);
  const selfBefore = process.cpuUsage();
  const machineBefore = machineBusySeconds();
  const startedAt = performance.now();
  if (!PACED)
    instance = autocannon({
      url: base,
      connections: REVIEWERS,
      pipelining: 1,
      duration: DURATION,
      timeout: TIMEOUT_S,
      ...(RATE > 0 ? { overallRate: RATE } : {}),
      // Replaced per connection in setupClient; never sent.
      requests: [{ method: "GET", path: "/sign-in" }],
      setupClient: (client) => {
        const reviewer = reviewers[nextReviewer++ % reviewers.length]!;
        client.on("connError", (e: NodeJS.ErrnoException) => {
          reviewer.lastSocketError = e.code ?? e.message;
        });
        clients.push({ client, reviewer });
        client.setRequests(connectionRequests(reviewer, setup.datasetId, base, hot));
      },
    });
  // A hard stop, should autocannon's own duration not end the run.
  const hardStop = setTimeout(() => instance?.stop(), (DURATION + TIMEOUT_S + 5) * 1000);
  let result: Awaited<AutocannonInstance> | PacedResult;
  try {
    result = PACED ? await pacedReviewers(reviewers, setup.datasetId, base, hot) : await instance!;
  } finally {
    running = false;
    clearTimeout(hardStop);
    clearInterval(loadTimer);
    clearInterval(pgTimer);
    clearInterval(progress);
  }
  if (interrupted) return 130; // the signal handler cleans up and exits
  const elapsed = (performance.now() - startedAt) / 1000;
  // Requests in flight when the run ended: their outcome is unknown, but they are not errors.
  for (const reviewer of PACED ? reviewers : clients.map((c) => c.reviewer)) {
    const p = reviewer.pending;
    reviewer.pending = null;
    if (!p) continue;
    cutOffAtStop++;
    if (p.type === "decide") {
      bump(unknownBy, `${p.record}|${reviewer.email}`);
      unknownCount++;
    }
  }
  load.after = os.loadavg().map((x) => Math.round(x * 100) / 100);

  const cpuAfter = await cpuSeconds(sql, dbName, child.pid);
  const self = process.cpuUsage(selfBefore);
  const cpu = {
    appServerS: round1(cpuAfter.server - cpuBefore.server),
    postgresBackendsS: round1(cpuAfter.backends - cpuBefore.backends),
    /** This process: autocannon and the checks (it runs on the same machine). */
    loadGeneratorS: round1((self.user + self.system) / 1e6),
    /** Every process on the machine (/proc/stat), for what the three above leave out. */
    machineBusyS: round1(machineBusySeconds() - machineBefore),
    availableS: round1(elapsed * os.cpus().length),
  };
  // Stop the server before counting, so nothing changes under the checks.
  await killServer(child);
  const v = await verify(sql, setup.datasetId, dbName);
  v.deadlocks -= before?.deadlocks ?? 0;
  v.rollbacks -= before?.rollbacks ?? 0;
  const logErrors = serverLogErrors(logFile);

  // ── report ──
  const rows = latencyRows();
  const totalErrors = [...errors.values()].reduce((a, b) => a + b, 0);
  const rps = samples.length / elapsed;
  const overall = rows.find((r) => r.name === "all")!.stats;
  console.log(
    `\npairsift load — PostgreSQL ${pgVersion?.server_version}, ${REVIEWERS} reviewers × ${DURATION} s, ${setup.recordIds.length} records (hot set ${hot.length}, ${Math.round(HOT_SHARE * 100)}% of decisions), ${os.cpus().length} cores, node ${process.version}`,
  );
  printTable(
    ["request (ms)", "count", "p50", "p95", "p99", "max"],
    rows.map((r) => [
      r.name,
      String(r.stats.count),
      r.stats.p50.toFixed(1),
      r.stats.p95.toFixed(1),
      r.stats.p99.toFixed(1),
      r.stats.max.toFixed(1),
    ]),
  );
  const typeRows = rows.filter((r) => ["table", "record", "decide", "all"].includes(r.name));
  const overTarget = typeRows.filter((r) => r.stats.p95 > P95_TARGET).map((r) => r.name);
  console.log(`\nrequests/s: ${rps.toFixed(1)} (${samples.length} responses in ${elapsed.toFixed(1)} s)`);
  console.log(
    `p95 target ≤ ${P95_TARGET} ms: ${overTarget.length ? `NOT met by ${overTarget.join(", ")}` : "met"} (overall p95 ${overall.p95} ms)`,
  );
  console.log(`errors: ${totalErrors}`);
  for (const [k, n] of [...errors].sort((a, b) => b[1] - a[1])) {
    console.log(
      `  ${k}: ${n}${errorExamples.has(k) ? ` — e.g. ${errorExamples.get(k)!.replace(/\s+/g, " ").slice(0, 160)}` : ""}`,
    );
  }
  console.log(
    `decisions: ${stored} stored (200), ${stale} stale (409, expected under contention), ${unknownCount} outcome unknown (${cutOffAtStop} requests cut off at the stop)`,
  );
  console.log(
    `database: ${v.decisionsInTable} decisions in the table; ${v.versionMismatches} records with version ≠ 1 + decisions; ${v.duplicateVersions} records with a version returned twice; ${v.recordCountMismatches} record_counts mismatches; ${v.deadlocks} deadlocks, ${v.rollbacks} rollbacks (pg_stat_database; every 409 rolls back, so does what the final kill cut off)`,
  );
  console.log(
    `records by status: ${Object.entries(v.statusCounts)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")}`,
  );
  console.log(`doubled decisions: ${v.doubled}`);
  console.log(`lost decisions: ${v.lost}`);
  console.log(
    `load average: before ${load.before.join(" ")}; during (1-min, every 5 s) max ${Math.max(...load.during, 0).toFixed(2)} mean ${(load.during.reduce((a, b) => a + b, 0) / Math.max(1, load.during.length)).toFixed(2)}; after ${load.after.join(" ")}`,
  );
  const pg = summarisePg(pgSamples);
  console.log(
    `CPU seconds during the load: app server ${cpu.appServerS}, its PostgreSQL backends ${cpu.postgresBackendsS}, this load generator ${cpu.loadGeneratorS}; the machine was busy ${cpu.machineBusyS} of ${cpu.availableS} on ${os.cpus().length} cores`,
  );
  console.log(
    `app's PostgreSQL sessions (sampled each second): ${pg.maxTotal} max open; running a query mean ${pg.meanActive} max ${pg.maxActive}; waiting for a lock mean ${pg.meanLockWaits} max ${pg.maxLockWaits} (in ${pg.samplesWithLockWaits} of ${pg.samples} samples)`,
  );
  console.log(`server log: ${logErrors.length} error line(s)`);
  for (const l of logErrors.slice(0, 15)) console.log(`  ${l.slice(0, 300)}`);

  const failed =
    totalErrors > 0 ||
    v.lost > 0 ||
    v.doubled > 0 ||
    v.duplicateVersions > 0 ||
    v.versionMismatches > 0 ||
    v.recordCountMismatches > 0;
  const date = new Date().toISOString().slice(0, 10);
  const size =
    (REVIEWERS === 50 && DURATION === 60 ? "" : `-${REVIEWERS}x${DURATION}s`) +
    (RATE > 0 ? `-${RATE}rps` : "") +
    (PACED ? `-think${THINK_MS}ms` : "");
  const outDir = path.join(import.meta.dirname, "results");
  fs.mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, `${date}-postgres${size}.json`);
  let savedLog: string | null = null;
  if (failed || logErrors.length) {
    savedLog = out.replace(/\.json$/, ".server.log");
    fs.copyFileSync(logFile, savedLog);
  }
  fs.writeFileSync(
    out,
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        engine: "postgres",
        postgres: pgVersion?.server_version,
        config: {
          reviewers: REVIEWERS,
          durationS: DURATION,
          rate: RATE > 0 ? RATE : null,
          thinkMs: PACED ? THINK_MS : null,
          rampS: PACED ? RAMP_S : null,
          records: setup.recordIds.length,
          generated: RECORDS,
          seed: SEED,
          hotSet: hot.length,
          hotShare: HOT_SHARE,
          timeoutS: TIMEOUT_S,
          cycle: "table page, then (record page, decision) × 3",
          tableFilters: tableFilters(),
        },
        machine: {
          cpus: os.cpus().length,
          cpuModel: os.cpus()[0]?.model,
          memGb: Math.round(os.totalmem() / 2 ** 30),
          node: process.version,
          loadAverage: load,
        },
        elapsedS: Math.round(elapsed * 10) / 10,
        requestsPerSecond: Math.round(rps * 10) / 10,
        latencyMs: Object.fromEntries(rows.map((r) => [r.name.trim(), r.stats])),
        p95TargetMs: P95_TARGET,
        p95OverTarget: overTarget,
        errors: {
          total: totalErrors,
          byKind: Object.fromEntries(errors),
          examples: Object.fromEntries(errorExamples),
        },
        decisions: { stored, stale, unknownOutcome: unknownCount, cutOffAtStop },
        verification: v,
        lostDecisions: v.lost,
        serverLogErrors: logErrors.slice(0, 50),
        serverLog: savedLog ? path.relative(ROOT, savedLog) : null,
        pgSessions: pg,
        cpuSeconds: cpu,
        autocannon: {
          duration: result.duration,
          totalRequests: result.totalRequests,
          totalCompletedRequests: result.totalCompletedRequests,
          errors: result.errors,
          timeouts: result.timeouts,
          statusCodes: Object.fromEntries(
            Object.entries(result.statusCodeStats).map(([k, s]) => [k, s.count]),
          ),
        },
        pass: !failed,
      },
      null,
      2,
    )}\n`,
  );
  console.log(
    `→ ${path.relative(process.cwd(), out)}${savedLog ? ` (server log: ${path.relative(process.cwd(), savedLog)})` : ""}`,
  );
  return failed ? 1 : 0;
}

// Bounded: setup and sign-in take minutes at most; the load itself is --duration.
const watchdog = setTimeout(
  () => {
    log("watchdog: the run took too long; cleaning up");
    instance?.stop();
    void cleanup().finally(() => process.exit(1));
  },
  (DURATION + 15 * 60) * 1000,
);
let code = 1;
try {
  code = await main();
} catch (e) {
  if (interrupted) await new Promise(() => {}); // the signal handler exits once it has cleaned up
  console.error(`load run failed: ${(e as Error).stack ?? e}`);
  code = 1;
} finally {
  clearTimeout(watchdog);
  await cleanup();
}
process.exit(code);
