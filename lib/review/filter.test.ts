import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeCursor,
  encodeCursor,
  likeContains,
  parseRecordView,
  recordViewSchema,
  searchTerms,
  viewToSearchParams,
} from "./filter";

const KEYS = [
  "status",
  "task",
  "family",
  "lang",
  "defect",
  "match",
  "smin",
  "smax",
  "mmin",
  "mmax",
  "q",
  "reviewer",
  "sample",
  "sort",
  "dir",
  "zzz",
];

describe("the URL view model", () => {
  it("parses a view and writes it back to the same search params", () => {
    const qs =
      "status=pending&status=accepted&task=Retrieve+posts&family=sts&lang=und&defect=query_leakage&defect=self_explanation&match=all&smin=0.5&mmax=0.2&q=tower+paris&reviewer=ana&sample=3&sort=score&dir=desc";
    const { view, ignored } = parseRecordView(new URLSearchParams(qs));
    expect(ignored).toEqual([]);
    expect(view).toMatchObject({
      status: ["pending", "accepted"],
      task: ["Retrieve posts"],
      lang: ["und"],
      defect: ["query_leakage", "self_explanation"],
      match: "all",
      smin: 0.5,
      mmax: 0.2,
      q: "tower paris",
      sample: 3,
      sort: "score",
      dir: "desc",
    });
    expect(viewToSearchParams(view).toString()).toBe(qs);
    expect(viewToSearchParams(recordViewSchema.parse({})).toString()).toBe("");
  });

  it("drops bad values, keeps the good ones, and names what it dropped", () => {
    const { view, ignored } = parseRecordView({
      status: ["pending", "nonsense"],
      defect: "not_a_defect",
      smin: "2",
      mmin: "0.5",
      mmax: "0.1",
      sort: "id; drop table records",
    });
    expect(view.status).toEqual(["pending"]);
    expect(view.defect).toEqual([]);
    expect(view.smin).toBeUndefined();
    expect(view.mmin).toBeUndefined();
    expect(view.sort).toBe("id");
    expect(ignored.sort()).toEqual(["defect", "mmax", "mmin", "smin", "sort", "status"]);
  });

  it("never throws on arbitrary search params, and what it returns is always a valid view", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.string({ maxLength: 80 })), { maxLength: 30 }),
        (pairs) => {
          const params = new URLSearchParams();
          for (const [k, v] of pairs) params.append(k, v);
          const { view, ignored } = parseRecordView(params);
          expect(recordViewSchema.safeParse(view).success).toBe(true);
          for (const k of ignored) expect(pairs.some(([key]) => key === k)).toBe(true);
          // Writing it back and parsing again is stable.
          expect(parseRecordView(viewToSearchParams(view)).view).toEqual(view);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("escapes LIKE wildcards and splits search terms", () => {
    expect(likeContains("50%_off\\")).toBe("%50\\%\\_off\\\\%");
    expect(searchTerms("  tower   paris tower ")).toEqual(["tower", "paris"]);
  });

  it("round-trips cursors and rejects anything else", () => {
    for (const c of [
      [null, 5],
      ["2026-11-27 10:00:00.123456+00", 9],
      [-0.25, 1],
    ] as const) {
      expect(decodeCursor(encodeCursor([...c]))).toEqual([...c]);
    }
    expect(decodeCursor("not-a-cursor")).toBeNull();
    expect(decodeCursor(Buffer.from('["x", -1]').toString("base64url"))).toBeNull();
    fc.assert(fc.property(fc.string(), (s) => decodeCursor(s) === null || Array.isArray(decodeCursor(s))));
  });
});
