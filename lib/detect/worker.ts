/**
 * The detector worker thread (started by lib/detect/pool.ts through worker-entry.mjs). It keeps one
 * detection run (createDetection) and answers, in message order:
 *   prepare  records → each record's per-collector work (the collection pass's heavy half)
 *   collected         the collectors' results from the main thread (before detection)
 *   teacher           a teacher that scores here (BM25 against the main thread's shared index)
 *   detect   records, keys, teacher results (or teacher lookups, scored here) → each record's flags
 */
import { parentPort, workerData } from "node:worker_threads";
import { createWorkerScorer } from "@/lib/teacher/workers";
import { createDetection } from "./index";
import type { PoolRequest, PoolResponse, WorkerInit } from "./pool";
import type { TeacherResult } from "./types";

const port = parentPort;
if (!port) throw new Error("lib/detect/worker.ts must run in a worker thread");

const init = workerData as WorkerInit;
const run = createDetection({ options: init.options, only: init.only });
let scorer: ((lookup: unknown) => TeacherResult) | undefined;

port.on("message", (msg: PoolRequest) => {
  let reply: PoolResponse;
  try {
    switch (msg.type) {
      case "prepare":
        reply = { id: msg.id, ok: true, result: msg.records.map((r) => run.prepare(r)) };
        break;
      case "collected":
        run.setCollected(msg.data);
        reply = { id: msg.id, ok: true, result: null };
        break;
      case "teacher":
        scorer = createWorkerScorer(msg.init);
        reply = { id: msg.id, ok: true, result: null };
        break;
      case "detect": {
        const input = msg.teacherInput;
        if (input && !scorer) throw new Error("teacher lookups before the teacher");
        reply = {
          id: msg.id,
          ok: true,
          result: msg.records.map((r, i) =>
            run.detect(r, msg.keys[i]!, input ? scorer!(input[i]) : msg.teacher[i]),
          ),
        };
        break;
      }
    }
  } catch (e) {
    reply = { id: msg.id, ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true });
