/**
 * Worker threads of this installation (detection, export encoding). Each area has a plain module
 * `lib/AREA/worker-entry.mjs` that registers tsx — worker threads do not inherit the TypeScript
 * loader of the thread that starts them (tsx in the CLI and the bench, vite in vitest, a bundle under
 * `next start`) — and then loads the worker written in TypeScript. Entries are found under
 * PAIRSIFT_ROOT (set by bin/pairsift.mjs) or the working directory: code bundled by Next.js cannot
 * point a worker at its own TypeScript sources, but the server runs from the package folder. Without
 * an entry (or when a worker cannot start) callers do the work in-process.
 */
import fs from "node:fs";
import path from "node:path";
import * as workerThreads from "node:worker_threads";

/**
 * The Worker class, looked up at run time: a bundler that sees `new Worker(path)` takes the path
 * for a module to bundle, and with a path known only at run time it pulls in the whole package.
 */
export const Worker = Reflect.get(workerThreads, "Worker") as typeof workerThreads.Worker;
export type Worker = workerThreads.Worker;

/** The worker entry of an area of this installation, or undefined. */
export function workerEntryOf(area: "detect" | "export"): string | undefined {
  // turbopackIgnore: a path computed at run time; left alone, the bundler would trace (and try to
  // bundle) the whole package folder into the server build.
  for (const root of [process.env.PAIRSIFT_ROOT, process.cwd()]) {
    if (!root) continue;
    const file = path.join(/* turbopackIgnore: true */ root, "lib", area, "worker-entry.mjs");
    if (fs.existsSync(/* turbopackIgnore: true */ file)) return file;
  }
  return undefined;
}
