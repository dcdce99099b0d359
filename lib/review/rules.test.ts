import { describe, expect, it } from "vitest";
import { segmentText, stripTarget } from "./highlight";
import {
  apply,
  contentChanged,
  defaultRejectReason,
  type RecordState,
  ReviewRuleError,
  sameState,
  stripSpan,
} from "./rules";
import { decideInputSchema, reviewActionSchema } from "./schema";

const base: RecordState = {
  status: "pending",
  task: "Given a question, retrieve passages that answer it.",
  language: "en",
  query: "how tall is the eiffel tower",
  positive: "The Eiffel Tower is 330 metres tall. This passage is relevant because it answers the query.",
  positiveScore: 0.9,
  label: null,
  misleadingLabel: null,
  negatives: [
    { position: 0, text: "The Louvre is a museum.", status: "kept", teacherScore: 0.2 },
    { position: 1, text: "Paris has many bridges.", status: "kept", teacherScore: 0.3 },
    { position: 2, text: "The tower is 330 m high.", status: "kept", teacherScore: 0.88 },
  ],
};

describe("apply", () => {
  it("accept and reject change the status only", () => {
    const a = apply(base, { type: "accept" });
    expect(a.status).toBe("accepted");
    expect(a.after).toEqual({ ...base, status: "accepted" });
    const r = apply(base, { type: "reject", reason: "self_explanation" });
    expect(r.status).toBe("rejected");
    expect(contentChanged(base, r.after)).toBe(false);
  });

  it("never mutates its input", () => {
    const copy = structuredClone(base);
    apply(base, { type: "drop_negative", position: 1 });
    apply(base, { type: "swap_positive", position: 2 });
    expect(base).toEqual(copy);
  });

  it("drop_negative drops a kept negative and relabels", () => {
    const { after, status } = apply(base, { type: "drop_negative", position: 1 });
    expect(status).toBe("relabeled");
    expect(after.negatives.map((n) => n.status)).toEqual(["kept", "dropped", "kept"]);
    expect(() => apply(after, { type: "drop_negative", position: 1 })).toThrow(ReviewRuleError);
    expect(() => apply(after, { type: "drop_negative", position: 7 })).toThrow(/no negative at position 7/);
  });

  it("mark_false_negative drops or promotes", () => {
    expect(
      apply(base, { type: "mark_false_negative", position: 2, mode: "drop" }).after.negatives[2]!.status,
    ).toBe("dropped");
    const p = apply(base, { type: "mark_false_negative", position: 2, mode: "promote" });
    expect(p.after.negatives[2]!.status).toBe("promoted");
    expect(p.status).toBe("relabeled");
  });

  it("swap_positive exchanges the texts and the scores", () => {
    const { after } = apply(base, { type: "swap_positive", position: 2 });
    expect(after.positive).toBe("The tower is 330 m high.");
    expect(after.positiveScore).toBe(0.88);
    expect(after.negatives[2]).toEqual({
      position: 2,
      text: base.positive,
      status: "kept",
      teacherScore: 0.9,
    });
  });

  it("edit_text edits a field and refuses empty or unchanged texts", () => {
    expect(apply(base, { type: "edit_text", field: "query", text: "eiffel tower height" }).after.query).toBe(
      "eiffel tower height",
    );
    expect(
      apply(base, { type: "edit_text", field: "negative", position: 0, text: "The Louvre." }).after
        .negatives[0]!.text,
    ).toBe("The Louvre.");
    expect(apply(base, { type: "edit_text", field: "label", text: " sports " }).after.label).toBe("sports");
    expect(() => apply(base, { type: "edit_text", field: "positive", text: "  " })).toThrow(
      /cannot be empty/,
    );
    expect(() => apply(base, { type: "edit_text", field: "query", text: base.query })).toThrow(/unchanged/);
  });

  it("strip_span removes a self-explanation sentence and tidies the seam", () => {
    const start = base.positive.indexOf("This passage");
    const { after, status } = apply(base, {
      type: "strip_span",
      field: "positive",
      start,
      end: base.positive.length,
    });
    expect(after.positive).toBe("The Eiffel Tower is 330 metres tall.");
    expect(status).toBe("relabeled");
  });

  it("set_task / set_language / set_label", () => {
    expect(apply(base, { type: "set_task", task: "  " }).after.task).toBeNull();
    expect(apply(base, { type: "set_language", language: "fr" }).after.language).toBe("fr");
    const l = apply(base, { type: "set_label", label: "positive", misleadingLabel: "negative" }).after;
    expect([l.label, l.misleadingLabel]).toEqual(["positive", "negative"]);
  });

  it("undo restores the before snapshot, status included", () => {
    const d1 = apply(base, { type: "drop_negative", position: 0 });
    const d2 = apply(d1.after, { type: "accept" });
    const u = apply(d2.after, { type: "undo", decisionId: 2 }, { undo: { before: d1.after } });
    expect(u.status).toBe("relabeled");
    expect(sameState(u.after, d1.after)).toBe(true);
    const u2 = apply(u.after, { type: "undo", decisionId: 1 }, { undo: { before: base } });
    expect(u2.after).toEqual(base);
    expect(u2.status).toBe("pending");
    expect(() => apply(base, { type: "undo", decisionId: 1 })).toThrow(ReviewRuleError);
  });
});

describe("stripSpan", () => {
  it("joins the two sides with one space", () => {
    const t = "First sentence. This passage is relevant because X. Last one.";
    const s = t.indexOf("This");
    const e = t.indexOf("Last");
    expect(stripSpan(t, s, e)).toBe("First sentence. Last one.");
    expect(stripSpan(t, s, e - 1)).toBe("First sentence. Last one.");
  });
  it("keeps a paragraph break and drops the space before punctuation", () => {
    expect(stripSpan("Para one.\n\nNote: relevant.\n\nPara two.", 11, 27)).toBe("Para one.\n\nPara two.");
    const t = "Paris is the capital of France and nothing else.";
    expect(stripSpan(t, t.indexOf("and"), t.length - 1)).toBe("Paris is the capital of France.");
    expect(stripSpan("a leaked query here.", 9, 14)).toBe("a leaked here.");
    expect(stripSpan("ends with it", 9, 12)).toBe("ends with");
  });
  it("works without spaces (Chinese)", () => {
    const t = "北京是中国的首都。该文档与查询相关。";
    expect(stripSpan(t, 9, t.length)).toBe("北京是中国的首都。");
  });
  it("refuses spans outside the text", () => {
    expect(() => stripSpan("abc", 2, 5)).toThrow(ReviewRuleError);
    expect(() => stripSpan("abc", 2, 2)).toThrow(ReviewRuleError);
  });
  it("refuses to strip a whole query", () => {
    expect(() =>
      apply(base, { type: "strip_span", field: "query", start: 0, end: base.query.length }),
    ).toThrow(/cannot be empty/);
  });
});

describe("schemas", () => {
  it("validate actions as a discriminated union", () => {
    expect(reviewActionSchema.parse({ type: "drop_negative", position: 2 })).toEqual({
      type: "drop_negative",
      position: 2,
    });
    expect(reviewActionSchema.safeParse({ type: "drop_negative" }).success).toBe(false);
    expect(reviewActionSchema.safeParse({ type: "nuke" }).success).toBe(false);
    expect(reviewActionSchema.safeParse({ type: "reject", reason: "   " }).success).toBe(false);
    expect(reviewActionSchema.safeParse({ type: "edit_text", field: "negative", text: "x" }).success).toBe(
      false,
    );
    expect(
      reviewActionSchema.safeParse({ type: "strip_span", field: "query", start: 4, end: 4 }).success,
    ).toBe(false);
    expect(
      reviewActionSchema.safeParse({ type: "mark_false_negative", position: 1, mode: "maybe" }).success,
    ).toBe(false);
  });
  it("validate the decide input", () => {
    const ok = decideInputSchema.safeParse({
      datasetId: 1,
      recordId: 5,
      expectedVersion: 3,
      action: { type: "accept" },
    });
    expect(ok.success).toBe(true);
    expect(
      decideInputSchema.safeParse({ datasetId: 1, recordId: 5, action: { type: "accept" } }).success,
    ).toBe(false);
  });
});

describe("defaultRejectReason", () => {
  it("lists the defects, most confident first, once each", () => {
    expect(
      defaultRejectReason([
        { defect: "query_leakage", score: 0.5 },
        { defect: "self_explanation", score: 0.9 },
        { defect: "query_leakage", score: 0.95 },
      ]),
    ).toBe("query_leakage, self_explanation");
    expect(defaultRejectReason([])).toBe("");
  });
});

describe("segmentText", () => {
  it("marks spans in place, merging overlaps into segments", () => {
    const segs = segmentText("abcdefghij", [
      { start: 2, end: 5, note: "A" },
      { start: 4, end: 7, note: "B" },
      { start: 20, end: 30, note: "out of range" },
    ]);
    expect(segs.map((s) => [s.text, s.notes])).toEqual([
      ["ab", []],
      ["cd", ["A"]],
      ["e", ["A", "B"]],
      ["fg", ["B"]],
      ["hij", []],
    ]);
    expect(segmentText("abc", [{ start: 0, end: 0, note: "no span" }])).toEqual([
      { text: "abc", start: 0, end: 3, notes: [] },
    ]);
  });
});

describe("stripTarget", () => {
  const texts: Record<string, string> = {
    query: "q",
    positive: base.positive,
    "negative:1": "Paris. It is relevant.",
  };
  const textOf = (f: string, p?: number) => texts[f === "negative" ? `negative:${p}` : f];
  const flags = [
    { defect: "length_mismatch", evidence: [{ field: "positive", start: 0, end: 0, note: "x" }] },
    {
      defect: "self_explanation",
      evidence: [{ field: "negative", negativeIndex: 1, start: 7, end: 22, note: "n" }],
    },
    {
      defect: "self_explanation",
      evidence: [{ field: "positive", start: 37, end: base.positive.length, note: "p" }],
    },
  ];
  it("prefers the selected negative, else the query/positive first", () => {
    expect(stripTarget(flags, textOf)).toMatchObject({ field: "positive", start: 37 });
    expect(stripTarget(flags, textOf, 1)).toMatchObject({ field: "negative", position: 1, start: 7 });
    expect(stripTarget(flags, textOf, 0)).toBeUndefined();
  });
});
