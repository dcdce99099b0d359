import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  likeContains,
  parseRecordView,
  type RecordView,
  recordViewSchema,
  SORT_KEYS,
  searchTerms,
} from "@/lib/review/filter";
import type { Database } from "../client";
import { importFile } from "../import-file";
import { ENGINES, openTestDatabase } from "../testing";
import { refreshBestFlags } from "./derived";
import { filterCondition, REVIEW_FROM, rawQuery } from "./filter";
import { decide } from "./review";
import {
  countMatching,
  datasetTaskCount,
  type Facets,
  listTablePage,
  type TableSummary,
  tableSummary,
  tableSummaryByScan,
  viewNeighbours,
} from "./table";

const N = 61;
const TASKS = ["Given a question, retrieve answers", "Retrieve similar posts", "Classify sentiment"];
const LANGS = ["en", "zh", null];
const STATUSES = ["pending", "accepted", "rejected", "relabeled"] as const;
const DEFECT_SETS = [[], ["query_leakage"], ["self_explanation"], ["query_leakage", "self_explanation"], []];

/** Text some positives end with: search terms in other scripts and cases (see "search semantics"). */
const SEARCH_EXTRA: Record<number, string> = {
  11: " Crème BRÛLÉE, ΣΊΣΥΦΟΣ in İstanbul",
  14: " crème brûlée (\\path)",
  20: " 大阪城 und Straße, 100 \u212a",
  23: " ÉTÉ à Zürich, tokyo-TOWER",
};

/** What each record gets, set directly so every filter and sort has a known answer. */
interface Truth {
  id: number;
  status: (typeof STATUSES)[number];
  task: string | null;
  language: string | null;
  flags: number;
  defects: string[];
  score: number | null;
  margin: number | null;
  decided: string | null;
  reviewer: string | null;
  query: string;
}

function fixture(): string {
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    lines.push(
      JSON.stringify({
        query: i === 7 ? "where is the Zugspitze 東京タワー" : `query number ${i} about topic ${i % 5}`,
        pos: [
          `positive passage ${i} with words ${i % 3 === 0 ? "glacier" : "meadow"}${SEARCH_EXTRA[i] ?? ""}`,
        ],
        neg: [`negative passage ${i}`],
      }),
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pairsift-table-"));
  const file = path.join(dir, "table.jsonl");
  fs.writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

describe.each(ENGINES)("review table on %s", (engine) => {
  let database: Database;
  let datasetId: number;
  let truth: Truth[] = [];

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    datasetId = (await importFile(database, { path: fixture(), dataset: "table" })).datasetId;
    const rows = await database.raw.query<{ id: string | number; query: string }>(
      "SELECT id, query FROM records WHERE dataset_id = $1 ORDER BY id",
      [datasetId],
    );
    truth = rows.map((r, i) => {
      const defects = DEFECT_SETS[i % DEFECT_SETS.length]!;
      return {
        id: Number(r.id),
        query: r.query,
        status: STATUSES[i % 4]!,
        // Ties on purpose: keyset pages must break them by id.
        task: i % 7 === 0 ? null : TASKS[i % 3]!,
        language: LANGS[i % 3]!,
        flags: defects.length * (1 + (i % 2)),
        defects,
        score: defects.length ? [0.5, 0.95, 0.7][i % 3]! : null,
        margin: i % 4 === 0 ? null : ((i * 37) % 11) / 10 - 0.5,
        decided:
          i % 4 === 0
            ? null
            : `2026-11-${String(1 + (i % 9)).padStart(2, "0")}T10:00:00.${String(i).padStart(3, "0")}123Z`,
        reviewer: i % 4 === 0 ? null : i % 2 ? "ana" : "bo",
      };
    });
    for (const t of truth) {
      await database.raw.query(
        `UPDATE records SET task = $2, language = $3, flag_count = $4, defects = $5::text[],
                max_flag_score = $6, teacher_margin = $7
          WHERE id = $1`,
        [t.id, t.task, t.language, t.flags, `{${t.defects.join(",")}}`, t.score, t.margin],
      );
      await database.raw.query(
        `UPDATE record_state SET status = $2, last_decision_at = $3::timestamptz, last_decision_by = $4
          WHERE record_id = $1`,
        [t.id, t.status, t.decided, t.reviewer],
      );
    }
    // Flags behind the defects (a score range on selected defects reads them): the first defect at
    // the record's highest score, a second one 0.3 lower, a low-scored repeat of the first on odd
    // records; and a high-scored flag of an older run, which must not count.
    await database.raw.query("UPDATE datasets SET flags_run_id = 7 WHERE id = $1", [datasetId]);
    for (const [i, t] of truth.entries()) {
      const rows: [string, number, number][] = t.defects.map((d, j) => [d, t.score! - 0.3 * j, 7]);
      if (t.defects.length && i % 2) rows.push([t.defects[0]!, 0.1, 7]);
      for (const d of t.defects) rows.push([d, 0.99, 3]);
      for (const [defect, score, run] of rows) {
        await database.raw.query(
          `INSERT INTO flags (dataset_id, record_id, defect, target, score, detector, run_id)
           VALUES ($1, $2, $3, 'positive', $4, 'test@1', $5)`,
          [datasetId, t.id, defect, score, run],
        );
      }
    }
    for (const runId of [3, 7])
      await database.rawTransaction((tx) => refreshBestFlags(tx, { datasetId, runId }));
  });
  afterAll(async () => {
    await database?.close();
  });

  /** The current run's flag scores of a record for a defect (as stored: real). */
  const flagScores = (t: Truth, defect: string): number[] => {
    const i = truth.indexOf(t);
    const j = t.defects.indexOf(defect);
    if (j < 0) return [];
    const out = [Math.fround(t.score! - 0.3 * j)];
    if (j === 0 && i % 2) out.push(Math.fround(0.1));
    return out;
  };
  const inRange = (x: number, lo?: number, hi?: number) =>
    (lo === undefined || x >= Math.fround(lo)) && (hi === undefined || x <= Math.fround(hi));

  const view = (v: Partial<RecordView>) => recordViewSchema.parse(v);

  /** Every page forward, then every page backward from the end: both must list the expected ids. */
  async function walk(v: RecordView, limit = 7) {
    const forward: number[] = [];
    let after = null;
    for (let guard = 0; guard < 100; guard++) {
      const page = await listTablePage(database, { datasetId, view: v, after, limit });
      forward.push(...page.rows.map((r) => r.id));
      if (!page.hasNext) break;
      after = page.lastCursor;
    }
    const backward: number[] = [];
    let before = null;
    // Start from the last forward page's end: the page before a cursor past the last row.
    const last = await listTablePage(database, { datasetId, view: v, after: null, limit: 10_000 });
    const end = last.lastCursor;
    if (end) {
      backward.unshift(...last.rows.slice(-1).map((r) => r.id));
      before = end;
      for (let guard = 0; guard < 100; guard++) {
        const page = await listTablePage(database, { datasetId, view: v, before, limit });
        backward.unshift(...page.rows.map((r) => r.id));
        if (!page.hasPrev) break;
        before = page.firstCursor;
      }
    }
    return { forward, backward };
  }

  const keyOf: Record<(typeof SORT_KEYS)[number], (t: Truth) => string | number | null> = {
    id: (t) => t.id,
    status: (t) => t.status,
    task: (t) => t.task,
    language: (t) => t.language,
    flags: (t) => t.flags,
    score: (t) => t.score,
    margin: (t) => t.margin,
    decided: (t) => t.decided,
  };

  /** The reference order: PostgreSQL's (NULLs last ascending, first descending; ties by id; C collation). */
  function expected(v: RecordView, pred: (t: Truth) => boolean = () => true): number[] {
    const key = keyOf[v.sort];
    const sign = v.dir === "asc" ? 1 : -1;
    const cmp = (a: string | number | null, b: string | number | null) => {
      if (a === b) return 0;
      if (a === null) return 1;
      if (b === null) return -1;
      if (v.sort === "margin" || v.sort === "score")
        return Math.fround(a as number) < Math.fround(b as number) ? -1 : 1;
      return a < b ? -1 : 1;
    };
    return truth
      .filter(pred)
      .sort((a, b) => sign * (cmp(key(a), key(b)) || a.id - b.id))
      .map((t) => t.id);
  }

  it.each(SORT_KEYS.flatMap((s) => (["asc", "desc"] as const).map((d) => [s, d] as const)))(
    "pages through sort=%s dir=%s forward and backward by keyset",
    async (sort, dir) => {
      if (sort === "task" || sort === "status") {
        // Text order follows the database collation; compare as sets plus monotonic order.
        const v = view({ sort, dir });
        const { forward, backward } = await walk(v);
        expect(forward).toEqual(backward);
        expect(new Set(forward).size).toBe(N);
        return;
      }
      const v = view({ sort, dir });
      const { forward, backward } = await walk(v);
      expect(forward).toEqual(expected(v));
      expect(backward).toEqual(forward);
    },
  );

  const filters: [string, Partial<RecordView>, (t: Truth) => boolean][] = [
    [
      "status",
      { status: ["accepted", "rejected"] },
      (t) => t.status === "accepted" || t.status === "rejected",
    ],
    ["task", { task: [TASKS[1]!] }, (t) => t.task === TASKS[1]],
    ["language incl. none", { lang: ["zh", "und"] }, (t) => t.language === "zh" || t.language === null],
    ["defect any", { defect: ["query_leakage", "self_explanation"] }, (t) => t.defects.length > 0],
    [
      "defect all",
      { defect: ["query_leakage", "self_explanation"], match: "all" },
      (t) => t.defects.length === 2,
    ],
    [
      "defect none",
      { defect: ["query_leakage"], match: "none" },
      (t) => !t.defects.includes("query_leakage"),
    ],
    ["score range", { smin: 0.6, smax: 0.8 }, (t) => t.score !== null && t.score >= 0.6 && t.score <= 0.8],
    [
      "margin range",
      { mmin: 0, mmax: 0.3 },
      (t) => t.margin !== null && Math.fround(t.margin) >= 0 && Math.fround(t.margin) <= Math.fround(0.3),
    ],
    [
      "margin range, sorted by margin",
      { mmin: 0, mmax: 0.3, sort: "margin", dir: "desc" },
      (t) => t.margin !== null && Math.fround(t.margin) >= 0 && Math.fround(t.margin) <= Math.fround(0.3),
    ],
    [
      "language, sorted by language",
      { lang: ["zh", "en"], sort: "language", dir: "desc" },
      (t) => t.language === "zh" || t.language === "en",
    ],
    ["reviewer", { reviewer: ["ana"] }, (t) => t.reviewer === "ana"],
    ["search", { q: "GLACIER" }, (t) => truth.indexOf(t) % 3 === 0],
    ["search CJK", { q: "東京" }, (t) => t.query.includes("東京")],
    ["search two terms", { q: "topic positive" }, (t) => t.query.includes("topic")],
    [
      "score range on a selected defect's flags (current run only)",
      { defect: ["self_explanation"], smin: 0.6 },
      (t) => flagScores(t, "self_explanation").some((x) => inRange(x, 0.6)),
    ],
    [
      "score range on any of two defects' flags",
      { defect: ["query_leakage", "self_explanation"], smin: 0.3, smax: 0.6, sort: "task" },
      (t) =>
        ["query_leakage", "self_explanation"].some((d) => flagScores(t, d).some((x) => inRange(x, 0.3, 0.6))),
    ],
    [
      "score range on all of two defects' flags",
      { defect: ["query_leakage", "self_explanation"], match: "all", smax: 0.45, sort: "score", dir: "desc" },
      (t) =>
        ["query_leakage", "self_explanation"].every((d) =>
          flagScores(t, d).some((x) => inRange(x, undefined, 0.45)),
        ),
    ],
    [
      "score range with no defect selected: the highest score",
      { defect: ["query_leakage"], match: "none", smin: 0.9 },
      (t) => !t.defects.includes("query_leakage") && t.score !== null && inRange(t.score, 0.9),
    ],
    [
      "combined",
      {
        status: ["pending", "relabeled"],
        lang: ["en"],
        defect: ["query_leakage"],
        sort: "margin",
        dir: "desc",
      },
      (t) =>
        (t.status === "pending" || t.status === "relabeled") &&
        t.language === "en" &&
        t.defects.includes("query_leakage"),
    ],
  ];

  it.each(filters)("filters by %s with an exact count", async (_name, f, pred) => {
    const v = view(f);
    const { forward, backward } = await walk(v, 5);
    expect(forward).toEqual(expected(v, pred));
    expect(backward).toEqual(forward);
    expect(await countMatching(database, datasetId, v)).toBe(forward.length);
    expect((await tableSummary(database, datasetId, v)).matching).toBe(forward.length);
  });

  it("finds a record's neighbours in a view (the record view's previous / next)", async () => {
    const v = view({ status: ["pending", "accepted"], sort: "margin", dir: "desc" });
    const order = expected(v, (t) => t.status === "pending" || t.status === "accepted");
    for (const i of [0, 3, order.length - 1]) {
      const n = await viewNeighbours(database, datasetId, v, order[i]!);
      expect(n.prevId).toBe(order[i - 1] ?? null);
      expect(n.nextId).toBe(order[i + 1] ?? null);
      const flagged = order.slice(i + 1).find((id) => truth.find((t) => t.id === id)!.flags > 0);
      expect(n.nextFlaggedId).toBe(flagged ?? null);
    }
  });

  it.each([
    {},
    { status: ["pending"] },
    { status: ["pending", "accepted"], lang: ["en", "und"] },
    { task: [TASKS[0]!], family: ["short-long"] },
    { defect: ["query_leakage"] },
    { defect: ["query_leakage", "self_explanation"], match: "all", status: ["pending", "rejected"] },
    { defect: ["self_explanation"], match: "none", lang: ["zh"] },
    { reviewer: ["ana"] },
    { reviewer: ["ana", "bo"], status: ["accepted"], lang: ["und"] },
    { reviewer: ["bo"], defect: ["query_leakage"], task: [TASKS[1]!] },
  ])("answers %j from record_counts exactly as a scan of records would", async (f) => {
    const v = view(f as Partial<RecordView>);
    expect(await tableSummary(database, datasetId, v)).toEqual(
      await tableSummaryByScan(database, datasetId, v),
    );
  });

  /** The summary the slow way: one query per facet with that facet's selection left out. */
  async function summaryPerFacet(v: RecordView): Promise<TableSummary> {
    const cols = {
      status: "s.status",
      family: "r.task_family",
      lang: "r.language",
      task: "r.task",
      reviewer: "s.last_decision_by",
    } as const;
    const facets = {} as Facets;
    for (const [k, col] of Object.entries(cols) as [keyof typeof cols, string][]) {
      const rows = await rawQuery<{ v: string | null; n: string | number }>(
        database.raw,
        sql`SELECT ${sql.raw(col)} AS v, count(*) AS n FROM ${REVIEW_FROM}
             WHERE ${filterCondition(datasetId, v, k)} GROUP BY 1`,
      );
      facets[k] = rows
        .filter((r) => r.v !== null || k === "lang")
        .map((r) => ({ value: r.v ?? "und", count: Number(r.n) }));
    }
    // Under a score range, a defect's count is of the records with a current-run flag of it in the
    // range (what selecting that defect would show); else of the records that have it.
    const inRange = sql.join(
      [
        v.smin !== undefined ? sql`fl.score >= ${v.smin}` : sql`true`,
        v.smax !== undefined ? sql`fl.score <= ${v.smax}` : sql`true`,
      ],
      sql` AND `,
    );
    const defects = await rawQuery<{ v: string; n: string | number }>(
      database.raw,
      v.smin !== undefined || v.smax !== undefined
        ? sql`SELECT d AS v, count(*) AS n FROM ${REVIEW_FROM} CROSS JOIN LATERAL unnest(r.defects) d
               WHERE ${filterCondition(datasetId, v, "defect", "in", false)}
                 AND EXISTS (SELECT 1 FROM flags fl JOIN datasets ds ON ds.id = fl.dataset_id
                              WHERE fl.record_id = r.id AND fl.run_id = ds.flags_run_id AND fl.defect = d
                                AND ${inRange})
               GROUP BY 1`
        : sql`SELECT d AS v, count(*) AS n FROM ${REVIEW_FROM} CROSS JOIN LATERAL unnest(r.defects) d
               WHERE ${filterCondition(datasetId, v, "defect")} GROUP BY 1`,
    );
    facets.defect = defects.map((r) => ({ value: r.v, count: Number(r.n) }));
    for (const k of Object.keys(facets) as (keyof Facets)[])
      facets[k].sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    return { matching: await countMatching(database, datasetId, v), facets };
  }

  it.each([
    { reviewer: ["ana"] },
    { reviewer: ["ana", "bo"], status: ["accepted"], lang: ["und"] },
    { smin: 0.6 },
    { smax: 0.6, task: [TASKS[0]!, TASKS[2]!] },
    { mmin: 0, status: ["pending", "accepted"] },
    { mmin: -0.2, mmax: 0.2, defect: ["query_leakage"], match: "none" },
    { q: "glacier", lang: ["en", "und"] },
    { q: "meadow passage", defect: ["self_explanation"], status: ["relabeled", "pending"] },
    { q: "no-such-text" },
    { defect: ["self_explanation"], smin: 0.6 },
    { defect: ["query_leakage", "self_explanation"], smin: 0.3, smax: 0.6, lang: ["zh"] },
    { defect: ["query_leakage", "self_explanation"], match: "all", smax: 0.45, reviewer: ["bo"] },
    { defect: ["query_leakage"], smin: 0.9, family: ["short-long"], status: ["pending", "rejected"] },
    // With a search: counted in one pass over the matching records.
    { q: "passage", smin: 0.6 },
    { q: "topic", reviewer: ["ana", "bo"], status: ["accepted"], lang: ["und"], mmin: -0.2 },
    { q: "passage", defect: ["self_explanation"], smin: 0.6, task: [TASKS[1]!] },
    { q: "passage", defect: ["query_leakage", "self_explanation"], smin: 0.3, smax: 0.6, lang: ["zh"] },
    {
      q: "passage",
      defect: ["query_leakage", "self_explanation"],
      match: "all",
      smax: 0.45,
      reviewer: ["bo"],
    },
    { q: "passage", defect: ["query_leakage"], match: "none", smin: 0.6, family: ["short-long"] },
  ])("counts %j exactly as one query per facet would", async (f) => {
    const v = view(f as Partial<RecordView>);
    expect(await tableSummary(database, datasetId, v)).toEqual(await summaryPerFacet(v));
  });

  it("search semantics: every term a case-insensitive substring, as ILIKE over query and positive", async () => {
    const ref = async (q: string) => {
      const terms = searchTerms(q);
      const rows = await rawQuery<{ id: string | number }>(
        database.raw,
        sql`SELECT r.id FROM records r WHERE r.dataset_id = ${datasetId} AND ${sql.join(
          terms.map((t) => sql`(r.query || ' ' || r.positive) ILIKE ${likeContains(t)}`),
          sql` AND `,
        )} ORDER BY r.id`,
      );
      return rows.map((r) => Number(r.id));
    };
    const ids = (...i: number[]) => i.map((k) => truth[k]!.id);
    const cases: [string, number[] | null][] = [
      ["GLACIER", null], // a word, another case
      ["lacie", null], // inside a word
      ["ssage 1", null], // two terms: "ssage" and "1"
      ["brûlée", ids(11, 14)], // non-ASCII letters, both cases (11 has BRÛLÉE)
      ["CRÈME", ids(11, 14)],
      ["rûl", ids(11, 14)],
      ["東京", ids(7)], // CJK, no word boundaries
      ["京タ", ids(7)],
      ["阪城", ids(20)],
      ["tower", ids(23)], // "tokyo-TOWER": a term inside punctuation
      ["tokyo-tower", ids(23)],
      ["\\path", ids(14)], // LIKE's escape character and wildcards are literal
      ["_", []],
      ["%", []],
      ["été zürich", ids(23)],
      ["σίσυφος", null], // Greek: whatever the database's lower() folds, as ILIKE
      ["istanbul", null],
      ["straße", ids(20)],
      ["STRASSE", []], // no case folding beyond lowercase
      ["100 k", null], // a Kelvin sign: whatever lower() makes of it
    ];
    for (const [q, want] of cases) {
      const got = (await walk(view({ q }), 50)).forward;
      expect(got, q).toEqual(await ref(q));
      if (want) expect(got, q).toEqual(want);
      expect(await countMatching(database, datasetId, view({ q })), q).toBe(got.length);
      expect((await tableSummary(database, datasetId, view({ q }))).matching, q).toBe(got.length);
    }
  });

  it("counts the data set's distinct tasks", async () => {
    expect(await datasetTaskCount(database, datasetId)).toBe(TASKS.length);
  });

  it("counts facets with every other part of the filter applied", async () => {
    const v = view({ status: ["pending"], lang: ["en"] });
    const { facets } = await tableSummary(database, datasetId, v);
    const inLang = truth.filter((t) => t.language === "en");
    // The status facet ignores the status selection but applies the language one.
    for (const s of STATUSES) {
      const n = inLang.filter((t) => t.status === s).length;
      expect(facets.status.find((x) => x.value === s)?.count ?? 0).toBe(n);
    }
    const pendingEn = inLang.filter((t) => t.status === "pending");
    expect(facets.defect.find((x) => x.value === "query_leakage")?.count ?? 0).toBe(
      pendingEn.filter((t) => t.defects.includes("query_leakage")).length,
    );
    const pending = truth.filter((t) => t.status === "pending");
    expect(facets.lang.find((x) => x.value === "und")?.count ?? 0).toBe(
      pending.filter((t) => t.language === null).length,
    );
  });

  it("takes hostile URL values as data or drops them; the tables survive", async () => {
    const params = new URLSearchParams();
    params.append("task", "x'); DROP TABLE records; --");
    params.append("q", "%' OR 1=1 --");
    params.append("sort", "id; DROP TABLE records");
    params.append("dir", "asc, (select pg_sleep(5))");
    params.append("status", "pending' OR '1'='1");
    params.append("lang", 'en"}');
    const { view: v, ignored } = parseRecordView(params);
    expect(ignored.sort()).toEqual(["dir", "sort", "status"]);
    expect(v.sort).toBe("id");
    const page = await listTablePage(database, { datasetId, view: v, limit: 50 });
    expect(page.rows).toEqual([]);
    expect(await countMatching(database, datasetId, recordViewSchema.parse({ lang: ['en"}'] }))).toBe(0);
    expect(await countMatching(database, datasetId, recordViewSchema.parse({ q: "%" }))).toBe(0);
    expect(await countMatching(database, datasetId, recordViewSchema.parse({ q: "_" }))).toBe(0);
    expect(await countMatching(database, datasetId, view({}))).toBe(N);
  });

  it("search follows an edited query", async () => {
    const t = truth[7]!;
    const [row] = await database.raw.query<{ version: number }>(
      "SELECT version FROM record_state WHERE record_id = $1",
      [t.id],
    );
    await decide(database, {
      datasetId,
      recordId: t.id,
      expectedVersion: row!.version,
      actor: "ana",
      action: { type: "edit_text", field: "query", text: "where is the Matterhorn" },
    });
    expect(await countMatching(database, datasetId, view({ q: "matterhorn" }))).toBe(1);
    expect(await countMatching(database, datasetId, view({ q: "Zugspitze" }))).toBe(0);
  });

  it("filters to an audit sample's records", async () => {
    const picked = [truth[2]!.id, truth[9]!.id, truth[40]!.id];
    const [row] = await database.raw.query<{ id: number }>(
      `INSERT INTO audit_samples (dataset_id, per_task, seed, record_ids, actor)
       VALUES ($1, 1, 7, $2::text::jsonb, 'ana') RETURNING id`,
      [datasetId, JSON.stringify(picked)],
    );
    const v = view({ sample: row!.id });
    const { forward } = await walk(v, 2);
    expect(forward).toEqual([...picked].sort((a, b) => a - b));
    expect(await countMatching(database, datasetId, view({ sample: row!.id + 1 }))).toBe(0);
  });
});
