import { fmtDate } from "@/components/ui/format";
import type { ReviewDecision, ReviewFlag } from "@/db/queries/review";

const where = (target: string, negativeIndex: number | null) =>
  target === "negative" && negativeIndex !== null ? `negative ${negativeIndex + 1}` : target;

export function FlagList({ flags }: { flags: ReviewFlag[] }) {
  return (
    <section aria-labelledby="flags-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="flags-heading" className="text-sm font-semibold text-slate-700">
        Flags ({flags.length})
      </h2>
      {flags.length ? (
        <ul className="mt-2 space-y-2 text-sm">
          {flags.map((f) => (
            <li key={f.id} className="rounded-md bg-amber-50 p-2 ring-1 ring-amber-200">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <span className="font-medium text-amber-900">{f.defect}</span>
                <span className="text-xs tabular-nums text-slate-600">
                  {where(f.target, f.negativeIndex)} · score {f.score.toFixed(2)}
                </span>
              </div>
              <p className="text-xs text-slate-500">{f.detector}</p>
              {f.evidence.length ? (
                <ul className="mt-1 space-y-0.5 text-xs text-slate-700">
                  {f.evidence.map((e, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: evidence has no id
                    <li key={i}>
                      {e.end > e.start ? (
                        <span className="text-slate-500">
                          {where(e.field, e.negativeIndex ?? null)} {e.start}–{e.end}:{" "}
                        </span>
                      ) : null}
                      {e.note}
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p className="mt-2 text-sm text-slate-600">No flags on this record.</p>
      )}
    </section>
  );
}

export function ParamsPanel({
  params,
  lengthNotes,
}: {
  params: Record<string, string | number | boolean>;
  lengthNotes: { where: string; note: string }[];
}) {
  const entries = Object.entries(params);
  return (
    <section aria-labelledby="params-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="params-heading" className="text-sm font-semibold text-slate-700">
        Generation parameters
      </h2>
      {entries.length ? (
        <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
          {entries.map(([k, v]) => (
            <div key={k} className="contents">
              <dt className="text-slate-500">{k}</dt>
              <dd className="break-words">{String(v)}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p className="mt-2 text-sm text-slate-600">None given.</p>
      )}
      {lengthNotes.length ? (
        <div className="mt-3">
          <h3 className="text-xs font-semibold uppercase tracking-wide text-amber-800">
            Requested vs actual length
          </h3>
          <ul className="mt-1 space-y-0.5 text-sm text-amber-900">
            {lengthNotes.map((l, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: static list
              <li key={i}>
                <span className="font-medium">{l.where}</span>: {l.note}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

export function DecisionHistory({ decisions }: { decisions: ReviewDecision[] }) {
  return (
    <section aria-labelledby="history-heading" className="rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="history-heading" className="text-sm font-semibold text-slate-700">
        Decisions
      </h2>
      {decisions.length ? (
        <ol className="mt-2 space-y-1.5 text-sm" aria-label="Decisions, newest first">
          {decisions.map((d) => (
            <li key={d.id} className={d.undone ? "text-slate-400 line-through" : undefined}>
              <span className="font-medium">{d.action}</span>
              {d.reason ? <span> — {d.reason}</span> : null}
              <span className="block text-xs text-slate-500">
                #{d.id} · {d.actor} · {fmtDate(d.createdAt)}
                {d.undone ? " · undone" : ""}
              </span>
            </li>
          ))}
        </ol>
      ) : (
        <p className="mt-2 text-sm text-slate-600">No decisions yet.</p>
      )}
    </section>
  );
}
