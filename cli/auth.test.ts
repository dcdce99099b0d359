import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const BIN = path.join(ROOT, "bin/pairsift.mjs");
const T2 = path.join(ROOT, "test/fixtures/real/zh_t2ranking_100.jsonl");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "pairsift-cli-auth-"));

/** The CLI with sign-in on (as with PostgreSQL), on its own embedded database. */
function run(args: string[], env: Record<string, string> = {}, input?: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    cwd: tmp,
    input,
    env: {
      ...process.env,
      DATABASE_URL: "",
      PAIRSIFT_AUTH: "on",
      PAIRSIFT_USER: "",
      PAIRSIFT_DATA_DIR: path.join(tmp, "db"),
      ...env,
    },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("pairsift CLI with sign-in on: it acts as a named user, within that user's roles", () => {
  it("adds users, gives roles, and refuses what a role does not allow", () => {
    // Without a named user nothing runs.
    const anon = run(["datasets"]);
    expect(anon.code).toBe(1);
    expect(anon.err).toContain("sign-in is on");

    // The first user is the admin; the password comes from stdin (or PAIRSIFT_PASSWORD), never argv.
    const first = run(
      ["user", "add", "Admin@Example.org", "--name", "Ada", "--password-stdin"],
      {},
      "correct horse\n",
    );
    expect(first.code, first.err).toBe(0);
    expect(first.out).toContain("added admin@example.org (admin)");
    expect(
      run(["user", "add", "rev@example.org", "--name", "Rae"], { PAIRSIFT_PASSWORD: "12345678" }).out,
    ).toContain("(member)");
    const short = run(["user", "add", "x@example.org", "--name", "X"], { PAIRSIFT_PASSWORD: "short" });
    expect(short.code).toBe(2);
    expect(short.err).toContain("at least 8 characters");
    expect(run(["user", "list"]).out).toMatch(
      /admin@example\.org\tadmin\tAda\nrev@example\.org\tmember\tRae/,
    );

    // Only an admin imports.
    const byMember = run(["import", T2, "--dataset", "t2", "--no-detect", "--as", "rev@example.org"]);
    expect(byMember.code).toBe(1);
    expect(byMember.err).toContain("not an admin");
    const imp = run(["import", T2, "--dataset", "t2", "--no-detect", "--as", "admin@example.org"]);
    expect(imp.code, imp.err).toBe(0);

    // A member sees nothing until given a role.
    expect(run(["datasets", "--json"], { PAIRSIFT_USER: "rev@example.org" }).out.trim()).toBe("[]");
    expect(run(["audit", "-d", "t2", "--as", "rev@example.org"]).err).toContain("not a member");
    expect(run(["member", "add", "rev@example.org", "-d", "t2", "--role", "viewer"]).code).toBe(0);
    const listed = JSON.parse(run(["datasets", "--json"], { PAIRSIFT_USER: "rev@example.org" }).out) as {
      name: string;
    }[];
    expect(listed.map((d) => d.name)).toEqual(["t2"]);

    // A viewer reads (audit, export) but may not run detection.
    const audit = run(["audit", "-d", "t2", "--json", "--as", "rev@example.org"]);
    expect(audit.code, audit.err).toBe(0);
    const out = path.join(tmp, "t2.jsonl");
    const exp = run([
      "export",
      "-d",
      "t2",
      "--format",
      "flagembedding",
      "--out",
      out,
      "--as",
      "rev@example.org",
    ]);
    expect(exp.code, exp.err).toBe(0);
    expect(fs.existsSync(out)).toBe(true);
    const detect = run(["detect", "-d", "t2", "--as", "rev@example.org"]);
    expect(detect.code).toBe(1);
    expect(detect.err).toContain("is a viewer");

    // An unknown user is refused by name.
    expect(run(["audit", "-d", "t2", "--as", "nobody@example.org"]).err).toContain("no user has the email");
  }, 300_000);
});
