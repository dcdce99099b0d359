import "server-only";
import { betterAuth } from "better-auth";
import { drizzleAdapter } from "better-auth/adapters/drizzle";
import { nextCookies } from "better-auth/next-js";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { getDatasetById } from "@/db/queries/datasets";
import { datasetRoleOf, sessionSecret } from "@/db/queries/users";
import { accounts, sessions, users, verifications } from "@/db/schema";
import { getDatabase } from "@/db/server";
import {
  allows,
  authEnabledFor,
  type EffectiveRole,
  localPrincipal,
  type Need,
  type Principal,
} from "@/lib/auth/access";
import { readEnv } from "@/lib/env";

/** Is sign-in required? (PAIRSIFT_AUTH, else on with PostgreSQL and off with embedded PGlite.) */
export function authEnabled(): boolean {
  return authEnabledFor(readEnv());
}

async function createAuth() {
  const database = await getDatabase();
  const env = readEnv();
  const secret = env.BETTER_AUTH_SECRET ?? (await sessionSecret(database));
  return betterAuth({
    secret,
    database: drizzleAdapter(database.db, {
      provider: "pg",
      schema: { user: users, session: sessions, account: accounts, verification: verifications },
    }),
    // Users are created by an admin (or `pairsift user add`), never by a public sign-up form.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8, maxPasswordLength: 128 },
    user: {
      additionalFields: { role: { type: "string", required: false, input: false, defaultValue: "member" } },
    },
    session: { expiresIn: 60 * 60 * 24 * 7, updateAge: 60 * 60 * 24 },
    // CSRF: the auth endpoints accept only requests whose Origin is the host that was asked.
    trustedOrigins: (request) => {
      const host = request?.headers.get("x-forwarded-host") ?? request?.headers.get("host");
      if (!host) return [];
      const proto =
        request?.headers.get("x-forwarded-proto") ?? new URL(request!.url).protocol.replace(":", "");
      return [`${proto}://${host}`];
    },
    rateLimit: {
      enabled: true,
      window: 60,
      max: 1000,
      customRules: { "/sign-in/email": { window: 60, max: env.PAIRSIFT_SIGNIN_LIMIT } },
    },
    telemetry: { enabled: false },
    plugins: [nextCookies()],
  });
}

export type Auth = Awaited<ReturnType<typeof createAuth>>;
const g = globalThis as unknown as { __pairsiftAuth?: Promise<Auth> };

/** The better-auth instance (built once, after the database is open). */
export function getAuth(): Promise<Auth> {
  if (!g.__pairsiftAuth) {
    g.__pairsiftAuth = createAuth().catch((e) => {
      g.__pairsiftAuth = undefined;
      throw e;
    });
  }
  return g.__pairsiftAuth;
}

/** The signed-in user of a request (null: signed out). The local admin when sign-in is off. */
export async function principalFrom(requestHeaders: Headers): Promise<Principal | null> {
  if (!authEnabled()) return localPrincipal(readEnv().PAIRSIFT_REVIEWER);
  const auth = await getAuth();
  const s = await auth.api.getSession({ headers: requestHeaders });
  if (!s) return null;
  const role = (s.user as { role?: string }).role === "admin" ? "admin" : "member";
  return { id: s.user.id, email: s.user.email, name: s.user.name, role };
}

/** The signed-in user of the current page or server action. */
export async function currentPrincipal(): Promise<Principal | null> {
  return principalFrom(await headers());
}

/** Why access was refused: 401 signed out, 403 role too low, 404 not a member (or no such data set). */
export class AccessError extends Error {
  constructor(
    readonly status: 401 | 403 | 404,
    message: string,
  ) {
    super(message);
  }
}

export interface Access {
  principal: Principal;
  role: EffectiveRole;
}

const NEED_TEXT: Record<Need, string> = {
  read: "read this data set",
  review: "review this data set (the reviewer role)",
  manage: "manage this data set (the admin role)",
};

/** Checks a principal's access to a data set; throws AccessError. Non-members get 404, not 403. */
export async function checkDatasetAccess(
  principal: Principal | null,
  datasetId: number,
  need: Need,
): Promise<Access> {
  if (!principal) throw new AccessError(401, "Sign in first.");
  const database = await getDatabase();
  const role = await datasetRoleOf(database, principal, datasetId);
  if (!role || !(await getDatasetById(database, datasetId))) {
    throw new AccessError(404, "No such data set.");
  }
  if (!allows(role, need)) throw new AccessError(403, `You may not ${NEED_TEXT[need]}.`);
  return { principal, role };
}

/** Instance-wide admin check (users, imports). */
export function checkAdmin(principal: Principal | null): Principal {
  if (!principal) throw new AccessError(401, "Sign in first.");
  if (principal.role !== "admin") throw new AccessError(403, "Only an admin may do this.");
  return principal;
}

/** For pages: signed out → the sign-in page (back here afterwards); no access → 404. */
export async function pageAccess(datasetId: number, need: Need, here: string): Promise<Access> {
  try {
    return await checkDatasetAccess(await currentPrincipal(), datasetId, need);
  } catch (e) {
    if (!(e instanceof AccessError)) throw e;
    if (e.status === 401) redirect(`/sign-in?next=${encodeURIComponent(here)}`);
    if (e.status === 404) notFound();
    throw e;
  }
}

/** For pages that need a signed-in user but no data set. */
export async function pagePrincipal(here: string): Promise<Principal> {
  const p = await currentPrincipal();
  if (!p) redirect(`/sign-in?next=${encodeURIComponent(here)}`);
  return p;
}

/** For route handlers: the access, or the JSON error response to send. */
export async function routeAccess(
  request: Request,
  datasetId: number,
  need: Need,
): Promise<Access | Response> {
  try {
    return await checkDatasetAccess(await principalFrom(request.headers), datasetId, need);
  } catch (e) {
    if (e instanceof AccessError) return accessErrorResponse(e);
    throw e;
  }
}

export function accessErrorResponse(e: AccessError): Response {
  return new Response(JSON.stringify({ error: e.message }), {
    status: e.status,
    headers: { "content-type": "application/json" },
  });
}

/**
 * Same-origin check for route handlers that change data (server actions get Next.js's own check):
 * a browser always sends Origin on a cross-site POST; it must name the host that was asked.
 */
export function crossOriginRefusal(request: Request): Response | null {
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (!origin || !host) return null;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = "";
  }
  if (originHost === host) return null;
  return new Response(JSON.stringify({ error: "Cross-origin request refused." }), {
    status: 403,
    headers: { "content-type": "application/json" },
  });
}

/** For server actions: the access, or a failure the form shows (signed out, role too low, no access). */
export async function actionAccess(
  datasetId: number,
  need: Need,
): Promise<{ ok: true; access: Access } | { ok: false; kind: "forbidden"; message: string }> {
  try {
    return { ok: true, access: await checkDatasetAccess(await currentPrincipal(), datasetId, need) };
  } catch (e) {
    if (e instanceof AccessError) {
      const message =
        e.status === 401 ? "Your session has ended — sign in again; nothing was saved." : e.message;
      return { ok: false, kind: "forbidden", message };
    }
    throw e;
  }
}
