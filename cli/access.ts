import type { Database } from "@/db/client";
import { datasetRoleOf, getUserByEmail, principalOf } from "@/db/queries/users";
import { allows, authEnabledFor, localPrincipal, type Need, type Principal } from "@/lib/auth/access";
import { readEnv } from "@/lib/env";

/** Refused by the roles (exit 1, with the reason). */
export class CliAccessError extends Error {}

/**
 * The user the CLI acts as: with sign-in on (PostgreSQL by default), the user named by --as or
 * PAIRSIFT_USER, checked against the database; with sign-in off, the local admin.
 */
export async function cliPrincipal(database: Database, as: string | undefined): Promise<Principal> {
  const env = readEnv();
  if (!authEnabledFor(env)) return localPrincipal(env.PAIRSIFT_REVIEWER);
  if (!as) {
    throw new CliAccessError(
      "sign-in is on: name the user this command acts as with --as EMAIL (or PAIRSIFT_USER); add users with: pairsift user add",
    );
  }
  const user = await getUserByEmail(database, as);
  if (!user) throw new CliAccessError(`no user has the email ${as} (see: pairsift user list)`);
  return principalOf(user);
}

/** Checks the acting user's role on a data set; non-members are told the data set is not theirs. */
export async function cliDatasetAccess(
  database: Database,
  principal: Principal,
  datasetId: number,
  datasetName: string,
  need: Need,
): Promise<void> {
  const role = await datasetRoleOf(database, principal, datasetId);
  if (!role) throw new CliAccessError(`${principal.email} is not a member of the data set "${datasetName}"`);
  if (!allows(role, need)) {
    throw new CliAccessError(
      `${principal.email} is a ${role} of "${datasetName}"; this command needs ${need === "manage" ? "an admin" : "a reviewer"}`,
    );
  }
}

export function cliAdmin(principal: Principal): void {
  if (principal.role !== "admin")
    throw new CliAccessError(`${principal.email} is not an admin; this command needs one`);
}
