import { SingleBar } from "cli-progress";
import type { ImportProgress } from "@/db/queries/import";

/**
 * On a TTY: a live bar with records/s and rejected lines. Elsewhere (CI, pipes): nothing while
 * running — the caller prints one summary line at the end.
 */
export type ProgressMode = "auto" | "bar" | "json" | "none";

export function createProgress(stream: NodeJS.WriteStream, label: string, mode: ProgressMode = "auto") {
  if (mode === "json") {
    return {
      update: (p: ImportProgress & { fraction?: number }) =>
        stream.write(`${JSON.stringify({ type: "progress", file: label, ...p })}\n`),
      stop: () => {},
    };
  }
  if (mode === "none" || (mode === "auto" && !stream.isTTY)) {
    return { update: (_p: ImportProgress & { fraction?: number }) => {}, stop: () => {} };
  }
  const bar = new SingleBar({
    stream,
    format: `${label} [{bar}] {percentage}% | {records} records | {rate} rec/s | {rejected} rejected`,
    barCompleteChar: "█",
    barIncompleteChar: "░",
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(1000, 0, { records: 0, rate: 0, rejected: 0 });
  return {
    update(p: ImportProgress & { fraction?: number }) {
      const rate = p.elapsedMs > 0 ? Math.round((p.read / p.elapsedMs) * 1000) : 0;
      bar.update(Math.round((p.fraction ?? 0) * 1000), {
        records: p.loaded + p.duplicate,
        rate,
        rejected: p.rejected,
      });
    },
    stop() {
      bar.stop();
    },
  };
}
