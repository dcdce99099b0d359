"use client";

/**
 * A page that failed. Errors thrown on the server arrive without their message in production (only a
 * digest, which the server log carries too): most often the database is restarting or unreachable,
 * and trying again is the right move — reads change nothing and decisions are all-or-nothing.
 */
export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  const fromServer = Boolean(error.digest);
  return (
    <div role="alert" className="rounded-lg border border-red-200 bg-red-50 p-6">
      <h1 className="text-lg font-semibold text-red-800">Something went wrong</h1>
      <p className="mt-2 whitespace-pre-wrap text-sm text-red-700">
        {fromServer
          ? "The server could not finish this page — its database may be restarting or unreachable. Nothing was changed; try again in a moment."
          : error.message}
      </p>
      {error.digest ? <p className="mt-1 text-xs text-red-600">Reference: {error.digest}</p> : null}
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md bg-red-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-red-800"
      >
        Try again
      </button>
    </div>
  );
}
