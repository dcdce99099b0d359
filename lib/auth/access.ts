import { z } from "zod";
import { DATASET_ROLES, type DatasetRole, USER_ROLES, type UserRole } from "@/db/schema";
import { datasetIdParam } from "@/lib/ids";

/**
 * Who may do what. An admin manages data sets, members and settings and may do everything on every
 * data set; anyone else sees only the data sets they are a member of, as a reviewer (decides) or a
 * viewer (reads). With sign-in off (the embedded single-user default) the local user is an admin.
 */
export type Need = "read" | "review" | "manage";
export type EffectiveRole = "admin" | DatasetRole;

export interface Principal {
  /** The users.id, or null for the local user when sign-in is off. */
  id: string | null;
  email: string;
  name: string;
  role: UserRole;
}

const RANK: Record<EffectiveRole, number> = { viewer: 1, reviewer: 2, admin: 3 };
const NEEDED: Record<Need, number> = { read: 1, review: 2, manage: 3 };

/** The role a principal holds on one data set (null: no access at all). */
export function effectiveRole(principal: Principal, membership: DatasetRole | null): EffectiveRole | null {
  if (principal.role === "admin") return "admin";
  return membership;
}

export function allows(role: EffectiveRole | null, need: Need): boolean {
  return role !== null && RANK[role] >= NEEDED[need];
}

/** The one user of an instance with sign-in off: an admin, named by PAIRSIFT_REVIEWER. */
export function localPrincipal(name: string | undefined): Principal {
  const n = name || "local reviewer";
  return { id: null, email: n, name: n, role: "admin" };
}

/** The name decisions are recorded under. */
export function actorName(principal: Principal): string {
  return principal.email;
}

export const emailSchema = z.string().trim().toLowerCase().pipe(z.email("enter a valid email address"));
export const passwordSchema = z
  .string()
  .min(8, "the password needs at least 8 characters")
  .max(128, "the password may have at most 128 characters");

export const newUserSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1, "enter a name").max(100),
  password: passwordSchema,
  role: z.enum(USER_ROLES).default("member"),
});
export type NewUser = z.input<typeof newUserSchema>;

export const membershipSchema = z.object({
  datasetId: datasetIdParam,
  email: emailSchema,
  role: z.enum(DATASET_ROLES),
});

/** PAIRSIFT_AUTH: "on" / "off"; unset means on with PostgreSQL (a shared server) and off with PGlite. */
export function authEnabledFor(env: { PAIRSIFT_AUTH?: "on" | "off"; DATABASE_URL?: string }): boolean {
  if (env.PAIRSIFT_AUTH) return env.PAIRSIFT_AUTH === "on";
  return Boolean(env.DATABASE_URL);
}

/** A same-site `next` path after sign-in (never an absolute or protocol-relative URL). */
export function safeNextPath(next: string | null | undefined): string {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "/datasets";
  return next;
}
