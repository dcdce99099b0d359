import { z } from "zod";

/** Environment, validated once. Unknown variables are ignored. */
export const envSchema = z.object({
  /** PostgreSQL connection string; when unset, pairsift uses embedded PGlite in PAIRSIFT_DATA_DIR. */
  DATABASE_URL: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "DATABASE_URL must start with postgres:// or postgresql://")
        .optional(),
    ),
  PAIRSIFT_DATA_DIR: z.string().trim().min(1).default(".pairsift"),
  /** Skip loading the demo data sets into an empty database. */
  PAIRSIFT_NO_DEMO: z
    .enum(["0", "1", "true", "false", ""])
    .optional()
    .transform((v) => v === "1" || v === "true"),
  /** Sign-in: "on" or "off"; unset = on with DATABASE_URL (shared server), off with embedded PGlite. */
  PAIRSIFT_AUTH: z.enum(["on", "off"]).optional(),
  /** Secret that signs session cookies; when unset, one is generated and kept in the database. */
  BETTER_AUTH_SECRET: z.string().min(32, "BETTER_AUTH_SECRET needs at least 32 characters").optional(),
  /** Sign-in attempts per minute and client address. */
  PAIRSIFT_SIGNIN_LIMIT: z.coerce.number().int().positive().default(30),
  /** With sign-in off: the name decisions are recorded under. */
  PAIRSIFT_REVIEWER: z.string().trim().max(200).optional(),
  /** With sign-in on: the user the CLI acts as (same as --as). */
  PAIRSIFT_USER: z.string().trim().max(320).optional(),
  /** Largest upload the web app accepts, in MiB. */
  PAIRSIFT_MAX_UPLOAD_MB: z.coerce.number().int().positive().default(2048),
});
export type Env = z.infer<typeof envSchema>;

export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = envSchema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return parsed.data;
}
