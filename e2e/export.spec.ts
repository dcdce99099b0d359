import fs from "node:fs";
import { expect, type Page, test } from "@playwright/test";
import { FORMATS } from "../lib/formats/catalog";

const DEMO = "e5-synthetic-demo (generated)";

/** The demo data set's id, from its link on the data sets page. */
async function demoId(page: Page): Promise<string> {
  await page.goto("/datasets");
  const href = await page.getByRole("link", { name: DEMO }).getAttribute("href");
  return href!.split("/").pop()!;
}

/** JSON Lines of a download, each line parsed with the import parser of `format`. */
function parseLines(file: string, format: keyof typeof FORMATS) {
  const lines = fs.readFileSync(file, "utf8").split("\n").filter(Boolean);
  return lines.map((l) => {
    const r = FORMATS[format].toRecord(JSON.parse(l));
    if (!r.ok) throw new Error(`${format}: ${r.reason}`);
    return r.record;
  });
}

test("export: accept a record, download the curated set with progress, and the manifest", async ({
  page,
}) => {
  const id = await demoId(page);

  // A pending record (Tevatron's query_id is the record id for the demo's id-less records).
  const probe = await page.request.get(
    `/api/datasets/${id}/export?format=tevatron&include=pending&order=plain&template=none`,
  );
  expect(probe.ok()).toBe(true);
  expect(probe.headers()["content-disposition"]).toContain("attachment");
  const first = JSON.parse((await probe.text()).split("\n")[0]!) as { query_id: string; query: string };

  // Accept it through the record view's Accept button.
  await page.goto(`/datasets/${id}/records/${first.query_id}`);
  await expect(page.getByRole("heading", { name: `Record ${first.query_id}` })).toBeVisible();
  await expect(page.getByRole("button", { name: "Shortcuts" })).toBeEnabled();
  await page.getByRole("button", { name: /^Accept/ }).click();
  await expect(page).not.toHaveURL(new RegExp(`/records/${first.query_id}$`));

  // The export page: default statuses (accepted, relabeled), FlagEmbedding with the E5 instruction.
  await page.goto(`/datasets/${id}/export`);
  await expect(page.getByRole("heading", { name: `Export ${DEMO}` })).toBeVisible();
  await expect(page.getByLabel("Format")).toHaveValue("flagembedding");
  await expect(page.getByRole("checkbox", { name: /^accepted/ })).toBeChecked();
  await expect(page.getByRole("checkbox", { name: /^pending/ })).not.toBeChecked();
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export", exact: true }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/\.jsonl$/);
  await expect(page.getByRole("status")).toContainText("Saved");
  const accepted = parseLines((await download.path())!, "flagembedding");
  expect(accepted.length).toBeGreaterThanOrEqual(1);
  const mine = accepted.find((r) => r.query === first.query);
  expect(mine?.task).toMatch(/^Instruct: .*\nQuery: $/s);

  // Pending included, Tevatron: the whole view minus rejected, progress shown in records.
  await page.getByLabel("Format").selectOption("tevatron");
  await page.getByRole("checkbox", { name: /^pending/ }).check();
  await page.getByLabel("Negatives per query").fill("2");
  const [download2] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export", exact: true }).click(),
  ]);
  await expect(page.getByRole("status")).toContainText(/Saved .*records/);
  const all = parseLines((await download2.path())!, "tevatron");
  expect(all.length).toBeGreaterThan(accepted.length);
  expect(all.every((r) => r.negatives.length <= 2)).toBe(true);

  // The manifest of that export.
  const [manifestDownload] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download manifest" }).click(),
  ]);
  const manifest = JSON.parse(fs.readFileSync((await manifestDownload.path())!, "utf8"));
  expect(manifest.dataset.name).toBe(DEMO);
  expect(manifest.counts.records).toBe(all.length);
  expect(manifest.counts.byStatus.accepted).toBeGreaterThanOrEqual(1);
  expect(manifest.outputs[0].sha256).toMatch(/^[0-9a-f]{64}$/);
  expect(manifest.detectors.length).toBeGreaterThan(0);

  // Invalid options are refused by the route with a reason.
  const bad = await page.request.get(`/api/datasets/${id}/export?negatives=-3`);
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toContain("negatives");
});
