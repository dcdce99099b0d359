"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState, useTransition } from "react";
import type { DecideResponse } from "@/app/datasets/[id]/records/[recordId]/actions";
import type { ReviewNegative, ReviewView } from "@/db/queries/review";
import type { DecideInput, ReviewAction } from "@/lib/review";
import { stripTarget } from "@/lib/review/highlight";
import { defaultRejectReason } from "@/lib/review/rules";
import { FlagNotes, HighlightedText, notesFor, spansFor } from "./highlighted-text";
import { ModalDialog } from "./modal-dialog";
import { DecisionHistory, FlagList, ParamsPanel } from "./side-panels";

/** When the last back/forward navigation happened (set before the router restores a cached page). */
let lastPopState = 0;
if (typeof window !== "undefined") {
  // Capture: React renders the restored page synchronously inside the router's own listener.
  window.addEventListener(
    "popstate",
    () => {
      lastPopState = Date.now();
    },
    { capture: true },
  );
}

type Message = { kind: "info" | "error" | "stale"; text: string };

export const SHORTCUTS: [string, string][] = [
  ["j / ↓", "Next record"],
  ["k / ↑", "Previous record"],
  ["n", "Next flagged record"],
  ["a", "Accept (then open the next record)"],
  ["r", "Reject (reason pre-filled from the flags; Enter confirms)"],
  ["e", "Edit a text"],
  ["1 – 9", "Select a negative"],
  ["d", "Drop the selected negative"],
  ["f", "Mark the selected negative a false negative (dropped)"],
  ["p", "Promote the selected negative to a positive"],
  ["s", "Swap the selected negative with the positive"],
  ["x", "Strip the flagged span (in the selected negative, else the first one)"],
  ["u", "Undo the last decision"],
  ["?", "Show these shortcuts"],
];

const STATUS_STYLE: Record<string, string> = {
  pending: "bg-slate-100 text-slate-700",
  accepted: "bg-emerald-100 text-emerald-800",
  rejected: "bg-red-100 text-red-800",
  relabeled: "bg-indigo-100 text-indigo-800",
  kept: "bg-slate-100 text-slate-700",
  dropped: "bg-red-100 text-red-800",
  promoted: "bg-emerald-100 text-emerald-800",
};

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  return ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

const btn =
  "inline-flex items-center gap-1.5 rounded-md border px-3 py-1.5 text-sm font-medium shadow-sm disabled:cursor-not-allowed disabled:opacity-50";
const btnNeutral = `${btn} border-slate-300 bg-white text-slate-800 hover:bg-slate-50`;
const btnPrimary = `${btn} border-indigo-600 bg-indigo-600 text-white hover:bg-indigo-500`;
const btnDanger = `${btn} border-red-300 bg-white text-red-700 hover:bg-red-50`;
const btnSmall =
  "rounded border border-slate-300 bg-white px-2 py-0.5 text-xs text-slate-700 hover:bg-slate-50 disabled:cursor-not-allowed disabled:opacity-40";

function Kbd({ children }: { children: ReactNode }) {
  return (
    <span aria-hidden="true">
      <kbd className="rounded border border-current/30 px-1 font-mono text-[10px] leading-4 opacity-70">
        {children}
      </kbd>
    </span>
  );
}

type EditField = "query" | "positive" | "negative" | "label" | "task";

export function RecordReview({
  view,
  decide,
  navQuery = "",
  readOnly = false,
}: {
  view: ReviewView;
  /** A viewer: sees everything, decides nothing (the server refuses it anyway). */
  readOnly?: boolean;
  decide: (input: DecideInput) => Promise<DecideResponse>;
  /** The table view the reviewer came from (search params): navigation stays in it. */
  navQuery?: string;
}) {
  const router = useRouter();
  const { record, negatives, flags, dataset, nav } = view;
  const base = `/datasets/${dataset.id}/records`;
  const suffix = navQuery ? `?${navQuery}` : "";
  const hrefOf = useCallback(
    (id: number | null) => (id === null ? null : `${base}/${id}${suffix}`),
    [base, suffix],
  );
  const nextHref = hrefOf(nav.nextId);
  const prevHref = hrefOf(nav.prevId);
  const nextFlaggedHref = hrefOf(nav.nextFlaggedId);

  const [selected, setSelected] = useState<number | null>(null);
  const [message, setMessage] = useState<Message | null>(null);
  const [pending, startTransition] = useTransition();
  const busy = useRef(false);
  // Buttons and keys work once the page is interactive (hydrated).
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(!readOnly), [readOnly]);
  const [dialog, setDialog] = useState<null | "reject" | "edit" | "help">(null);
  const [rejectReason, setRejectReason] = useState("");
  const [edit, setEdit] = useState<{ field: EditField; position?: number; text: string }>({
    field: "positive",
    text: "",
  });

  // The next records open at once after a decision.
  useEffect(() => {
    for (const h of [nextHref, prevHref, nextFlaggedHref]) if (h) router.prefetch(h);
  }, [router, nextHref, prevHref, nextFlaggedHref]);

  // Browser back/forward shows the page as it was cached: fetch the record again so that the
  // version (and what the reviewer sees) is current.
  useEffect(() => {
    const check = () => {
      if (Date.now() - lastPopState < 10_000) {
        lastPopState = 0;
        router.refresh();
      }
    };
    check();
    const t = record.id ? setTimeout(check, 0) : undefined;
    const onShow = (e: PageTransitionEvent) => {
      if (e.persisted) router.refresh();
    };
    window.addEventListener("pageshow", onShow);
    return () => {
      clearTimeout(t);
      window.removeEventListener("pageshow", onShow);
    };
  }, [record.id, router]);

  const selectedNegative = negatives.find((n) => n.position === selected) ?? null;
  const textOf = useCallback(
    (field: string, position?: number): string | undefined => {
      if (field === "query") return record.query;
      if (field === "positive") return record.positive;
      if (field === "task") return record.task ?? undefined;
      if (field === "negative") {
        const n = negatives.find((x) => x.position === position);
        return n && n.status === "kept" ? n.text : undefined;
      }
      return undefined;
    },
    [record, negatives],
  );
  const strip = useMemo(() => stripTarget(flags, textOf, selected ?? undefined), [flags, textOf, selected]);

  const run = useCallback(
    (action: ReviewAction, done: string, navigateTo?: string | null) => {
      if (busy.current) return;
      busy.current = true;
      startTransition(async () => {
        try {
          const res = await decide({
            datasetId: dataset.id,
            recordId: record.id,
            expectedVersion: record.version,
            action,
          });
          if (res.ok) {
            if (navigateTo) {
              router.push(navigateTo);
            } else {
              setMessage({ kind: "info", text: done });
              router.refresh();
            }
          } else if (res.kind === "stale") {
            setMessage({ kind: "stale", text: res.message });
            router.refresh();
          } else {
            setMessage({ kind: "error", text: res.message });
          }
        } catch {
          setMessage({
            kind: "error",
            text: "The decision could not be saved: the server or its database did not answer. Nothing was changed — try again.",
          });
        } finally {
          busy.current = false;
        }
      });
    },
    [decide, dataset.id, record.id, record.version, router],
  );

  const requireSelected = useCallback((): ReviewNegative | null => {
    if (!selectedNegative) {
      setMessage({ kind: "error", text: "Select a negative first (keys 1–9)." });
      return null;
    }
    return selectedNegative;
  }, [selectedNegative]);

  const accept = useCallback(
    () => run({ type: "accept" }, nextHref ? "Accepted." : "Accepted. This was the last record.", nextHref),
    [run, nextHref],
  );
  const openReject = useCallback(() => {
    setRejectReason(defaultRejectReason(flags));
    setDialog("reject");
  }, [flags]);
  const confirmReject = useCallback(() => {
    const reason = rejectReason.trim();
    if (!reason) return;
    setDialog(null);
    run({ type: "reject", reason }, nextHref ? "Rejected." : "Rejected. This was the last record.", nextHref);
  }, [rejectReason, run, nextHref]);
  const openEdit = useCallback(() => {
    const n = selectedNegative;
    setEdit(
      n
        ? { field: "negative", position: n.position, text: n.text }
        : { field: "positive", text: record.positive },
    );
    setDialog("edit");
  }, [selectedNegative, record.positive]);
  const saveEdit = useCallback(() => {
    setDialog(null);
    run(
      { type: "edit_text", field: edit.field, position: edit.position, text: edit.text },
      `Edited the ${edit.field}${edit.field === "negative" ? ` ${(edit.position ?? 0) + 1}` : ""}.`,
    );
  }, [edit, run]);
  const negativeAction = useCallback(
    (kind: "drop" | "false" | "promote" | "swap", n: ReviewNegative | null) => {
      if (!n) return;
      const label = `negative ${n.position + 1}`;
      if (kind === "drop") run({ type: "drop_negative", position: n.position }, `Dropped ${label}.`);
      if (kind === "false") {
        run(
          { type: "mark_false_negative", position: n.position, mode: "drop" },
          `Dropped ${label} as a false negative.`,
        );
      }
      if (kind === "promote") {
        run(
          { type: "mark_false_negative", position: n.position, mode: "promote" },
          `Promoted ${label} to a positive.`,
        );
      }
      if (kind === "swap")
        run({ type: "swap_positive", position: n.position }, `Swapped ${label} with the positive.`);
    },
    [run],
  );
  const stripSpan = useCallback(() => {
    if (!strip) {
      setMessage({
        kind: "error",
        text:
          selected !== null
            ? `No flagged span to strip in negative ${selected + 1}.`
            : "No flagged span to strip in this record.",
      });
      return;
    }
    run(
      {
        type: "strip_span",
        field: strip.field,
        position: strip.position,
        start: strip.start,
        end: strip.end,
      },
      `Removed the flagged span (${strip.defect}) from the ${strip.field}${strip.field === "negative" ? ` ${(strip.position ?? 0) + 1}` : ""}.`,
    );
  }, [strip, selected, run]);
  const undo = useCallback(() => {
    if (view.undoableDecisionId === null) {
      setMessage({ kind: "error", text: "Nothing to undo." });
      return;
    }
    run({ type: "undo", decisionId: view.undoableDecisionId }, "Undone.");
  }, [view.undoableDecisionId, run]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || e.isComposing) return;
      if (dialog !== null || isTyping(e.target)) return;
      const go = (href: string | null) => {
        if (href) router.push(href);
      };
      const k = e.key;
      if (/^[1-9]$/.test(k)) {
        const n = negatives[Number(k) - 1];
        if (n) {
          setSelected(n.position);
          setMessage(null);
        }
      } else if (k === "j" || k === "ArrowDown") go(nextHref);
      else if (k === "k" || k === "ArrowUp") go(prevHref);
      else if (k === "n") go(nextFlaggedHref);
      else if (k === "a") accept();
      else if (k === "r") openReject();
      else if (k === "e") openEdit();
      else if (k === "d") negativeAction("drop", requireSelected());
      else if (k === "f") negativeAction("false", requireSelected());
      else if (k === "p") negativeAction("promote", requireSelected());
      else if (k === "s") negativeAction("swap", requireSelected());
      else if (k === "x") stripSpan();
      else if (k === "u") undo();
      else if (k === "?") setDialog("help");
      else if (k === "Escape") setSelected(null);
      else return;
      e.preventDefault();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [
    dialog,
    negatives,
    nextHref,
    prevHref,
    nextFlaggedHref,
    router,
    accept,
    openReject,
    openEdit,
    negativeAction,
    requireSelected,
    stripSpan,
    undo,
  ]);

  const lengthNotes = flags
    .filter((f) => f.defect === "length_mismatch")
    .flatMap((f) =>
      f.evidence.map((e) => ({
        where: e.field === "negative" ? `negative ${(e.negativeIndex ?? 0) + 1}` : e.field,
        note: e.note,
      })),
    );

  const editText = (field: EditField, position?: number) =>
    field === "negative"
      ? (negatives.find((n) => n.position === position)?.text ?? "")
      : field === "label"
        ? (record.label ?? "")
        : field === "task"
          ? (record.task ?? "")
          : record[field];

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <p className="text-sm text-slate-500">
            <Link href="/datasets" className="hover:underline">
              Data sets
            </Link>{" "}
            /{" "}
            <Link href={`/datasets/${dataset.id}${suffix}`} className="hover:underline">
              {dataset.name}
            </Link>{" "}
            /
          </p>
          <h1 className="text-2xl font-semibold tracking-tight">Record {record.id}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-600">
            <span>
              Status:{" "}
              <span className={`rounded px-1.5 py-0.5 ${STATUS_STYLE[record.status]}`}>{record.status}</span>
            </span>
            <span>version {record.version}</span>
            <span>{record.taskFamily}</span>
            <span>{record.language ?? "und"}</span>
            {record.externalId ? <span>id {record.externalId}</span> : null}
            {record.sourceLine !== null ? <span>line {record.sourceLine}</span> : null}
          </p>
        </div>
        <nav aria-label="Records" className="flex flex-wrap items-center gap-2 text-sm">
          <NavLink href={prevHref} keys="k">
            Previous record
          </NavLink>
          <NavLink href={nextHref} keys="j">
            Next record
          </NavLink>
          <NavLink href={nextFlaggedHref} keys="n">
            Next flagged record
          </NavLink>
          <button
            type="button"
            className={btnNeutral}
            onClick={() => setDialog("help")}
            aria-keyshortcuts="?"
          >
            Shortcuts <Kbd>?</Kbd>
          </button>
        </nav>
      </div>

      {readOnly ? (
        <p role="note" className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700">
          Read-only: you are a viewer of this data set. Decisions need the reviewer role.
        </p>
      ) : null}
      <div
        role="toolbar"
        aria-label="Decision"
        className="sticky top-0 z-10 flex flex-wrap items-center gap-2 rounded-lg border border-slate-200 bg-white/95 p-2 backdrop-blur"
      >
        <button
          type="button"
          className={btnPrimary}
          onClick={accept}
          disabled={pending || !ready}
          aria-keyshortcuts="a"
        >
          Accept <Kbd>a</Kbd>
        </button>
        <button
          type="button"
          className={btnDanger}
          onClick={openReject}
          disabled={pending || !ready}
          aria-keyshortcuts="r"
        >
          Reject <Kbd>r</Kbd>
        </button>
        <button
          type="button"
          className={btnNeutral}
          onClick={openEdit}
          disabled={pending || !ready}
          aria-keyshortcuts="e"
        >
          Edit <Kbd>e</Kbd>
        </button>
        <button
          type="button"
          className={btnNeutral}
          onClick={stripSpan}
          disabled={pending || !ready || !strip}
          aria-keyshortcuts="x"
          title={strip ? `${strip.defect}: ${strip.note}` : "No flagged span to strip"}
        >
          Strip flagged span <Kbd>x</Kbd>
        </button>
        <button
          type="button"
          className={btnNeutral}
          onClick={undo}
          disabled={pending || !ready || view.undoableDecisionId === null}
          aria-keyshortcuts="u"
        >
          Undo <Kbd>u</Kbd>
        </button>
        <span className="ml-auto text-xs text-slate-500" aria-live="polite">
          {pending
            ? "Saving…"
            : selected !== null
              ? `Negative ${selected + 1} selected`
              : "1–9 select a negative"}
        </span>
      </div>

      <div aria-live="polite" role="status">
        {message?.kind === "info" ? (
          <p className="rounded-md bg-emerald-50 px-3 py-2 text-sm text-emerald-900 ring-1 ring-emerald-200">
            {message.text}
          </p>
        ) : null}
      </div>
      {message && message.kind !== "info" ? (
        <p
          role="alert"
          className={`rounded-md px-3 py-2 text-sm ring-1 ${message.kind === "stale" ? "bg-amber-50 text-amber-900 ring-amber-300" : "bg-red-50 text-red-900 ring-red-200"}`}
        >
          {message.text}
        </p>
      ) : null}

      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <div className="space-y-4">
          <TextSection id="task" title="Task">
            {record.task ? (
              <HighlightedText
                text={record.task}
                spans={spansFor(flags, "task")}
                className="text-slate-700"
              />
            ) : (
              <p className="text-sm text-slate-500">No task definition.</p>
            )}
            {record.label || record.misleadingLabel ? (
              <p className="mt-2 text-sm text-slate-600">
                Label: <span className="font-medium">{record.label ?? "—"}</span>
                {record.misleadingLabel ? <> · misleading label: {record.misleadingLabel}</> : null}
              </p>
            ) : null}
            <FlagNotes notes={notesFor(flags, "task")} />
          </TextSection>
          <TextSection id="query" title="Query">
            <HighlightedText text={record.query} spans={spansFor(flags, "query")} />
            <FlagNotes notes={notesFor(flags, "query")} />
          </TextSection>
          <TextSection
            id="positive"
            title="Positive"
            extra={
              record.positiveScore !== null ? `teacher score ${record.positiveScore.toFixed(3)}` : undefined
            }
          >
            <HighlightedText text={record.positive} spans={spansFor(flags, "positive")} />
            <FlagNotes notes={notesFor(flags, "positive")} />
            {record.extraPositives.length ? (
              <details className="mt-2 text-sm">
                <summary className="cursor-pointer text-slate-600">
                  {record.extraPositives.length} more positive{record.extraPositives.length === 1 ? "" : "s"}
                </summary>
                <ul className="mt-1 space-y-1">
                  {record.extraPositives.map((p, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: positives have no id
                    <li key={i} className="whitespace-pre-wrap text-slate-700">
                      {p.text}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
          </TextSection>

          <section aria-labelledby="negatives-heading" className="space-y-2">
            <h2 id="negatives-heading" className="text-sm font-semibold text-slate-700">
              Negatives ({negatives.length})
            </h2>
            {negatives.length === 0 ? <p className="text-sm text-slate-500">No negatives.</p> : null}
            {negatives.map((n, i) => {
              const isSel = n.position === selected;
              const kept = n.status === "kept";
              return (
                // biome-ignore lint/a11y/useKeyWithClickEvents: a mouse shortcut; keys 1–9 select from the keyboard
                <article
                  key={n.id}
                  aria-label={`Negative ${n.position + 1}`}
                  aria-current={isSel ? "true" : undefined}
                  onClick={() => setSelected(n.position)}
                  className={`rounded-lg border bg-white p-4 ${isSel ? "border-indigo-500 ring-2 ring-indigo-300" : "border-slate-200"} ${kept ? "" : "opacity-70"}`}
                >
                  <div className="mb-2 flex flex-wrap items-center gap-2 text-xs">
                    <span className="font-semibold text-slate-700">
                      {i < 9 ? <Kbd>{i + 1}</Kbd> : null} Negative {n.position + 1}
                    </span>
                    <span className={`rounded px-1.5 py-0.5 ${STATUS_STYLE[n.status]}`}>{n.status}</span>
                    {n.teacherScore !== null ? (
                      <span className="tabular-nums text-slate-600">
                        teacher score {n.teacherScore.toFixed(3)}
                      </span>
                    ) : null}
                    {n.teacherRank !== null ? (
                      <span className="tabular-nums text-slate-600">rank {n.teacherRank}</span>
                    ) : null}
                  </div>
                  <HighlightedText
                    text={n.text}
                    spans={spansFor(flags, "negative", n.position)}
                    className={kept ? "" : "line-through decoration-slate-400"}
                  />
                  <FlagNotes notes={notesFor(flags, "negative", n.position)} />
                  <div className="mt-2 flex flex-wrap gap-1.5">
                    <button
                      type="button"
                      className={btnSmall}
                      disabled={!kept || pending}
                      onClick={() => negativeAction("drop", n)}
                    >
                      Drop negative
                    </button>
                    <button
                      type="button"
                      className={btnSmall}
                      disabled={!kept || pending}
                      onClick={() => negativeAction("false", n)}
                    >
                      Mark false negative
                    </button>
                    <button
                      type="button"
                      className={btnSmall}
                      disabled={!kept || pending}
                      onClick={() => negativeAction("promote", n)}
                    >
                      Promote to positive
                    </button>
                    <button
                      type="button"
                      className={btnSmall}
                      disabled={!kept || pending}
                      onClick={() => negativeAction("swap", n)}
                    >
                      Swap with positive
                    </button>
                  </div>
                </article>
              );
            })}
          </section>
        </div>

        <aside className="space-y-4" aria-label="Flags and history">
          <FlagList flags={flags} />
          <ParamsPanel params={record.params} lengthNotes={lengthNotes} />
          <DecisionHistory decisions={view.decisions} />
        </aside>
      </div>

      <ModalDialog open={dialog === "reject"} onClose={() => setDialog(null)} title="Reject record">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            confirmReject();
          }}
          className="space-y-3"
        >
          <label className="block text-sm">
            <span className="text-slate-700">Reason</span>
            <input
              data-autofocus
              value={rejectReason}
              onChange={(e) => setRejectReason(e.target.value)}
              className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500"
            />
          </label>
          <p className="text-xs text-slate-500">Enter confirms, Escape cancels.</p>
          <div className="flex justify-end gap-2">
            <button type="button" className={btnNeutral} onClick={() => setDialog(null)}>
              Cancel
            </button>
            <button type="submit" className={btnDanger} disabled={!rejectReason.trim()}>
              Reject record
            </button>
          </div>
        </form>
      </ModalDialog>

      <ModalDialog open={dialog === "edit"} onClose={() => setDialog(null)} title="Edit text" wide>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            saveEdit();
          }}
          className="space-y-3"
        >
          <label className="block text-sm">
            <span className="text-slate-700">Field</span>
            <select
              value={edit.field === "negative" ? `negative:${edit.position}` : edit.field}
              onChange={(e) => {
                const [f, p] = e.target.value.split(":") as [EditField, string | undefined];
                const position = p !== undefined ? Number(p) : undefined;
                setEdit({ field: f, position, text: editText(f, position) });
              }}
              className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            >
              <option value="query">Query</option>
              <option value="positive">Positive</option>
              {negatives.map((n) => (
                <option key={n.id} value={`negative:${n.position}`}>
                  Negative {n.position + 1}
                  {n.status !== "kept" ? ` (${n.status})` : ""}
                </option>
              ))}
              <option value="task">Task</option>
              <option value="label">Label</option>
            </select>
          </label>
          <label className="block text-sm">
            <span className="text-slate-700">Text</span>
            <textarea
              data-autofocus
              value={edit.text}
              rows={10}
              onChange={(e) => setEdit({ ...edit, text: e.target.value })}
              onKeyDown={(e) => {
                if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  saveEdit();
                }
              }}
              className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1.5 font-mono text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500"
            />
          </label>
          <p className="text-xs text-slate-500">
            Ctrl+Enter saves, Escape cancels. The detectors run again on save.
          </p>
          <div className="flex justify-end gap-2">
            <button type="button" className={btnNeutral} onClick={() => setDialog(null)}>
              Cancel
            </button>
            <button type="submit" className={btnPrimary}>
              Save edit
            </button>
          </div>
        </form>
      </ModalDialog>

      <ModalDialog open={dialog === "help"} onClose={() => setDialog(null)} title="Keyboard shortcuts">
        <table className="w-full text-sm">
          <tbody>
            {SHORTCUTS.map(([keys, what]) => (
              <tr key={keys} className="border-b border-slate-100 last:border-0">
                <th
                  scope="row"
                  className="whitespace-nowrap py-1 pr-4 text-left font-mono font-normal text-slate-800"
                >
                  {keys}
                </th>
                <td className="py-1 text-slate-700">{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="mt-2 text-xs text-slate-500">Keys do nothing while you type in a field.</p>
        <div className="mt-3 flex justify-end">
          <button type="button" className={btnNeutral} onClick={() => setDialog(null)}>
            Close
          </button>
        </div>
      </ModalDialog>
    </div>
  );
}

function NavLink({ href, keys, children }: { href: string | null; keys: string; children: ReactNode }) {
  if (!href) {
    return (
      <span aria-disabled="true" className="rounded-md border border-slate-200 px-3 py-1.5 text-slate-400">
        {children}
      </span>
    );
  }
  return (
    <Link href={href} aria-keyshortcuts={keys} className={btnNeutral}>
      {children} <Kbd>{keys}</Kbd>
    </Link>
  );
}

function TextSection({
  id,
  title,
  extra,
  children,
}: {
  id: string;
  title: string;
  extra?: string;
  children: ReactNode;
}) {
  return (
    <section aria-labelledby={`${id}-heading`} className="rounded-lg border border-slate-200 bg-white p-4">
      <div className="mb-1 flex items-baseline justify-between gap-2">
        <h2 id={`${id}-heading`} className="text-sm font-semibold text-slate-700">
          {title}
        </h2>
        {extra ? <span className="text-xs tabular-nums text-slate-500">{extra}</span> : null}
      </div>
      {children}
    </section>
  );
}
