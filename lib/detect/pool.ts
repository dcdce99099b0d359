/**
 * A pool of detector worker threads (node:worker_threads), used by runDetectorsAsync to spread the
 * per-record work of a run over the machine's cores. The main thread keeps what needs the whole
 * data set (the collectors' `addPrepared` and `finish`, the teacher's data-set pass — BM25's index,
 * whose scoring then runs on the workers against the shared arrays) and the order of the output.
 *
 * Workers are started from lib/detect/worker-entry.mjs, found under PAIRSIFT_ROOT (set by
 * bin/pairsift.mjs) or the working directory: code bundled by Next.js cannot point a worker at its
 * own TypeScript sources, but the server runs from the package folder, where the entry registers
 * tsx and loads lib/detect/worker.ts. Without an entry (or when a worker cannot start) callers run
 * in-process.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as workerThreads from "node:worker_threads";
import type { WorkerTeacherInit } from "@/lib/teacher/types";
import type { DetectorOptions } from "./index";
import type { Defect, DetectRecord, TeacherResult } from "./types";

/**
 * The Worker class, looked up at run time: a bundler that sees `new Worker(path)` takes the path
 * for a module to bundle, and with a path known only at run time it pulls in the whole package.
 */
const Worker = Reflect.get(workerThreads, "Worker") as typeof workerThreads.Worker;
type Worker = workerThreads.Worker;

/** What a worker is started with (`workerData`). */
export interface WorkerInit {
  options: DetectorOptions;
  only?: readonly Defect[];
}

export type PoolRequest =
  | { type: "prepare"; id: number; records: DetectRecord[] }
  | { type: "collected"; id: number; data: Map<Defect, unknown> }
  /** A teacher that scores on the workers (TEACHER_ON_WORKERS): its `init`, once per worker. */
  | { type: "teacher"; id: number; init: WorkerTeacherInit }
  | {
      type: "detect";
      id: number;
      records: DetectRecord[];
      keys: number[];
      teacher: (TeacherResult | undefined)[];
      /** With a teacher on the workers: each record's lookup, scored there (instead of `teacher`). */
      teacherInput?: unknown[];
    };
type Unsent<T> = T extends { id: number } ? Omit<T, "id"> : never;
export type PoolRequestBody = Unsent<PoolRequest>;

export type PoolResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string };

/** The worker entry of this installation, or undefined (detection then runs in-process). */
export function workerEntry(): string | undefined {
  // turbopackIgnore: a path computed at run time; left alone, the bundler would trace (and try to
  // bundle) the whole package folder into the server build.
  for (const root of [process.env.PAIRSIFT_ROOT, process.cwd()]) {
    if (!root) continue;
    const file = path.join(/* turbopackIgnore: true */ root, "lib", "detect", "worker-entry.mjs");
    if (fs.existsSync(/* turbopackIgnore: true */ file)) return file;
  }
  return undefined;
}

/** One worker per core the process may use. */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(64, os.availableParallelism()));
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

export class DetectorPool {
  private nextId = 1;
  private failure: Error | undefined;
  private closing = false;
  private readonly slots: Slot[] = [];

  private constructor() {}

  get size(): number {
    return this.slots.length;
  }

  /** Starts `size` workers and waits until each has loaded the detectors. */
  static async start(size: number, init: WorkerInit, entry = workerEntry()): Promise<DetectorPool> {
    if (!entry) throw new Error("no detector worker entry (lib/detect/worker-entry.mjs) found");
    const pool = new DetectorPool();
    const ready: Promise<void>[] = [];
    for (let i = 0; i < size; i++) {
      const worker = new Worker(entry, { workerData: init });
      const slot: Slot = { worker, pending: new Map() };
      pool.slots.push(slot);
      ready.push(
        new Promise<void>((resolve, reject) => {
          worker.on("message", (m: PoolResponse | { ready: true }) => {
            if ("ready" in m) return resolve();
            const p = slot.pending.get(m.id);
            if (!p) return;
            slot.pending.delete(m.id);
            if (m.ok) p.resolve(m.result);
            else p.reject(new Error(`detector worker: ${m.error}`));
          });
          worker.on("error", (e) => {
            reject(e);
            pool.fail(e);
          });
          worker.on("exit", (code) => {
            const e = new Error(`detector worker exited (code ${code})`);
            reject(e);
            if (!pool.closing) pool.fail(e);
          });
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const slot of this.slots) {
      for (const p of slot.pending.values()) p.reject(this.failure);
      slot.pending.clear();
    }
  }

  /** Sends a request to the least busy worker (or to `slot`); resolves with its answer. */
  request(body: PoolRequestBody, slot?: number): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing) return Promise.reject(new Error("detector pool closed"));
    let s = slot === undefined ? undefined : this.slots[slot];
    if (!s) {
      for (const x of this.slots) if (!s || x.pending.size < s.pending.size) s = x;
    }
    const target = s as Slot;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      target.worker.postMessage({ ...body, id });
    });
  }

  /** The same request to every worker. */
  broadcast(body: PoolRequestBody): Promise<unknown[]> {
    return Promise.all(this.slots.map((_, i) => this.request(body, i)));
  }

  async close(): Promise<void> {
    this.closing = true;
    this.fail(new Error("detector pool closed"));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
