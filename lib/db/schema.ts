import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  serial,
  smallint,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

import { ACTION_STATUSES, DIRECTIONS, METRIC_KEYS, OUTBOX_KINDS, OUTBOX_STATES, POWER_CORES, ROLES, SPOT_FIX_CATEGORIES } from '../domain';

export * from '../domain';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();
const money = (name: string) => numeric(name, { precision: 14, scale: 2 });

/** The one organisation this deployment serves (a single row, id 1). */
export const organisation = pgTable(
  'organisation',
  {
    id: smallint('id').primaryKey().default(1),
    name: text('name').notNull(),
    currency: text('currency').notNull().default('USD'),
    /** Bumped in the same transaction as every data write, so cached scorecards know when they are stale. */
    dataVersion: integer('data_version').notNull().default(0),
    updatedAt: updatedAt(),
  },
  (t) => [check('organisation_single_row', sql`${t.id} = 1`)],
);

export const executives = pgTable(
  'executives',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    /** Stored lower-cased; sign-in and SSO match on it. */
    email: text('email').notNull(),
    title: text('title').notNull(),
    powerCore: text('power_core', { enum: POWER_CORES }).notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    passwordHash: text('password_hash'),
    isActive: boolean('is_active').notNull().default(true),
    /** Bumped on deactivation, role change or password reset: sessions carrying an older value stop working. */
    sessionVersion: integer('session_version').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('executives_email_idx').on(t.email)],
);

export const GRANULARITIES = ['month', 'quarter', 'year'] as const;

export const metrics = pgTable('metrics', {
  key: text('key', { enum: METRIC_KEYS }).primaryKey(),
  name: text('name').notNull(),
  /** Null only on a fresh database before the first admin exists. */
  ownerId: integer('owner_id').references(() => executives.id),
  direction: text('direction', { enum: DIRECTIONS }).notNull(),
  /** Set by an admin ("we started logging spot fixes in March 2024"); null: the month of the earliest record. */
  dataSince: date('data_since'),
  updatedAt: updatedAt(),
});

/**
 * Targets over time: each row takes effect from a date, per granularity, and a period is judged
 * against the row in force on its last day. A quarter or year without a row of its own derives
 * from the month's; a row whose target is null returns that granularity to the derived one.
 * Ratios for retention/recommendation; money for the whole period for spot-fix cost.
 */
export const metricTargets = pgTable(
  'metric_targets',
  {
    id: serial('id').primaryKey(),
    metricKey: text('metric_key', { enum: METRIC_KEYS })
      .notNull()
      .references(() => metrics.key),
    granularity: text('granularity', { enum: GRANULARITIES }).notNull(),
    effectiveFrom: date('effective_from').notNull(),
    target: numeric('target', { precision: 14, scale: 4 }),
    atRiskThreshold: numeric('at_risk_threshold', { precision: 14, scale: 4 }),
    /** Null for the operator CLI, migrations and the demo seed. */
    setById: integer('set_by_id').references(() => executives.id),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('metric_targets_metric_granularity_from_idx').on(t.metricKey, t.granularity, t.effectiveFrom),
    check('metric_targets_both_or_neither', sql`(${t.target} is null) = (${t.atRiskThreshold} is null)`),
    check('metric_targets_month_is_set', sql`${t.granularity} <> 'month' or ${t.target} is not null`),
  ],
);

export const customers = pgTable(
  'customers',
  {
    customerId: text('customer_id').primaryKey(),
    name: text('name'),
    segment: text('segment'),
    acquiredOn: date('acquired_on').notNull(),
    churnedOn: date('churned_on'),
    monthlyValue: money('monthly_value'),
    churnReason: text('churn_reason'),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('customers_acquired_on_idx').on(t.acquiredOn, t.churnedOn),
    index('customers_churned_on_idx').on(t.churnedOn),
    check('customers_churn_after_acquisition', sql`${t.churnedOn} is null or ${t.churnedOn} >= ${t.acquiredOn}`),
  ],
);

export const surveyResponses = pgTable(
  'survey_responses',
  {
    responseId: text('response_id').primaryKey(),
    // Optional (SPEC "Data in"); may name a customer not loaded yet, so no foreign key.
    customerId: text('customer_id'),
    respondedOn: date('responded_on').notNull(),
    score: smallint('score').notNull(),
    touchpoint: text('touchpoint'),
    comment: text('comment'),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('survey_responses_responded_on_idx').on(t.respondedOn, t.score),
    // A customer's responses in date order: the value-at-risk rollup recomputes a changed customer's spans.
    index('survey_responses_customer_idx').on(t.customerId, t.respondedOn),
    check('survey_responses_score_range', sql`${t.score} between 0 and 10`),
  ],
);

/** One row per distinct issue (labels equal ignoring case and extra white space share a key). */
export const recurringIssues = pgTable('recurring_issues', {
  issueKey: text('issue_key').primaryKey(),
  /** The label as first written. */
  label: text('label').notNull(),
  ownerId: integer('owner_id').references(() => executives.id),
  estimatedFixCost: money('estimated_fix_cost'),
  fixedOn: date('fixed_on'),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const spotFixes = pgTable(
  'spot_fixes',
  {
    spotFixId: text('spot_fix_id').primaryKey(),
    occurredOn: date('occurred_on').notNull(),
    /** As written by whoever logged it. */
    issue: text('issue').notNull(),
    // Must name a recurring issue: checked once per statement by the spot fixes' rollup trigger
    // (drizzle/0018), not by a foreign key, whose per-row check was a sixth of a large import.
    issueKey: text('issue_key').notNull(),
    category: text('category', { enum: SPOT_FIX_CATEGORIES }).notNull(),
    cost: money('cost').notNull(),
    // Optional (SPEC "Data in"); may name a customer not loaded yet, so no foreign key.
    customerId: text('customer_id'),
    journeyStage: text('journey_stage'),
    note: text('note'),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('spot_fixes_occurred_on_idx').on(t.occurredOn),
    index('spot_fixes_issue_key_occurred_on_idx').on(t.issueKey, t.occurredOn),
  ],
);

// ---------------------------------------------------------------------------------------------
// Rollups: the scorecard's figures summed by day or month (and segment, touchpoint, issue), kept
// by triggers in the same transaction as every write to customers, survey_responses and
// spot_fixes (migrations 0010, 0012 and 0014), so a figure costs the same at a million customers
// as at two thousand: their size is bounded by days, months, segments, touchpoints and issues,
// not by records. rollup_rebuild() recomputes them from the raw tables
// (`npm run cli -- rebuild-rollups`). A blank segment or touchpoint is 'Not recorded', as pages
// show it.

// Wide enough for a million rows of the largest amount a record may hold.
const rollupMoney = (name: string) => numeric(name, { precision: 20, scale: 2 }).notNull().default('0');

/**
 * Customers acquired and churned per day and segment, with their monthly value. Retention needs
 * the day: a period's first day counts its own churns apart (lib/metrics/retention.ts).
 */
export const rollupCustomerDays = pgTable(
  'rollup_customer_days',
  {
    day: date('day').notNull(),
    segment: text('segment').notNull(),
    acquired: integer('acquired').notNull().default(0),
    acquiredValue: rollupMoney('acquired_value'),
    churned: integer('churned').notNull().default(0),
    churnedValue: rollupMoney('churned_value'),
    /** Customers acquired and churned on this very day. */
    acquiredAndChurned: integer('acquired_and_churned').notNull().default(0),
  },
  // Each rollup's emptied rows (a day whose customers all moved away) are found through a partial index.
  (t) => [
    primaryKey({ columns: [t.day, t.segment] }),
    index('rollup_customer_days_empty_idx').on(t.day).where(sql`${t.acquired} = 0 and ${t.churned} = 0`),
  ],
);

/** Customers by segment, month acquired and month churned ('infinity' while not churned). */
export const rollupCustomerCohorts = pgTable(
  'rollup_customer_cohorts',
  {
    segment: text('segment').notNull(),
    acquiredMonth: date('acquired_month').notNull(),
    churnedMonth: date('churned_month').notNull(),
    customers: integer('customers').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.acquiredMonth, t.churnedMonth, t.segment] }),
    index('rollup_customer_cohorts_empty_idx').on(t.acquiredMonth).where(sql`${t.customers} = 0`),
  ],
);

/**
 * Customers lost per month and reason for leaving (a blank reason is 'Not recorded', as the
 * scorecard shows it), with their monthly value; `valued` counts those that have one.
 */
export const rollupChurnReasons = pgTable(
  'rollup_churn_reasons',
  {
    churnedMonth: date('churned_month').notNull(),
    reason: text('reason').notNull(),
    customers: integer('customers').notNull(),
    valued: integer('valued').notNull(),
    valueLost: rollupMoney('value_lost'),
  },
  (t) => [
    primaryKey({ columns: [t.churnedMonth, t.reason] }),
    index('rollup_churn_reasons_empty_idx').on(t.churnedMonth).where(sql`${t.customers} = 0`),
  ],
);

/**
 * Survey responses per month, touchpoint as written ('' for none: the drill-down and the journey
 * each group the variants their own way when they read) and score.
 */
export const rollupResponseMonths = pgTable(
  'rollup_response_months',
  {
    month: date('month').notNull(),
    touchpoint: text('touchpoint').notNull(),
    score: smallint('score').notNull(),
    responses: integer('responses').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.month, t.touchpoint, t.score] }),
    index('rollup_response_months_empty_idx').on(t.month).where(sql`${t.responses} = 0`),
  ],
);

/** Spot fixes and their cost per month and category. */
export const rollupSpotFixMonths = pgTable(
  'rollup_spot_fix_months',
  {
    month: date('month').notNull(),
    category: text('category', { enum: SPOT_FIX_CATEGORIES }).notNull(),
    fixes: integer('fixes').notNull(),
    cost: rollupMoney('cost'),
  },
  (t) => [
    primaryKey({ columns: [t.month, t.category] }),
    index('rollup_spot_fix_months_empty_idx').on(t.month).where(sql`${t.fixes} = 0`),
  ],
);

/** Spot fixes and their cost per recurring issue and month: the drill-down's issue lists. */
export const rollupIssueMonths = pgTable(
  'rollup_issue_months',
  {
    issueKey: text('issue_key').notNull(),
    month: date('month').notNull(),
    fixes: integer('fixes').notNull(),
    cost: rollupMoney('cost'),
  },
  (t) => [
    primaryKey({ columns: [t.issueKey, t.month] }),
    index('rollup_issue_months_month_idx').on(t.month),
  ],
);

/**
 * Responses per day and score class ('promoter', 'passive', 'detractor') that name a customer
 * active on the day, and how many of those customers churned within 90 days after it: the
 * journey's churn after a response. Days, not months: its window is the 364 days up to a period's end.
 */
export const rollupResponseChurnDays = pgTable(
  'rollup_response_churn_days',
  {
    day: date('day').notNull(),
    scoreClass: text('score_class').notNull(),
    responses: integer('responses').notNull(),
    churned: integer('churned').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.scoreClass] })],
);

/**
 * Value at risk (a customer active on a month's last day whose latest survey response of the 364
 * days up to it is a detractor's), kept as the spans of days over which each customer counts:
 * from a detractor's response (or acquisition) until the next response, 364 days later, or the
 * churn, whichever comes first. Only the triggers read it, to take a changed customer's old spans back.
 */
export const rollupAtRiskSpans = pgTable(
  'rollup_at_risk_spans',
  {
    customerId: text('customer_id').notNull(),
    fromDay: date('from_day').notNull(),
    /** 'infinity' never happens (a response counts for 364 days at most) but is allowed. */
    toDay: date('to_day').notNull(),
    monthlyValue: money('monthly_value'),
  },
  (t) => [primaryKey({ columns: [t.customerId, t.fromDay] })],
);

/**
 * The spans as monthly changes: customers (and monthly value) whose span starts in the month,
 * less those whose span ended the month before. Value at risk on a month's last day is the sum of
 * every change up to that month: at most one row per month, whatever the number of customers.
 */
export const rollupAtRiskMonths = pgTable('rollup_at_risk_months', {
  month: date('month').primaryKey(),
  customers: integer('customers').notNull(),
  value: rollupMoney('value'),
});

/**
 * Spot fixes and their cost per month, journey stage as written ('' for none: the journey compares
 * the variants when it reads) and recurring issue: the journey's stages and their top issues.
 */
export const rollupStageIssueMonths = pgTable(
  'rollup_stage_issue_months',
  {
    month: date('month').notNull(),
    journeyStage: text('journey_stage').notNull(),
    issueKey: text('issue_key').notNull(),
    fixes: integer('fixes').notNull(),
    cost: rollupMoney('cost'),
  },
  (t) => [primaryKey({ columns: [t.month, t.journeyStage, t.issueKey] })],
);

/**
 * Each issue's first fix day, how many fixes and what was spent on it that day: the fixes that are not repeats
 * (a repeat has a strictly earlier fix of the same issue).
 */
export const rollupIssueFirstFixes = pgTable(
  'rollup_issue_first_fixes',
  {
    issueKey: text('issue_key').primaryKey(),
    firstOn: date('first_on').notNull(),
    firstDayCost: rollupMoney('first_day_cost'),
    firstDayFixes: integer('first_day_fixes').notNull().default(0),
  },
  (t) => [index('rollup_issue_first_fixes_first_on_idx').on(t.firstOn)],
);

export const commentary = pgTable(
  'commentary',
  {
    id: serial('id').primaryKey(),
    metricKey: text('metric_key', { enum: METRIC_KEYS })
      .notNull()
      .references(() => metrics.key),
    period: text('period').notNull(),
    body: text('body').notNull(),
    authorId: integer('author_id')
      .notNull()
      .references(() => executives.id),
    /** Optimistic concurrency: an edit must name the version it started from. */
    version: integer('version').notNull().default(1),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex('commentary_metric_period_idx').on(t.metricKey, t.period)],
);

export const commentaryRevisions = pgTable(
  'commentary_revisions',
  {
    id: serial('id').primaryKey(),
    commentaryId: integer('commentary_id')
      .notNull()
      .references(() => commentary.id),
    version: integer('version').notNull(),
    body: text('body').notNull(),
    authorId: integer('author_id')
      .notNull()
      .references(() => executives.id),
    createdAt: createdAt(),
  },
  (t) => [index('commentary_revisions_commentary_idx').on(t.commentaryId, t.version)],
);

export const metricActions = pgTable(
  'metric_actions',
  {
    id: serial('id').primaryKey(),
    metricKey: text('metric_key', { enum: METRIC_KEYS })
      .notNull()
      .references(() => metrics.key),
    /** The month it was opened in (rows from before opened_on: the period it was added for). Views select by openedOn/doneOn. */
    period: text('period').notNull(),
    title: text('title').notNull(),
    ownerId: integer('owner_id')
      .notNull()
      .references(() => executives.id),
    dueOn: date('due_on'),
    status: text('status', { enum: ACTION_STATUSES }).notNull().default('open'),
    /** Open from this day until doneOn: every period overlapping [openedOn, doneOn] shows it. */
    openedOn: date('opened_on').notNull().default(sql`current_date`),
    /** The day it was marked done; null while not done. */
    doneOn: date('done_on'),
    /** The recurring issue the action tackles, if any. */
    issueKey: text('issue_key').references(() => recurringIssues.issueKey),
    createdById: integer('created_by_id')
      .notNull()
      .references(() => executives.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('metric_actions_metric_period_idx').on(t.metricKey, t.period),
    index('metric_actions_metric_opened_idx').on(t.metricKey, t.openedOn, t.doneOn),
    check('metric_actions_done_after_opened', sql`${t.doneOn} is null or ${t.doneOn} >= ${t.openedOn}`),
  ],
);

/** Every status an action has had: when, by whom. */
export const metricActionStatusChanges = pgTable(
  'metric_action_status_changes',
  {
    id: serial('id').primaryKey(),
    actionId: integer('action_id')
      .notNull()
      .references(() => metricActions.id),
    fromStatus: text('from_status', { enum: ACTION_STATUSES }),
    toStatus: text('to_status', { enum: ACTION_STATUSES }).notNull(),
    changedOn: date('changed_on').notNull(),
    changedById: integer('changed_by_id').references(() => executives.id),
    changedAt: timestamp('changed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('metric_action_status_changes_action_idx').on(t.actionId, t.id)],
);

export const snapshots = pgTable(
  'snapshots',
  {
    id: serial('id').primaryKey(),
    /** SHA-256 of the link token; the token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    title: text('title').notNull(),
    note: text('note'),
    period: text('period').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    contentHash: text('content_hash').notNull(),
    passcodeHash: text('passcode_hash'),
    createdById: integer('created_by_id')
      .notNull()
      .references(() => executives.id),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    revokedById: integer('revoked_by_id').references(() => executives.id),
    viewCount: integer('view_count').notNull().default(0),
    lastViewedAt: timestamp('last_viewed_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('snapshots_token_hash_idx').on(t.tokenHash),
    index('snapshots_created_at_idx').on(t.createdAt),
  ],
);

export const snapshotViews = pgTable(
  'snapshot_views',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    snapshotId: integer('snapshot_id')
      .notNull()
      .references(() => snapshots.id),
    viewedAt: timestamp('viewed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('snapshot_views_snapshot_idx').on(t.snapshotId, t.viewedAt)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** Null for the operator CLI and other system writes; actorLabel says which. */
    actorId: integer('actor_id').references(() => executives.id),
    actorLabel: text('actor_label').notNull(),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    before: jsonb('before').$type<unknown>(),
    after: jsonb('after').$type<unknown>(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_at_idx').on(t.at),
    index('audit_log_entity_idx').on(t.entity, t.entityId),
    index('audit_log_actor_idx').on(t.actorId, t.at),
  ],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: serial('id').primaryKey(),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull(),
    createdById: integer('created_by_id')
      .notNull()
      .references(() => executives.id),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_tokens_token_hash_idx').on(t.tokenHash)],
);

/** One-time links for setting a password (invites and resets); only the hash is stored. */
export const passwordTokens = pgTable(
  'password_tokens',
  {
    id: serial('id').primaryKey(),
    executiveId: integer('executive_id')
      .notNull()
      .references(() => executives.id),
    tokenHash: text('token_hash').notNull(),
    purpose: text('purpose', { enum: ['invite', 'reset'] }).notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('password_tokens_token_hash_idx').on(t.tokenHash)],
);

/** Failed sign-in attempts, kept in the database because serverless instances share nothing else. */
export const signInAttempts = pgTable(
  'sign_in_attempts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    /** 'account:<email>' or 'client:<ip>'. */
    subject: text('subject').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('sign_in_attempts_subject_at_idx').on(t.subject, t.at)],
);

export const IMPORT_STATES = ['staging', 'applied', 'rejected', 'cancelled'] as const;
export type ImportState = (typeof IMPORT_STATES)[number];

/** A browser import: its chunks are staged, then applied in one transaction (all or nothing). */
export const imports = pgTable(
  'imports',
  {
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    fileName: text('file_name'),
    state: text('state', { enum: IMPORT_STATES }).notNull().default('staging'),
    rowsReceived: integer('rows_received').notNull().default(0),
    summary: jsonb('summary').$type<Record<string, unknown>>(),
    createdById: integer('created_by_id')
      .notNull()
      .references(() => executives.id),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [index('imports_created_at_idx').on(t.createdAt)],
);

/** Chunks of a browser import, staged until the whole file is applied in one transaction. */
export const importStages = pgTable(
  'import_stages',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    importId: text('import_id').notNull(),
    chunkIndex: integer('chunk_index').notNull(),
    kind: text('kind').notNull(),
    rows: jsonb('rows').$type<unknown[]>().notNull(),
    createdById: integer('created_by_id').references(() => executives.id),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('import_stages_import_chunk_idx').on(t.importId, t.chunkIndex)],
);

// ---------------------------------------------------------------------------------------------
// Sign-in sessions (security): the server's record of each session, so signing out ends it on
// every instance and no session outlives its absolute lifetime.

export const authSessions = pgTable(
  'auth_sessions',
  {
    /** 128 random bits, base64url; carried in the session cookie's sealed token. */
    id: text('id').primaryKey(),
    executiveId: integer('executive_id')
      .notNull()
      .references(() => executives.id),
    createdAt: createdAt(),
    /** Absolute: sign-in time + 12 hours, whatever the activity. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('auth_sessions_executive_idx').on(t.executiveId), index('auth_sessions_expires_at_idx').on(t.expiresAt)],
);

export type Organisation = typeof organisation.$inferSelect;
export type Executive = typeof executives.$inferSelect;
export type NewExecutive = typeof executives.$inferInsert;
export type Metric = typeof metrics.$inferSelect;
export type MetricTarget = typeof metricTargets.$inferSelect;
export type Customer = typeof customers.$inferSelect;
export type NewCustomer = typeof customers.$inferInsert;
export type SurveyResponse = typeof surveyResponses.$inferSelect;
export type NewSurveyResponse = typeof surveyResponses.$inferInsert;
export type SpotFix = typeof spotFixes.$inferSelect;
export type NewSpotFix = typeof spotFixes.$inferInsert;
export type RecurringIssue = typeof recurringIssues.$inferSelect;
export type Commentary = typeof commentary.$inferSelect;
export type MetricAction = typeof metricActions.$inferSelect;
export type Snapshot = typeof snapshots.$inferSelect;
export type AuditEntry = typeof auditLog.$inferSelect;
export type ApiToken = typeof apiTokens.$inferSelect;

// ---------------------------------------------------------------------------------------------
// The board-meeting cycle: meetings, the mail outbox, and the status each metric last alerted on

/** A board meeting: who gets the frozen scorecard, when, and when owners are reminded to explain. */
export const boardMeetings = pgTable(
  'board_meetings',
  {
    id: serial('id').primaryKey(),
    title: text('title').notNull(),
    /** The period the board reviews: 2025-03, 2025-Q1 or 2025. */
    period: text('period').notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
    /** When the snapshot link goes to the recipients, on the meeting's day. */
    snapshotSendAt: timestamp('snapshot_send_at', { withTimezone: true }).notNull(),
    reminderLeadDays: integer('reminder_lead_days').notNull().default(5),
    snapshotExpiresInDays: integer('snapshot_expires_in_days').notNull().default(30),
    /** Board members have no accounts: names and emails only, shown to admins only. */
    recipients: jsonb('recipients').$type<{ name: string; email: string }[]>().notNull(),
    /**
     * Kept only until the snapshot is frozen and the passcode message queued (it has to be mailed,
     * so it cannot be hashed here); the snapshot itself stores only its hash.
     */
    passcode: text('passcode'),
    hasPasscode: boolean('has_passcode').notNull().default(false),
    snapshotId: integer('snapshot_id').references(() => snapshots.id),
    /** Set while one delivery run freezes the snapshot, so two runs never freeze it twice. */
    freezingSince: timestamp('freezing_since', { withTimezone: true }),
    createdById: integer('created_by_id')
      .notNull()
      .references(() => executives.id),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (t) => [index('board_meetings_starts_at_idx').on(t.startsAt)],
);

/** Every message, written before anything is sent; the idempotency key makes a second enqueue a no-op. */
export const outboxMessages = pgTable(
  'outbox_messages',
  {
    id: serial('id').primaryKey(),
    idempotencyKey: text('idempotency_key').notNull(),
    kind: text('kind', { enum: OUTBOX_KINDS }).notNull(),
    toName: text('to_name'),
    toEmail: text('to_email').notNull(),
    subject: text('subject').notNull(),
    /** Bodies with SECRET_PLACEHOLDER where a one-time link or passcode goes: shown to admins withheld. */
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    /** The link or passcode itself, cleared once the message is sent or cancelled. */
    secret: text('secret'),
    meetingId: integer('meeting_id').references(() => boardMeetings.id),
    metricKey: text('metric_key', { enum: METRIC_KEYS }),
    period: text('period'),
    state: text('state', { enum: OUTBOX_STATES }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** Null on a failed message: it waits for an admin's retry. */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).defaultNow(),
    lockedUntil: timestamp('locked_until', { withTimezone: true }),
    lastAttemptAt: timestamp('last_attempt_at', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('outbox_messages_idempotency_key_idx').on(t.idempotencyKey),
    index('outbox_messages_due_idx').on(t.state, t.nextAttemptAt),
    index('outbox_messages_created_at_idx').on(t.createdAt),
  ],
);

/** The status each metric was last seen with by a delivery run, so an alert goes only on a change. */
export const metricAlertStates = pgTable('metric_alert_states', {
  metricKey: text('metric_key', { enum: METRIC_KEYS })
    .primaryKey()
    .references(() => metrics.key),
  period: text('period').notNull(),
  status: text('status').notNull(),
  dataVersion: integer('data_version').notNull(),
  updatedAt: updatedAt(),
});

export type BoardMeeting = typeof boardMeetings.$inferSelect;
export type OutboxMessage = typeof outboxMessages.$inferSelect;
