import type { SpotFixCategory } from '@/lib/domain';
import { formatDate } from './dates';
import { DASH, formatMoney, formatPercent } from './numbers';

/** Labels and sentences: statuses, power cores, spot-fix categories, audit fields, counts of open work. */
const LOCALE = 'en-US';

const STATUS_LABELS = { on_track: 'On track', at_risk: 'At risk', off_track: 'Off track', no_data: 'No data', in_progress: 'In progress' } as const;
export type StatusKey = keyof typeof STATUS_LABELS;

export function statusLabel(status: StatusKey): string {
  return STATUS_LABELS[status];
}

const POWER_CORE_LABELS: Record<string, string> = {
  product: 'Product',
  sales: 'Sales',
  marketing: 'Marketing',
  vertical_business: 'Vertical business',
  it: 'IT',
  customer: 'Customer',
  operations: 'Operations',
};

export function powerCoreLabel(core: string): string {
  return POWER_CORE_LABELS[core] ?? core;
}

/** What "power core" means, for the one sentence (or title) beside the word wherever it appears. */
export const POWER_CORE_MEANING =
  'A power core is one of the seven areas of the business (product, sales, marketing, vertical business, IT, customer, operations) that an executive leads.';

/** What "adjusted Wald" means, beside a margin of error. */
export const ADJUSTED_WALD_MEANING =
  'Adjusted Wald (Agresti–Coull): the usual 95% interval for a share, adding two successes and two failures so that it stays honest for small samples and for shares near 0% or 100%.';

/** The one set of words for spot-fix categories: forms, lists, charts and snapshots. */
export const SPOT_FIX_CATEGORY_LABELS: Record<SpotFixCategory, string> = {
  meeting: 'Meetings',
  free_offering: 'Free offerings',
  discount: 'Discounts',
  staff_time: 'Staff time',
  pr_recovery: 'PR recovery',
  other: 'Other',
};

export function spotFixCategoryLabel(category: string): string {
  return SPOT_FIX_CATEGORY_LABELS[category as SpotFixCategory] ?? category;
}

/** "3 open, 1 overdue"; "none open", or "no actions" when `total` says there are none at all, rather than "0 open". */
export function describeActionCounts(counts: { open: number; overdue: number; total?: number }): string {
  if (counts.total === 0) return 'no actions';
  if (counts.open === 0) return 'none open';
  return `${counts.open} open${counts.overdue > 0 ? `, ${counts.overdue} overdue` : ''}`;
}

/** "3 open recurring issues and 1 unfinished action": what someone leaving hands over (empty for none). */
export function describeOpenWork({ issues, actions }: { issues: number; actions: number }): string {
  const part = (n: number, noun: string) => (n === 0 ? null : `${n} ${noun}${n === 1 ? '' : 's'}`);
  return [part(issues, 'open recurring issue'), part(actions, 'unfinished action')].filter(Boolean).join(' and ');
}

/** A compared label ("late delivery") for reading: "Late delivery"; none reads as `none`. */
export function formatGroupLabel(label: string | null, none: string): string {
  if (label === null) return none;
  return label.charAt(0).toLocaleUpperCase(LOCALE) + label.slice(1);
}

const METRIC_LABELS: Record<string, string> = { retention: 'Retention', recommendation: 'Recommendation rate', spot_fix_cost: 'Spot-fix cost' };
const AUDIT_FIELD_WORDS: Record<string, string> = {
  target: 'target',
  atRiskThreshold: 'at-risk threshold',
  threshold: 'at-risk threshold',
  ownerId: 'accountable executive',
  estimatedFixCost: 'estimated fix cost',
  fixedOn: 'fixed on',
  isActive: 'active',
  powerCore: 'power core',
  sessionVersion: 'session version',
};

const words = (key: string) => AUDIT_FIELD_WORDS[key] ?? key.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

/**
 * An audit entry's field and value as a person reads them: "targets.retention.target" 0.9800 on
 * metric `retention` reads "Retention target" 98.0%; money reads as money; dates in the one format.
 */
export function describeAuditField(entity: string, entityId: string | null, path: string, value: unknown, currency = 'USD'): { label: string; value: string } {
  const parts = path.split('.').filter((p) => p !== 'targets');
  const metric = parts.find((p) => p in METRIC_LABELS) ?? (entity === 'metric' && entityId && entityId in METRIC_LABELS ? entityId : null);
  const rest = parts.filter((p) => p !== metric);
  const field = rest.map(words).join(' ');
  const label = metric ? `${METRIC_LABELS[metric]} ${field}`.trim() : field.charAt(0).toUpperCase() + field.slice(1);
  const last = rest[rest.length - 1] ?? '';
  let text: string;
  if (value === null || value === undefined || value === '') text = DASH;
  else if (metric && metric !== 'spot_fix_cost' && /target|threshold/i.test(last) && Number.isFinite(Number(value))) text = formatPercent(Number(value));
  else if ((metric === 'spot_fix_cost' && /target|threshold/i.test(last)) || /cost|value$/i.test(last)) text = /^-?\d+(\.\d+)?$/.test(String(value)) ? formatMoney(String(value), currency) : String(value);
  else if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) text = formatDate(value);
  else if (typeof value === 'boolean') text = value ? 'yes' : 'no';
  else text = typeof value === 'string' ? value : JSON.stringify(value);
  return { label, value: text };
}
