/**
 * The domain's words: roles, power cores, metrics, spot-fix categories, action statuses, outbox kinds and states. The
 * schema stores them and the UI shows them; both import them from here, so no component reaches the database module.
 */
export const POWER_CORES = ['product', 'sales', 'marketing', 'vertical_business', 'it', 'customer', 'operations'] as const;
export type PowerCore = (typeof POWER_CORES)[number];

export const ROLES = ['admin', 'executive', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const METRIC_KEYS = ['retention', 'recommendation', 'spot_fix_cost'] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

export const DIRECTIONS = ['higher_is_better', 'lower_is_better'] as const;
export type Direction = (typeof DIRECTIONS)[number];

export const SPOT_FIX_CATEGORIES = ['meeting', 'free_offering', 'discount', 'staff_time', 'pr_recovery', 'other'] as const;
export type SpotFixCategory = (typeof SPOT_FIX_CATEGORIES)[number];

export const ACTION_STATUSES = ['open', 'in_progress', 'done'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

export const OUTBOX_KINDS = ['reminder', 'readiness', 'snapshot', 'passcode', 'alert', 'invite', 'reset'] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];
/** `unsent`: no SMTP_URL was configured, so it was never tried (an admin may retry it later). */
export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed', 'unsent', 'cancelled'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];
