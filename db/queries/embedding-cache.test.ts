import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../client";
import { importFile } from "../import-file";
import { ENGINES, openTestDatabase } from "../testing";
import { runDetection } from "./detect";
import { DbEmbeddingCache } from "./embedding-cache";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const FILE = path.join(ROOT, "test/fixtures/real/flagemb_msmarco_scored.jsonl");

/** Deterministic fake embeddings: a hashed bag of words, 16 dimensions. */
function embed(text: string): number[] {
  const v = new Array(16).fill(0);
  for (const w of text.toLowerCase().split(/\W+/)) {
    if (!w) continue;
    let h = 0;
    for (let i = 0; i < w.length; i++) h = (h * 31 + w.charCodeAt(i)) >>> 0;
    v[h % 16] += 1;
  }
  return v;
}

let server: Server;
let url = "";
let texts = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => {
      body += c;
    });
    req.on("end", () => {
      const input = JSON.parse(body).input as string[];
      texts += input.length;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ data: input.map((t, index) => ({ index, embedding: embed(t) })) }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/embeddings`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe.each(ENGINES)("embeddings teacher with the database cache on %s", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await openTestDatabase(engine);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("stores and returns vectors exactly", async () => {
    const cache = new DbEmbeddingCache(database);
    const v = new Float32Array([0.5, -1.25, 3e-8, 42]);
    await cache.set([["k1", v]]);
    await cache.set([["k1", new Float32Array([9])]]); // first write wins
    const [a, b] = await cache.get(["k1", "missing"]);
    expect(Array.from(a ?? [])).toEqual(Array.from(v));
    expect(b).toBeUndefined();
  });

  it("a detection rerun sends nothing already embedded", async () => {
    const { datasetId } = await importFile(database, { path: FILE, dataset: "msmarco" });
    texts = 0;
    const first = await runDetection(database, datasetId, {
      teacher: { kind: "http", url, model: "fake-16" },
    });
    expect(first).toMatchObject({ state: "done", recordsDone: 10, teacher: "http:fake-16" });
    expect(texts).toBeGreaterThan(100);
    texts = 0;
    const second = await runDetection(database, datasetId, {
      teacher: { kind: "http", url, model: "fake-16" },
    });
    expect(second.state).toBe("done");
    expect(texts).toBe(0);
    expect(second.flags).toBe(first.flags);
  });
});
