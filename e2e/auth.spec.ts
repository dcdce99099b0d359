import fs from "node:fs";
import path from "node:path";
import { type APIRequestContext, type Browser, expect, type Page, request, test } from "@playwright/test";
import { AUTH_PORT, E2E_AUTH_SECRET } from "./servers";

// Every journey here runs against the second server, which has sign-in on.
const BASE = `http://localhost:${AUTH_PORT}`;
test.use({ baseURL: BASE });
test.describe.configure({ mode: "serial" });

const DEMO = "e5-synthetic-demo (generated)";
const OTHER = "msmarco-scored (demo)";
const PASSWORD = "a long enough password";
const USERS = {
  admin: { email: "admin@example.org", name: "Ada Admin" },
  reviewer: { email: "rev@example.org", name: "Rae Reviewer" },
  viewer: { email: "view@example.org", name: "Vic Viewer" },
  outsider: { email: "other@example.org", name: "Oli Outsider" },
} as const;

let demoId = "";
let otherId = "";

async function signInPage(page: Page, who: keyof typeof USERS) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(USERS[who].email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Data sets" })).toBeVisible();
}

/** An HTTP client signed in through the auth endpoint (cookies kept in the context). */
async function apiAs(who: keyof typeof USERS | null): Promise<APIRequestContext> {
  const ctx = await request.newContext({ baseURL: BASE, extraHTTPHeaders: { origin: BASE } });
  if (who) {
    const r = await ctx.post("/api/auth/sign-in/email", {
      data: { email: USERS[who].email, password: PASSWORD },
    });
    expect(r.status(), await r.text()).toBe(200);
  }
  return ctx;
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE });
  return context.newPage();
}

test("first visit: set up the admin, add users, give them roles on data sets", async ({ page }) => {
  await page.goto("/datasets");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fdatasets/);
  await expect(page.getByRole("heading", { name: "Set up pairsift" })).toBeVisible();
  await page.getByLabel("Name").fill(USERS.admin.name);
  await page.getByLabel("Email").fill(USERS.admin.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create admin account" }).click();
  await expect(page.getByRole("heading", { name: "Data sets" })).toBeVisible();
  await expect(page.getByText(`(${USERS.admin.email} · admin)`)).toBeVisible();

  demoId = (await page.getByRole("link", { name: DEMO }).getAttribute("href"))!.split("/").pop()!;
  otherId = (await page.getByRole("link", { name: OTHER }).getAttribute("href"))!.split("/").pop()!;

  await page.getByRole("link", { name: "Users" }).click();
  const form = page.getByRole("form", { name: "Add a user" });
  for (const who of ["reviewer", "viewer", "outsider"] as const) {
    await form.getByLabel("Email").fill(USERS[who].email);
    await form.getByLabel("Name").fill(USERS[who].name);
    await form.getByLabel("Password").fill(PASSWORD);
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(form.getByRole("status")).toHaveText(`Added ${USERS[who].email} (member).`);
  }
  // A too-short password is refused with a reason.
  await form.getByLabel("Email").fill("short@example.org");
  await form.getByLabel("Name").fill("Short");
  await form.getByLabel("Password").fill("12345678");
  await form.getByLabel("Password").evaluate((el) => el.removeAttribute("minlength"));
  await form.getByLabel("Password").fill("1234");
  await form.getByRole("button", { name: "Add user" }).click();
  await expect(form.getByRole("alert")).toContainText("at least 8 characters");

  const addMember = async (datasetId: string, who: keyof typeof USERS, role: "reviewer" | "viewer") => {
    await page.goto(`/datasets/${datasetId}/members`);
    const f = page.getByRole("form", { name: "Add a member" });
    await f.getByLabel("Email").fill(USERS[who].email);
    await f.getByLabel("Role").selectOption(role);
    await f.getByRole("button", { name: "Add member" }).click();
    await expect(f.getByRole("status")).toContainText(`is now a ${role}`);
  };
  await addMember(demoId, "reviewer", "reviewer");
  await addMember(demoId, "viewer", "viewer");
  await addMember(otherId, "outsider", "reviewer");
});

test("over HTTP: signed out gets 401 or the sign-in page; each role gets exactly its access", async () => {
  const anon = await apiAs(null);
  expect((await anon.get(`/api/datasets/${demoId}/export?format=flagembedding`)).status()).toBe(401);
  expect((await anon.get(`/api/datasets/${demoId}/audit?format=json`)).status()).toBe(401);
  expect((await anon.post("/api/import?dataset=x&filename=x.jsonl", { data: "{}" })).status()).toBe(401);
  const page = await anon.get(`/datasets/${demoId}`, { maxRedirects: 0 });
  expect([303, 307]).toContain(page.status());
  expect(page.headers().location).toContain(`/sign-in?next=%2Fdatasets%2F${demoId}`);

  const viewer = await apiAs("viewer");
  expect((await viewer.get(`/api/datasets/${demoId}/audit?format=json`)).status()).toBe(200);
  expect((await viewer.get(`/api/datasets/${otherId}/audit?format=json`)).status()).toBe(404);
  expect((await viewer.get(`/datasets/${otherId}`)).status()).toBe(404);
  expect((await viewer.post("/api/import?dataset=x&filename=x.jsonl", { data: "{}" })).status()).toBe(403);
  const list = await (await viewer.get("/datasets")).text();
  expect(list).toContain(DEMO);
  expect(list).not.toContain(OTHER);

  const outsider = await apiAs("outsider");
  expect((await outsider.get(`/api/datasets/${demoId}/export?format=flagembedding`)).status()).toBe(404);
  expect(
    (await outsider.get(`/api/datasets/${otherId}/export?format=flagembedding&manifest=1`)).status(),
  ).toBe(200);

  // A wrong password and a cross-site sign-in are refused.
  const bad = await request.newContext({ baseURL: BASE, extraHTTPHeaders: { origin: BASE } });
  const wrong = await bad.post("/api/auth/sign-in/email", {
    data: { email: USERS.admin.email, password: "nope-nope" },
  });
  expect(wrong.status()).toBe(401);
  const evil = await request.newContext({
    baseURL: BASE,
    extraHTTPHeaders: { origin: "http://evil.example" },
  });
  const cross = await evil.post("/api/auth/sign-in/email", {
    data: { email: USERS.admin.email, password: PASSWORD },
  });
  expect(cross.status()).toBe(403);
  const adminEvil = await apiAs("admin");
  const crossImport = await adminEvil.post("/api/import?dataset=x&filename=x.jsonl", {
    data: "{}",
    headers: { origin: "http://evil.example" },
  });
  expect(crossImport.status()).toBe(403);
  for (const c of [anon, viewer, outsider, bad, evil, adminEvil]) await c.dispose();
});

test("a viewer sees the record read-only, and the server refuses a decision sent anyway", async ({
  browser,
}) => {
  const reviewerPage = await newPage(browser);
  await signInPage(reviewerPage, "reviewer");
  await reviewerPage.goto(`/datasets/${demoId}?status=pending`);
  const recordId = (await reviewerPage
    .getByRole("table", { name: "Records" })
    .getByRole("row")
    .nth(1)
    .getByRole("cell")
    .nth(1)
    .textContent())!.trim();

  const viewerPage = await newPage(browser);
  await signInPage(viewerPage, "viewer");
  await viewerPage.goto(`/datasets/${demoId}/records/${recordId}`);
  await expect(viewerPage.getByRole("note")).toContainText("Read-only");
  await expect(viewerPage.getByRole("button", { name: /^Accept/ })).toBeDisabled();
  // No bulk actions for a viewer either.
  await viewerPage.goto(`/datasets/${demoId}`);
  await expect(viewerPage.getByRole("table", { name: "Records" })).toBeVisible();
  await expect(viewerPage.getByRole("group", { name: "Bulk actions" })).toHaveCount(0);
  await expect(reviewerPage.getByRole("group", { name: "Bulk actions" })).toHaveCount(1);

  // Capture the reviewer's own "Accept" server-action request, without letting it through…
  await reviewerPage.goto(`/datasets/${demoId}/records/${recordId}`);
  await expect(reviewerPage.getByRole("button", { name: /^Accept/ })).toBeEnabled();
  let captured: { url: string; headers: Record<string, string>; body: string } | null = null;
  await reviewerPage.route(`**/datasets/${demoId}/records/${recordId}`, async (route) => {
    const req = route.request();
    if (req.method() === "POST" && req.headers()["next-action"] && !captured) {
      captured = { url: req.url(), headers: req.headers(), body: req.postData() ?? "" };
      await route.abort();
      return;
    }
    await route.continue();
  });
  await reviewerPage.getByRole("button", { name: /^Accept/ }).click();
  await expect.poll(() => captured !== null).toBe(true);
  const replay = async (ctx: APIRequestContext) => {
    const { cookie: _c, ...headers } = captured!.headers;
    const r = await ctx.post(captured!.url, { headers: { ...headers, origin: BASE }, data: captured!.body });
    return r.text();
  };
  // …and send it as the viewer (role too low) and as a reviewer of another data set (no access).
  const viewer = await apiAs("viewer");
  expect(await replay(viewer)).toContain("You may not review this data set");
  const outsider = await apiAs("outsider");
  expect(await replay(outsider)).toContain("No such data set.");
  const anon = await apiAs(null);
  expect(await replay(anon)).toContain("sign in again");
  // Nothing was decided: the record is still pending, with no decision logged.
  const decisions = await (await viewer.get(`/datasets/${demoId}/decisions`)).text();
  expect(decisions).toContain("No decisions yet.");

  // The reviewer's own request goes through, and is logged under the reviewer's email.
  await reviewerPage.unrouteAll();
  await reviewerPage.reload();
  await expect(reviewerPage.getByRole("button", { name: /^Accept/ })).toBeEnabled();
  const nextHref = await reviewerPage.getByRole("link", { name: "Next record" }).getAttribute("href");
  await reviewerPage.keyboard.press("a");
  await expect(reviewerPage).toHaveURL(new RegExp(`${nextHref}$`));
  await viewerPage.goto(`/datasets/${demoId}/decisions`);
  await expect(viewerPage.getByRole("link", { name: `${USERS.reviewer.email} · 1` })).toBeVisible();
  const log = viewerPage.getByRole("table", { name: "Decisions log" });
  await expect(log.getByRole("row")).toHaveCount(2);
  await expect(log.getByRole("row").nth(1)).toContainText(USERS.reviewer.email);
  await expect(log.getByRole("row").nth(1)).toContainText(`#${recordId}`);
  for (const c of [viewer, outsider, anon]) await c.dispose();
});

test("hostile passages render as text, never as HTML", async ({ page }) => {
  const admin = await apiAs("admin");
  const hostile = [
    {
      query: "what is <b>bold</b>?",
      pos: ["<script>window.__pwned = 1</script>A passage with a script tag."],
      neg: ['<img src=x onerror="window.__pwned = 2"> an image that must not load'],
    },
  ];
  const body = hostile.map((r) => JSON.stringify(r)).join("\n");
  // Over the upload limit (1 MB on this server): refused with the reason, and nothing is created.
  const big = `${JSON.stringify(hostile[0])}\n`.repeat(Math.ceil((1.5 * 1024 * 1024) / body.length));
  const tooBig = await admin.post("/api/import?dataset=too-big&filename=big.jsonl", { data: big });
  expect(tooBig.status()).toBe(413);
  expect((await tooBig.json()).error).toContain("1 MB upload limit");
  expect(await (await admin.get("/datasets")).text()).not.toContain("too-big");
  const r = await admin.post("/api/import?dataset=hostile&filename=hostile.jsonl&format=flagembedding", {
    data: body,
    headers: { "content-type": "application/octet-stream" },
  });
  expect(r.status(), await r.text()).toBe(200);
  await admin.dispose();

  let dialogs = 0;
  page.on("dialog", async (d) => {
    dialogs++;
    await d.dismiss();
  });
  await signInPage(page, "admin");
  await page.getByRole("link", { name: "hostile" }).click();
  const table = page.getByRole("table", { name: "Records" });
  await expect(table).toContainText("what is <b>bold</b>?");
  await table.getByRole("row").nth(1).getByRole("link").first().click();
  await expect(page.getByRole("region", { name: "Positive" })).toContainText(
    "<script>window.__pwned = 1</script>",
  );
  await expect(page.getByText('<img src=x onerror="window.__pwned = 2">', { exact: false })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator("main img").count()).toBe(0);
  expect(await page.locator("main b").count()).toBe(0);
  expect(dialogs).toBe(0);
});

test("security headers, and no secret in the browser bundles or pages", async () => {
  const admin = await apiAs("admin");
  const res = await admin.get("/datasets");
  const h = res.headers();
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["content-security-policy"]).toContain("default-src 'self'");
  // Scripts run only with this response's nonce: no 'unsafe-inline', a fresh nonce per page.
  const nonce = /'nonce-([^']+)'/.exec(h["content-security-policy"] ?? "")?.[1];
  expect(nonce).toBeTruthy();
  expect(h["content-security-policy"]).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  const again = (await admin.get("/datasets")).headers()["content-security-policy"];
  expect(again).not.toContain(nonce);
  const api = (await admin.get(`/api/datasets/${demoId}/audit?format=json`)).headers();
  expect(api["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
  expect(api["x-content-type-options"]).toBe("nosniff");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["x-frame-options"]).toBe("DENY");
  const html = await res.text();
  expect(html).not.toContain(E2E_AUTH_SECRET);
  await admin.dispose();

  const staticDir = path.join(process.cwd(), ".next", "static");
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(js|css|json)$/.test(e.name)) files.push(p);
    }
  };
  walk(staticDir);
  expect(files.length).toBeGreaterThan(5);
  // Server-only code and configuration never ship: no secret, no connection strings, no SQL of the data layer.
  const forbidden = [
    E2E_AUTH_SECRET,
    "postgres://",
    "BETTER_AUTH_SECRET",
    "pg_advisory_xact_lock",
    "app_settings",
  ];
  for (const f of files) {
    const text = fs.readFileSync(f, "utf8");
    for (const word of forbidden)
      expect(text.includes(word), `${word} in ${path.relative(staticDir, f)}`).toBe(false);
  }
});
