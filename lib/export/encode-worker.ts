/**
 * The export encoder thread (started by lib/export/encoder.ts through worker-entry.mjs): batches
 * of JSON records in, encoded batches out, in message order, the bytes transferred (not copied).
 */
import { parentPort, workerData } from "node:worker_threads";
import { type EncoderInit, type EncoderRequest, type EncoderResponse, encodeJsonRecords } from "./encoder";

const port = parentPort;
if (!port) throw new Error("lib/export/encode-worker.ts must run in a worker thread");
const init = workerData as EncoderInit;

port.on("message", (msg: EncoderRequest) => {
  let reply: EncoderResponse;
  try {
    const batch = encodeJsonRecords(msg.jsons, init);
    port.postMessage({ id: msg.id, ok: true, batch } satisfies EncoderResponse, [
      batch.bytes.buffer as ArrayBuffer,
      batch.lengths.buffer as ArrayBuffer,
    ]);
    return;
  } catch (e) {
    reply = { id: msg.id, ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  port.postMessage(reply);
});
port.postMessage({ ready: true } satisfies EncoderResponse);
