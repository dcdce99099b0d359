import { expect, type Page, test } from "@playwright/test";

const DEMO = "e5-synthetic-demo (generated)";

async function openDemo(page: Page) {
  await page.goto("/datasets");
  await page.getByRole("link", { name: DEMO }).click();
  await expect(page.getByRole("heading", { name: DEMO })).toBeVisible();
}

const filters = (page: Page) => page.getByRole("complementary", { name: "Filters" });
const table = (page: Page) => page.getByRole("table", { name: "Records" });
const dataRows = (page: Page) =>
  table(page)
    .getByRole("row")
    .filter({ has: page.getByRole("checkbox") })
    .filter({ hasNot: page.getByRole("columnheader") });

test("filter by a defect, sort, search: the URL holds the view and a reload reproduces it", async ({
  page,
}) => {
  await openDemo(page);
  await expect(page.getByText("400 in all")).toBeVisible();

  await filters(page)
    .getByRole("checkbox", { name: /self_explanation/ })
    .check();
  await expect(page).toHaveURL(/defect=self_explanation/);
  await expect(page.getByText(/^11 of 400 match$/)).toBeVisible();
  const rows = dataRows(page);
  await expect(rows).toHaveCount(11);
  for (const row of await rows.all()) {
    await expect(row.getByRole("list", { name: "Defects" })).toContainText("self_explanation");
  }

  // Sort by score, highest first (a second click flips the direction).
  await table(page)
    .getByRole("link", { name: /^Sort by Score/ })
    .click();
  await expect(page).toHaveURL(/sort=score/);
  await table(page)
    .getByRole("link", { name: /^Sort by Score/ })
    .click();
  await expect(page).toHaveURL(/dir=desc/);
  await expect(table(page).getByRole("columnheader", { name: /Score/ })).toHaveAttribute(
    "aria-sort",
    "descending",
  );

  // The link reproduces the view.
  await page.reload();
  await expect(page.getByText(/^11 of 400 match$/)).toBeVisible();
  await expect(filters(page).getByRole("checkbox", { name: /self_explanation/ })).toBeChecked();

  // Search from the keyboard: `/` focuses the box.
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page.getByText("400 in all")).toBeVisible();
  await page.locator("body").press("/");
  await expect(page.getByRole("searchbox", { name: /Search/ })).toBeFocused();
  await page.keyboard.type("Toronto");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/q=Toronto/);
  const count = page.getByText(/^\d+ of 400 match$/);
  await expect(count).toBeVisible();
  const n = Number((await count.textContent())?.split(" ")[0]);
  expect(n).toBeGreaterThan(0);
  expect(n).toBeLessThan(400);
  await expect(dataRows(page).first()).toBeVisible();
});

test("bulk rule: preview, apply, undo as a whole; selected rows", async ({ page }) => {
  await openDemo(page);
  await filters(page)
    .getByRole("checkbox", { name: /duplicate_record/ })
    .check();
  await expect(page.getByText(/^3 of 400 match$/)).toBeVisible();

  const bulk = page.getByRole("group", { name: "Bulk actions" });
  await bulk.getByText("Bulk actions").click();
  await bulk.getByRole("radio", { name: /All 3 matching this filter/ }).check();
  await bulk.getByRole("combobox", { name: "Action" }).selectOption("reject");
  await bulk.getByRole("textbox", { name: "Reason" }).fill("duplicate of another record");
  await bulk.getByRole("textbox", { name: "Rule name" }).fill("reject duplicate records");
  await bulk.getByRole("button", { name: "Preview" }).click();
  await expect(bulk.getByRole("status", { name: "Bulk preview" })).toContainText(
    "Would change 3 of 3 matching records",
  );
  await bulk.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText(/Rule #\d+ applied: 3 records changed/)).toBeVisible();
  for (const row of await dataRows(page).all()) await expect(row).toContainText("rejected");

  const rules = page.getByRole("region", { name: "Bulk rules" });
  await expect(rules).toContainText("reject duplicate records");
  await rules.getByRole("button", { name: "Undo rule reject duplicate records" }).click();
  await expect(rules.getByText("Restored 3 records.")).toBeVisible();
  await expect(rules).toContainText("undone by");
  for (const row of await dataRows(page).all()) await expect(row).toContainText("pending");

  // Selected rows only (two pending records: other tests may have decided some already).
  await page.goto(`${new URL(page.url()).pathname}?status=pending`);
  const count = page.getByText(/^[\d,]+ of 400 match$/);
  await expect(count).toBeVisible();
  const pendingBefore = Number((await count.textContent())!.split(" ")[0]!.replace(",", ""));
  const ids: string[] = [];
  for (const row of (await dataRows(page).all()).slice(0, 2)) {
    ids.push((await row.getByRole("cell").nth(1).textContent())!.trim());
  }
  for (const id of ids) {
    await table(page)
      .getByRole("checkbox", { name: `Select record ${id}`, exact: true })
      .check();
  }
  await expect(bulk.getByRole("radio", { name: "2 selected rows" })).toBeChecked();
  await expect(bulk.getByRole("combobox", { name: "Action" })).toHaveValue("accept");
  await bulk.getByRole("button", { name: "Preview" }).click();
  await expect(bulk.getByRole("status", { name: "Bulk preview" })).toContainText("Would change 2 of 2");
  await bulk.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText(/Rule #\d+ applied: 2 records changed/)).toBeVisible();
  await expect(page.getByText(`${(pendingBefore - 2).toLocaleString("en-US")} of 400 match`)).toBeVisible();
  for (const id of ids) {
    await expect(table(page).getByRole("checkbox", { name: `Select record ${id}`, exact: true })).toHaveCount(
      0,
    );
  }
});

test("invalid or hostile values in the address are ignored and said so", async ({ page }) => {
  await openDemo(page);
  const url = new URL(page.url());
  await page.goto(`${url.pathname}?sort=id;drop%20table%20records&status=pending'--&task=x'%20OR%201=1`);
  const notice = page.getByText(/^Ignored invalid filter values in the address/);
  await expect(notice).toContainText("sort");
  await expect(notice).toContainText("status");
  await expect(page.getByText("No records match this filter.")).toBeVisible();
  await page.goto(url.pathname);
  await expect(page.getByText("400 in all")).toBeVisible();
});
