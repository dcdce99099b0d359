"use client";

import { useActionState, useId } from "react";
import { MAX_PER_TASK } from "@/lib/audit/schema";

export type DrawSampleState =
  | { status: "idle" }
  | { status: "ok"; message: string; sampleId: number }
  | { status: "error"; message: string; fieldErrors?: Partial<Record<"perTask" | "seed", string>> };

/** "Draw audit sample": N unreviewed records per task and a seed, sent to a server action. */
export function DrawSampleForm(props: {
  action: (state: DrawSampleState, form: FormData) => Promise<DrawSampleState>;
  defaultSeed: number;
  tasks: number;
}) {
  const [state, formAction, pending] = useActionState(props.action, { status: "idle" } as DrawSampleState);
  const id = useId();
  const fieldError = state.status === "error" ? state.fieldErrors : undefined;
  return (
    <form
      action={formAction}
      aria-labelledby={`${id}-title`}
      className="rounded-lg border border-slate-200 bg-white p-4"
    >
      <h3 id={`${id}-title`} className="text-sm font-semibold text-slate-700">
        Draw audit sample
      </h3>
      <p className="mt-1 text-xs text-slate-500">
        Picks N unreviewed records at random from each of the {props.tasks} task{props.tasks === 1 ? "" : "s"}{" "}
        — flagged and unflagged in proportion, so the estimate also counts the defects the detectors miss.
        Review every record of the sample, then read its estimate below.
      </p>
      <div className="mt-3 flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${id}-per-task`} className="block text-xs font-medium text-slate-700">
            Records per task
          </label>
          <input
            id={`${id}-per-task`}
            name="perTask"
            type="number"
            min={1}
            max={MAX_PER_TASK}
            step={1}
            required
            defaultValue={20}
            aria-invalid={fieldError?.perTask ? true : undefined}
            aria-describedby={fieldError?.perTask ? `${id}-per-task-error` : undefined}
            className="mt-1 w-28 rounded-md border border-slate-300 px-2 py-1 text-sm tabular-nums"
          />
          {fieldError?.perTask ? (
            <p id={`${id}-per-task-error`} className="mt-1 text-xs text-red-700">
              {fieldError.perTask}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor={`${id}-seed`} className="block text-xs font-medium text-slate-700">
            Seed
          </label>
          <input
            id={`${id}-seed`}
            name="seed"
            type="number"
            min={0}
            step={1}
            required
            defaultValue={props.defaultSeed}
            aria-invalid={fieldError?.seed ? true : undefined}
            aria-describedby={fieldError?.seed ? `${id}-seed-error` : `${id}-seed-hint`}
            className="mt-1 w-32 rounded-md border border-slate-300 px-2 py-1 text-sm tabular-nums"
          />
          {fieldError?.seed ? (
            <p id={`${id}-seed-error`} className="mt-1 text-xs text-red-700">
              {fieldError.seed}
            </p>
          ) : (
            <p id={`${id}-seed-hint`} className="mt-1 text-xs text-slate-500">
              Same seed, same records → same sample
            </p>
          )}
        </div>
        <button
          type="submit"
          disabled={pending}
          className="mb-5 rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-60"
        >
          {pending ? "Drawing…" : "Draw audit sample"}
        </button>
      </div>
      <p
        role="status"
        className={`min-h-5 text-sm ${state.status === "error" ? "text-red-700" : "text-emerald-700"}`}
      >
        {state.status === "idle" ? "" : state.message}
      </p>
    </form>
  );
}
