#!/usr/bin/env node
// `npm start`: build the app if there is no build or the sources changed since, then serve it.
// The server migrates the database and loads the demo data into an empty one when it boots.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const nextBin = path.join(root, "node_modules", "next", "dist", "bin", "next");
const buildId = path.join(root, ".next", "BUILD_ID");
const SOURCES = [
  "app",
  "components",
  "lib",
  "db",
  "public",
  "instrumentation.ts",
  "proxy.ts",
  "next.config.ts",
  "package.json",
  "postcss.config.mjs",
];

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of fs.readdirSync(p)) max = Math.max(max, newestMtime(path.join(p, e)));
  return max;
}

function needsBuild() {
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

// PAIRSIFT_SKIP_BUILD=1: serve the existing build as is (a second server beside one that just built it;
// rebuilding under a running server would pull its chunks away).
if (process.env.PAIRSIFT_SKIP_BUILD === "1" && fs.existsSync(buildId)) {
  // nothing to do
} else if (needsBuild()) {
  console.log("pairsift: building the web app (first start or sources changed)…");
  const r = spawnSync(process.execPath, [nextBin, "build"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const port = process.env.PORT || "3000";
const host = process.env.HOST || "127.0.0.1";
console.log(
  `pairsift: serving http://localhost:${port} (database: ${process.env.DATABASE_URL ? "PostgreSQL" : `PGlite in ${process.env.PAIRSIFT_DATA_DIR || ".pairsift"}`})`,
);
const child = spawn(process.execPath, [nextBin, "start", "-p", port, "-H", host], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", PAIRSIFT_ROOT: root },
});
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
