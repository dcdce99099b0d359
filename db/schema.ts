import { sql } from "drizzle-orm";
import {
  bigint,
  bigserial,
  boolean,
  check,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  serial,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import { TASK_FAMILIES } from "@/lib/formats/types";

/** Review status of a record. */
export const RECORD_STATUSES = ["pending", "accepted", "rejected", "relabeled"] as const;
/** Status of one negative passage. */
export const NEGATIVE_STATUSES = ["kept", "dropped", "promoted"] as const;
export const IMPORT_STATES = ["running", "done", "failed", "interrupted"] as const;

const timestamps = {
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
};

export const datasets = pgTable("datasets", {
  id: serial("id").primaryKey(),
  name: text("name").notNull().unique(),
  description: text("description"),
  /** Detector thresholds and other per-data-set settings (zod-checked in lib/). */
  settings: jsonb("settings").$type<Record<string, unknown>>().notNull().default({}),
  /** The detection run whose flags are current (switched atomically when a run completes). */
  flagsRunId: integer("flags_run_id"),
  ...timestamps,
});

export const records = pgTable(
  "records",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    externalId: text("external_id"),
    /** Hash of the record's content: re-importing the same content adds nothing. */
    contentHash: text("content_hash").notNull(),
    importJobId: integer("import_job_id"),
    sourceLine: integer("source_line"),
    task: text("task"),
    taskFamily: text("task_family", { enum: TASK_FAMILIES }).notNull(),
    language: text("language"),
    query: text("query").notNull(),
    positive: text("positive").notNull(),
    positiveScore: real("positive_score"),
    positiveMeta: jsonb("positive_meta").$type<Record<string, unknown>>(),
    /** Further positives as [{text, score?, meta?}] (FlagEmbedding pos[1:], Tevatron). */
    extraPositives:
      jsonb("extra_positives").$type<{ text: string; score?: number; meta?: Record<string, unknown> }[]>(),
    label: text("label"),
    misleadingLabel: text("misleading_label"),
    /** Generation parameters as given (query_length, num_words, difficulty, language…). */
    params: jsonb("params").$type<Record<string, string | number | boolean>>().notNull().default({}),
    meta: jsonb("meta").$type<Record<string, unknown>>().notNull().default({}),
    negativeCount: smallint("negative_count").notNull().default(0),
    /** Number of flags on the record (0 = clean); kept by the detectors. */
    flagCount: integer("flag_count").notNull().default(0),
    /** Distinct defect codes flagged on the record (current run), kept with flag_count: filters and facets. */
    defects: text("defects").array().notNull().default(sql`'{}'::text[]`),
    /** Highest flag score on the record (null when clean): the detector score range filter and sort. */
    maxFlagScore: real("max_flag_score"),
    /** Teacher margin: positive score − best kept negative score (null without scores). */
    teacherMargin: real("teacher_margin"),
    ...timestamps,
  },
  (t) => [
    uniqueIndex("records_dataset_hash_uq").on(t.datasetId, t.contentHash),
    index("records_dataset_id_idx").on(t.datasetId, t.id),
    index("records_dataset_task_idx").on(t.datasetId, t.task, t.id),
    index("records_dataset_family_idx").on(t.datasetId, t.taskFamily, t.id),
    index("records_dataset_language_idx").on(t.datasetId, t.language, t.id),
    index("records_dataset_flagged_idx").on(t.datasetId, t.id).where(sql`${t.flagCount} > 0`),
    index("records_dataset_flag_count_idx").on(t.datasetId, t.flagCount, t.id),
    index("records_dataset_score_idx").on(t.datasetId, t.maxFlagScore, t.id),
    index("records_dataset_margin_idx").on(t.datasetId, t.teacherMargin, t.id),
    index("records_defects_gin").using("gin", t.defects),
  ],
);

/**
 * A record's review state: what every decision changes, in a narrow row of its own (migration 0011).
 * A decision used to rewrite the whole `records` row — passages, parameters — and an entry in each of
 * its fourteen indexes (a status change cannot be a HOT update while status is indexed): a bulk rule
 * over 100k records spent most of its time there. Here it rewrites ~150 bytes and four small indexes.
 *
 * It also holds a copy of the record's columns the review filters and facets read (task, family,
 * language, defects, flag count, highest flag score, teacher margin; migration 0013), kept by the
 * triggers on `records`: so the summary of a search or a score range, and a bulk rule, read this
 * narrow row alone — never the wide `records` row — and `record_counts` is kept from this table only.
 *
 * One row per record, made by the trigger on inserted records and removed with the record (the foreign
 * key is checked at commit, after that trigger has removed the state).
 */
export const recordState = pgTable(
  "record_state",
  {
    recordId: bigint("record_id", { mode: "number" })
      .primaryKey()
      .references(() => records.id),
    /** The record's data set (never changes): every review filter starts from it. */
    datasetId: integer("dataset_id").notNull(),
    status: text("status", { enum: RECORD_STATUSES }).notNull().default("pending"),
    /** Optimistic concurrency: bumped by every decision. */
    version: integer("version").notNull().default(1),
    lastDecisionAt: timestamp("last_decision_at", { withTimezone: true }),
    lastDecisionBy: text("last_decision_by"),
    /** Copies of the record's columns (see above), kept by the records triggers: never written directly. */
    task: text("task"),
    taskFamily: text("task_family", { enum: TASK_FAMILIES }).notNull(),
    language: text("language"),
    defects: text("defects").array().notNull().default(sql`'{}'::text[]`),
    flagCount: integer("flag_count").notNull().default(0),
    maxFlagScore: real("max_flag_score"),
    teacherMargin: real("teacher_margin"),
  },
  (t) => [
    index("record_state_dataset_status_idx").on(t.datasetId, t.status, t.recordId),
    index("record_state_dataset_decided_idx")
      .on(t.datasetId, t.lastDecisionAt, t.recordId)
      .where(sql`${t.lastDecisionAt} IS NOT NULL`),
    index("record_state_dataset_reviewer_idx")
      .on(t.datasetId, t.lastDecisionBy, t.recordId)
      .where(sql`${t.lastDecisionBy} IS NOT NULL`),
  ],
);

/**
 * Record counts per data set × task × family × language × flagged × status × defect set × last reviewer, kept exact by
 * statement-level triggers on `record_state` (migrations 0006, 0011, 0013): the audit page and unfiltered review
 * facets read this small table instead of scanning every record.
 */
export const recordCounts = pgTable(
  "record_counts",
  {
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    task: text("task"),
    taskFamily: text("task_family").notNull(),
    language: text("language"),
    flagged: boolean("flagged").notNull(),
    status: text("status").notNull(),
    defects: text("defects").array().notNull(),
    /** The reviewer of the last decision (migration 0009: the reviewer facet and filter read counts too). */
    lastDecisionBy: text("last_decision_by"),
    n: bigint("n", { mode: "number" }).notNull(),
  },
  (t) => [
    unique("record_counts_key")
      .on(t.datasetId, t.task, t.taskFamily, t.language, t.flagged, t.status, t.defects, t.lastDecisionBy)
      .nullsNotDistinct(),
  ],
);

/**
 * The searchable text of a record (query + " " + positive) with a trigram index (pg_trgm: substring
 * search in any script, CJK included). Its own table so that a decision, which rewrites the record's
 * row, does not rewrite a large trigram index entry as well; it changes only when those texts do.
 * A trigger (migration 0008) stores it lowercased by the database's lower() — what ILIKE applies —
 * so that search runs `body LIKE lower(pattern)` without lowercasing each candidate again.
 */
export const recordSearch = pgTable(
  "record_search",
  {
    recordId: bigint("record_id", { mode: "number" })
      .primaryKey()
      .references(() => records.id, { onDelete: "cascade" }),
    body: text("body").notNull(),
  },
  (t) => [index("record_search_trgm").using("gin", sql`${t.body} gin_trgm_ops`)],
);

export const negatives = pgTable(
  "negatives",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    recordId: bigint("record_id", { mode: "number" })
      .notNull()
      .references(() => records.id, { onDelete: "cascade" }),
    position: smallint("position").notNull(),
    text: text("text").notNull(),
    teacherScore: real("teacher_score"),
    teacherRank: integer("teacher_rank"),
    status: text("status", { enum: NEGATIVE_STATUSES }).notNull().default("kept"),
    meta: jsonb("meta").$type<Record<string, unknown>>(),
  },
  (t) => [uniqueIndex("negatives_record_position_uq").on(t.recordId, t.position)],
);

export const flags = pgTable(
  "flags",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    recordId: bigint("record_id", { mode: "number" })
      .notNull()
      .references(() => records.id, { onDelete: "cascade" }),
    negativeId: bigint("negative_id", { mode: "number" }).references(() => negatives.id, {
      onDelete: "cascade",
    }),
    defect: text("defect").notNull(),
    target: text("target", { enum: ["query", "positive", "negative"] }).notNull(),
    negativeIndex: smallint("negative_index"),
    score: real("score").notNull(),
    /** [{field, negativeIndex?, start, end, note}] */
    evidence: jsonb("evidence").$type<unknown[]>().notNull().default([]),
    /** "detector@version" */
    detector: text("detector").notNull(),
    /** The detection run that wrote the flag; only the data set's current run is shown. */
    runId: integer("run_id"),
    /**
     * The record's highest-scored flag of this defect in this run (exactly one per record, run and
     * defect; ties to the lowest id): "records with a flag of X scored ≥ s" is then a count of one
     * index range, without DISTINCT. Kept by the writers (detection, refreshFlagSummary).
     */
    best: boolean("best").notNull().default(false),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("flags_dataset_defect_idx").on(t.datasetId, t.defect, t.recordId),
    index("flags_record_idx").on(t.recordId),
    /** The review filter "defect X with a score in [a, b]": the records of the current run's flags, index only. */
    index("flags_dataset_run_defect_score_idx").on(t.datasetId, t.runId, t.defect, t.score, t.recordId),
    /** The defect facet under a lower score bound: records per defect from their best flags. */
    index("flags_best_score_idx")
      .on(t.datasetId, t.runId, t.defect, t.score, t.recordId)
      .where(sql`${t.best}`),
  ],
);

/** Append-only log of review decisions. Undo is a new decision that restores `before`. */
export const decisions = pgTable(
  "decisions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    recordId: bigint("record_id", { mode: "number" })
      .notNull()
      .references(() => records.id, { onDelete: "cascade" }),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    before: jsonb("before"),
    after: jsonb("after"),
    reason: text("reason"),
    bulkRuleId: integer("bulk_rule_id"),
    undoesId: bigint("undoes_id", { mode: "number" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("decisions_record_idx").on(t.recordId, t.id),
    index("decisions_dataset_created_idx").on(t.datasetId, t.createdAt),
    /** Undo of a bulk rule finds its decisions. */
    index("decisions_bulk_rule_idx").on(t.bulkRuleId).where(sql`${t.bulkRuleId} IS NOT NULL`),
  ],
);

/**
 * Each reviewer's activity on a data set, kept as decisions are written (a statement-level trigger
 * on `decisions`, migration 0012) so that the audit reads one row per reviewer instead of every
 * decision: counts, first and last decision, and active time — the gaps between consecutive
 * decisions, those over ACTIVE_GAP_MINUTES (lib/audit/report.ts) left out.
 */
export const reviewerActivity = pgTable(
  "reviewer_activity",
  {
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    actor: text("actor").notNull(),
    /** Decisions other than undos. */
    decisions: bigint("decisions", { mode: "number" }).notNull(),
    undos: bigint("undos", { mode: "number" }).notNull(),
    /** Distinct records decided (rows of reviewer_records). */
    records: bigint("records", { mode: "number" }).notNull(),
    firstAt: timestamp("first_at", { withTimezone: true }).notNull(),
    lastAt: timestamp("last_at", { withTimezone: true }).notNull(),
    activeSeconds: doublePrecision("active_seconds").notNull(),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.actor] })],
);

/**
 * The records each reviewer has decided (once each): reviewer_activity.records counts the new ones.
 * No foreign key (a bulk rule adds 100k rows, each check a lookup): a trigger on `datasets` removes
 * a deleted data set's rows.
 */
export const reviewerRecords = pgTable(
  "reviewer_records",
  {
    datasetId: integer("dataset_id").notNull(),
    actor: text("actor").notNull(),
    recordId: bigint("record_id", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.datasetId, t.actor, t.recordId] })],
);

/** A named bulk rule: a filter and an action, previewed, applied in one transaction, undoable as a whole. */
export const bulkRules = pgTable(
  "bulk_rules",
  {
    id: serial("id").primaryKey(),
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** {filter, action} as checked by lib/review/bulk.ts. */
    rule: jsonb("rule").$type<Record<string, unknown>>().notNull(),
    actor: text("actor").notNull(),
    /** Records changed when applied. */
    affected: integer("affected").notNull().default(0),
    appliedAt: timestamp("applied_at", { withTimezone: true }).notNull().defaultNow(),
    undoneAt: timestamp("undone_at", { withTimezone: true }),
    undoneBy: text("undone_by"),
  },
  (t) => [index("bulk_rules_dataset_idx").on(t.datasetId, t.id)],
);

/** A stratified random sample of unreviewed records drawn for auditing (lib/audit). */
export const auditSamples = pgTable(
  "audit_samples",
  {
    id: serial("id").primaryKey(),
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    perTask: integer("per_task").notNull(),
    seed: integer("seed").notNull(),
    recordIds: jsonb("record_ids").$type<number[]>().notNull(),
    actor: text("actor").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_samples_dataset_idx").on(t.datasetId, t.id)],
);

export type ImportError = { line: number; reason: string };

export const importJobs = pgTable(
  "import_jobs",
  {
    id: serial("id").primaryKey(),
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    source: text("source").notNull(),
    format: text("format"),
    container: text("container"),
    bytes: bigint("bytes", { mode: "number" }),
    strict: boolean("strict").notNull().default(false),
    state: text("state", { enum: IMPORT_STATES }).notNull().default("running"),
    rowsRead: integer("rows_read").notNull().default(0),
    rowsLoaded: integer("rows_loaded").notNull().default(0),
    rowsDuplicate: integer("rows_duplicate").notNull().default(0),
    rowsRejected: integer("rows_rejected").notNull().default(0),
    /** The first rejected lines with their reasons (capped; rowsRejected has the full count). */
    errors: jsonb("errors").$type<ImportError[]>().notNull().default([]),
    message: text("message"),
    pid: integer("pid"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("import_jobs_dataset_idx").on(t.datasetId, t.id)],
);

export const DETECTION_STATES = ["running", "done", "failed", "interrupted"] as const;

/** One run of the detectors over a data set (automatic after an import, or `pairsift detect`). */
export const detectionRuns = pgTable(
  "detection_runs",
  {
    id: serial("id").primaryKey(),
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    state: text("state", { enum: DETECTION_STATES }).notNull().default("running"),
    teacher: text("teacher").notNull().default("none"),
    /** "defect@version" of every detector that ran. */
    detectors: jsonb("detectors").$type<string[]>().notNull().default([]),
    recordsTotal: integer("records_total").notNull().default(0),
    recordsDone: integer("records_done").notNull().default(0),
    flags: integer("flags").notNull().default(0),
    message: text("message"),
    pid: integer("pid"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
  },
  (t) => [index("detection_runs_dataset_idx").on(t.datasetId, t.id)],
);

/** Vectors from an embeddings teacher, keyed by sha256(model + "\0" + text): a rerun costs nothing. */
export const embeddingCache = pgTable("embedding_cache", {
  key: text("key").primaryKey(),
  /** Float32 little-endian, base64. */
  vector: text("vector").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Global role of a user: an admin manages data sets, members and settings; a member gets roles per data set. */
export const USER_ROLES = ["admin", "member"] as const;
/** Role of a member on one data set: a reviewer decides, a viewer reads. */
export const DATASET_ROLES = ["reviewer", "viewer"] as const;

// Sign-in tables, in the shape better-auth's drizzle adapter reads (lib/server/auth.ts maps them).
export const users = pgTable(
  "users",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email").notNull().unique(),
    emailVerified: boolean("email_verified").notNull().default(false),
    image: text("image"),
    role: text("role", { enum: USER_ROLES }).notNull().default("member"),
    ...timestamps,
  },
  (t) => [check("users_role_check", sql`${t.role} IN ('admin', 'member')`)],
);

export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    token: text("token").notNull().unique(),
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    ...timestamps,
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const accounts = pgTable(
  "accounts",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    providerId: text("provider_id").notNull(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    idToken: text("id_token"),
    accessTokenExpiresAt: timestamp("access_token_expires_at", { withTimezone: true }),
    refreshTokenExpiresAt: timestamp("refresh_token_expires_at", { withTimezone: true }),
    scope: text("scope"),
    /** A password hash (better-auth's scrypt), never the password. */
    password: text("password"),
    ...timestamps,
  },
  (t) => [index("accounts_user_idx").on(t.userId)],
);

export const verifications = pgTable(
  "verifications",
  {
    id: text("id").primaryKey(),
    identifier: text("identifier").notNull(),
    value: text("value").notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    ...timestamps,
  },
  (t) => [index("verifications_identifier_idx").on(t.identifier)],
);

/** Who may see or review a data set besides the admins. */
export const datasetMembers = pgTable(
  "dataset_members",
  {
    datasetId: integer("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: text("role", { enum: DATASET_ROLES }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.datasetId, t.userId] }),
    index("dataset_members_user_idx").on(t.userId),
    check("dataset_members_role_check", sql`${t.role} IN ('reviewer', 'viewer')`),
  ],
);

/** Instance-wide settings kept by the app itself (e.g. the generated session-signing secret). */
export const appSettings = pgTable("app_settings", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

export type Dataset = typeof datasets.$inferSelect;
export type DetectionRun = typeof detectionRuns.$inferSelect;
export type RecordRow = typeof records.$inferSelect;
export type RecordStateRow = typeof recordState.$inferSelect;
export type NegativeRow = typeof negatives.$inferSelect;
export type FlagRow = typeof flags.$inferSelect;
export type DecisionRow = typeof decisions.$inferSelect;
export type ImportJob = typeof importJobs.$inferSelect;
export type BulkRuleRow = typeof bulkRules.$inferSelect;
export type AuditSampleRow = typeof auditSamples.$inferSelect;
export type UserRow = typeof users.$inferSelect;
export type DatasetMemberRow = typeof datasetMembers.$inferSelect;
export type UserRole = (typeof USER_ROLES)[number];
export type DatasetRole = (typeof DATASET_ROLES)[number];
