import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getDb } from '@/lib/db';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { parseRowId } from '@/lib/validation/ids';
import { getBoardMeeting, getReadiness, MEETING_STAGE_LABELS, meetingStage } from '@/lib/data/board-meetings';
import { listOutbox } from '@/lib/data/outbox';
import { formatDateTime, formatPeriodLabel } from '@/lib/format';
import { formatRecipients } from '@/lib/validation/board-meetings';
import { AdminRefusal } from '@/app/ui/admin/admin-refusal';
import adminStyles from '@/app/ui/admin/admin.module.css';
import { MeetingForm } from '@/app/ui/meetings/meeting-form';
import { ReadinessTable } from '@/app/ui/meetings/readiness-table';
import { CancelMeetingForm } from '@/app/ui/meetings/small-forms';
import { OUTBOX_KIND_LABELS, OUTBOX_STATE_LABELS } from '@/app/ui/meetings/labels';

export const metadata: Metadata = { title: 'Board meeting' };

export default async function BoardMeetingPage({ params }: { params: Promise<{ id: string }> }) {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return <AdminRefusal />;
  const id = parseRowId((await params).id) ?? notFound();
  const db = await getDb();
  const meeting = await getBoardMeeting(db, me, id);
  if (!meeting) notFound();
  const now = new Date();
  const [readiness, messages] = await Promise.all([getReadiness(db, meeting.period, now), listOutbox(db, me, { meetingId: id })]);
  const periodName = formatPeriodLabel(meeting.period);
  const stage = meetingStage(meeting, now);
  const missing = readiness.metrics.filter((m) => m.needsExplaining && !m.hasCommentary);
  const iso = meeting.startsAt.toISOString();

  return (
    <main className="page">
      <header className="page-header">
        <div>
          <p className="muted" style={{ margin: 0 }}>
            <Link href="/admin/meetings">Board meetings</Link>
          </p>
          <h1>{meeting.title}</h1>
          <p className={`muted ${adminStyles.lede}`}>
            {formatDateTime(meeting.startsAt)} · reviews {periodName} · {MEETING_STAGE_LABELS[stage]}
          </p>
        </div>
      </header>
      <section className="card table-wrap" aria-labelledby="readiness-heading">
        <h2 id="readiness-heading" style={{ padding: '18px 20px 0' }}>
          Readiness for {periodName}
        </h2>
        <p style={{ padding: '0 20px', margin: 0 }} data-testid="readiness-summary">
          {missing.length === 0
            ? 'Every metric that needs explaining has its commentary.'
            : `Waiting for commentary on ${missing.map((m) => `${m.name} (${m.owner?.name ?? 'no owner'})`).join(', ')}.`}
        </p>
        <ReadinessTable metrics={readiness.metrics} periodName={periodName} />
      </section>
      <div className={adminStyles.grid} style={{ marginTop: 24 }}>
        <section className="card" aria-labelledby="edit-heading">
          <h2 id="edit-heading">Meeting details</h2>
          <ul className="muted" style={{ margin: 0, paddingLeft: 18 }}>
            <li>Owners are reminded from {formatDateTime(meeting.remindersFrom)}.</li>
            <li>
              The snapshot is frozen and sent at {formatDateTime(meeting.snapshotSendAt)}; its link lasts {meeting.snapshotExpiresInDays} days
              {meeting.hasPasscode ? ' and asks for a passcode (sent separately)' : ''}.
            </li>
          </ul>
          <MeetingForm
            locked={stage === 'snapshot-sent' || stage === 'cancelled' ? 'This meeting can no longer change.' : undefined}
            initial={{
              id: meeting.id,
              title: meeting.title,
              period: meeting.period,
              date: iso.slice(0, 10),
              time: iso.slice(11, 16),
              snapshotTime: meeting.snapshotSendAt.toISOString().slice(11, 16),
              reminderLeadDays: String(meeting.reminderLeadDays),
              snapshotExpiresInDays: String(meeting.snapshotExpiresInDays),
              recipients: formatRecipients(meeting.recipients),
              hasPasscode: meeting.hasPasscode,
            }}
          />
          {stage === 'scheduled' || stage === 'reminding' ? <CancelMeetingForm id={meeting.id} /> : null}
        </section>
        <section className="card" aria-labelledby="messages-heading">
          <h2 id="messages-heading">Messages</h2>
          {messages.length === 0 ? (
            <p className="muted" style={{ margin: 0 }}>
              Nothing queued yet: the delivery run queues reminders from {formatDateTime(meeting.remindersFrom)}.
            </p>
          ) : (
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {messages.map((m) => (
                <li key={m.id}>
                  {OUTBOX_KIND_LABELS[m.kind]} to {m.toName ?? m.toEmail}: {OUTBOX_STATE_LABELS[m.state]}
                </li>
              ))}
            </ul>
          )}
          <p style={{ margin: 0 }}>
            <Link href="/admin/outbox">Open the outbox</Link>
          </p>
        </section>
      </div>
    </main>
  );
}
