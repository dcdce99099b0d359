import { expect, type Page, test } from "@playwright/test";

const DEMO = "e5-synthetic-demo (generated)";

/** The data set page of the generated demo set, and the id of the first record carrying `defect`. */
async function openDemo(page: Page, defect?: string): Promise<{ datasetUrl: string; recordId: string }> {
  await page.goto("/datasets");
  await page.getByRole("link", { name: DEMO }).click();
  await expect(page.getByRole("heading", { name: DEMO })).toBeVisible();
  if (defect) {
    // Filter the table to records carrying the defect (the URL holds the view).
    await page.goto(`${new URL(page.url()).pathname}?defect=${defect}`);
  }
  const table = page.getByRole("table", { name: "Records" });
  const row = table.getByRole("row").nth(1);
  const recordId = (await row.getByRole("cell").nth(1).textContent())?.trim() ?? "";
  return { datasetUrl: new URL(page.url()).pathname, recordId };
}

/** Keys work once the page is hydrated; the buttons are enabled from then on. */
async function interactive(page: Page) {
  await expect(page.getByRole("button", { name: "Shortcuts" })).toBeEnabled();
}

const status = (page: Page, value: string) => page.getByText(`Status: ${value}`, { exact: true });

test("review a flagged record from the keyboard: accept, undo, reject, drop a negative", async ({ page }) => {
  const { datasetUrl, recordId } = await openDemo(page, "self_explanation");
  await page.goto(`${datasetUrl}/records/${recordId}`);
  await expect(page.getByRole("heading", { name: `Record ${recordId}` })).toBeVisible();
  await expect(status(page, "pending")).toBeVisible();
  await interactive(page);

  // The evidence is highlighted in place, in the positive, and listed with its detector.
  const positive = page.getByRole("region", { name: "Positive" });
  await expect(positive.locator("mark").first()).toBeVisible();
  await expect(page.getByRole("region", { name: /^Flags/ })).toContainText("self_explanation");

  // The shortcut help.
  await page.keyboard.press("?");
  const help = page.getByRole("dialog", { name: "Keyboard shortcuts" });
  await expect(help).toBeVisible();
  await expect(help.getByRole("row", { name: /Undo the last decision/ })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(help).toBeHidden();

  // Accept with `a`: the next record opens at once.
  const nextHref = await page.getByRole("link", { name: "Next record" }).getAttribute("href");
  await page.keyboard.press("a");
  await expect(page).toHaveURL(new RegExp(`${nextHref}$`));
  await expect(page.getByRole("heading", { name: `Record ${nextHref!.split("/").pop()}` })).toBeVisible();

  // Back to the accepted record, undo with `u`: pending again.
  await page.goBack();
  await expect(page.getByRole("heading", { name: `Record ${recordId}` })).toBeVisible();
  await expect(status(page, "accepted")).toBeVisible();
  await interactive(page);
  await page.keyboard.press("u");
  await expect(status(page, "pending")).toBeVisible();
  await expect(page.getByRole("status")).toContainText("Undone");
  const history = page.getByRole("list", { name: "Decisions, newest first" });
  await expect(history.getByRole("listitem")).toHaveCount(2);

  // Reject with `r`: the reason comes from the flags; Enter confirms and the next record opens.
  await page.keyboard.press("r");
  const dialog = page.getByRole("dialog", { name: "Reject record" });
  const reason = dialog.getByLabel("Reason");
  await expect(reason).toHaveValue(/self_explanation/);
  // Typing in the field never triggers the shortcuts (a = accept, j = next record).
  await reason.press("End");
  await page.keyboard.type(" (a j k)");
  await expect(reason).toHaveValue(/self_explanation.* \(a j k\)$/);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`${nextHref}$`));

  // Back again: rejected.
  await page.getByRole("link", { name: "Previous record" }).click();
  await expect(status(page, "rejected")).toBeVisible();
  await expect(page.getByRole("list", { name: "Decisions, newest first" })).toContainText("(a j k)");
  await interactive(page);

  // Select the first negative with `1` and drop it with `d`.
  await page.keyboard.press("1");
  const negative = page.getByRole("article", { name: "Negative 1" });
  await expect(negative).toHaveAttribute("aria-current", "true");
  await page.keyboard.press("d");
  await expect(negative).toContainText("dropped");
  await expect(negative.getByRole("button", { name: "Drop negative" })).toBeDisabled();
  await expect(status(page, "relabeled")).toBeVisible();
});

test("strip a flagged span: the text loses it and the flag goes away", async ({ page }) => {
  const { datasetUrl, recordId } = await openDemo(page, "self_explanation");
  await page.goto(`${datasetUrl}/records/${recordId}`);
  const positive = page.getByRole("region", { name: "Positive" });
  await interactive(page);
  const marked = (await positive.locator("mark").first().textContent()) ?? "";
  await page.keyboard.press("x");
  await expect(page.getByRole("status")).toContainText("Removed the flagged span");
  await expect(positive.locator("mark")).toHaveCount(0);
  await expect(positive).not.toContainText(marked.trim());
  await page.keyboard.press("u");
  await expect(positive.locator("mark").first()).toBeVisible();
});

test("two reviewers decide the same record: one wins, the other sees the stale version", async ({
  browser,
}) => {
  const a = await browser.newContext();
  const b = await browser.newContext();
  try {
    const pa = await a.newPage();
    const pb = await b.newPage();
    const { datasetUrl } = await openDemo(pa);
    const table = pa.getByRole("table", { name: "Records" });
    const recordId =
      (await table.getByRole("row").nth(8).getByRole("cell").nth(1).textContent())?.trim() ?? "";
    const url = `${datasetUrl}/records/${recordId}`;
    await pa.goto(url);
    await pb.goto(url);
    await expect(status(pa, "pending")).toBeVisible();
    await expect(status(pb, "pending")).toBeVisible();
    await interactive(pa);
    await interactive(pb);

    await pa.keyboard.press("a");
    await expect(pa).not.toHaveURL(new RegExp(`/records/${recordId}$`));

    await pb.getByRole("button", { name: "Reject" }).click();
    await pb.getByRole("dialog", { name: "Reject record" }).getByLabel("Reason").fill("not a good pair");
    await pb.getByRole("button", { name: "Reject record" }).click();
    await expect(pb.getByRole("alert").filter({ hasText: "changed by someone else" })).toHaveText(
      "This record was changed by someone else since you opened it — the fresh version is shown; nothing was saved.",
    );
    await expect(pb).toHaveURL(new RegExp(`/records/${recordId}$`));
    await expect(status(pb, "accepted")).toBeVisible();
    const history = pb.getByRole("list", { name: "Decisions, newest first" });
    await expect(history.getByRole("listitem")).toHaveCount(1);
    await expect(history).toContainText("accept");
  } finally {
    await a.close();
    await b.close();
  }
});
