/** Ports and the secret of the two test servers (shared by playwright.config.ts and the specs). */
export const PORT = Number(process.env.E2E_PORT ?? 3107);
/** A second server with sign-in on (e2e/auth.spec.ts): roles, access over HTTP, hostile passages. */
export const AUTH_PORT = PORT + 1;
/** Known to the tests so they can prove it never reaches a browser bundle or a page. */
export const E2E_AUTH_SECRET = "e2e-secret-do-not-ship-3f9a7c1b5d2e4f60a8b9c0d1e2f3a4b5";
