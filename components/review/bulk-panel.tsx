"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { applyBulkAction, previewBulkAction, undoBulkAction } from "@/app/datasets/[id]/actions";
import { fmtInt, plural } from "@/components/ui/format";
import type { BulkPreview } from "@/db/queries/bulk";
import { DEFECTS, type Defect } from "@/lib/detect/types";
import { type BulkRuleInput, DEFAULT_DROP_DEFECTS } from "@/lib/review/bulk";
import type { RecordFilter } from "@/lib/review/filter";

type ActionType = "accept" | "reject" | "drop_flagged_negatives";

/**
 * Bulk decisions over the selected rows or over every record matching the view: preview (exact
 * count and a sample) first, then apply — one transaction, logged under the rule's name, undoable.
 */
export function BulkPanel(p: {
  datasetId: number;
  filter: RecordFilter;
  filterLabel: string;
  matching: number;
  selectedIds: number[];
  clearSelection: () => void;
}) {
  const router = useRouter();
  const [scope, setScope] = useState<"selected" | "matching">("selected");
  const [action, setAction] = useState<ActionType>("accept");
  const [reason, setReason] = useState("");
  const [defects, setDefects] = useState<Defect[]>([...DEFAULT_DROP_DEFECTS]);
  const [name, setName] = useState("");
  const [preview, setPreview] = useState<BulkPreview | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, startTransition] = useTransition();

  const effectiveScope = scope === "selected" && !p.selectedIds.length ? "matching" : scope;
  const targetCount = effectiveScope === "selected" ? p.selectedIds.length : p.matching;
  const verb = action === "accept" ? "Accept" : action === "reject" ? "Reject" : "Drop flagged negatives of";
  const defaultName = `${verb} ${effectiveScope === "selected" ? plural(targetCount, "selected record") : `all matching ${p.filterLabel}`}`;

  const rule = (): BulkRuleInput => ({
    name: name.trim() || defaultName,
    target: effectiveScope === "selected" ? { ids: p.selectedIds } : { filter: p.filter },
    action:
      action === "accept"
        ? { type: "accept" }
        : action === "reject"
          ? { type: "reject", reason: reason.trim() }
          : { type: "drop_flagged_negatives", defects },
  });

  const reset = () => {
    setPreview(null);
    setMessage(null);
  };

  const onPreview = () =>
    startTransition(async () => {
      setMessage(null);
      const r = await previewBulkAction(p.datasetId, rule());
      if (r.ok) setPreview(r.preview);
      else setMessage({ ok: false, text: r.message });
    });

  const onApply = () =>
    startTransition(async () => {
      const r = await applyBulkAction(p.datasetId, rule());
      if (!r.ok) {
        setMessage({ ok: false, text: r.message });
        return;
      }
      setPreview(null);
      setName("");
      setReason("");
      setAction("accept");
      setScope("selected");
      p.clearSelection();
      setMessage({
        ok: true,
        text: `Rule #${r.ruleId} applied: ${plural(r.changed, "record")} changed${
          r.negatives ? `, ${plural(r.negatives, "negative")} dropped` : ""
        }.`,
      });
      router.refresh();
    });

  return (
    <details
      aria-label="Bulk actions"
      open={p.selectedIds.length > 0 || preview !== null || message !== null || undefined}
      className="rounded-lg border border-slate-200 bg-white px-3 py-2 text-sm"
    >
      <summary className="cursor-pointer select-none font-medium text-slate-700">
        Bulk actions{p.selectedIds.length ? ` · ${plural(p.selectedIds.length, "row")} selected` : ""}
      </summary>
      <div className="mt-2 flex flex-wrap items-end gap-3">
        <fieldset className="flex flex-wrap items-center gap-3">
          <legend className="sr-only">Apply to</legend>
          <label className="flex items-center gap-1">
            <input
              type="radio"
              name="bulk-scope"
              checked={effectiveScope === "selected"}
              disabled={!p.selectedIds.length}
              onChange={() => {
                setScope("selected");
                reset();
              }}
            />
            {plural(p.selectedIds.length, "selected row")}
          </label>
          <label className="flex items-center gap-1">
            <input
              type="radio"
              name="bulk-scope"
              checked={effectiveScope === "matching"}
              onChange={() => {
                setScope("matching");
                reset();
              }}
            />
            All {fmtInt(p.matching)} matching this filter
          </label>
        </fieldset>
        <label className="flex items-center gap-1">
          <span>Action</span>
          <select
            value={action}
            onChange={(e) => {
              setAction(e.target.value as ActionType);
              reset();
            }}
            className="rounded border border-slate-300 px-2 py-1"
          >
            <option value="accept">Accept</option>
            <option value="reject">Reject</option>
            <option value="drop_flagged_negatives">Drop flagged negatives</option>
          </select>
        </label>
        {action === "reject" ? (
          <label className="flex items-center gap-1">
            <span>Reason</span>
            <input
              value={reason}
              onChange={(e) => {
                setReason(e.target.value);
                reset();
              }}
              required
              placeholder="e.g. query leaked into positive"
              className="w-64 rounded border border-slate-300 px-2 py-1"
            />
          </label>
        ) : null}
        <label className="flex items-center gap-1">
          <span>Rule name</span>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder={defaultName}
            className="w-72 rounded border border-slate-300 px-2 py-1"
          />
        </label>
        <button
          type="button"
          onClick={onPreview}
          disabled={pending || targetCount === 0 || (action === "reject" && !reason.trim())}
          className="rounded border border-slate-300 bg-white px-3 py-1 hover:bg-slate-50 disabled:opacity-50"
        >
          Preview
        </button>
        <button
          type="button"
          onClick={onApply}
          disabled={pending || !preview || preview.changed === 0}
          className="rounded bg-indigo-600 px-3 py-1 font-medium text-white hover:bg-indigo-700 disabled:opacity-50"
        >
          Apply
        </button>
      </div>
      {action === "drop_flagged_negatives" ? (
        <fieldset className="mt-2 flex flex-wrap gap-x-3 gap-y-1 text-xs">
          <legend className="mb-1 text-slate-600">Drop negatives flagged with</legend>
          {DEFECTS.map((d) => (
            <label key={d} className="flex items-center gap-1">
              <input
                type="checkbox"
                checked={defects.includes(d)}
                onChange={(e) => {
                  setDefects(e.target.checked ? [...defects, d] : defects.filter((x) => x !== d));
                  reset();
                }}
              />
              {d}
            </label>
          ))}
        </fieldset>
      ) : null}
      {preview ? (
        <div role="status" aria-label="Bulk preview" className="mt-3 rounded bg-slate-50 p-2">
          <p>
            Would change <strong>{fmtInt(preview.changed)}</strong> of{" "}
            {plural(preview.matched, "matching record")}
            {action === "drop_flagged_negatives" ? ` (${plural(preview.negatives, "negative")} dropped)` : ""}
            .{preview.changed < preview.matched ? " The others are in that state already." : ""}
          </p>
          {preview.sample.length ? (
            <ul className="mt-1 space-y-0.5 text-xs text-slate-700">
              {preview.sample.map((s) => (
                <li key={s.id} className="truncate">
                  <span className="tabular-nums text-slate-500">#{s.id}</span> [{s.status}] {s.query}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {message ? (
        <p
          role={message.ok ? "status" : "alert"}
          className={`mt-2 ${message.ok ? "text-emerald-700" : "text-red-700"}`}
        >
          {message.text}
        </p>
      ) : null}
    </details>
  );
}

/** The Undo button of one applied bulk rule. */
export function UndoBulkRuleButton({
  datasetId,
  ruleId,
  name,
  undone,
}: {
  datasetId: number;
  ruleId: number;
  name: string;
  /** "undone by … · when" once undone: shown instead of the button (the last message stays). */
  undone?: string;
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      {undone ? <span className="text-xs text-slate-500">{undone}</span> : null}
      <button
        hidden={!!undone}
        type="button"
        aria-label={`Undo rule ${name}`}
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            const r = await undoBulkAction(datasetId, ruleId);
            setMessage(
              r.ok
                ? `Restored ${plural(r.restored, "record")}${r.skipped ? `; ${fmtInt(r.skipped)} decided again since, left as they are` : ""}.`
                : r.message,
            );
            router.refresh();
          })
        }
        className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs hover:bg-slate-50 disabled:opacity-50"
      >
        Undo
      </button>
      {message ? (
        <span role="status" className="text-xs text-slate-600">
          {message}
        </span>
      ) : null}
    </span>
  );
}
