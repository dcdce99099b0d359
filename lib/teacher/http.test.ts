import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DetectRecord } from "@/lib/detect/types";
import {
  EmbeddingClient,
  embeddingCacheKey,
  embeddingsUrl,
  formatQuery,
  httpTeacher,
  MemoryEmbeddingCache,
  normalize,
} from "./http";
import { createTeacher } from "./index";
import { arraySource, scoreAll } from "./types";

const DIM = 32;

/** Deterministic fake embedding: hashed bag of lower-cased words. */
function fakeEmbedding(text: string): number[] {
  const v = new Array<number>(DIM).fill(0);
  for (const w of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
    if (!w) continue;
    let h = 2166136261;
    for (let i = 0; i < w.length; i++) h = Math.imul(h ^ w.charCodeAt(i), 16777619);
    v[(h >>> 0) % DIM]! += 1;
  }
  return v;
}

interface ServerState {
  requests: { inputs: string[]; auth?: string }[];
  /** Per request number (1-based): what to do instead of answering. */
  plan: (n: number) => "ok" | "500" | "429" | "400" | "slow";
  inFlight: number;
  maxInFlight: number;
}

const state: ServerState = { requests: [], plan: () => "ok", inFlight: 0, maxInFlight: 0 };
let server: Server;
let base = "";

function handler(req: IncomingMessage, res: ServerResponse) {
  let body = "";
  req.on("data", (c) => {
    body += c;
  });
  req.on("end", () => {
    const n = state.requests.length + 1;
    const { input } = JSON.parse(body) as { input: string[] };
    state.requests.push({ inputs: input, auth: req.headers.authorization });
    state.inFlight++;
    state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
    const done = () => state.inFlight--;
    const action = state.plan(n);
    const answer = () => {
      done();
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          object: "list",
          data: input.map((t, index) => ({ object: "embedding", index, embedding: fakeEmbedding(t) })),
        }),
      );
    };
    if (action === "500") {
      done();
      res.writeHead(500).end("boom");
    } else if (action === "429") {
      done();
      res.writeHead(429, { "retry-after": "0" }).end("slow down");
    } else if (action === "400") {
      done();
      res.writeHead(400).end("bad model");
    } else if (action === "slow") {
      setTimeout(answer, 400);
    } else {
      setTimeout(answer, 5);
    }
  });
}

beforeAll(async () => {
  server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});
beforeEach(() => {
  state.requests = [];
  state.plan = () => "ok";
  state.inFlight = 0;
  state.maxInFlight = 0;
});

const rec = (query: string, positive: string, negatives: string[], task?: string): DetectRecord => ({
  task,
  query,
  positive: { text: positive },
  extraPositives: [],
  negatives: negatives.map((text) => ({ text })),
  taskFamily: "short-long",
  params: {},
});

const records = [
  rec(
    "bakery opening hours",
    "The bakery opens at seven in the morning.",
    ["The museum opens at ten.", "Bread recipes."],
    "Retrieve shop information",
  ),
  rec("capital of france", "Paris is the capital of France.", [
    "Berlin is the capital of Germany.",
    "The museum opens at ten.",
  ]),
  rec("rust borrow checker", "The borrow checker enforces ownership rules in Rust.", [
    "Python uses garbage collection.",
  ]),
];

const cos = (a: number[], b: number[]) => {
  const x = normalize(Float32Array.from(a));
  const y = normalize(Float32Array.from(b));
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
};

describe("helpers", () => {
  it("builds the embeddings URL from a base URL", () => {
    expect(embeddingsUrl("http://h:8080")).toBe("http://h:8080/v1/embeddings");
    expect(embeddingsUrl("http://h:8080/v1/")).toBe("http://h:8080/v1/embeddings");
    expect(embeddingsUrl("http://h/v1/embeddings")).toBe("http://h/v1/embeddings");
  });
  it("formats the query with the instruction, or alone without a task", () => {
    const t = "Instruct: {task}\nQuery: {query}";
    expect(formatQuery(t, { task: "Find docs", query: "q1" })).toBe("Instruct: Find docs\nQuery: q1");
    expect(formatQuery(t, { task: "  ", query: "q1" })).toBe("q1");
    expect(formatQuery(t, { query: "q1" })).toBe("q1");
  });
  it("keys the cache by sha256(model NUL text)", () => {
    expect(embeddingCacheKey("m", "t")).toMatch(/^[0-9a-f]{64}$/);
    expect(embeddingCacheKey("m", "t")).not.toBe(embeddingCacheKey("m2", "t"));
    expect(embeddingCacheKey("m", "t")).toBe(createHash("sha256").update("m\0t").digest("hex"));
  });
});

describe("http teacher", () => {
  it("scores cosine similarity and ranks in the pool of embedded passages", async () => {
    const cache = new MemoryEmbeddingCache();
    const teacher = httpTeacher({ url: base, model: "fake", batchSize: 2, cache, apiKey: "sk-test" });
    const out = await scoreAll(teacher, arraySource(records));
    expect(out.size).toBe(3);
    // every distinct passage once, then the queries
    const sent = state.requests.flatMap((r) => r.inputs);
    const passages = new Set(records.flatMap((r) => [r.positive.text, ...r.negatives.map((n) => n.text)]));
    expect(sent.length).toBe(passages.size + records.length);
    expect(new Set(sent.slice(0, passages.size))).toEqual(passages);
    expect(sent).toContain("Instruct: Retrieve shop information\nQuery: bakery opening hours");
    expect(sent).toContain("capital of france");
    expect(state.requests.every((r) => r.auth === "Bearer sk-test")).toBe(true);
    expect(state.requests.every((r) => r.inputs.length <= 2)).toBe(true);
    expect(state.maxInFlight).toBeLessThanOrEqual(2);

    const pool = [...passages];
    records.forEach((r, k) => {
      const res = out.get(k)!;
      const q = fakeEmbedding(formatQuery("Instruct: {task}\nQuery: {query}", r));
      const all = pool.map((p) => cos(q, fakeEmbedding(p)));
      const rank = (s: number) => 1 + all.filter((x) => x > s + 1e-6).length;
      expect(res.teacher).toBe("http:fake");
      expect(res.positive).toBeCloseTo(cos(q, fakeEmbedding(r.positive.text)), 5);
      expect(res.positiveRank).toBe(rank(res.positive!));
      res.negatives.forEach((s, i) => {
        expect(s).toBeCloseTo(cos(q, fakeEmbedding(r.negatives[i]!.text)), 5);
        expect(res.negativeRanks![i]).toBe(rank(s!));
      });
    });
    expect(out.get(1)!.positiveRank).toBe(1);
  });

  it("costs nothing on a rerun with the same cache", async () => {
    const cache = new MemoryEmbeddingCache();
    const first = await scoreAll(httpTeacher({ url: base, model: "fake", cache }), arraySource(records));
    expect(state.requests.length).toBeGreaterThan(0);
    state.requests = [];
    const second = await scoreAll(httpTeacher({ url: base, model: "fake", cache }), arraySource(records));
    expect(state.requests.length).toBe(0);
    expect([...second.values()]).toEqual([...first.values()]);
    // another model does not hit that cache
    await scoreAll(httpTeacher({ url: base, model: "other", cache }), arraySource(records));
    expect(state.requests.length).toBeGreaterThan(0);
  });

  it("retries a 500 and a 429, then succeeds", async () => {
    state.plan = (n) => (n === 1 ? "500" : n === 2 ? "429" : "ok");
    const client = new EmbeddingClient({ url: base, model: "fake", retryBaseMs: 1 });
    const v = await client.embed(["hello world"]);
    expect(v[0]!.length).toBe(DIM);
    expect(state.requests.length).toBe(3);
  });

  it("gives up after 4 attempts with the endpoint and the last reason", async () => {
    state.plan = () => "500";
    const client = new EmbeddingClient({ url: base, model: "fake", retryBaseMs: 1 });
    await expect(client.embed(["x"])).rejects.toThrow(
      `teacher endpoint ${base}/v1/embeddings failed after 4 attempts: HTTP 500: boom`,
    );
    expect(state.requests.length).toBe(4);
  });

  it("fails at once on a 4xx other than 429", async () => {
    state.plan = () => "400";
    const client = new EmbeddingClient({ url: base, model: "fake", retryBaseMs: 1 });
    await expect(client.embed(["x"])).rejects.toThrow(/refused the request: HTTP 400: bad model/);
    expect(state.requests.length).toBe(1);
  });

  it("times out a slow request, retries, and reports the timeout", async () => {
    state.plan = (n) => (n === 1 ? "slow" : "ok");
    const ok = new EmbeddingClient({ url: base, model: "fake", timeoutMs: 100, retryBaseMs: 1 });
    await expect(ok.embed(["x"])).resolves.toHaveLength(1);
    expect(state.requests.length).toBe(2);
    state.requests = [];
    state.plan = () => "slow";
    const slow = new EmbeddingClient({
      url: base,
      model: "fake",
      timeoutMs: 100,
      retryBaseMs: 1,
      maxAttempts: 2,
    });
    await expect(slow.embed(["x"])).rejects.toThrow(/failed after 2 attempts: request timed out/);
  });

  it("says clearly when the endpoint is down", async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
    const teacher = createTeacher({ kind: "http", url: `http://127.0.0.1:${port}`, model: "fake" });
    // createTeacher uses the default backoff (0.5 s, 1 s, 2 s); use the client directly for speed
    expect(teacher.name).toBe("http:fake");
    const client = new EmbeddingClient({ url: `http://127.0.0.1:${port}`, model: "fake", retryBaseMs: 1 });
    await expect(client.embed(["x"])).rejects.toThrow(
      new RegExp(
        `teacher endpoint http://127\\.0\\.0\\.1:${port}/v1/embeddings failed after 4 attempts: connect ECONNREFUSED`,
      ),
    );
  });

  it("keeps what was embedded before a failure, and a rerun sends only the rest", async () => {
    const cache = new MemoryEmbeddingCache();
    state.plan = (n) => (n <= 2 ? "ok" : "500");
    const teacher = httpTeacher({
      url: base,
      model: "fake",
      cache,
      batchSize: 2,
      concurrency: 1,
      retryBaseMs: 1,
    });
    await expect(scoreAll(teacher, arraySource(records))).rejects.toThrow(/failed after 4 attempts/);
    expect(cache.size).toBe(4); // two batches of two
    const before = new Set(state.requests.slice(0, 2).flatMap((r) => r.inputs));
    state.requests = [];
    state.plan = () => "ok";
    const out = await scoreAll(teacher, arraySource(records));
    expect(out.size).toBe(3);
    const resent = state.requests.flatMap((r) => r.inputs);
    for (const t of before) expect(resent).not.toContain(t);
  });
});
