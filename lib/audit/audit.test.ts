import { describe, expect, it } from "vitest";
import { csvField, ratesCsv, reviewersCsv, samplesCsv, toCsv } from "./csv";
import { estimateDefectRate } from "./estimate";
import { reviewHref } from "./links";
import { hashSeed, mulberry32, sampleIndices } from "./prng";
import { type AuditCell, defectRows, rateRows, type Status, totalRow } from "./rates";
import { buildAuditReport, decisionsPerHour } from "./report";
import { planSample } from "./sample";
import { downloadQuerySchema, drawSampleSchema } from "./schema";
import { fmtInterval, formatAuditText, textTable } from "./text";
import { wilson, wilsonFromRate } from "./wilson";

describe("wilson", () => {
  it("matches published values", () => {
    const a = wilson(0, 10)!;
    expect(a.rate).toBe(0);
    expect(a.low).toBe(0);
    expect(a.high).toBeCloseTo(0.2775, 4);
    const b = wilson(5, 10)!;
    expect(b.low).toBeCloseTo(0.2366, 4);
    expect(b.high).toBeCloseTo(0.7634, 4);
    const c = wilson(10, 10)!;
    expect(c.low).toBeCloseTo(0.7225, 4);
    expect(c.high).toBe(1);
    const d = wilson(81, 263)!;
    expect(d.low).toBeCloseTo(0.2553, 3);
    expect(d.high).toBeCloseTo(0.3662, 3);
  });
  it("is null without observations and refuses impossible counts", () => {
    expect(wilson(0, 0)).toBeNull();
    expect(wilsonFromRate(0.5, 0)).toBeNull();
    expect(() => wilson(3, 2)).toThrow(RangeError);
    expect(() => wilson(-1, 2)).toThrow(RangeError);
  });
  it("narrows as n grows and always contains the estimate", () => {
    let width = 1;
    for (const n of [10, 100, 1000, 10000]) {
      const w = wilson(Math.round(n * 0.07), n)!;
      expect(w.low).toBeLessThanOrEqual(w.rate);
      expect(w.high).toBeGreaterThanOrEqual(w.rate);
      expect(w.high - w.low).toBeLessThan(width);
      width = w.high - w.low;
    }
  });
});

describe("prng", () => {
  it("is deterministic per seed and differs between seeds and keys", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(mulberry32(43)()).not.toBe(xs[0]);
    expect(hashSeed(1, "task a")).not.toBe(hashSeed(1, "task b"));
    expect(hashSeed(1, "task a")).toBe(hashSeed(1, "task a"));
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
  it("sampleIndices draws k distinct ascending indices, uniformly", () => {
    const rng = mulberry32(7);
    const hits = new Array(20).fill(0);
    let wellFormed = true;
    for (let rep = 0; rep < 4000; rep++) {
      const s = sampleIndices(rng, 20, 5);
      wellFormed &&= s.length === 5 && new Set(s).size === 5 && s.every((x, i) => i === 0 || s[i - 1]! < x);
      for (const i of s) hits[i]++;
    }
    expect(wellFormed).toBe(true);
    // Each index is chosen with probability 1/4: 1000 expected out of 4000 draws.
    for (const h of hits) expect(Math.abs(h - 1000)).toBeLessThan(130);
    expect(sampleIndices(rng, 3, 5)).toEqual([0, 1, 2]);
    expect(sampleIndices(rng, 0, 5)).toEqual([]);
  });
});

describe("planSample", () => {
  const strata = [
    { task: "a", flagged: true, count: 30 },
    { task: "a", flagged: false, count: 70 },
    { task: "b", flagged: false, count: 4 },
    { task: null, flagged: true, count: 50 },
    { task: null, flagged: false, count: 950 },
  ];
  const size = (plan: ReturnType<typeof planSample>, task: string | null, flagged?: boolean) =>
    plan
      .filter((p) => p.task === task && (flagged === undefined || p.flagged === flagged))
      .reduce((s, p) => s + p.positions.length, 0);

  it("takes N per task (all of a smaller task), positions within each stratum", () => {
    const plan = planSample(strata, 10, 1);
    expect(size(plan, "a")).toBe(10);
    expect(size(plan, "b")).toBe(4);
    expect(size(plan, null)).toBe(10);
    for (const p of plan) {
      const count = strata.find((s) => s.task === p.task && s.flagged === p.flagged)!.count;
      for (const x of p.positions) expect(x >= 0 && x < count).toBe(true);
      expect(new Set(p.positions).size).toBe(p.positions.length);
    }
  });
  it("is deterministic, independent of input order, and changes with the seed", () => {
    const one = planSample(strata, 10, 5);
    expect(planSample([...strata].reverse(), 10, 5)).toEqual(one);
    expect(planSample(strata, 10, 6)).not.toEqual(one);
  });
  it("splits flagged and unflagged in proportion, in expectation", () => {
    let flaggedA = 0;
    let flaggedNull = 0;
    const reps = 2000;
    for (let seed = 0; seed < reps; seed++) {
      const plan = planSample(strata, 10, seed);
      flaggedA += size(plan, "a", true);
      flaggedNull += size(plan, null, true);
    }
    expect(flaggedA / reps).toBeCloseTo(3, 1); // 30 % of 10
    expect(flaggedNull / reps).toBeGreaterThan(0.45); // 5 % of 10 = 0.5
    expect(flaggedNull / reps).toBeLessThan(0.55);
  });
  it("refuses a non-positive N", () => {
    expect(() => planSample(strata, 0, 1)).toThrow(RangeError);
  });
});

describe("estimateDefectRate", () => {
  it("is the known rate, without uncertainty, when everything is reviewed", () => {
    const e = estimateDefectRate([{ total: 10, defective: 3, pending: 0, n: 10, k: 3 }])!;
    expect(e).toMatchObject({ rate: 0.3, low: 0.3, high: 0.3, coveredRecords: 10, pendingRate: null });
  });
  it("with nothing reviewed but a sample, is the sample's Wilson interval", () => {
    const e = estimateDefectRate([{ total: 1000, defective: 0, pending: 1000, n: 50, k: 5 }])!;
    const w = wilson(5, 50)!;
    expect(e.rate).toBeCloseTo(0.1, 10);
    expect(e.low).toBeCloseTo(w.low, 10);
    expect(e.high).toBeCloseTo(w.high, 10);
    expect(e.effectiveN).toBeCloseTo(50, 6);
  });
  it("adds known defects to the estimated ones and weights strata by their pending records", () => {
    const e = estimateDefectRate([
      { total: 100, defective: 20, pending: 60, n: 40, k: 20 }, // 40 reviewed, 20 defective; pending at 50 %
      { total: 900, defective: 0, pending: 900, n: 30, k: 3 }, // pending at 10 %
    ])!;
    expect(e.rate).toBeCloseTo((20 + 60 * 0.5 + 900 * 0.1) / 1000, 10);
    expect(e.low).toBeLessThan(e.rate);
    expect(e.high).toBeGreaterThan(e.rate);
    expect(e.knownDefective).toBe(20);
    expect(e.pending).toBe(960);
  });
  it("gives an upper bound above zero when no defect was seen, and leaves unobserved strata out", () => {
    const e = estimateDefectRate([
      { total: 500, defective: 0, pending: 500, n: 20, k: 0 },
      { total: 500, defective: 0, pending: 500, n: 0, k: 0 },
    ])!;
    expect(e.rate).toBe(0);
    expect(e.high).toBeGreaterThan(0.05);
    expect(e.coveredRecords).toBe(500);
    expect(e.totalRecords).toBe(1000);
    expect(estimateDefectRate([{ total: 5, defective: 0, pending: 5, n: 0, k: 0 }])).toBeNull();
  });
  it("covers the true rate about 95 % of the time with stratified samples", () => {
    // Population: 3 tasks with flagged / unflagged records and different defect rates.
    const rng = mulberry32(99);
    const tasks = [
      { task: "t1", flagged: 200, unflagged: 1800, pf: 0.8, pu: 0.05 },
      { task: "t2", flagged: 50, unflagged: 450, pf: 0.6, pu: 0.02 },
      { task: "t3", flagged: 10, unflagged: 5000, pf: 0.9, pu: 0.01 },
    ];
    const defective = new Map<string, boolean[]>();
    let trueDefects = 0;
    let total = 0;
    for (const t of tasks) {
      for (const flagged of [true, false]) {
        const n = flagged ? t.flagged : t.unflagged;
        const p = flagged ? t.pf : t.pu;
        const list = Array.from({ length: n }, () => rng() < p);
        trueDefects += list.filter(Boolean).length;
        total += n;
        defective.set(`${t.task}|${flagged}`, list);
      }
    }
    const truth = trueDefects / total;
    let covered = 0;
    const reps = 400;
    for (let seed = 0; seed < reps; seed++) {
      const plan = planSample(
        tasks.flatMap((t) => [
          { task: t.task, flagged: true, count: t.flagged },
          { task: t.task, flagged: false, count: t.unflagged },
        ]),
        40,
        seed,
      );
      const strata = tasks.map((t) => {
        let n = 0;
        let k = 0;
        for (const p of plan.filter((x) => x.task === t.task)) {
          const list = defective.get(`${t.task}|${p.flagged}`)!;
          n += p.positions.length;
          k += p.positions.filter((i) => list[i]).length;
        }
        return { total: t.flagged + t.unflagged, defective: 0, pending: t.flagged + t.unflagged, n, k };
      });
      const e = estimateDefectRate(strata)!;
      if (e.low <= truth && truth <= e.high) covered++;
    }
    expect(covered / reps).toBeGreaterThan(0.9);
  });
});

const cell = (
  dim: AuditCell["dim"],
  key: string | null,
  flagged: boolean,
  status: Status,
  defect: string | null,
  n: number,
): AuditCell => ({ dim, key, flagged, status, defect, n });

/**
 * Task "a": 6 records — 2 flagged (self_explanation; one also query_leakage): one rejected, one
 * accepted — and 4 unflagged, one relabeled. Task "b": 4 unflagged pending records.
 */
function sampleCells(): AuditCell[] {
  const out: AuditCell[] = [];
  for (const [dim, keyA, keyB] of [
    ["task", "a", "b"],
    ["family", "short-long", "sts"],
    ["language", "en", "und"],
  ] as const) {
    out.push(
      cell(dim, keyA, true, "rejected", null, 1),
      cell(dim, keyA, true, "rejected", "self_explanation", 1),
      cell(dim, keyA, true, "rejected", "query_leakage", 1),
      cell(dim, keyA, true, "accepted", null, 1),
      cell(dim, keyA, true, "accepted", "self_explanation", 1),
      cell(dim, keyA, false, "pending", null, 3),
      cell(dim, keyA, false, "relabeled", null, 1),
      cell(dim, keyB, false, "pending", null, 4),
    );
  }
  return out;
}

describe("rate tables", () => {
  it("per task: records, flagged share, defects, progress, precision", () => {
    const [a, b] = rateRows(sampleCells(), "task");
    expect(a).toMatchObject({
      key: "a",
      records: 6,
      flagged: 2,
      byDefect: { self_explanation: 2, query_leakage: 1 },
      status: { pending: 3, accepted: 1, rejected: 1, relabeled: 1 },
      reviewed: 3,
      defective: 2,
      precision: { decided: 2, confirmed: 1, accepted: 1 },
    });
    expect(a!.rate).toBeCloseTo(2 / 6);
    expect(a!.precision.precision!.rate).toBe(0.5);
    expect(b).toMatchObject({ key: "b", records: 4, flagged: 0, reviewed: 0 });
    expect(b!.precision.precision).toBeNull();
    expect(b!.estimate).toBeNull();
    // Task a: flagged stratum fully reviewed (1 of 2 defective); unflagged: 1 of 1 reviewed defective, 3 pending.
    expect(a!.estimate!.rate).toBeCloseTo((2 + 3 * 1) / 6);
  });
  it("families and languages come from their own grouping sets", () => {
    expect(rateRows(sampleCells(), "family").map((r) => r.key)).toEqual(["short-long", "sts"]);
    expect(rateRows(sampleCells(), "language").map((r) => [r.key, r.records])).toEqual([
      ["en", 6],
      ["und", 4],
    ]);
  });
  it("per defect: records, rate over the data set and precision", () => {
    expect(defectRows(sampleCells())).toEqual([
      expect.objectContaining({
        defect: "self_explanation",
        records: 2,
        rate: 0.2,
        decided: 2,
        confirmed: 1,
      }),
      expect.objectContaining({ defect: "query_leakage", records: 1, rate: 0.1, decided: 1, confirmed: 1 }),
    ]);
    const t = totalRow(sampleCells());
    expect(t).toMatchObject({ records: 10, flagged: 2, reviewed: 3 });
  });
});

describe("report", () => {
  it("assembles tables, reviewers and samples with their estimates", () => {
    const report = buildAuditReport({
      dataset: { id: 1, name: "d" },
      cells: sampleCells(),
      reviewers: [
        {
          actor: "ann",
          decisions: 30,
          undos: 2,
          records: 28,
          first: new Date("2025-01-01T10:00:00Z"),
          last: new Date("2025-01-01T10:30:00Z"),
          activeSeconds: 1800,
        },
        {
          actor: "bob",
          decisions: 1,
          undos: 0,
          records: 1,
          first: new Date("2025-01-01T10:00:00Z"),
          last: new Date("2025-01-01T10:00:00Z"),
          activeSeconds: 0,
        },
      ],
      samples: [
        { id: 7, perTask: 2, seed: 1, actor: "ann", createdAt: new Date("2025-01-02T00:00:00Z"), size: 4 },
      ],
      sampleCells: [
        { sampleId: 7, task: "a", status: "relabeled", n: 1 },
        { sampleId: 7, task: "a", status: "pending", n: 1 },
        { sampleId: 7, task: "b", status: "pending", n: 2 },
        { sampleId: null, task: "a", status: "relabeled", n: 1 },
        { sampleId: null, task: "a", status: "pending", n: 1 },
        { sampleId: null, task: "b", status: "pending", n: 2 },
      ],
      now: new Date("2025-01-03T00:00:00Z"),
    });
    expect(report.reviewers.map((r) => [r.actor, r.perHour])).toEqual([
      ["ann", 60],
      ["bob", null],
    ]);
    expect(report.samples[0]).toMatchObject({
      id: 7,
      size: 4,
      found: 4,
      reviewed: 1,
      defective: 1,
      tasks: 2,
    });
    // The sample saw task a only: the estimate covers task a's 6 records (2 known + 3 pending at 100 %).
    expect(report.samples[0]!.estimate).toMatchObject({ coveredRecords: 6, totalRecords: 10 });
    expect(report.samples[0]!.estimate!.rate).toBeCloseTo(5 / 6);
    expect(report.estimate.samples).toEqual(report.samples[0]!.estimate);
    expect(report.estimate.reviewed).toEqual(report.total.estimate);
    expect(decisionsPerHour(10, 59)).toBeNull();
  });
});

describe("csv", () => {
  it("quotes what needs quoting and defuses spreadsheet formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('say "hi", then')).toBe('"say ""hi"", then"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField(-0.5)).toBe("-0.5");
    expect(csvField(null)).toBe("");
    expect(csvField(Number.NaN)).toBe("");
    expect(toCsv(["a", "b"], [[1, "x,y"]])).toBe('a,b\r\n1,"x,y"\r\n');
  });
  it("writes the rate, reviewer and sample tables", () => {
    const report = buildAuditReport({
      dataset: { id: 1, name: "d" },
      cells: sampleCells(),
      reviewers: [],
      samples: [],
      sampleCells: [],
    });
    const lines = ratesCsv(report).trimEnd().split("\r\n");
    expect(lines[0]).toMatch(/^dimension,value,defect,records,flagged_records,flag_rate,pending/);
    expect(lines).toContain("task,a,self_explanation,6,2,0.333333");
    expect(lines.some((l) => l.startsWith("dataset,,,10,2,0.2,7,1,1,1,2,1,0.5,"))).toBe(true);
    expect(lines.some((l) => l.startsWith("defect,self_explanation,self_explanation,10,2,0.2,"))).toBe(true);
    expect(reviewersCsv(report)).toMatch(/^reviewer,decisions/);
    expect(samplesCsv(report)).toMatch(/^sample,created_at/);
  });
});

describe("schemas and links", () => {
  it("validates the draw form", () => {
    expect(drawSampleSchema.parse({ perTask: "20", seed: "42" })).toEqual({ perTask: 20, seed: 42 });
    expect(drawSampleSchema.safeParse({ perTask: "0", seed: "1" }).success).toBe(false);
    expect(drawSampleSchema.safeParse({ perTask: "2.5", seed: "1" }).success).toBe(false);
    expect(drawSampleSchema.safeParse({ perTask: "5", seed: "-1" }).success).toBe(false);
    expect(drawSampleSchema.safeParse({ perTask: "abc", seed: "1" }).success).toBe(false);
  });
  it("validates the download query", () => {
    expect(downloadQuerySchema.parse({})).toEqual({ format: "csv", table: "rates" });
    expect(downloadQuerySchema.safeParse({ format: "xml" }).success).toBe(false);
  });
  it("links a cell to the filtered review table", () => {
    expect(reviewHref(3, { task: "Find a recipe & more", defect: "self_explanation" })).toBe(
      "/datasets/3?task=Find+a+recipe+%26+more&defect=self_explanation",
    );
    expect(reviewHref(3, { lang: "und", status: "pending" })).toBe("/datasets/3?status=pending&lang=und");
    expect(reviewHref(3, { sample: 4 })).toBe("/datasets/3?sample=4");
    expect(reviewHref(3, { task: null })).toBeNull();
  });
});

describe("text output", () => {
  it("pads tables and formats intervals", () => {
    expect(
      textTable(
        ["name", "n"],
        [
          ["a", "1"],
          ["bb", "22"],
        ],
        [false, true],
      ),
    ).toBe(["name   n", "----  --", "a      1", "bb    22"].join("\n"));
    expect(fmtInterval({ rate: 0.1234, low: 0.1, high: 0.15 })).toBe("12.3% (95% CI 10.0%–15.0%)");
    expect(fmtInterval(null)).toBe("—");
  });
  it("prints every section of the audit", () => {
    const text = formatAuditText(
      buildAuditReport({
        dataset: { id: 1, name: "demo" },
        cells: sampleCells(),
        reviewers: [],
        samples: [],
        sampleCells: [],
      }),
    );
    expect(text).toMatch(/^Audit of "demo" — 10 records, 2 flagged \(20\.0%\)/);
    for (const heading of [
      "Detectors",
      "By task",
      "By task family",
      "By language",
      "Review progress by task",
    ]) {
      expect(text).toContain(`\n${heading}`);
    }
    expect(text).toContain("self_explanation");
    expect(text).toContain("Reviewers: no decisions yet");
  });
});
