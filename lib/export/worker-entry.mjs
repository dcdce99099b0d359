// Entry of the export encoder thread (lib/export/encoder.ts). Worker threads do not inherit the
// TypeScript loader of the thread that starts them (tsx in the CLI and the bench, vite in vitest,
// a bundle under `next start`), so this plain module registers tsx — with this package's tsconfig
// for the `@/` paths, as bin/pairsift.mjs does — and then loads the worker written in TypeScript.
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
register({ tsconfig: path.join(root, "tsconfig.json") });
await import(pathToFileURL(path.join(root, "lib", "export", "encode-worker.ts")).href);
