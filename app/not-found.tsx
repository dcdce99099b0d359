import Link from "next/link";

export default function NotFound() {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6">
      <h1 className="text-lg font-semibold">Not found</h1>
      <p className="mt-2 text-sm text-slate-600">
        That page or data set does not exist.{" "}
        <Link className="text-indigo-700 underline" href="/datasets">
          Back to data sets
        </Link>
      </p>
    </div>
  );
}
