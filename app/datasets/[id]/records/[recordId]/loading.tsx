export default function Loading() {
  return (
    <div className="space-y-4" aria-busy="true">
      <p className="text-sm text-slate-500">Loading record…</p>
      <div className="h-40 animate-pulse rounded-lg bg-slate-200/60" />
      <div className="h-64 animate-pulse rounded-lg bg-slate-200/60" />
    </div>
  );
}
