/**
 * The export's spool (Node only, not part of the browser-safe `@/lib/export`): encoded records
 * appended to a temporary file in the order they are read (id order: the table's physical order),
 * read back by their position in the export order. Memory: 12 bytes per record (offset, length);
 * disk: about the output's size. The file is unlinked as soon as it is open where the platform
 * allows it, and removed on `close` in any case.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export class Spool {
  private readonly dir: string;
  private readonly file: string;
  private fd: number;
  private size = 0;
  /** Byte offset of each position's record in the file; -1: none (skipped or vanished). */
  private readonly offsets: Float64Array;
  private readonly lengths: Uint32Array;

  constructor(positions: number) {
    this.offsets = new Float64Array(positions).fill(-1);
    this.lengths = new Uint32Array(positions);
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairsift-export-"));
    this.file = path.join(this.dir, "spool");
    this.fd = fs.openSync(this.file, "w+", 0o600);
    try {
      fs.rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // Windows keeps an open file: removed on close.
    }
  }

  /** Appends encoded records: `texts[i]` is the record at position `at[i]`. */
  append(texts: readonly string[], at: readonly number[]): void {
    if (!texts.length) return;
    let total = 0;
    for (const t of texts) total += Buffer.byteLength(t, "utf8");
    const buf = Buffer.allocUnsafe(total);
    let o = 0;
    for (let i = 0; i < texts.length; i++) {
      const len = buf.write(texts[i]!, o, "utf8");
      this.offsets[at[i]!] = this.size + o;
      this.lengths[at[i]!] = len;
      o += len;
    }
    if (o !== total) throw new Error(`spool: encoded ${o} bytes, expected ${total}`);
    let done = 0;
    while (done < total) done += fs.writeSync(this.fd, buf, done, total - done, this.size + done);
    this.size += total;
  }

  /** The records at positions [from, to) that were appended, in position order: bytes and lengths. */
  read(from: number, to: number): { bytes: Uint8Array; lengths: number[] } {
    const lengths: number[] = [];
    let total = 0;
    for (let p = from; p < to; p++) {
      if (this.offsets[p]! < 0) continue;
      lengths.push(this.lengths[p]!);
      total += this.lengths[p]!;
    }
    const bytes = Buffer.allocUnsafe(total);
    let o = 0;
    // Runs of positions that lie back to back in the file are read at once.
    let runStart = -1;
    let runLen = 0;
    const flush = () => {
      let done = 0;
      while (done < runLen) {
        const n = fs.readSync(this.fd, bytes, o + done, runLen - done, runStart + done);
        if (n === 0) throw new Error("spool: unexpected end of file");
        done += n;
      }
      o += runLen;
      runLen = 0;
    };
    for (let p = from; p < to; p++) {
      const off = this.offsets[p]!;
      if (off < 0) continue;
      if (runLen && off === runStart + runLen) {
        runLen += this.lengths[p]!;
        continue;
      }
      if (runLen) flush();
      runStart = off;
      runLen = this.lengths[p]!;
    }
    if (runLen) flush();
    return { bytes, lengths };
  }

  close(): void {
    if (this.fd >= 0) {
      fs.closeSync(this.fd);
      this.fd = -1;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
