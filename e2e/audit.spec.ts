import fs from "node:fs";
import { expect, test } from "@playwright/test";

const DEMO = "e5-synthetic-demo (generated)";

test("audit a data set: defect rates, chart, heatmap, draw a sample, download the CSV", async ({ page }) => {
  await page.goto("/datasets");
  await page.getByRole("link", { name: DEMO }).click();
  await expect(page.getByRole("heading", { name: DEMO })).toBeVisible();
  const datasetPath = new URL(page.url()).pathname;
  await page.goto(`${datasetPath}/audit`);
  await expect(page.getByRole("heading", { name: `Audit: ${DEMO}` })).toBeVisible();

  // The defect-rate table, by task: one row per task, sortable, each task a link to the review table.
  const rates = page.getByRole("table", { name: /Defect rates by task/ });
  await expect(rates).toBeVisible();
  expect(await rates.getByRole("row").count()).toBeGreaterThan(5);
  const recordsHeader = rates.getByRole("columnheader", { name: /Records/ });
  await expect(recordsHeader).toHaveAttribute("aria-sort", "none");
  await recordsHeader.getByRole("button").click();
  await expect(recordsHeader).toHaveAttribute("aria-sort", "descending");
  await expect(rates.getByRole("rowheader").first().getByRole("link")).toHaveAttribute(
    "href",
    new RegExp(`^${datasetPath}\\?task=`),
  );
  // Other groupings are a tab away.
  await page.getByRole("tab", { name: /By language/ }).click();
  await expect(page.getByRole("table", { name: /Defect rates by language/ })).toBeVisible();

  // The stacked chart (Recharts) draws bars; the heatmap's cells open the filtered review table.
  const chart = page.getByRole("img", { name: /Defect rate by task, stacked by defect/ });
  await expect(chart).toBeVisible();
  await expect(chart.locator(".recharts-bar-rectangle").first()).toBeVisible();
  const heatmap = page.getByRole("table", { name: /Task × defect heatmap/ });
  const cell = heatmap.getByRole("link").first();
  await expect(cell).toHaveAttribute("href", new RegExp(`^${datasetPath}\\?task=.+&defect=[a-z_]+$`));

  // Detector precision and progress tables are there (nothing reviewed yet on a fresh demo).
  await expect(page.getByRole("table", { name: /Detector precision per defect/ })).toBeVisible();
  await expect(page.getByRole("table", { name: /Review progress per task/ })).toBeVisible();

  // Draw an audit sample: 2 records per task.
  await page.getByLabel("Records per task").fill("2");
  await page.getByLabel("Seed").fill("7");
  await page.getByRole("button", { name: "Draw audit sample" }).click();
  await expect(page.getByRole("status").filter({ hasText: /Drew sample #\d+/ })).toBeVisible();
  const samples = page.getByRole("list", { name: "Audit samples" });
  const sample = samples.getByRole("listitem").first();
  await expect(sample).toContainText(/0\/\d+ reviewed/);
  await expect(sample.getByRole("link", { name: /Review sample #\d+/ })).toHaveAttribute(
    "href",
    new RegExp(`^${datasetPath}\\?sample=\\d+$`),
  );

  // The CSV download.
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/-audit-rates\.csv$/);
  const csv = fs.readFileSync((await file.path())!, "utf8");
  expect(csv.split("\r\n")[0]).toMatch(/^dimension,value,defect,records,flagged_records,flag_rate/);
  expect(csv).toMatch(/\r\ntask,/);
});
