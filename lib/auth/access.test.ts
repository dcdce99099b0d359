import { describe, expect, it } from "vitest";
import {
  allows,
  authEnabledFor,
  effectiveRole,
  localPrincipal,
  membershipSchema,
  newUserSchema,
  type Principal,
  safeNextPath,
} from "./access";

const member: Principal = { id: "u1", email: "m@x.org", name: "M", role: "member" };
const admin: Principal = { id: "u2", email: "a@x.org", name: "A", role: "admin" };

describe("roles", () => {
  it("admins hold every data set; members only their own role; others nothing", () => {
    expect(effectiveRole(admin, null)).toBe("admin");
    expect(effectiveRole(admin, "viewer")).toBe("admin");
    expect(effectiveRole(member, "reviewer")).toBe("reviewer");
    expect(effectiveRole(member, null)).toBeNull();
  });
  it("viewer reads; reviewer reads and reviews; only admin manages", () => {
    expect([allows("viewer", "read"), allows("viewer", "review"), allows("viewer", "manage")]).toEqual([
      true,
      false,
      false,
    ]);
    expect([allows("reviewer", "read"), allows("reviewer", "review"), allows("reviewer", "manage")]).toEqual([
      true,
      true,
      false,
    ]);
    expect([allows("admin", "read"), allows("admin", "review"), allows("admin", "manage")]).toEqual([
      true,
      true,
      true,
    ]);
    expect(allows(null, "read")).toBe(false);
  });
  it("sign-in defaults: on with PostgreSQL, off with PGlite; PAIRSIFT_AUTH overrides", () => {
    expect(authEnabledFor({ DATABASE_URL: "postgres://x/y" })).toBe(true);
    expect(authEnabledFor({})).toBe(false);
    expect(authEnabledFor({ DATABASE_URL: "postgres://x/y", PAIRSIFT_AUTH: "off" })).toBe(false);
    expect(authEnabledFor({ PAIRSIFT_AUTH: "on" })).toBe(true);
  });
  it("the local user is an admin named by PAIRSIFT_REVIEWER", () => {
    expect(localPrincipal(undefined)).toMatchObject({ role: "admin", email: "local reviewer" });
    expect(localPrincipal("kim")).toMatchObject({ role: "admin", email: "kim", id: null });
  });
});

describe("inputs", () => {
  it("normalises emails and refuses short passwords and unknown roles", () => {
    expect(
      newUserSchema.parse({ email: " Ann@Example.ORG ", name: "Ann", password: "12345678" }),
    ).toMatchObject({
      email: "ann@example.org",
      role: "member",
    });
    expect(
      newUserSchema.safeParse({ email: "ann@example.org", name: "Ann", password: "short" }).success,
    ).toBe(false);
    expect(
      newUserSchema.safeParse({ email: "not an email", name: "Ann", password: "12345678" }).success,
    ).toBe(false);
    expect(membershipSchema.safeParse({ datasetId: "3", email: "a@b.co", role: "owner" }).success).toBe(
      false,
    );
    expect(membershipSchema.parse({ datasetId: "3", email: "a@b.co", role: "viewer" }).datasetId).toBe(3);
  });
  it("a next path after sign-in stays on this site", () => {
    expect(safeNextPath("/datasets/3?status=pending")).toBe("/datasets/3?status=pending");
    for (const bad of [
      "https://evil.example/",
      "//evil.example/x",
      "/\\evil.example",
      "javascript:alert(1)",
      "",
      null,
    ])
      expect(safeNextPath(bad)).toBe("/datasets");
  });
});
