import fs from "node:fs";
import path from "node:path";

/**
 * PGlite is single-process: two processes opening one data folder can corrupt it. The holder writes
 * its pid into a lock file; a second process is refused with a message that says what to do.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: { pid: number; command?: string; since?: string },
  ) {
    super(
      `The database folder ${dataDir} is in use by another pairsift process (pid ${holder.pid}` +
        `${holder.command ? `, ${holder.command}` : ""}${holder.since ? `, since ${holder.since}` : ""}).\n` +
        "The embedded database can be opened by one process at a time. Either stop that process " +
        "(e.g. the web server started with `npm start`) and run this again, upload the file in the web app " +
        "instead, or use a PostgreSQL server by setting DATABASE_URL for both.",
    );
    this.name = "DataDirLockedError";
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
  // A recycled pid that is not a node process is not our holder.
  try {
    const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8");
    return /node|next|pairsift/.test(cmd);
  } catch {
    return true;
  }
}

const held = new Set<string>();

/** Takes the lock on `dataDir` for this process (idempotent). Released when the process exits. */
export function acquireDataDirLock(dataDir: string, command: string): () => void {
  const file = path.join(dataDir, "pairsift.lock");
  if (held.has(file)) return () => {};
  fs.mkdirSync(dataDir, { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, "wx");
      fs.writeSync(fd, JSON.stringify({ pid: process.pid, command, since: new Date().toISOString() }));
      fs.closeSync(fd);
      held.add(file);
      const release = () => {
        if (!held.delete(file)) return;
        try {
          const cur = JSON.parse(fs.readFileSync(file, "utf8")) as { pid?: number };
          if (cur.pid === process.pid) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
      process.once("exit", release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      let holder: { pid: number; command?: string; since?: string } | undefined;
      try {
        holder = JSON.parse(fs.readFileSync(file, "utf8"));
      } catch {
        holder = undefined;
      }
      if (holder && typeof holder.pid === "number" && isAlive(holder.pid)) {
        throw new DataDirLockedError(dataDir, holder);
      }
      // Stale lock (holder died without cleaning up): remove and retry.
      try {
        fs.unlinkSync(file);
      } catch {
        // raced with another process; retry
      }
    }
  }
  throw new Error(`Could not take the lock file ${file}`);
}
