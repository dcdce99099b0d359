/**
 * The worker side of TEACHER_ON_WORKERS (lib/teacher/types.ts): a detector worker thread turns the
 * `init` it is sent once into a scorer of per-record lookups.
 */
import type { TeacherResult } from "@/lib/detect/types";
import { type Bm25WorkerInit, bm25WorkerScorer } from "./bm25";
import type { WorkerTeacherInit } from "./types";

export function createWorkerScorer(init: WorkerTeacherInit): (lookup: unknown) => TeacherResult {
  switch (init.kind) {
    case "bm25":
      return bm25WorkerScorer(init as Bm25WorkerInit);
    default:
      throw new Error(`no worker scorer for teacher ${String((init as { kind: unknown }).kind)}`);
  }
}
