/**
 * Reviewers racing on the same 100 records, through decide() (what the record page's server action
 * calls) with the version each read from getRecordForReview(), and one bulk rule applied in the
 * middle of it. Every attempt is either stored (a decision row, the version moved by one) or refused
 * with StaleVersionError (nothing written); stored + refused == attempted; the log holds exactly the
 * stored decisions plus the rule's; each record's version is 1 + its decisions, and its state is what
 * its last decision left. PostgreSQL (a pool of connections, real concurrency) and PGlite in-process.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "@/lib/audit/prng";
import { type RecordState, type ReviewAction, sameState } from "@/lib/review";
import { isStatusPatch, matchesPatch } from "@/lib/review/bulk";
import { recordFilterSchema } from "@/lib/review/filter";
import type { Database } from "../client";
import { importFile } from "../import-file";
import { applyBulkRule } from "../queries/bulk";
import { runDetection } from "../queries/detect";
import { decide, getRecordForReview, StaleVersionError } from "../queries/review";
import { ENGINES, openTestDatabase } from "../testing";
import { expectRecordCountsFresh, ROOT } from "./helpers";

const T2 = path.join(ROOT, "test/fixtures/real/zh_t2ranking_100.jsonl");

/** Seeded: the same choices on every run. */
const rng = mulberry32;

interface Tally {
  attempted: number;
  stored: { recordId: number; decisionId: number; readVersion: number; version: number }[];
  refused: number;
  other: unknown[];
}

describe.each(ENGINES)("reviewers racing on %s", (engine) => {
  let database: Database;
  let datasetId: number;
  let ids: number[];

  beforeAll(async () => {
    database = await openTestDatabase(engine);
    datasetId = (await importFile(database, { path: T2, dataset: "race" })).datasetId;
    await runDetection(database, datasetId, { teacher: "none", workers: 0 });
    ids = (
      await database.raw.query<{ id: string | number }>(
        "SELECT id FROM records WHERE dataset_id = $1 ORDER BY id",
        [datasetId],
      )
    ).map((r) => Number(r.id));
    expect(ids).toHaveLength(100);
  });
  afterAll(async () => {
    await database?.close();
  });

  it("every attempt is stored or refused as stale; the log and the records agree", async () => {
    const tally: Tally = { attempted: 0, stored: [], refused: 0, other: [] };
    let bulkStarted!: () => void;
    const halfway = new Promise<void>((r) => {
      bulkStarted = r;
    });

    /** One reviewer: every record once, in `order`; a refused attempt is retried once with the fresh version. */
    const reviewer = async (actor: string, order: number[], seed: number) => {
      const next = rng(seed);
      let n = 0;
      for (const id of order) {
        if (++n === 40 && actor === "alice") bulkStarted();
        for (let attempt = 0; attempt < 2; attempt++) {
          const view = (await getRecordForReview(database, datasetId, id))!;
          const readVersion = view.record.version;
          const roll = next();
          // Mostly status decisions; 1 in 5 relabels (which re-runs the detectors on the record).
          const action: ReviewAction =
            roll < 0.4
              ? { type: "accept" }
              : roll < 0.8
                ? { type: "reject", reason: `${actor} says no` }
                : roll < 0.9
                  ? { type: "set_language", language: roll < 0.85 ? "zh" : "en" }
                  : { type: "edit_text", field: "query", text: `${view.record.query} [${actor} ${n}]` };
          // Let the other reviewers interleave between the read and the write.
          await new Promise((r) => setImmediate(r));
          tally.attempted++;
          try {
            const r = await decide(database, {
              datasetId,
              recordId: id,
              expectedVersion: readVersion,
              actor,
              action,
            });
            tally.stored.push({ recordId: id, decisionId: r.decisionId, readVersion, version: r.version });
            break;
          } catch (e) {
            if (e instanceof StaleVersionError) {
              tally.refused++;
              continue;
            }
            tally.other.push(e);
            break;
          }
        }
      }
    };
    const bulk = async () => {
      await halfway;
      return applyBulkRule(
        database,
        datasetId,
        {
          name: "accept all (racing)",
          target: { filter: recordFilterSchema.parse({}) },
          action: { type: "accept" },
        },
        "lead",
      );
    };

    const started = Date.now();
    const [rule] = await Promise.all([bulk(), reviewer("alice", ids, 1), reviewer("bob", ids, 2)]);
    const ms = Date.now() - started;

    expect(tally.other).toEqual([]);
    expect(tally.stored.length + tally.refused).toBe(tally.attempted);
    expect(tally.refused).toBeGreaterThan(0); // the race did happen
    // A stored attempt moved the version it read by exactly one.
    for (const s of tally.stored) expect(s.version).toBe(s.readVersion + 1);

    const log = await database.raw.query<{
      id: string | number;
      record_id: string | number;
      actor: string;
      bulk_rule_id: number | null;
      after: RecordState | Record<string, unknown>;
    }>("SELECT id, record_id, actor, bulk_rule_id, after FROM decisions WHERE dataset_id = $1 ORDER BY id", [
      datasetId,
    ]);
    const single = log.filter((d) => d.bulk_rule_id === null).map((d) => Number(d.id));
    expect(single.sort((a, b) => a - b)).toEqual(tally.stored.map((s) => s.decisionId).sort((a, b) => a - b));
    expect(log.filter((d) => d.bulk_rule_id === rule.ruleId)).toHaveLength(rule.changed);
    expect(log).toHaveLength(tally.stored.length + rule.changed);

    // No two stored decisions of one record went from the same version (no lost update).
    const seen = new Set<string>();
    for (const s of tally.stored) {
      const key = `${s.recordId}@${s.readVersion}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
    }

    let disagreements = 0;
    for (const id of ids) {
      const mine = log.filter((d) => Number(d.record_id) === id);
      const view = (await getRecordForReview(database, datasetId, id))!;
      expect(view.record.version).toBe(1 + mine.length);
      const last = mine.at(-1);
      if (!last) continue;
      expect(view.record.lastDecisionBy).toBe(last.actor);
      const state: RecordState = {
        status: view.record.status,
        task: view.record.task,
        language: view.record.language,
        query: view.record.query,
        positive: view.record.positive,
        positiveScore: view.record.positiveScore,
        label: view.record.label,
        misleadingLabel: view.record.misleadingLabel,
        negatives: view.negatives.map((x) => ({
          position: x.position,
          text: x.text,
          status: x.status,
          teacherScore: x.teacherScore,
        })),
      };
      const agrees = isStatusPatch(last.after)
        ? matchesPatch(state, last.after)
        : sameState(last.after as RecordState, state);
      if (!agrees) disagreements++;
    }
    expect(disagreements).toBe(0);
    await expectRecordCountsFresh(database);

    console.info(
      `${engine}: ${tally.attempted} attempts = ${tally.stored.length} stored + ${tally.refused} refused (stale); ` +
        `bulk rule changed ${rule.changed}; ${log.length} decisions logged; ${ms} ms`,
    );
  });
});
