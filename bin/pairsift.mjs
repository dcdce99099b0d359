#!/usr/bin/env node
// The `pairsift` command: runs cli/main.ts through tsx (TypeScript, path aliases from this package's tsconfig).
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { register } from "tsx/esm/api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
process.env.PAIRSIFT_ROOT ??= root;
register({ tsconfig: path.join(root, "tsconfig.json") });
const { main } = await import(pathToFileURL(path.join(root, "cli", "main.ts")).href);
process.exitCode = await main(process.argv.slice(2));
