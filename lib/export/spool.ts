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
    const bufs = texts.map((t) => Buffer.from(t, "utf8"));
    this.appendBytes(
      Buffer.concat(bufs),
      bufs.map((b) => b.byteLength),
      at,
    );
  }

  /** Appends encoded records as bytes back to back: `lengths[i]` bytes of the record at position `at[i]`. */
  appendBytes(bytes: Uint8Array, lengths: readonly number[], at: readonly number[]): void {
    let o = 0;
    for (let i = 0; i < lengths.length; i++) {
      this.offsets[at[i]!] = this.size + o;
      this.lengths[at[i]!] = lengths[i]!;
      o += lengths[i]!;
    }
    if (o !== bytes.byteLength) throw new Error(`spool: ${bytes.byteLength} bytes for records of ${o}`);
    let done = 0;
    while (done < o) done += fs.writeSync(this.fd, bytes, done, o - done, this.size + done);
    this.size += o;
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
