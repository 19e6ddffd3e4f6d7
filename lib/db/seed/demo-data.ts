import type { SpotFixCategory } from '@/lib/db/schema';
import { issueKey } from '@/lib/metrics/issue-key';
import { periodContaining, periodsEndingWith } from '@/lib/metrics/period';
import type { CustomerRecord, ResponseRecord, SpotFixRecord } from '@/lib/validation/records';
import {
  CHURN_REASONS,
  COMMENTS,
  ISSUES,
  NAME_PARTS,
  NOTES,
  ONE_OFF_ISSUES,
  SEGMENTS,
  TOUCHPOINT_MOOD,
  TOUCHPOINT_WEIGHTS,
  type DemoExecutiveKey,
  type IssueSpec,
  type Segment,
  type Touchpoint,
} from './demo-company';
import { createRandom, type Random } from './random';

/**
 * The demo company's records, generated deterministically from a seed and "today": about two
 * years of customers, survey responses and spot fixes that tell one story — a router firmware
 * rollout and a new installation partner (about seven and six months ago) push spot-fix spend
 * up and recommendation down, while retention holds. Pure: no database, no clock.
 */
export const HISTORY_MONTHS = 24;

export interface DemoIssue {
  key: string;
  label: string;
  owner: DemoExecutiveKey | null;
  estimatedFixCost: string | null;
  fixedOn: string | null;
}

export interface DemoData {
  customers: CustomerRecord[];
  responses: ResponseRecord[];
  spotFixes: SpotFixRecord[];
  issues: DemoIssue[];
}

const DAY_MS = 86_400_000;
const toDay = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / DAY_MS;
const toIso = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

const formatCents = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;

interface Month {
  /** Months before the current month (0 = current). */
  ago: number;
  monthOfYear: number;
  start: number;
  /** Last day with data: the month's end, or today in the current month. */
  end: number;
  /** Share of the month that has happened (1 for past months). */
  elapsed: number;
}

interface SimCustomer {
  order: number;
  id: string;
  name: string;
  segment: Segment;
  acquired: number;
  churned: number | null;
  reason: string | null;
  valueCents: number;
  /** Above 1: more likely to leave and to complain. */
  risk: number;
}

function buildMonths(today: string): Month[] {
  const todayDay = toDay(today);
  const periods = periodsEndingWith(periodContaining(today, 'month'), HISTORY_MONTHS + 1);
  return periods.map((p, i) => {
    const start = toDay(p.start);
    const monthEnd = toDay(p.end);
    const end = Math.min(monthEnd, todayDay);
    return {
      ago: HISTORY_MONTHS - i,
      monthOfYear: Number(p.start.slice(5, 7)),
      start,
      end,
      elapsed: (end - start + 1) / (monthEnd - start + 1),
    };
  });
}

function monthlyValueCents(random: Random, segment: Segment): number {
  const discounted = (dollars: number, percents: readonly number[]) => {
    const cents = dollars * 100;
    return cents - Math.round((cents * random.pick(percents)) / 100);
  };
  if (segment.name === 'Enterprise') {
    const sites = random.int(10, 48);
    const perSite = random.pick([199, 219, 239, 269]);
    const extras = (random.chance(0.5) ? 1200 : 0) + 850;
    return discounted(sites * perSite + extras, [8, 12, 15, 18]);
  }
  if (segment.name === 'Mid-market') {
    const sites = random.int(2, 9);
    const perSite = random.pick([179, 199, 229, 259]);
    return discounted(sites * perSite + (random.chance(0.4) ? 149 : 0), [0, 5, 8, 10]);
  }
  const plan = random.weighted<number>([[49, 3], [69, 4], [89, 4], [129, 3], [189, 2], [249, 1]]);
  const addOns = (random.chance(0.3) ? 15 : 0) + (random.chance(0.2) ? 29 : 0);
  return discounted(plan + addOns, [0, 0, 0, 5, 10]);
}

function businessName(random: Random, segment: Segment): string {
  return `${random.pick(NAME_PARTS.first)} ${random.pick(NAME_PARTS.trade[segment.name])}${random.pick(NAME_PARTS.suffix[segment.name])}`;
}

function churnReason(random: Random, segment: Segment, month: Month): string | null {
  if (random.chance(0.06)) return null;
  const recent = month.ago <= 6;
  return random.weighted(
    CHURN_REASONS.map(([reason, weight]) => {
      let w = weight;
      if (recent && reason === 'Late delivery') w *= 1.8;
      if (recent && (reason === 'Poor support' || reason === 'Service outages')) w *= 1.4;
      if (segment.name === 'Enterprise' && reason === 'Business closed') w *= 0.2;
      if (segment.name === 'Enterprise' && reason === 'Moved to competitor') w *= 1.8;
      if (segment.name === 'Small business' && reason === 'Price') w *= 1.2;
      return [reason, w] as const;
    }),
  );
}

function generateCustomers(random: Random, months: Month[]): SimCustomer[] {
  const people: SimCustomer[] = [];
  const historyStart = months[0].start;
  const add = (acquired: number) => {
    const segment = random.weighted(SEGMENTS.map((s) => [s, s.share] as const));
    people.push({
      order: people.length,
      id: '',
      name: businessName(random, segment),
      segment,
      acquired,
      churned: null,
      reason: null,
      valueCents: monthlyValueCents(random, segment),
      risk: 0.5 + random.next(),
    });
  };

  // The base already on the books when the history starts, most of it signed in recent years.
  for (let i = 0; i < 2050; i++) {
    const u = random.next();
    add(historyStart - 1 - Math.floor(u * u * 2900));
  }
  const seasonal: Record<number, number> = { 1: 6, 3: 3, 7: -4, 8: -3, 9: 5, 12: -8 };
  for (const month of months) {
    const expected = (46 + 0.7 * (HISTORY_MONTHS - month.ago) + (seasonal[month.monthOfYear] ?? 0)) * (1 + 0.1 * random.gaussian());
    const count = Math.round(expected * month.elapsed);
    for (let i = 0; i < count; i++) add(random.int(month.start, month.end));
  }

  for (const customer of people) {
    for (const month of months) {
      if (month.end <= customer.acquired) continue;
      const first = Math.max(month.start, customer.acquired + 1);
      const factor =
        1 + (month.ago <= 6 ? 0.12 : 0) + (month.monthOfYear === 1 ? 0.15 : 0) - (month.monthOfYear === 12 ? 0.1 : 0);
      const hazard = customer.segment.hazard * factor * customer.risk * month.elapsed;
      if (random.next() < hazard) {
        customer.churned = random.int(first, month.end);
        customer.reason = churnReason(random, customer.segment, month);
        break;
      }
    }
  }

  people.sort((a, b) => a.acquired - b.acquired || a.order - b.order);
  people.forEach((c, i) => (c.id = `BW-${100001 + i}`));
  return people;
}

const isActive = (c: SimCustomer, day: number) => c.acquired <= day && (c.churned === null || c.churned > day);

/** Customers who could be active at some point in the month, and those who joined shortly before or during it. */
function monthPools(customers: SimCustomer[], month: Month) {
  const all = customers.filter((c) => c.acquired <= month.end && (c.churned === null || c.churned > month.start));
  const recent = all.filter((c) => c.acquired >= month.start - 60);
  return { all, recent };
}

function pickCustomer(
  random: Random,
  pool: SimCustomer[],
  day: number,
  accept: (c: SimCustomer) => boolean = () => true,
): SimCustomer | null {
  for (let attempt = 0; attempt < 60 && pool.length > 0; attempt++) {
    const c = random.pick(pool);
    if (isActive(c, day) && accept(c)) return c;
  }
  return null;
}

function anyActive(random: Random, pool: SimCustomer[], day: number): SimCustomer {
  const found = pickCustomer(random, pool, day) ?? pool.find((c) => isActive(c, day));
  if (!found) throw new Error(`demo data: no active customer on ${toIso(day)}`);
  return found;
}

function generateResponses(random: Random, months: Month[], customers: SimCustomer[]): ResponseRecord[] {
  const drafts: Array<{ day: number; order: number; record: Omit<ResponseRecord, 'response_id'> }> = [];
  for (const month of months) {
    const pools = monthPools(customers, month);
    const count = Math.round((225 + 1.2 * (HISTORY_MONTHS - month.ago)) * (1 + 0.07 * random.gaussian()) * month.elapsed);
    for (let i = 0; i < count; i++) {
      const day = random.int(month.start, month.end);
      let touchpoint: Touchpoint = random.weighted(TOUCHPOINT_WEIGHTS);
      let customer: SimCustomer | null = null;
      if (touchpoint === 'onboarding' || touchpoint === 'delivery') {
        customer = pickCustomer(random, pools.recent, day, (c) => day - c.acquired <= 60);
      } else if (touchpoint === 'renewal') {
        customer = pickCustomer(random, pools.all, day, (c) => day - c.acquired >= 300);
      } else {
        customer = pickCustomer(random, pools.all, day);
      }
      if (!customer) {
        touchpoint = 'support';
        customer = anyActive(random, pools.all, day);
      }

      const mood = TOUCHPOINT_MOOD[touchpoint];
      let promoter = 0.47 + mood.promoter;
      let detractor = 0.22 + mood.detractor + (customer.risk - 1) * 0.08;
      if (month.ago <= 7 && touchpoint === 'support') [promoter, detractor] = [promoter - 0.1, detractor + 0.1];
      if (month.ago <= 6 && touchpoint === 'delivery') [promoter, detractor] = [promoter - 0.09, detractor + 0.09];
      if (month.ago <= 6) [promoter, detractor] = [promoter - 0.02, detractor + 0.02];
      if (customer.churned !== null && customer.churned - day <= 120) [promoter, detractor] = [promoter - 0.2, detractor + 0.25];
      promoter = Math.min(0.9, Math.max(0.05, promoter));
      detractor = Math.min(0.9 - promoter, Math.max(0.03, detractor));

      const roll = random.next();
      let score: number;
      let comment: string | null = null;
      if (roll < promoter) {
        score = random.chance(0.48) ? 10 : 9;
        if (random.chance(0.3)) comment = random.pick(COMMENTS.promoter);
      } else if (roll < 1 - detractor) {
        score = random.chance(0.55) ? 8 : 7;
        if (random.chance(0.3)) comment = random.pick(COMMENTS.passive);
      } else {
        score = random.weighted<number>([[6, 40], [5, 24], [4, 12], [3, 9], [2, 6], [1, 4], [0, 5]]);
        if (random.chance(0.6)) comment = random.pick(COMMENTS.detractor[touchpoint]);
      }
      drafts.push({
        day,
        order: drafts.length,
        record: { customer_id: customer.id, responded_on: toIso(day), score, touchpoint, comment },
      });
    }
  }
  drafts.sort((a, b) => a.day - b.day || a.order - b.order);
  return drafts.map((d, i) => ({ response_id: `R-${String(i + 1).padStart(6, '0')}`, ...d.record }));
}

function spotFixCost(
  random: Random,
  category: SpotFixCategory,
  issue: IssueSpec,
  customer: SimCustomer,
): { cents: number; note: string } {
  const big = customer.segment.name !== 'Small business';
  switch (category) {
    case 'meeting': {
      const people = random.int(2, 4) + (customer.segment.name === 'Enterprise' ? 2 : 0);
      const hours = random.pick([0.5, 1, 1, 1.5, 2]);
      const rate = random.pick([120, 150, 180]);
      return { cents: Math.round(people * hours * rate * 100), note: `${random.pick(NOTES.meeting)} (${people} people, ${hours} h)` };
    }
    case 'free_offering': {
      if (issue.label === 'Router dropouts' || (issue.stage === 'usage' && random.chance(0.3))) {
        return { cents: random.pick([18900, 24900]), note: 'Replacement router sent free of charge' };
      }
      if (issue.stage === 'delivery' && random.chance(0.4)) {
        const fee = customer.segment.name === 'Enterprise' ? 250000 : big ? 89900 : 29900;
        return { cents: fee, note: 'Installation fee waived' };
      }
      if (random.chance(0.25)) {
        return { cents: Math.round(customer.valueCents * 0.25) * 3, note: 'Free speed upgrade for three months' };
      }
      if (big) {
        // Large accounts get a partial credit on the invoice, not a free month.
        const percent = random.pick([10, 15, 20, 25, 30]);
        return { cents: Math.round((customer.valueCents * percent) / 100), note: `${percent}% of this month's invoice credited` };
      }
      const months = random.chance(0.75) ? 1 : 2;
      return { cents: customer.valueCents * months, note: months === 1 ? "One month's service credited" : "Two months' service credited" };
    }
    case 'discount': {
      const percent = customer.segment.name === 'Enterprise' ? random.pick([3, 5, 8]) : random.pick([10, 15, 20, 25]);
      const months = random.pick([3, 6, 6, 12]);
      return {
        cents: Math.round((customer.valueCents * percent * months) / 100),
        note: `${random.pick(NOTES.discount)}: ${percent}% off for ${months} months`,
      };
    }
    case 'staff_time': {
      const hours = random.int(1, 10) * (big ? 2 : 1);
      const rate = random.pick([68, 68, 95]);
      return { cents: hours * rate * 100 + (rate === 95 ? 4500 : 0), note: `${random.pick(NOTES.staff_time)}, ${hours} h` };
    }
    case 'pr_recovery':
      return { cents: random.int(4, 26) * 25000, note: random.pick(NOTES.pr_recovery) };
    case 'other': {
      const note = random.pick(NOTES.other);
      const cents = note.startsWith('Courier') ? random.int(35, 90) * 100 : note.startsWith('Hired') ? random.int(12, 48) * 1000 : random.int(60, 150) * 100;
      return { cents, note };
    }
  }
}

function oneOffIssue(random: Random): IssueSpec {
  const template = random.pick(ONE_OFF_ISSUES);
  const label = template.label
    .replace('{place}', random.pick(NAME_PARTS.places))
    .replace('{ref}', String(random.int(10_000, 99_999)));
  return { ...template, label, weight: 0 };
}

/** Other ways people write an issue's label: all name the same issue. */
function labelVariants(label: string): string[] {
  const lower = label.toLowerCase();
  const title = label.replace(/\b\w/g, (ch) => ch.toUpperCase());
  return [lower, label.replace(' ', '  '), `${label} `, title, ` ${lower.replace(' ', '  ')}`].filter((v) => v !== label);
}

function generateSpotFixes(
  random: Random,
  months: Month[],
  customers: SimCustomer[],
  fixedOn: Map<IssueSpec, number>,
): SpotFixRecord[] {
  type Draft = { day: number; order: number; issue: IssueSpec; cameBack: boolean; record: Omit<SpotFixRecord, 'spot_fix_id' | 'issue'> };
  const drafts: Draft[] = [];
  const surgeFactor = (issue: IssueSpec, month: Month) => {
    if (!issue.surge || month.ago > issue.surge.monthsAgo) return 1;
    return month.ago === issue.surge.monthsAgo ? (1 + issue.surge.factor) / 2 : issue.surge.factor;
  };
  const draft = (month: Month, pools: ReturnType<typeof monthPools>, day: number, issue: IssueSpec, cameBack = false) => {
    const customer =
      (issue.recentCustomer ? pickCustomer(random, pools.recent, day, (c) => day - c.acquired <= 60) : null) ??
      // Bigger accounts get more of the firefighting.
      pickCustomer(random, pools.all, day, (c) => c.segment.name !== 'Small business' || random.chance(0.55)) ??
      anyActive(random, pools.all, day);
    const category = random.weighted(issue.categories);
    const { cents, note } = spotFixCost(random, category, issue, customer);
    drafts.push({
      day,
      order: drafts.length,
      issue,
      cameBack,
      record: {
        occurred_on: toIso(day),
        category,
        cost: formatCents(cents),
        customer_id: customer.id,
        journey_stage: issue.stage,
        note: cameBack ? `Came back after the fix: ${note.charAt(0).toLowerCase()}${note.slice(1)}` : random.chance(0.12) ? null : note,
      },
    });
  };

  for (const month of months) {
    const pools = monthPools(customers, month);
    const weightsOn = (day: number) =>
      ISSUES.filter((issue) => !(fixedOn.has(issue) && day > fixedOn.get(issue)!)).map(
        (issue) => [issue, issue.weight * surgeFactor(issue, month)] as const,
      );
    const base = 38 + 0.45 * (HISTORY_MONTHS - month.ago);
    const lift = ISSUES.reduce((sum, issue) => sum + issue.weight * (surgeFactor(issue, month) - 1), 0);
    const totalWeight = ISSUES.reduce((sum, issue) => sum + issue.weight, 0);
    const count = Math.round(base * (1 + lift / totalWeight) * (1 + 0.1 * random.gaussian()) * month.elapsed);
    for (let i = 0; i < count; i++) {
      const day = random.int(month.start, month.end);
      draft(month, pools, day, random.chance(0.07) ? oneOffIssue(random) : random.weighted(weightsOn(day)));
    }
    for (const issue of ISSUES) {
      for (const back of issue.fixed?.cameBack ?? []) {
        const day = month.start + back.day - 1;
        if (back.monthsAgo === month.ago && day <= month.end) draft(month, pools, day, issue, true);
      }
    }
  }

  drafts.sort((a, b) => a.day - b.day || a.order - b.order);
  const seen = new Set<IssueSpec>();
  return drafts.map((d, i) => {
    // The first time an issue is logged it is written the usual way; later, people vary.
    const issue = seen.has(d.issue) && random.chance(0.07) ? random.pick(labelVariants(d.issue.label)) : d.issue.label;
    seen.add(d.issue);
    return { spot_fix_id: `SF-${String(i + 1).padStart(5, '0')}`, issue, ...d.record };
  });
}

export function generateDemoData(options: { today: string; seed: number }): DemoData {
  const random = createRandom(options.seed);
  const months = buildMonths(options.today);
  const current = months[months.length - 1];
  const fixedOn = new Map<IssueSpec, number>();
  for (const issue of ISSUES) {
    if (!issue.fixed) continue;
    const month = months[months.length - 1 - issue.fixed.monthsAgo];
    fixedOn.set(issue, month.start + issue.fixed.day - 1);
  }
  if (current.start > current.end) throw new Error('demo data: today is before the current month');

  const simulated = generateCustomers(random, months);
  const responses = generateResponses(random, months, simulated);
  const spotFixes = generateSpotFixes(random, months, simulated, fixedOn);
  const customers: CustomerRecord[] = simulated.map((c) => ({
    customer_id: c.id,
    name: c.name,
    segment: c.segment.name,
    acquired_on: toIso(c.acquired),
    churned_on: c.churned === null ? null : toIso(c.churned),
    monthly_value: formatCents(c.valueCents),
    churn_reason: c.reason,
  }));
  const issues: DemoIssue[] = ISSUES.filter((issue) => issue.owner || issue.fixed).map((issue) => ({
    key: issueKey(issue.label),
    label: issue.label,
    owner: issue.owner ?? null,
    estimatedFixCost: issue.estimatedFixCost ?? null,
    fixedOn: fixedOn.has(issue) ? toIso(fixedOn.get(issue)!) : null,
  }));
  return { customers, responses, spotFixes, issues };
}
