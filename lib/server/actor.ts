import "server-only";

/** The reviewer's name for decisions until sign-in exists (PAIRSIFT_REVIEWER, else "local reviewer"). */
export function currentActor(): string {
  return process.env.PAIRSIFT_REVIEWER || "local reviewer";
}
