import fs from "node:fs";
import path from "node:path";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { type Database, openDatabase, openOptionsFromEnv } from "@/db/client";
import { importFile } from "@/db/import-file";
import { getAuditReport } from "@/db/queries/audit";
import { getDatasetByName, listDatasets } from "@/db/queries/datasets";
import { flagCounts, runDetection, setDetectorOptions } from "@/db/queries/detect";
import {
  createUser,
  getUserByEmail,
  listUsers,
  removeMembership,
  setMembership,
  UserError,
  visibleDatasetIds,
} from "@/db/queries/users";
import { DATASET_ROLES } from "@/db/schema";
import { formatAuditText } from "@/lib/audit/text";
import { readEnv } from "@/lib/env";
import { EXPORT_FORMATS, EXPORT_ORDERS } from "@/lib/export/options";
import { FORMAT_IDS, type FormatId } from "@/lib/formats/catalog";
import type { TeacherSpec } from "@/lib/teacher";
import { CliAccessError, cliAdmin, cliDatasetAccess, cliPrincipal } from "./access";
import { EXPORT_HELP, type ExportCliOptions, parseExportCli, runExportCli } from "./export";
import { createProgress, type ProgressMode } from "./progress";
import { scanFile } from "./scan";

export const EXIT = { ok: 0, rejected: 1, usage: 2 } as const;

class UsageError extends Error {}

async function withDatabase<T>(command: string, fn: (db: Database) => Promise<T>): Promise<T> {
  const env = readEnv();
  const database = await openDatabase(openOptionsFromEnv(env, command));
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

function datasetNameFor(file: string): string {
  return path
    .basename(file)
    .replace(/\.gz$/i, "")
    .replace(/\.(jsonl|json|csv|tsv|parquet)$/i, "");
}

const parseRate = (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1) throw new InvalidArgumentError("must be a rate between 0 and 1");
  return n;
};

const workerCount = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgumentError("must be 0 (in-process) or a number of threads");
  return n;
};
const WORKERS_HELP = "detector worker threads (0: in this process; default: one per core from 2,000 records)";

const positiveInt = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("must be a positive integer");
  return n;
};

function buildProgram(out: { code: number }): Command {
  const program = new Command()
    .name("pairsift")
    .description("Review LLM-generated text-embedding training data: import, flag, review, audit, export.")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `
Database: PostgreSQL when DATABASE_URL is set, otherwise embedded PGlite in PAIRSIFT_DATA_DIR (default .pairsift/).
Sign-in: on with PostgreSQL (unless PAIRSIFT_AUTH=off), off with PGlite. When on, commands act as the user named by
--as EMAIL (or PAIRSIFT_USER) and are checked against that user's roles; \`pairsift user\` and \`pairsift member\` manage them.
Exit codes: 0 ok · 1 lines rejected (or nothing loaded under --strict) or the command failed · 2 usage error.`,
    )
    .option("--as <email>", "the user this command acts as when sign-in is on (default: PAIRSIFT_USER)");
  const actingAs = (): string | undefined =>
    program.opts<{ as?: string }>().as ?? (readEnv().PAIRSIFT_USER || undefined);

  program
    .command("import")
    .description(
      "Import training-data files into a data set (streaming; re-importing the same content adds nothing).",
    )
    .argument("<files...>", ".jsonl, .json, .csv, .tsv, .parquet, or .gz of a text format")
    .option("-d, --dataset <name>", "data set to import into (default: one per file, named after it)")
    .addOption(
      new Option("-f, --format <format>", "input format").choices(["auto", ...FORMAT_IDS]).default("auto"),
    )
    .option("--strict", "load nothing if any line is rejected", false)
    .option("--no-detect", "do not run the detectors after the import")
    .option("--batch-size <n>", "records per transaction", positiveInt, 1000)
    .addOption(
      new Option("--progress <mode>", "bar on a terminal; json prints one progress line per batch to stderr")
        .choices(["auto", "bar", "json", "none"])
        .default("auto"),
    )
    .addHelpText(
      "after",
      `
Examples:
  pairsift import synthetic.jsonl --dataset e5-run-3
  pairsift import train.jsonl.gz --format flagembedding --strict
Each batch is one transaction: if the import is interrupted, run it again to complete the data set.`,
    )
    .action(
      async (
        files: string[],
        opts: {
          dataset?: string;
          format: string;
          strict: boolean;
          batchSize: number;
          progress: ProgressMode;
          detect: boolean;
        },
      ) => {
        for (const f of files) {
          if (!fs.existsSync(f) || !fs.statSync(f).isFile()) throw new UsageError(`no such file: ${f}`);
        }
        const abort = new AbortController();
        const onSigint = () => {
          if (abort.signal.aborted) process.exit(130);
          process.stderr.write("\nstopping after the current batch… (press Ctrl-C again to quit now)\n");
          abort.abort();
        };
        process.on("SIGINT", onSigint);
        try {
          await withDatabase("pairsift import", async (database) => {
            cliAdmin(await cliPrincipal(database, actingAs()));
            for (const file of files) {
              const dataset = opts.dataset ?? datasetNameFor(file);
              const progress = createProgress(process.stderr, path.basename(file), opts.progress);
              const summary = await importFile(database, {
                path: file,
                dataset,
                format: opts.format as (typeof FORMAT_IDS)[number] | "auto",
                strict: opts.strict,
                batchSize: opts.batchSize,
                signal: abort.signal,
                onProgress: progress.update,
              }).finally(() => progress.stop());
              const rate = summary.elapsedMs > 0 ? Math.round((summary.read / summary.elapsedMs) * 1000) : 0;
              process.stdout.write(
                `${path.basename(file)} → "${summary.dataset}" (${summary.format ?? "?"}/${summary.container ?? "?"}): ` +
                  `${summary.loaded} loaded, ${summary.duplicate} already present, ${summary.rejected} rejected ` +
                  `in ${(summary.elapsedMs / 1000).toFixed(1)} s (${rate} records/s)${summary.state === "done" ? "" : ` — ${summary.state}`}\n`,
              );
              for (const e of summary.errors.slice(0, 20))
                process.stderr.write(`  line ${e.line}: ${e.reason}\n`);
              if (summary.rejected > 20) {
                process.stderr.write(
                  `  … and ${summary.rejected - 20} more (see the data set's import history)\n`,
                );
              }
              if (summary.message) process.stderr.write(`  ${summary.message}\n`);
              if (summary.state === "interrupted") {
                out.code = 130;
                return;
              }
              if (summary.rejected > 0 || summary.state !== "done") out.code = EXIT.rejected;
              if (opts.detect && summary.loaded > 0) {
                const run = await runDetection(database, summary.datasetId);
                process.stdout.write(`  detectors: ${run.recordsDone} records checked, ${run.flags} flags\n`);
              }
            }
          });
        } finally {
          process.off("SIGINT", onSigint);
        }
      },
    );

  program
    .command("scan")
    .description("Run every detector on a file, without a database: a linter for data sets in a pipeline.")
    .argument("<file>", "a training-data file in any format `import` reads")
    .addOption(
      new Option("-f, --format <format>", "input format").choices(["auto", ...FORMAT_IDS]).default("auto"),
    )
    .addOption(
      new Option("--teacher <teacher>", "relevance teacher for false_negative and the rank rules")
        .choices(["auto", "bm25", "scores", "http", "none"])
        .default("auto"),
    )
    .option(
      "--teacher-url <url>",
      "http teacher: OpenAI-compatible endpoint (…/v1/embeddings or its base URL)",
    )
    .option("--teacher-model <model>", "http teacher: model name (API key from PAIRSIFT_TEACHER_API_KEY)")
    .option("--json", "print one JSON line per record (in input order) with its flags", false)
    .option("--fail-over <rate>", "exit 1 when any defect's rate (0..1) exceeds this", parseRate)
    .option("--workers <n>", WORKERS_HELP, workerCount)
    .addHelpText(
      "after",
      `
--teacher auto uses the scores in the file when it has them, BM25 over the file's passages otherwise.
The summary (records flagged per defect and task) goes to stderr.`,
    )
    .action(
      async (
        file: string,
        opts: {
          format: string;
          teacher: string;
          json: boolean;
          failOver?: number;
          workers?: number;
          teacherUrl?: string;
          teacherModel?: string;
        },
      ) => {
        if (!fs.existsSync(file) || !fs.statSync(file).isFile())
          throw new UsageError(`no such file: ${file}`);
        if (opts.teacher === "http" && (!opts.teacherUrl || !opts.teacherModel)) {
          throw new UsageError("--teacher http needs --teacher-url and --teacher-model");
        }
        const summary = await scanFile({
          file,
          format: opts.format as FormatId | "auto",
          teacher: opts.teacher as TeacherSpec["kind"] | "auto",
          json: opts.json,
          failOver: opts.failOver,
          workers: opts.workers,
          teacherUrl: opts.teacherUrl,
          teacherModel: opts.teacherModel,
          teacherApiKey: process.env.PAIRSIFT_TEACHER_API_KEY,
          out: process.stdout,
          err: process.stderr,
        });
        if (summary.failed.length) {
          process.stderr.write(`defect rate over ${opts.failOver}: ${summary.failed.join(", ")}\n`);
          out.code = EXIT.rejected;
        }
      },
    );

  program
    .command("detect")
    .description("Run the detectors over a data set and store its flags (replacing the previous run's).")
    .requiredOption("-d, --dataset <name>", "data set")
    .addOption(
      new Option("--teacher <teacher>", "relevance teacher")
        .choices(["scores", "bm25", "http", "none"])
        .default("scores"),
    )
    .option(
      "--teacher-url <url>",
      "http teacher: OpenAI-compatible endpoint (…/v1/embeddings or its base URL)",
    )
    .option("--teacher-model <model>", "http teacher: model name (API key from PAIRSIFT_TEACHER_API_KEY)")
    .option(
      "--options <json>",
      'detector thresholds to store for the data set, e.g. {"false_negative":{"relativeMargin":0.1}}',
    )
    .option("--workers <n>", WORKERS_HELP, workerCount)
    .addHelpText(
      "after",
      "\nStored thresholds apply to every later run and to edits in review. The http teacher's vectors are\ncached in the database: a rerun sends nothing already embedded.",
    )
    .action(
      async (opts: {
        dataset: string;
        teacher: string;
        teacherUrl?: string;
        teacherModel?: string;
        options?: string;
        workers?: number;
      }) => {
        let optionsInput: unknown;
        if (opts.options !== undefined) {
          try {
            optionsInput = JSON.parse(opts.options);
          } catch {
            throw new UsageError("--options must be JSON");
          }
        }
        if (opts.teacher === "http" && (!opts.teacherUrl || !opts.teacherModel)) {
          throw new UsageError("--teacher http needs --teacher-url and --teacher-model");
        }
        const teacher =
          opts.teacher === "http"
            ? {
                kind: "http" as const,
                url: opts.teacherUrl ?? "",
                model: opts.teacherModel ?? "",
                apiKey: process.env.PAIRSIFT_TEACHER_API_KEY,
              }
            : (opts.teacher as "scores" | "bm25" | "none");
        await withDatabase("pairsift detect", async (database) => {
          const ds = await getDatasetByName(database, opts.dataset);
          if (!ds) throw new UsageError(`no data set named "${opts.dataset}" (see: pairsift datasets)`);
          await cliDatasetAccess(
            database,
            await cliPrincipal(database, actingAs()),
            ds.id,
            ds.name,
            "manage",
          );
          if (optionsInput !== undefined) {
            try {
              await setDetectorOptions(database, ds.id, optionsInput);
            } catch (e) {
              throw new UsageError(`--options: ${e instanceof Error ? e.message : e}`);
            }
          }
          const t0 = Date.now();
          const run = await runDetection(database, ds.id, { teacher, workers: opts.workers });
          const counts = await flagCounts(database, ds.id);
          process.stdout.write(
            `"${ds.name}": ${run.recordsDone} records checked in ${((Date.now() - t0) / 1000).toFixed(1)} s, ${run.flags} flags\n`,
          );
          for (const c of counts)
            process.stdout.write(`  ${c.defect.padEnd(20)} ${String(c.records).padStart(8)} records\n`);
        });
      },
    );

  program
    .command("export")
    .description("Export a data set (or one review view of it) in a trainer's format, with a manifest.")
    .requiredOption("-d, --dataset <name>", "data set")
    .requiredOption("-o, --out <file>", "output file (written as FILE.partial, renamed when complete)")
    .addOption(
      new Option("-f, --format <format>", "output format").choices(EXPORT_FORMATS).default("flagembedding"),
    )
    .option(
      "--filter <query>",
      "the review table's filter as URL query, e.g. 'status=accepted&defect=query_leakage'",
    )
    .option(
      "--include <statuses>",
      "statuses to export: accepted,relabeled,pending (rejected never)",
      "accepted,relabeled",
    )
    .option("--negatives <n>", "hard negatives per query (kept ones, in order), or all", "1")
    .option("--rank-min <n>", "leave out negatives ranked above this by the teacher (ranks 1 = best)")
    .option("--rank-max <n>", "leave out negatives ranked below this")
    .option(
      "--template <template>",
      "query instruction with {task} and {query}",
      "Instruct: {task}\\nQuery: {query}",
    )
    .option("--no-instruction", "no query instruction")
    .addOption(
      new Option("--symmetric <mode>", "instruction for STS/bitext")
        .choices(["instruct", "none"])
        .default("instruct"),
    )
    .addOption(
      new Option("--order <order>", "record order").choices(EXPORT_ORDERS).default("task-homogeneous"),
    )
    .option("--batch-size <n>", "records per task-homogeneous batch", "2048")
    .option("--mixed-fraction <f>", "homogeneous-then-mixed: share of records in the mixed tail", "0.1")
    .addOption(
      new Option("--partial-batches <mode>", "task batches smaller than the batch size")
        .choices(["end", "drop"])
        .default("end"),
    )
    .option("--seed <n>", "seed of the shuffle and the split", "42")
    .option("--dev-fraction <f>", "share of each task held out as a dev split (0: none)", "0")
    .addOption(
      new Option("--progress <mode>", "bar on a terminal; json prints one progress line per chunk to stderr")
        .choices(["auto", "bar", "json", "none"])
        .default("auto"),
    )
    .addHelpText("after", EXPORT_HELP)
    .action(async (opts: ExportCliOptions) => {
      let parsed: ReturnType<typeof parseExportCli>;
      try {
        parsed = parseExportCli(opts);
      } catch (e) {
        throw new UsageError(e instanceof Error ? e.message : String(e));
      }
      const dir = path.dirname(path.resolve(opts.out));
      if (!fs.existsSync(dir)) throw new UsageError(`no such folder: ${dir}`);
      const abort = new AbortController();
      const onSigint = () => {
        if (abort.signal.aborted) process.exit(130);
        process.stderr.write("\nstopping… (the partial file is removed)\n");
        abort.abort();
      };
      process.on("SIGINT", onSigint);
      try {
        await withDatabase("pairsift export", async (database) => {
          const ds = await getDatasetByName(database, opts.dataset);
          if (ds)
            await cliDatasetAccess(
              database,
              await cliPrincipal(database, actingAs()),
              ds.id,
              ds.name,
              "read",
            );
          const res = await runExportCli(database, opts, parsed.filter, parsed.options, abort.signal);
          if (!res.ok) throw new UsageError(res.usage);
          process.stdout.write(res.summary);
        });
      } finally {
        process.off("SIGINT", onSigint);
      }
    });

  program
    .command("audit")
    .description(
      "Defect rates, review progress, detector precision and the estimated true defect rate of a data set.",
    )
    .requiredOption("-d, --dataset <name>", "data set")
    .option("--json", "print one JSON object (the same as the audit page's JSON download)", false)
    .action(async (opts: { dataset: string; json: boolean }) => {
      await withDatabase("pairsift audit", async (database) => {
        const ds = await getDatasetByName(database, opts.dataset);
        if (!ds) throw new UsageError(`no data set named "${opts.dataset}" (see: pairsift datasets)`);
        await cliDatasetAccess(database, await cliPrincipal(database, actingAs()), ds.id, ds.name, "read");
        const report = await getAuditReport(database, ds.id);
        if (!report) throw new UsageError(`no data set named "${opts.dataset}"`);
        process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : formatAuditText(report));
      });
    });

  program
    .command("datasets")
    .description("List data sets with their counts.")
    .option("--json", "print JSON instead of a table", false)
    .action(async (opts: { json: boolean }) => {
      await withDatabase("pairsift datasets", async (database) => {
        const visible = await visibleDatasetIds(database, await cliPrincipal(database, actingAs()));
        const rows = (await listDatasets(database)).filter((r) => visible === null || visible.has(r.id));
        if (opts.json) {
          process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
          return;
        }
        if (!rows.length) {
          process.stdout.write("No data sets. Import one with: pairsift import FILE\n");
          return;
        }
        const table = rows.map((r) => ({
          name: r.name,
          records: String(r.records),
          negatives: String(r.negatives),
          tasks: String(r.tasks),
          languages: r.languages.slice(0, 5).join(","),
          rejected: String(r.rejected),
          updated: r.updatedAt.toISOString().slice(0, 16).replace("T", " "),
        }));
        const keys = Object.keys(table[0]!) as (keyof (typeof table)[number])[];
        const width = keys.map((k) => Math.max(k.length, ...table.map((r) => r[k].length)));
        const line = (cells: string[]) => `${cells.map((c, i) => c.padEnd(width[i]!)).join("  ")}\n`;
        process.stdout.write(line(keys));
        for (const r of table) process.stdout.write(line(keys.map((k) => r[k])));
      });
    });

  const user = program
    .command("user")
    .description("Users who sign in to the web app (and whom the CLI acts as).");
  user
    .command("add <email>")
    .description("Add a user who signs in with email and password (the first user is always an admin).")
    .requiredOption("--name <name>", "display name")
    .option("--admin", "make the user an admin (manages data sets, members and settings)", false)
    .option("--password-stdin", "read the password from stdin (else PAIRSIFT_PASSWORD)", false)
    .action(async (email: string, opts: { name: string; admin: boolean; passwordStdin: boolean }) => {
      const password = opts.passwordStdin
        ? fs.readFileSync(0, "utf8").replace(/\r?\n$/, "")
        : process.env.PAIRSIFT_PASSWORD;
      if (!password)
        throw new UsageError("give the password on stdin with --password-stdin, or in PAIRSIFT_PASSWORD");
      await withDatabase("pairsift user add", async (database) => {
        try {
          const u = await createUser(database, {
            email,
            name: opts.name,
            password,
            role: opts.admin ? "admin" : "member",
          });
          process.stdout.write(`added ${u.email} (${u.role})\n`);
        } catch (e) {
          if (e instanceof UserError) throw new UsageError(e.message);
          if (e instanceof Error && e.name === "ZodError") {
            const issues = (e as unknown as { issues: { message: string }[] }).issues;
            throw new UsageError(issues.map((i) => i.message).join("; "));
          }
          throw e;
        }
      });
    });
  user
    .command("list")
    .description("List users.")
    .action(async () => {
      await withDatabase("pairsift user list", async (database) => {
        for (const u of await listUsers(database)) process.stdout.write(`${u.email}\t${u.role}\t${u.name}\n`);
      });
    });

  const member = program.command("member").description("Who may read or review a data set (admins see all).");
  member
    .command("add <email>")
    .description("Give a user a role on a data set (or change it).")
    .requiredOption("-d, --dataset <name>", "data set")
    .addOption(
      new Option("--role <role>", "reviewer decides, viewer reads")
        .choices(DATASET_ROLES)
        .default("reviewer"),
    )
    .action(async (email: string, opts: { dataset: string; role: (typeof DATASET_ROLES)[number] }) => {
      await withDatabase("pairsift member add", async (database) => {
        const ds = await getDatasetByName(database, opts.dataset);
        if (!ds) throw new UsageError(`no data set named "${opts.dataset}" (see: pairsift datasets)`);
        try {
          await setMembership(database, ds.id, email, opts.role);
        } catch (e) {
          if (e instanceof UserError) throw new UsageError(e.message);
          throw e;
        }
        process.stdout.write(`${email} is a ${opts.role} of ${ds.name}\n`);
      });
    });
  member
    .command("remove <email>")
    .description("Take a user's role on a data set away.")
    .requiredOption("-d, --dataset <name>", "data set")
    .action(async (email: string, opts: { dataset: string }) => {
      await withDatabase("pairsift member remove", async (database) => {
        const ds = await getDatasetByName(database, opts.dataset);
        if (!ds) throw new UsageError(`no data set named "${opts.dataset}" (see: pairsift datasets)`);
        const u = await getUserByEmail(database, email);
        if (!u) throw new UsageError(`no user has the email ${email}`);
        await removeMembership(database, ds.id, u.id);
        process.stdout.write(`${email} removed from ${ds.name}\n`);
      });
    });

  return program;
}

/** Runs the CLI; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const out = { code: EXIT.ok as number };
  const program = buildProgram(out);
  program.exitOverride();
  const overrideAll = (c: Command) => {
    c.exitOverride();
    for (const sub of c.commands) overrideAll(sub);
  };
  overrideAll(program);
  try {
    await program.parseAsync(argv, { from: "user" });
    return out.code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (
        e.code === "commander.helpDisplayed" ||
        e.code === "commander.version" ||
        e.code === "commander.help"
      ) {
        return EXIT.ok;
      }
      return EXIT.usage;
    }
    if (e instanceof CliAccessError) {
      process.stderr.write(`error: ${e.message}\n`);
      return EXIT.rejected;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n`);
      return EXIT.usage;
    }
    process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.rejected;
  }
}
