import type { Queryable } from '@/lib/db';
import { formatCount, formatGroupLabel, formatMoney, formatMultiple, formatPercent, formatScore } from '@/lib/format';
import {
  detractorChurnMultiple,
  type ChurnAfterResponse,
  type JourneyTouchpoint,
  type ValueAtRisk,
} from '@/lib/metrics/journey';
import { issueKey } from '@/lib/metrics/issue-key';
import type { Period } from '@/lib/metrics/period';
import { getChurnAfterResponse, getValueAtRisk, listJourneyStages, listJourneyTouchpoints, type JourneyStageWithOwners } from './journey';
import { readIssuesFingerprint } from './drilldowns';
import { getOrganisation } from './organisation';
import { cachedView, readDataFingerprint } from '@/lib/data/view-cache';

/**
 * The journey page's view model: figures formatted (lib/format), labels made readable, links
 * built, chart points prepared. Components only lay it out.
 */
export const NO_STAGE = 'No stage recorded';
export const NO_TOUCHPOINT = 'No touchpoint recorded';

/** The path segment of "no stage": upper case, so no compared (lower-case) label can ever be it. */
export const NO_STAGE_SEGMENT = 'NO-STAGE';

export function stagePath(stage: string | null): string {
  return `/journey/${stage === null ? NO_STAGE_SEGMENT : encodeURIComponent(stage)}`;
}

export function stageHref(periodLabel: string, stage: string | null): string {
  return `${stagePath(stage)}?period=${encodeURIComponent(periodLabel)}`;
}

/** The stage a path segment (already decoded) names: the compared label, or null for fixes without one. */
export function stageFromSegment(segment: string): string | null {
  if (segment === NO_STAGE_SEGMENT) return null;
  const key = issueKey(segment);
  return key === '' ? null : key;
}

export interface StageRowView {
  key: string;
  name: string;
  href: string;
  costText: string;
  countText: string;
  repeatCostText: string;
  repeatShareText: string;
  topIssues: Array<{ key: string; name: string; costText: string; ownerText: string; hasOwner: boolean }>;
}

export interface TouchpointRowView {
  key: string;
  name: string;
  responsesText: string;
  detractorsText: string;
  detractorShareText: string;
  npsText: string;
}

export interface ValueAtRiskView {
  customersText: string;
  monthlyValueText: string;
  /** "31 customers, $12,345.67 a month" */
  summary: string;
}

export interface ForetellsView {
  /** "Detractors left at 6× the rate of promoters", or null without the evidence for it. */
  headline: string | null;
  rates: Array<{ name: string; rateText: string }>;
}

export interface JourneyView {
  currency: string;
  organisationName: string;
  stages: StageRowView[];
  stageChart: Array<{ name: string; repeat: number; firstTime: number }>;
  touchpoints: TouchpointRowView[];
  touchpointChart: Array<{ name: string; share: number | null }>;
  valueAtRisk: ValueAtRiskView;
  foretells: ForetellsView;
}

export function valueAtRiskView(value: ValueAtRisk, currency: string): ValueAtRiskView {
  const customersText = formatCount(value.customers);
  const monthlyValueText = formatMoney(value.monthlyValue, currency);
  const noun = value.customers === 1 ? 'customer' : 'customers';
  return { customersText, monthlyValueText, summary: `${customersText} ${noun}, ${monthlyValueText} a month` };
}

export function foretellsView(churn: ChurnAfterResponse): ForetellsView {
  const multiple = detractorChurnMultiple(churn);
  return {
    headline: multiple === null ? null : `Detractors left at ${formatMultiple(multiple)} the rate of promoters`,
    rates: [
      { name: 'Detractors', rateText: formatPercent(churn.detractor) },
      { name: 'Passives', rateText: formatPercent(churn.passive) },
      { name: 'Promoters', rateText: formatPercent(churn.promoter) },
    ],
  };
}

function stageRows(stages: JourneyStageWithOwners[], period: Period, currency: string): StageRowView[] {
  return stages.map((stage) => ({
    key: stage.stage ?? '',
    name: formatGroupLabel(stage.stage, NO_STAGE),
    href: stageHref(period.label, stage.stage),
    costText: formatMoney(stage.cost, currency),
    countText: `${formatCount(stage.count)} spot ${stage.count === 1 ? 'fix' : 'fixes'}`,
    repeatCostText: formatMoney(stage.repeatCost, currency),
    repeatShareText: formatPercent(stage.repeatShare),
    topIssues: stage.topIssues.map((issue) => ({
      key: issue.issue,
      name: issue.label,
      costText: formatMoney(issue.cost, currency),
      ownerText: issue.owner ? `Accountable: ${issue.owner.name}` : 'Nobody accountable yet',
      hasOwner: issue.owner !== null,
    })),
  }));
}

function touchpointRows(touchpoints: JourneyTouchpoint[]): TouchpointRowView[] {
  return touchpoints.map((tp) => ({
    key: tp.touchpoint ?? '',
    name: formatGroupLabel(tp.touchpoint, NO_TOUCHPOINT),
    responsesText: formatCount(tp.responses),
    detractorsText: formatCount(tp.detractors),
    detractorShareText: formatPercent(tp.detractorShare),
    npsText: formatScore(tp.nps),
  }));
}

export async function getJourneyView(db: Queryable, period: Period): Promise<JourneyView> {
  const organisation = await getOrganisation(db);
  const stages = await listJourneyStages(db, period);
  const touchpoints = await listJourneyTouchpoints(db, period);
  const valueAtRisk = await getValueAtRisk(db, period);
  const churn = await getChurnAfterResponse(db, period);
  const currency = organisation.currency;
  return {
    currency,
    organisationName: organisation.name,
    stages: stageRows(stages, period, currency),
    // Chart geometry only: the exact money is in the list beside it.
    stageChart: stages.map((stage) => ({
      name: formatGroupLabel(stage.stage, 'No stage'),
      repeat: Number(stage.repeatCost),
      firstTime: Number(stage.cost) - Number(stage.repeatCost),
    })),
    touchpoints: touchpointRows(touchpoints),
    touchpointChart: touchpoints.map((tp) => ({ name: formatGroupLabel(tp.touchpoint, 'None'), share: tp.detractorShare })),
    valueAtRisk: valueAtRiskView(valueAtRisk, currency),
    foretells: foretellsView(churn),
  };
}

/**
 * The view once per period and data version (and issue owners, whose names it shows): the
 * 12-month figures read a year of responses, so a page view should not pay for them again.
 */
export async function getCachedJourneyView(db: Queryable, period: Period): Promise<JourneyView> {
  const [data, issues] = [await readDataFingerprint(db, period.label), await readIssuesFingerprint(db)];
  return cachedView(`journey:${period.label}`, `${data.key}|${issues}`, () => getJourneyView(db, period));
}
