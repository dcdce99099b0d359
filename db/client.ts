import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import { acquireDataDirLock } from "./lock";
import * as schema from "./schema";

export type AppDb = PgDatabase<PgQueryResultHKT, typeof schema>;

/** A raw connection (or transaction) for what drizzle does not do: COPY and bulk SQL. */
export interface RawSql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** COPY table (columns) FROM STDIN in PostgreSQL text format. */
  copyIn(table: string, columns: readonly string[], data: string): Promise<void>;
}

interface Common {
  db: AppDb;
  /** Runs `fn` in one transaction on a raw connection. */
  rawTransaction<T>(fn: (tx: RawSql) => Promise<T>): Promise<T>;
  raw: RawSql;
  close(): Promise<void>;
}
export type Database =
  | (Common & { kind: "pglite"; pg: PGlite; dataDir: string | null })
  | (Common & { kind: "postgres"; client: postgres.Sql; url: string });

export type OpenOptions =
  | { kind: "postgres"; url: string; max?: number }
  | { kind: "pglite"; dataDir: string | null; lockCommand?: string; loadDataDir?: Blob };

/** Where the migrations live: next to this file in the repository. */
export function migrationsFolder(): string {
  return path.join(process.env.PAIRSIFT_ROOT ?? process.cwd(), "db", "migrations");
}

function pgliteRaw(pg: Pick<PGlite, "query">): RawSql {
  return {
    async query<T>(text: string, params?: unknown[]) {
      return (await pg.query<T>(text, params as unknown[])).rows;
    },
    async copyIn(table, columns, data) {
      await pg.query(`COPY ${table} (${columns.join(", ")}) FROM '/dev/blob'`, [], {
        blob: new Blob([data]),
      });
    },
  };
}

async function copyInTransaction(
  tx: postgres.TransactionSql,
  table: string,
  columns: readonly string[],
  data: string,
): Promise<void> {
  const stream = await tx.unsafe(`COPY ${table} (${columns.join(", ")}) FROM STDIN`).writable();
  const finished = new Promise<void>((resolve, reject) => {
    stream.on("error", reject);
    stream.on("finish", resolve);
  });
  finished.catch(() => {});
  // postgres.js 3.4 never settles the stream when the server rejects a COPY after its last byte
  // (porsager/postgres#1173). A query queued behind the COPY on the same connection tells: it fails
  // with "current transaction is aborted" exactly when the COPY failed. It may only be sent once the
  // driver has sent CopyDone (its `final`), or the driver fails it (and with it the transaction).
  const w = stream as typeof stream & { _final: (cb: (e?: Error | null) => void) => void };
  const driverFinal = w._final;
  const copyDoneSent = new Promise<void>((resolve) => {
    w._final = function (this: typeof stream, cb) {
      driverFinal.call(this, cb);
      resolve();
    };
  });
  stream.end(data);
  await Promise.race([copyDoneSent, finished]);
  const probe = await tx.unsafe("SELECT 1").then(
    () => null,
    (e: unknown) => e as Error,
  );
  if (probe) {
    throw Object.assign(new Error(`The database rejected the COPY into ${table}: ${probe.message}`), {
      cause: probe,
    });
  }
  await finished;
}

function postgresRaw(client: postgres.Sql | postgres.TransactionSql): RawSql {
  return {
    async query<T>(text: string, params?: unknown[]) {
      return (await client.unsafe(
        text,
        (params ?? []) as postgres.ParameterOrJSON<never>[],
      )) as unknown as T[];
    },
    async copyIn(table, columns, data) {
      if ("savepoint" in client) return copyInTransaction(client, table, columns, data);
      await (client as postgres.Sql).begin((tx) => copyInTransaction(tx, table, columns, data));
    },
  };
}

/** Opens the database and applies pending migrations. */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.kind === "postgres") {
    const client = postgres(opts.url, {
      max: opts.max ?? 10,
      onnotice: () => {},
      // JIT off: the review table's queries are short, and PostgreSQL's cost-based JIT threshold is
      // crossed by any plan over a million rows, adding 60–100 ms of compiling to a 300 ms search
      // (measured at 1M records) — more than it ever saves on these queries.
      connection: { application_name: "pairsift", jit: "off" },
      // A server that went away is reported (as a retryable error) after 10 s rather than 30: postgres.js
      // 3.4 can leave a pooled connection stuck after a server restart (porsager/postgres#1193).
      connect_timeout: 10,
    });
    const db = drizzlePostgres(client, { schema }) as unknown as AppDb;
    // Two app servers starting together must not run the migrations twice: one session-level
    // advisory lock around the migrator, on a connection of its own.
    const migrator = postgres(opts.url, { max: 1, onnotice: () => {} });
    try {
      await migrator`SELECT pg_advisory_lock(724100)`;
      await migratePostgres(drizzlePostgres(migrator), { migrationsFolder: migrationsFolder() });
    } finally {
      await migrator.end({ timeout: 5 });
    }
    return {
      kind: "postgres",
      client,
      url: opts.url,
      db,
      raw: postgresRaw(client),
      rawTransaction: (fn) => client.begin((tx) => fn(postgresRaw(tx))) as Promise<never>,
      close: () => client.end({ timeout: 5 }),
    };
  }
  let release = () => {};
  if (opts.dataDir) release = acquireDataDirLock(opts.dataDir, opts.lockCommand ?? "pairsift");
  let pg: PGlite;
  try {
    pg = await PGlite.create({
      dataDir: opts.dataDir ?? undefined,
      extensions: { pg_trgm },
      loadDataDir: opts.loadDataDir,
    });
  } catch (e) {
    release();
    throw e;
  }
  const db = drizzlePglite(pg, { schema }) as unknown as AppDb;
  await migratePglite(drizzlePglite(pg), { migrationsFolder: migrationsFolder() });
  return {
    kind: "pglite",
    pg,
    dataDir: opts.dataDir,
    db,
    raw: pgliteRaw(pg),
    rawTransaction: (fn) => pg.transaction((tx) => fn(pgliteRaw(tx))),
    close: async () => {
      await pg.close();
      release();
    },
  };
}

/** The configuration pairsift runs with: PostgreSQL when DATABASE_URL is set, PGlite otherwise. */
export function openOptionsFromEnv(
  env: { DATABASE_URL?: string; PAIRSIFT_DATA_DIR: string },
  command: string,
): OpenOptions {
  if (env.DATABASE_URL) return { kind: "postgres", url: env.DATABASE_URL };
  return { kind: "pglite", dataDir: path.resolve(env.PAIRSIFT_DATA_DIR), lockCommand: command };
}

export async function ping(database: Database): Promise<void> {
  await database.db.execute(sql`select 1`);
}

/** Error codes of a database that cannot be reached or went away (see isRetryableDbError). */
const RETRYABLE_CODES = new Set([
  // The socket: server down or restarting, connection dropped, network trouble.
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  // postgres.js: the server closed the connection / did not answer the connect in time.
  "CONNECTION_CLOSED",
  "CONNECT_TIMEOUT",
  // SQLSTATE: admin_shutdown, crash_shutdown, cannot_connect_now (starting up, shutting down, recovering).
  "57P01",
  "57P02",
  "57P03",
]);

/**
 * Whether an error means the database could not be reached or dropped the connection (server
 * restarting, network): the request failed but the app needs no restart, since postgres.js opens new
 * connections on the next query, so "try again" is the right answer. SQLSTATE class 08 (connection
 * exception) counts too. Follows `cause` (drizzle wraps driver errors) and AggregateError's `errors`.
 * A write whose connection dropped during COMMIT may or may not be stored; decisions are version
 * checked, so retrying one that was stored is refused as stale rather than applied twice.
 */
export function isRetryableDbError(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== "object" || depth > 5) return false;
  const { code, cause, errors } = e as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string" && (RETRYABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (Array.isArray(errors) && errors.some((x) => isRetryableDbError(x, depth + 1))) return true;
  return isRetryableDbError(cause, depth + 1);
}
