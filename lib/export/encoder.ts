/**
 * The export's encoder thread: JSON records in (as the PGlite export query returns them), encoded
 * batches out (lib/export/encode.ts), on a worker thread of its own. PGlite runs its queries on the
 * thread that calls it, so without this one thread would take turns reading and encoding; with it
 * the next batch is read while the last one is encoded. Node only (not part of `@/lib/export`).
 *
 * A worker that cannot start (no entry in this installation, a loader that fails) is not an error:
 * the batches are then encoded in-process, to the same bytes. A worker that fails later fails the
 * export (its partial outputs are removed by the caller).
 */
import { Worker, workerEntryOf } from "@/lib/worker-threads";
import { type EncodedBatch, encodeRecords, recordFromJson } from "./encode";
import type { ExportFormat, ExportOptions } from "./options";
import { createWriter } from "./writers";

export interface EncoderInit {
  format: ExportFormat;
  options: ExportOptions;
}

export type EncoderRequest = { id: number; jsons: string[] };
export type EncoderResponse =
  | { ready: true }
  | { id: number; ok: true; batch: EncodedBatch }
  | { id: number; ok: false; error: string };

/** Encodes JSON records in-process: what the thread does, for when there is none. */
export function encodeJsonRecords(jsons: readonly string[], init: EncoderInit): EncodedBatch {
  return encodeRecords(jsons.map(recordFromJson), createWriter(init.format, init.options), init.options);
}

export class EncoderThread {
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { resolve: (b: EncodedBatch) => void; reject: (e: Error) => void }
  >();
  private failure: Error | undefined;
  private closing = false;
  /** Resolves true once the worker has loaded, false when it could not start. */
  private readonly ready: Promise<boolean>;
  private readonly worker: Worker | null;

  /** Starts the thread without waiting for it: the first batches wait instead, while the caller reads. */
  constructor(
    private readonly init: EncoderInit,
    entry = workerEntryOf("export"),
  ) {
    if (!entry) {
      this.worker = null;
      this.ready = Promise.resolve(false);
      return;
    }
    const worker = new Worker(entry, { workerData: init });
    this.worker = worker;
    let started = false;
    this.ready = new Promise<boolean>((resolve) => {
      worker.on("message", (m: EncoderResponse) => {
        if ("ready" in m) {
          started = true;
          return resolve(true);
        }
        const p = this.pending.get(m.id);
        if (!p) return;
        this.pending.delete(m.id);
        if (m.ok) p.resolve(m.batch);
        else p.reject(new Error(`export encoder: ${m.error}`));
      });
      const down = (e: Error) => {
        if (!started) return resolve(false);
        if (this.closing) return;
        this.failure ??= e;
        for (const p of this.pending.values()) p.reject(this.failure);
        this.pending.clear();
      };
      worker.on("error", down);
      worker.on("exit", (code) => down(new Error(`export encoder thread exited (code ${code})`)));
    });
  }

  /** Whether batches go to the thread (false: it could not start, they are encoded in-process). */
  threaded(): Promise<boolean> {
    return this.ready;
  }

  /** Encodes one batch of JSON records (on the thread, or in-process when it could not start). */
  async encode(jsons: string[]): Promise<EncodedBatch> {
    if (!(await this.ready)) return encodeJsonRecords(jsons, this.init);
    if (this.failure) throw this.failure;
    const id = this.nextId++;
    return new Promise<EncodedBatch>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage({ id, jsons } satisfies EncoderRequest);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.worker) await this.worker.terminate();
  }
}
