import { getAuth } from "@/lib/server/auth";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/** better-auth's endpoints: sign-in, sign-out, session (its own origin check guards the POSTs). */
async function handle(request: Request): Promise<Response> {
  return (await getAuth()).handler(request);
}

export { handle as GET, handle as POST };
