/**
 * Child process of bulk-kill.test.ts: opens the database and applies one bulk rule, saying on stdout
 * how far it got, so the parent can SIGKILL it at a known point of the transaction.
 *
 *   node --import tsx db/faults/bulk-child.ts '{"open": OpenOptions, "datasetId": 1, "rule": BulkRuleInput,
 *                                               "pauseAt": "UPDATE bulk_rules"}'
 *
 * Lines: `OPEN` (database open), `APPLYING` (applyBulkRule called), `RULE <id>` (the bulk_rules row
 * is inserted, in the transaction), `PAUSED {"decisions":n,"records":m}` (the transaction reached the
 * first statement containing `pauseAt` with n decisions and m records written; the child waits there
 * forever without sending it), `DONE <json>` (committed).
 */

import { bulkRuleSchema } from "@/lib/review/bulk";
import { type OpenOptions, openDatabase, type RawSql } from "../client";
import { applyBulkRule } from "../queries/bulk";

interface Args {
  open: OpenOptions;
  datasetId: number;
  rule: unknown;
  pauseAt?: string;
}

const args = JSON.parse(process.argv[2] ?? "{}") as Args;
const say = (line: string) => process.stdout.write(`${line}\n`);

const database = await openDatabase(args.open);
say("OPEN");

// Watch the statements the rule's transaction sends (the same transaction object applyBulkRule uses).
const rawTransaction = database.rawTransaction;
let ruleId = 0;
database.rawTransaction = (fn) =>
  rawTransaction((tx) => {
    const watched: RawSql = {
      async query<T>(text: string, params?: unknown[]) {
        if (args.pauseAt && text.includes(args.pauseAt)) {
          // What the transaction has written so far (visible to itself only).
          const [seen] = await tx.query<{ decisions: string | number; records: string | number }>(
            `SELECT (SELECT count(*) FROM decisions WHERE bulk_rule_id = $1) AS decisions,
                    (SELECT count(*) FROM record_state WHERE last_decision_by = 'fault-child') AS records`,
            [ruleId],
          );
          say(
            `PAUSED ${JSON.stringify({ decisions: Number(seen!.decisions), records: Number(seen!.records) })}`,
          );
          setInterval(() => {}, 60_000); // keeps the process alive (PGlite holds no handle)
          await new Promise(() => {}); // the parent kills us here
        }
        const rows = await tx.query<T>(text, params);
        if (text.startsWith("INSERT INTO bulk_rules")) {
          ruleId = Number((rows[0] as { id: number }).id);
          say(`RULE ${ruleId}`);
        }
        return rows;
      },
      copyIn: (table, columns, data) => tx.copyIn(table, columns, data),
    };
    return fn(watched);
  }) as never;

say("APPLYING");
const result = await applyBulkRule(database, args.datasetId, bulkRuleSchema.parse(args.rule), "fault-child");
say(`DONE ${JSON.stringify(result)}`);
await database.close();
