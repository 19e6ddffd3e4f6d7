import { formatDateTime, formatPeriodLabel, statusLabel, type StatusKey } from '@/lib/format';
import type { BoardMeetingDto, MeetingReadiness, MetricReadiness } from '@/lib/data/board-meetings';
import { appUrl } from './links';
import { renderMail, SECRET_PLACEHOLDER, type RenderedMail } from './render';

/** Every message the product sends, as plain text and HTML from one description each. */
const when = (date: Date) => formatDateTime(date, { long: true });
const status = (s: string) => statusLabel(s as StatusKey) ?? s;
const metricLink = (key: string, period: string) => appUrl(`/metrics/${key}?period=${encodeURIComponent(period)}`);

export function reminderMail(meeting: BoardMeetingDto, metric: MetricReadiness, ownerName: string): RenderedMail {
  const period = formatPeriodLabel(meeting.period);
  return renderMail({
    subject: `Before the board meets: explain ${metric.name} for ${period}`,
    greeting: `Hello ${ownerName},`,
    paragraphs: [
      `The board meets on ${when(meeting.startsAt)} ("${meeting.title}") and reviews ${period}.`,
      `${metric.name}, which you own, is ${status(metric.status).toLowerCase()} for ${period} and has no commentary yet. ` +
        'Please write a few lines before the meeting: what happened, why, and what you are doing about it.',
    ],
    facts: [
      ['Metric', metric.name],
      ['Status', status(metric.status)],
      [period, metric.figure],
      ['Target', metric.target],
    ],
    action: { label: 'Write the commentary', url: metricLink(metric.key, meeting.period) },
  });
}

export function readinessMail(meeting: BoardMeetingDto, readiness: MeetingReadiness, adminName: string): RenderedMail {
  const period = formatPeriodLabel(meeting.period);
  const lines = readiness.metrics.map((m) => {
    const owner = m.owner?.name ?? 'no owner';
    const written = m.hasCommentary ? 'commentary written' : m.needsExplaining ? 'NO commentary yet (reminded)' : 'no commentary';
    const actions = m.openActions ? `; ${m.openActions} open action${m.openActions === 1 ? '' : 's'}${m.overdueActions ? `, ${m.overdueActions} overdue` : ''}` : '';
    return `${m.name}: ${status(m.status)} (${m.figure}) — ${owner}, ${written}${actions}`;
  });
  const missing = readiness.metrics.filter((m) => m.needsExplaining && !m.hasCommentary).length;
  return renderMail({
    subject: `Board meeting readiness: ${meeting.title}`,
    greeting: `Hello ${adminName},`,
    paragraphs: [
      `The board meets on ${when(meeting.startsAt)} and reviews ${period}.`,
      missing === 0
        ? 'Every metric that needs explaining has its commentary.'
        : `${missing} metric${missing === 1 ? ' needs' : 's need'} explaining and ${missing === 1 ? 'has' : 'have'} no commentary yet; the owners have been reminded.`,
    ],
    list: lines,
    action: { label: 'Open the meeting', url: appUrl(`/admin/meetings/${meeting.id}`) },
  });
}

export function snapshotMail(meeting: BoardMeetingDto, recipientName: string, expiresAt: Date): RenderedMail {
  const period = formatPeriodLabel(meeting.period);
  return renderMail({
    subject: `${meeting.title}: the scorecard for ${period}`,
    greeting: `Hello ${recipientName},`,
    paragraphs: [
      `For today's board meeting (${when(meeting.startsAt)}), here is the customer-experience scorecard for ${period}, frozen today: ` +
        'each number, its verdict, its accountable owner and their commentary.',
      meeting.hasPasscode ? 'The link asks for a passcode, which comes in a separate message.' : 'The link opens without signing in; please do not forward it.',
    ],
    facts: [['Link works until', when(expiresAt)]],
    action: { label: 'Open the scorecard', url: appUrl(`/s/${SECRET_PLACEHOLDER}`) },
  });
}

export function passcodeMail(meeting: BoardMeetingDto, recipientName: string): RenderedMail {
  return renderMail({
    subject: `${meeting.title}: passcode for the scorecard link`,
    greeting: `Hello ${recipientName},`,
    paragraphs: [`The scorecard link for "${meeting.title}" came in a separate message. It asks for this passcode:`, SECRET_PLACEHOLDER],
  });
}

export function alertMail(metric: MetricReadiness, period: string, ownerName: string): RenderedMail {
  const label = formatPeriodLabel(period);
  return renderMail({
    subject: `${metric.name} is now ${status(metric.status).toLowerCase()} for ${label}`,
    greeting: `Hello ${ownerName},`,
    paragraphs: [
      `New data has moved ${metric.name}, which you own, to ${status(metric.status).toLowerCase()} for ${label}.`,
      'The board will ask about it: a few lines of commentary now save a scramble before the next meeting.',
    ],
    facts: [
      [label, metric.figure],
      ['Target', metric.target],
    ],
    action: { label: 'See the metric', url: metricLink(metric.key, period) },
  });
}

export function passwordLinkMail(name: string, purpose: 'invite' | 'reset', expiresAt: Date): RenderedMail {
  const invite = purpose === 'invite';
  return renderMail({
    subject: invite ? 'You have been added to the CX Scorecard' : 'Set a new password for the CX Scorecard',
    greeting: `Hello ${name},`,
    paragraphs: [
      invite
        ? 'An admin has added you to your company’s customer-experience scorecard. Choose a password to sign in.'
        : 'An admin has issued you a link to set a new password. If you did not ask for it, tell your admin.',
      `The link works once, until ${when(expiresAt)}.`,
    ],
    action: { label: invite ? 'Choose a password' : 'Set a new password', url: appUrl(`/set-password/${SECRET_PLACEHOLDER}`) },
  });
}
