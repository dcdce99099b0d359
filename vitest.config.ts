import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    include: [
      "lib/**/*.test.ts",
      "db/**/*.test.ts",
      "cli/**/*.test.ts",
      "bench/**/*.test.ts",
      "eval/**/*.test.ts",
    ],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // PGlite instances are heavy; keep parallelism modest on 2 cores.
    maxWorkers: 2,
  },
});
