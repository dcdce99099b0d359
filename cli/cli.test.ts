import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const BIN = path.join(ROOT, "bin/pairsift.mjs");
const T2 = path.join(ROOT, "test/fixtures/real/zh_t2ranking_100.jsonl");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pairsift-cli-"));

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    cwd: tmp,
    env: { ...process.env, DATABASE_URL: "", PAIRSIFT_DATA_DIR: path.join(tmp, "db"), ...env },
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("pairsift CLI", () => {
  it("--help everywhere, exit 0", () => {
    for (const args of [
      ["--help"],
      ["import", "--help"],
      ["scan", "--help"],
      ["detect", "--help"],
      ["datasets", "--help"],
    ]) {
      const r = run(args);
      expect(r.code, args.join(" ")).toBe(0);
      expect(r.out).toMatch(/Usage: pairsift/);
    }
  });

  it("usage errors exit 2", () => {
    expect(run(["import"]).code).toBe(2);
    expect(run(["import", "missing.jsonl"]).code).toBe(2);
    expect(run(["import", T2, "--format", "nope"]).code).toBe(2);
    expect(run(["frobnicate"]).code).toBe(2);
    expect(run(["scan", T2, "--fail-over", "7"]).code).toBe(2);
  });

  it("imports zh_t2ranking_100.jsonl: 100 records; rejected lines exit 1 with their numbers", () => {
    const ok = run(["import", T2, "--dataset", "t2"]);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/100 loaded, 0 already present, 0 rejected/);
    const bad = path.join(tmp, "bad.jsonl");
    fs.writeFileSync(bad, `${fs.readFileSync(T2, "utf8").split("\n")[0]}\n{broken\n`);
    const r = run(["import", bad, "--dataset", "t2"]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/0 loaded, 1 already present, 1 rejected/);
    expect(r.err).toMatch(/line 2: invalid JSON/);
    const list = run(["datasets", "--json"]);
    expect(JSON.parse(list.out)).toEqual([
      expect.objectContaining({ name: "t2", records: 100, negatives: 1500 }),
    ]);
  });

  it("scan --json prints one line per record and flags the six duplicated negatives", () => {
    const r = run(["scan", T2, "--json", "--teacher", "none"]);
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(100);
    expect(lines.map((l) => l.line)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    const dup = lines
      .filter((l) =>
        l.flags.some(
          (f: { defect: string; target: string; evidence: { note: string }[] }) =>
            f.defect === "duplicate_negative" &&
            f.target === "negative" &&
            /positive/.test(f.evidence[0]?.note ?? ""),
        ),
      )
      .map((l) => l.line);
    expect(dup).toEqual([10, 19, 47, 52, 82, 83]);
    expect(r.err).toMatch(/scanned 100 records/);
    expect(run(["scan", T2, "--teacher", "none", "--fail-over", "0.01"]).code).toBe(1);
  });
});
