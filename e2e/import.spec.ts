import { expect, test } from "@playwright/test";

/** A FlagEmbedding JSONL with `good` valid lines and two broken ones (lines 3 and 6). */
function mixedFile(good: number): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < good; i++) {
    lines.push(
      JSON.stringify({
        query: `how do reviewers find leaked queries ${i}`,
        pos: [`A positive passage number ${i} about reviewing synthetic retrieval data.`],
        neg: [`An unrelated negative ${i}.`, `Another negative ${i} about cooking pasta.`],
        prompt: "Given a question, retrieve passages that answer it.",
      }),
    );
    if (lines.length === 2) lines.push('{"query": "broken", "pos": ["x"], "neg": [');
    if (lines.length === 5) lines.push(JSON.stringify({ query: "no positive here", neg: ["a"] }));
  }
  return Buffer.from(`${lines.join("\n")}\n`);
}

test("the demo data sets are listed on first start", async ({ page }) => {
  await page.goto("/datasets");
  await expect(page.getByRole("heading", { name: "Data sets" })).toBeVisible();
  await expect(page.getByRole("link", { name: /t2ranking/ })).toBeVisible();
  await expect(page.getByRole("link", { name: /e5-synthetic/ })).toBeVisible();
});

test("upload a file, watch progress, see the records and the rejected lines", async ({ page }) => {
  await page.goto("/datasets");
  await page.getByLabel("File", { exact: true }).setInputFiles({
    name: "reviewer-upload.jsonl",
    mimeType: "application/octet-stream",
    buffer: mixedFile(20_000),
  });
  await expect(page.getByLabel("Data set name")).toHaveValue("reviewer-upload");
  await page.getByRole("button", { name: "Import" }).click();

  await expect(page.getByRole("progressbar", { name: "Import progress" })).toBeVisible();
  const status = page.getByRole("status");
  await expect(status).toContainText("Imported", { timeout: 120_000 });
  await expect(status).toContainText("20,000 records loaded");
  await expect(status).toContainText("2 lines rejected");
  const rejected = status.getByRole("table", { name: "Rejected lines" });
  await expect(rejected.getByRole("row")).toHaveCount(3);
  await expect(rejected.getByRole("row").nth(1)).toContainText("3");
  await expect(rejected.getByRole("row").nth(2)).toContainText(/6.*positive|6.*"pos"/);

  // The data set page: the records table, keyset pages, and the import with its rejected lines.
  await status.getByRole("link", { name: "reviewer-upload" }).click();
  await expect(page.getByRole("heading", { name: "reviewer-upload" })).toBeVisible();
  await expect(page.getByText("20,000 in all")).toBeVisible();
  const table = page.getByRole("table", { name: "Records" });
  await expect(table).toContainText("how do reviewers find leaked queries 0");
  await page.getByRole("link", { name: "Next page" }).click();
  await expect(table).toContainText("how do reviewers find leaked queries 100");
  await page.getByText("2 rejected lines").click();
  await expect(page.getByRole("table", { name: "Rejected lines" })).toContainText("3");

  // Importing the same file again adds nothing.
  await page.goto("/datasets");
  await page.getByLabel("File", { exact: true }).setInputFiles({
    name: "reviewer-upload.jsonl",
    mimeType: "application/octet-stream",
    buffer: mixedFile(20_000),
  });
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByRole("status")).toContainText("0 records loaded, 20,000 already present", {
    timeout: 120_000,
  });
});

test("a passage holding HTML is shown as text", async ({ page }) => {
  await page.goto("/datasets");
  const evil = {
    query: "<img src=x onerror=\"document.title='pwned'\">",
    pos: ["<script>document.title='pwned'</script> plain passage"],
    neg: ["<b>bold?</b>"],
  };
  await page.getByLabel("File", { exact: true }).setInputFiles({
    name: "hostile.jsonl",
    mimeType: "application/octet-stream",
    buffer: Buffer.from(`${JSON.stringify(evil)}\n`),
  });
  await page.getByRole("button", { name: "Import" }).click();
  await expect(page.getByRole("status")).toContainText("1 record loaded");
  await page.getByRole("status").getByRole("link", { name: "hostile" }).click();
  await expect(page.getByText("<script>document.title='pwned'</script> plain passage")).toBeVisible();
  await expect(page.getByText(`<img src=x onerror="document.title='pwned'">`)).toBeVisible();
  expect(await page.title()).not.toBe("pwned");
});

test("the data set page shows defect counts and the flags on each record", async ({ page }) => {
  await page.goto("/datasets");
  await page.getByRole("link", { name: "t2ranking-zh (demo)" }).click();
  const defects = page.getByRole("list", { name: "Records flagged per defect" });
  await expect(defects).toContainText("duplicate_negative");
  await expect(defects.getByRole("listitem").filter({ hasText: "duplicate_negative" })).toContainText(
    "6 records",
  );
  // Record 10 of the file (the 10th row) repeats a positive among its negatives.
  const row = page
    .getByRole("table", { name: /Records/ })
    .getByRole("row")
    .nth(10);
  await expect(row.getByRole("listitem").filter({ hasText: "duplicate_negative" })).toBeVisible();
});
