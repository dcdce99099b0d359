"use client";

import { useRouter } from "next/navigation";
import { useEffect } from "react";
import type { DetectionRun } from "@/db/schema";

/** Detection progress; while a run is going the page refreshes itself every two seconds. */
export function DetectionStatus({ run }: { run: DetectionRun | null }) {
  const router = useRouter();
  const active = run?.state === "running";
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => router.refresh(), 2000);
    return () => clearInterval(t);
  }, [active, router]);
  if (!run) return <span className="text-xs text-slate-500">Detectors have not run yet.</span>;
  if (active) {
    return (
      <span className="flex items-center gap-2 text-xs text-slate-600">
        <progress
          aria-label="Detection progress"
          className="h-1.5 w-32"
          max={Math.max(run.recordsTotal, 1)}
          value={run.recordsDone}
        />
        Checking… {run.recordsDone.toLocaleString("en-US")} of {run.recordsTotal.toLocaleString("en-US")}{" "}
        records
      </span>
    );
  }
  return (
    <span className="text-xs text-slate-500">
      {run.state === "done" ? "Checked" : `Detection ${run.state}`}{" "}
      {new Date(run.finishedAt ?? run.startedAt).toISOString().slice(0, 16).replace("T", " ")} · teacher:{" "}
      {run.teacher}
      {run.message ? ` · ${run.message}` : ""}
    </span>
  );
}
