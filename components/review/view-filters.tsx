"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useEffect, useOptimistic, useRef, useTransition } from "react";
import { fmtInt } from "@/components/ui/format";
import type { Facets, FacetValue } from "@/db/queries/table";
import { DEFECT_MATCHES, type RecordView, viewToSearchParams } from "@/lib/review/filter";

type ListKey = "status" | "family" | "lang" | "task" | "defect" | "reviewer";

const TITLES: Record<ListKey, string> = {
  status: "Status",
  defect: "Defects",
  family: "Task family",
  lang: "Language",
  task: "Task",
  reviewer: "Reviewer",
};

/**
 * The filter sidebar: every change is a new URL (so a link reproduces the view), read back by the
 * server page. Counts beside each option are the records it would match with the rest of the filter.
 */
export function ViewFilters({
  view: serverView,
  facets,
  basePath,
}: {
  view: RecordView;
  facets: Facets;
  basePath: string;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  // Checkboxes answer at once; the page catches up when the server has the new view.
  const [view, setView] = useOptimistic(serverView);
  const searchRef = useRef<HTMLInputElement>(null);

  const go = (next: Partial<RecordView>) => {
    const nextView = { ...view, ...next };
    const qs = viewToSearchParams(nextView).toString();
    startTransition(() => {
      setView(nextView);
      router.push(qs ? `${basePath}?${qs}` : basePath);
    });
  };

  // `/` focuses the search box (unless the user is typing somewhere already).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey) return;
      if (t && (t.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(t.tagName))) return;
      e.preventDefault();
      searchRef.current?.focus();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const onSearch = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const q = String(new FormData(e.currentTarget).get("q") ?? "").trim();
    go({ q: q || undefined });
  };

  const onRange = (lo: "smin" | "mmin", hi: "smax" | "mmax") => (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const num = (k: string) => {
      const v = String(data.get(k) ?? "").trim();
      return v === "" || !Number.isFinite(Number(v)) ? undefined : Number(v);
    };
    go({ [lo]: num(lo), [hi]: num(hi) });
  };

  const toggle = (key: ListKey, value: string, on: boolean) => {
    const cur = view[key] as string[];
    go({ [key]: on ? [...cur, value] : cur.filter((v) => v !== value) } as Partial<RecordView>);
  };

  return (
    <aside aria-label="Filters" aria-busy={pending} className="space-y-4 text-sm">
      <search>
        <form onSubmit={onSearch} className="space-y-1">
          <label htmlFor="view-search" className="block font-semibold text-slate-700">
            Search <kbd className="ml-1 rounded border border-slate-300 px-1 text-xs text-slate-500">/</kbd>
          </label>
          <div className="flex gap-1">
            <input
              ref={searchRef}
              id="view-search"
              name="q"
              type="search"
              defaultValue={view.q ?? ""}
              key={view.q ?? ""}
              placeholder="Words in query or positive"
              className="min-w-0 flex-1 rounded border border-slate-300 px-2 py-1"
            />
            <button
              type="submit"
              className="rounded border border-slate-300 bg-white px-2 py-1 hover:bg-slate-50"
            >
              Search
            </button>
          </div>
        </form>
      </search>

      <FacetList
        title={TITLES.status}
        name="status"
        values={facets.status}
        selected={view.status}
        onToggle={toggle}
      />

      <fieldset className="min-w-0 space-y-1">
        <legend className="font-semibold text-slate-700">{TITLES.defect}</legend>
        <div className="flex gap-2 text-xs" role="radiogroup" aria-label="Records with">
          {DEFECT_MATCHES.map((m) => (
            <label key={m} className="flex items-center gap-1">
              <input type="radio" name="match" checked={view.match === m} onChange={() => go({ match: m })} />
              {m === "any" ? "any of" : m === "all" ? "all of" : "none of"}
            </label>
          ))}
        </div>
        <Options name="defect" values={facets.defect} selected={view.defect} onToggle={toggle} />
      </fieldset>

      <form onSubmit={onRange("smin", "smax")} className="space-y-1" aria-label="Detector score range">
        <p className="font-semibold text-slate-700">Detector score</p>
        <RangeInputs lo="smin" hi="smax" loValue={view.smin} hiValue={view.smax} step="0.05" what="score" />
      </form>
      <form onSubmit={onRange("mmin", "mmax")} className="space-y-1" aria-label="Teacher margin range">
        <p className="font-semibold text-slate-700">Teacher margin</p>
        <RangeInputs lo="mmin" hi="mmax" loValue={view.mmin} hiValue={view.mmax} step="any" what="margin" />
      </form>

      <FacetList
        title={TITLES.family}
        name="family"
        values={facets.family}
        selected={view.family}
        onToggle={toggle}
      />
      <FacetList
        title={TITLES.lang}
        name="lang"
        values={facets.lang}
        selected={view.lang}
        onToggle={toggle}
      />
      <FacetList
        title={TITLES.task}
        name="task"
        values={facets.task}
        selected={view.task}
        onToggle={toggle}
      />
      {facets.reviewer.length || view.reviewer.length ? (
        <FacetList
          title={TITLES.reviewer}
          name="reviewer"
          values={facets.reviewer}
          selected={view.reviewer}
          onToggle={toggle}
        />
      ) : null}
    </aside>
  );
}

function RangeInputs(p: {
  lo: string;
  hi: string;
  loValue: number | undefined;
  hiValue: number | undefined;
  step: string;
  what: string;
}) {
  return (
    <div className="flex items-center gap-1">
      <input
        name={p.lo}
        type="number"
        step={p.step}
        aria-label={`Minimum ${p.what}`}
        defaultValue={p.loValue ?? ""}
        key={`lo${p.loValue}`}
        placeholder="min"
        className="w-20 rounded border border-slate-300 px-2 py-1"
      />
      <span aria-hidden>–</span>
      <input
        name={p.hi}
        type="number"
        step={p.step}
        aria-label={`Maximum ${p.what}`}
        defaultValue={p.hiValue ?? ""}
        key={`hi${p.hiValue}`}
        placeholder="max"
        className="w-20 rounded border border-slate-300 px-2 py-1"
      />
      <button type="submit" className="rounded border border-slate-300 bg-white px-2 py-1 hover:bg-slate-50">
        Apply
      </button>
    </div>
  );
}

function FacetList(p: {
  title: string;
  name: ListKey;
  values: FacetValue[];
  selected: string[];
  onToggle: (key: ListKey, value: string, on: boolean) => void;
}) {
  return (
    <fieldset className="min-w-0 space-y-1">
      <legend className="font-semibold text-slate-700">{p.title}</legend>
      <Options {...p} />
    </fieldset>
  );
}

function Options(p: {
  name: ListKey;
  values: FacetValue[];
  selected: string[];
  onToggle: (key: ListKey, value: string, on: boolean) => void;
}) {
  // Selected options stay listed even when nothing matches them any more.
  const values = [...p.values];
  for (const s of p.selected) if (!values.some((v) => v.value === s)) values.push({ value: s, count: 0 });
  if (!values.length) return <p className="text-xs text-slate-500">None.</p>;
  return (
    <ul className="max-h-48 space-y-0.5 overflow-y-auto pr-1">
      {values.map((v) => {
        const on = p.selected.includes(v.value);
        return (
          <li key={v.value}>
            <label className="flex cursor-pointer items-center gap-2 rounded px-1 hover:bg-slate-100">
              <input
                type="checkbox"
                checked={on}
                onChange={(e) => p.onToggle(p.name, v.value, e.target.checked)}
              />
              <span className="min-w-0 flex-1 truncate" title={v.value}>
                {v.value}
              </span>
              <span className="tabular-nums text-xs text-slate-500">{fmtInt(v.count)}</span>
            </label>
          </li>
        );
      })}
    </ul>
  );
}
