import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { AUTH_PORT, E2E_AUTH_SECRET, PORT } from "./e2e/servers";

// Fresh embedded databases per run, so the journeys never depend on what an earlier run left.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pairsift-e2e-"));
const authDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "pairsift-e2e-auth-"));

const chromium = "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: fs.existsSync(chromium)
          ? {
              executablePath: chromium,
              args: [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
              ],
            }
          : {},
      },
    },
  ],
  // Started in order: the first builds the app if needed, the second finds the build fresh.
  webServer: [
    {
      command: "node scripts/start.mjs",
      url: `http://localhost:${PORT}/datasets`,
      timeout: 240_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        PORT: String(PORT),
        HOST: "127.0.0.1",
        PAIRSIFT_DATA_DIR: dataDir,
        DATABASE_URL: "",
        PAIRSIFT_AUTH: "off",
      },
    },
    {
      command: "node scripts/start.mjs",
      url: `http://localhost:${AUTH_PORT}/sign-in`,
      timeout: 240_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        PORT: String(AUTH_PORT),
        HOST: "127.0.0.1",
        PAIRSIFT_DATA_DIR: authDataDir,
        DATABASE_URL: "",
        PAIRSIFT_AUTH: "on",
        PAIRSIFT_SKIP_BUILD: "1",
        PAIRSIFT_MAX_UPLOAD_MB: "1",
        BETTER_AUTH_SECRET: E2E_AUTH_SECRET,
      },
    },
  ],
});
