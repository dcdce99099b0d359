import { verifyPassword } from "better-auth/crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../client";
import { accounts, datasets } from "../schema";
import { ENGINES, openTestDatabase } from "../testing";
import {
  countUsers,
  createUser,
  datasetRoleOf,
  getUserByEmail,
  listMembers,
  membershipRole,
  removeMembership,
  sessionSecret,
  setMembership,
  UserError,
  visibleDatasetIds,
} from "./users";

describe.each(ENGINES)("users and members (%s)", (engine) => {
  let database: Database;
  let a: number;
  let b: number;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
    const [rows] = [
      await database.db
        .insert(datasets)
        .values([{ name: "A" }, { name: "B" }])
        .returning(),
    ];
    a = rows[0]!.id;
    b = rows[1]!.id;
  }, 60_000);
  afterAll(async () => database?.close());

  it("the first user is an admin whatever was asked; later ones get the asked role", async () => {
    const first = await createUser(database, {
      email: "Root@X.org",
      name: "Root",
      password: "correct horse",
    });
    expect(first).toMatchObject({ email: "root@x.org", role: "admin" });
    const second = await createUser(database, { email: "rev@x.org", name: "Rev", password: "12345678" });
    expect(second.role).toBe("member");
    expect(await countUsers(database)).toBe(2);
  });

  it("stores a scrypt hash that verifies, never the password", async () => {
    const u = await getUserByEmail(database, "root@x.org");
    const [acc] = await database.db.select().from(accounts).where(eq(accounts.userId, u!.id));
    expect(acc!.providerId).toBe("credential");
    expect(acc!.password).not.toContain("correct horse");
    expect(await verifyPassword({ hash: acc!.password!, password: "correct horse" })).toBe(true);
    expect(await verifyPassword({ hash: acc!.password!, password: "wrong" })).toBe(false);
  });

  it("refuses a duplicate email and a second 'first admin'", async () => {
    await expect(
      createUser(database, { email: "rev@x.org", name: "X", password: "12345678" }),
    ).rejects.toThrow(UserError);
    await expect(
      createUser(database, { email: "new@x.org", name: "X", password: "12345678" }, { onlyIfFirst: true }),
    ).rejects.toThrow(/first admin exists/);
  });

  it("members see only their data sets, with their role; admins see all", async () => {
    const rev = (await getUserByEmail(database, "rev@x.org"))!;
    await setMembership(database, a, "rev@x.org", "viewer");
    await setMembership(database, a, "rev@x.org", "reviewer"); // changes the role
    expect(await membershipRole(database, rev.id, a)).toBe("reviewer");
    expect(await membershipRole(database, rev.id, b)).toBeNull();
    const asMember = { id: rev.id, email: rev.email, name: rev.name, role: "member" as const };
    expect(await datasetRoleOf(database, asMember, a)).toBe("reviewer");
    expect(await datasetRoleOf(database, asMember, b)).toBeNull();
    expect(await datasetRoleOf(database, { ...asMember, role: "admin" }, b)).toBe("admin");
    expect(await datasetRoleOf(database, { ...asMember, id: null }, a)).toBeNull();
    const visible = await visibleDatasetIds(database, {
      id: rev.id,
      email: rev.email,
      name: rev.name,
      role: "member",
    });
    expect([...visible!]).toEqual([a]);
    expect(await visibleDatasetIds(database, { id: "x", email: "r", name: "r", role: "admin" })).toBeNull();
    expect((await listMembers(database, a)).map((m) => [m.email, m.role])).toEqual([
      ["rev@x.org", "reviewer"],
    ]);
    await expect(setMembership(database, a, "nobody@x.org", "viewer")).rejects.toThrow(/No user/);
    await removeMembership(database, a, rev.id);
    expect(await membershipRole(database, rev.id, a)).toBeNull();
  });

  it("a membership with an unknown role is refused by the database too", async () => {
    const rev = (await getUserByEmail(database, "rev@x.org"))!;
    await expect(
      database.raw.query("INSERT INTO dataset_members (dataset_id, user_id, role) VALUES ($1, $2, 'owner')", [
        a,
        rev.id,
      ]),
    ).rejects.toThrow();
  });

  it("keeps one session secret per instance", async () => {
    const s1 = await sessionSecret(database);
    expect(s1.length).toBeGreaterThanOrEqual(40);
    expect(await sessionSecret(database)).toBe(s1);
  });
});
