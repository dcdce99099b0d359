"use client";

import { useActionState } from "react";
import type { SignInState } from "@/app/sign-in/actions";

const input =
  "mt-1 block w-full rounded-md border border-slate-300 px-3 py-2 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";

/** Sign-in form, or (first: true) the form that creates the instance's first admin. */
export function SignInForm({
  action,
  next,
  first = false,
}: {
  action: (prev: SignInState, form: FormData) => Promise<SignInState>;
  next: string;
  first?: boolean;
}) {
  const [state, formAction, pending] = useActionState(action, {});
  return (
    <form
      action={formAction}
      className="space-y-4"
      aria-label={first ? "Create the admin account" : "Sign in"}
    >
      <input type="hidden" name="next" value={next} />
      {first ? (
        <label className="block text-sm font-medium">
          Name
          <input className={input} name="name" autoComplete="name" required maxLength={100} />
        </label>
      ) : null}
      <label className="block text-sm font-medium">
        Email
        <input
          className={input}
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={state.email}
          key={state.email}
        />
      </label>
      <label className="block text-sm font-medium">
        Password
        <input
          className={input}
          name="password"
          type="password"
          autoComplete={first ? "new-password" : "current-password"}
          required
          minLength={first ? 8 : 1}
        />
      </label>
      {state.message ? (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-900 ring-1 ring-red-200">
          {state.message}
        </p>
      ) : null}
      <button
        type="submit"
        disabled={pending}
        className="w-full rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
      >
        {pending ? "…" : first ? "Create admin account" : "Sign in"}
      </button>
    </form>
  );
}
