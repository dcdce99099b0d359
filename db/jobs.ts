import type { Database } from "./client";
import { type DetectionOptions, runDetection } from "./queries/detect";

const g = globalThis as unknown as {
  __pairsiftDetect?: Map<number, { again: boolean; promise: Promise<void> }>;
};
g.__pairsiftDetect = g.__pairsiftDetect ?? new Map();
const running = g.__pairsiftDetect;

/**
 * Starts detection for a data set in the background of this process (after an upload). A request
 * while a run is going queues exactly one more run, so the last import is always covered.
 */
export function detectInBackground(database: Database, datasetId: number, opts: DetectionOptions = {}): void {
  const cur = running.get(datasetId);
  if (cur) {
    cur.again = true;
    return;
  }
  const entry = { again: false, promise: Promise.resolve() };
  running.set(datasetId, entry);
  entry.promise = (async () => {
    try {
      do {
        entry.again = false;
        await runDetection(database, datasetId, opts).catch((e) => {
          console.error(
            `pairsift: detection on data set ${datasetId} failed: ${e instanceof Error ? e.message : e}`,
          );
        });
      } while (entry.again);
    } finally {
      running.delete(datasetId);
    }
  })();
}

export function isDetecting(datasetId: number): boolean {
  return running.has(datasetId);
}
