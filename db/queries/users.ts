import { randomBytes, randomUUID } from "node:crypto";
import { hashPassword } from "better-auth/crypto";
import { and, asc, count, eq, sql } from "drizzle-orm";
import {
  type EffectiveRole,
  effectiveRole,
  type NewUser,
  newUserSchema,
  type Principal,
} from "@/lib/auth/access";
import type { Database } from "../client";
import {
  accounts,
  appSettings,
  type DatasetRole,
  datasetMembers,
  datasets,
  type UserRow,
  users,
} from "../schema";

export class UserError extends Error {}

export async function countUsers(database: Database): Promise<number> {
  const [row] = await database.db.select({ n: count() }).from(users);
  return row?.n ?? 0;
}

/**
 * Creates a user who signs in with email and password (the same scrypt hash and account row
 * better-auth writes on sign-up). The first user of an instance is always an admin.
 */
export async function createUser(
  database: Database,
  input: NewUser,
  opts: { onlyIfFirst?: boolean } = {},
): Promise<UserRow> {
  const u = newUserSchema.parse(input);
  const hash = await hashPassword(u.password);
  return database.db.transaction(async (tx) => {
    // One creator at a time decides who is first (a lock, not a race between two counts).
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext('pairsift_users'))`);
    const [existing] = await tx.select({ id: users.id }).from(users).where(eq(users.email, u.email));
    if (existing) throw new UserError(`A user with the email ${u.email} exists already.`);
    const [{ n } = { n: 0 }] = await tx.select({ n: count() }).from(users);
    if (opts.onlyIfFirst && n > 0) throw new UserError("The first admin exists already: sign in instead.");
    const id = randomUUID();
    const [row] = await tx
      .insert(users)
      .values({ id, email: u.email, name: u.name, role: n === 0 ? "admin" : u.role, emailVerified: false })
      .returning();
    await tx
      .insert(accounts)
      .values({ id: randomUUID(), accountId: id, providerId: "credential", userId: id, password: hash });
    return row!;
  });
}

export async function listUsers(database: Database) {
  return database.db
    .select({
      id: users.id,
      email: users.email,
      name: users.name,
      role: users.role,
      createdAt: users.createdAt,
    })
    .from(users)
    .orderBy(asc(users.email));
}

export async function getUserByEmail(database: Database, email: string): Promise<UserRow | null> {
  const [row] = await database.db.select().from(users).where(eq(users.email, email.trim().toLowerCase()));
  return row ?? null;
}

export function principalOf(user: Pick<UserRow, "id" | "email" | "name" | "role">): Principal {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** The principal's membership role on a data set (admins need none). */
export async function membershipRole(
  database: Database,
  userId: string,
  datasetId: number,
): Promise<DatasetRole | null> {
  const [row] = await database.db
    .select({ role: datasetMembers.role })
    .from(datasetMembers)
    .where(and(eq(datasetMembers.userId, userId), eq(datasetMembers.datasetId, datasetId)));
  return row?.role ?? null;
}

/** The role a principal holds on a data set: admin for admins, else its membership (null: none). */
export async function datasetRoleOf(
  database: Database,
  principal: Principal,
  datasetId: number,
): Promise<EffectiveRole | null> {
  if (principal.role === "admin") return "admin";
  if (!principal.id) return null;
  return effectiveRole(principal, await membershipRole(database, principal.id, datasetId));
}

/** Ids of the data sets a member may see (null: all of them — an admin). */
export async function visibleDatasetIds(
  database: Database,
  principal: Principal,
): Promise<Set<number> | null> {
  if (principal.role === "admin") return null;
  if (!principal.id) return new Set();
  const rows = await database.db
    .select({ id: datasetMembers.datasetId })
    .from(datasetMembers)
    .where(eq(datasetMembers.userId, principal.id));
  return new Set(rows.map((r) => r.id));
}

export async function setMembership(
  database: Database,
  datasetId: number,
  email: string,
  role: DatasetRole,
): Promise<void> {
  const user = await getUserByEmail(database, email);
  if (!user) throw new UserError(`No user has the email ${email}. An admin adds users first.`);
  const [ds] = await database.db.select({ id: datasets.id }).from(datasets).where(eq(datasets.id, datasetId));
  if (!ds) throw new UserError(`No data set has the id ${datasetId}.`);
  await database.db
    .insert(datasetMembers)
    .values({ datasetId, userId: user.id, role })
    .onConflictDoUpdate({ target: [datasetMembers.datasetId, datasetMembers.userId], set: { role } });
}

export async function removeMembership(database: Database, datasetId: number, userId: string): Promise<void> {
  await database.db
    .delete(datasetMembers)
    .where(and(eq(datasetMembers.datasetId, datasetId), eq(datasetMembers.userId, userId)));
}

export async function listMembers(database: Database, datasetId: number) {
  return database.db
    .select({ userId: users.id, email: users.email, name: users.name, role: datasetMembers.role })
    .from(datasetMembers)
    .innerJoin(users, eq(users.id, datasetMembers.userId))
    .where(eq(datasetMembers.datasetId, datasetId))
    .orderBy(asc(users.email));
}

/** The secret that signs session cookies: generated once per instance and kept in the database. */
export async function sessionSecret(database: Database): Promise<string> {
  await database.db
    .insert(appSettings)
    .values({ key: "auth_secret", value: randomBytes(32).toString("base64url") })
    .onConflictDoNothing();
  const [row] = await database.db.select().from(appSettings).where(eq(appSettings.key, "auth_secret"));
  return row!.value;
}
