"use client";

import { type ReactNode, useActionState } from "react";

export type FormState = { ok?: boolean; message?: string };

/** A form bound to a server action that answers with a message (shown, announced). */
export function ActionForm({
  action,
  label,
  submit,
  children,
}: {
  action: (prev: FormState, form: FormData) => Promise<FormState>;
  label: string;
  submit: string;
  children: ReactNode;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form action={formAction} aria-label={label} className="flex flex-wrap items-end gap-3">
      {children}
      <button
        type="submit"
        disabled={pending}
        className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
      >
        {submit}
      </button>
      {state.message ? (
        <p
          role={state.ok ? "status" : "alert"}
          className={`w-full text-sm ${state.ok ? "text-emerald-800" : "text-red-800"}`}
        >
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
