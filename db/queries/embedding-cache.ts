import type { EmbeddingCache } from "@/lib/teacher";
import type { Database } from "../client";

const toBase64 = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString("base64");
function fromBase64(s: string): Float32Array {
  const b = Buffer.from(s, "base64");
  // Copy into an aligned buffer (Buffer pools are not 4-byte aligned).
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/** The embeddings teacher's cache in the database (table embedding_cache), shared by every run and process. */
export class DbEmbeddingCache implements EmbeddingCache {
  constructor(private readonly database: Database) {}

  async get(keys: string[]): Promise<(Float32Array | undefined)[]> {
    if (!keys.length) return [];
    const rows = await this.database.raw.query<{ key: string; vector: string }>(
      "SELECT key, vector FROM embedding_cache WHERE key = ANY($1::text[])",
      [keys],
    );
    const found = new Map(rows.map((r) => [r.key, r.vector]));
    return keys.map((k) => {
      const v = found.get(k);
      return v === undefined ? undefined : fromBase64(v);
    });
  }

  async set(entries: [string, Float32Array][]): Promise<void> {
    if (!entries.length) return;
    await this.database.raw.query(
      `INSERT INTO embedding_cache (key, vector) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (key) DO NOTHING`,
      [entries.map((e) => e[0]), entries.map((e) => toBase64(e[1]))],
    );
  }
}
