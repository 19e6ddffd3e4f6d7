import type { Metadata } from 'next';
import Link from 'next/link';
import { getDb } from '@/lib/db';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { listBoardMeetings, MEETING_STAGE_LABELS, meetingStage } from '@/lib/data/board-meetings';
import { formatDateTime, formatPeriodLabel } from '@/lib/format';
import { latestCompleteMonth } from '@/lib/metrics/period';
import {
  DEFAULT_MEETING_SNAPSHOT_EXPIRY_DAYS,
  DEFAULT_REMINDER_LEAD_DAYS,
  DEFAULT_SNAPSHOT_SEND_TIME,
} from '@/lib/validation/board-meetings';
import { AdminRefusal } from '@/app/ui/admin/admin-refusal';
import adminStyles from '@/app/ui/admin/admin.module.css';
import { MeetingForm } from '@/app/ui/meetings/meeting-form';

export const metadata: Metadata = { title: 'Board meetings' };

export default async function BoardMeetingsPage() {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return <AdminRefusal />;
  const now = new Date();
  const meetings = await listBoardMeetings(await getDb(), me);
  const inTwoWeeks = new Date(now.getTime() + 14 * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);

  return (
    <main className="page">
      <header className="page-header">
        <div>
          <h1>Board meetings</h1>
          <p className={`muted ${adminStyles.lede}`}>
            Before each meeting, owners of at-risk and off-track metrics are reminded to explain them; on the day, the
            board gets the frozen scorecard by email.
          </p>
        </div>
      </header>
      <div className={adminStyles.grid}>
        <section className="card table-wrap" aria-labelledby="meetings-heading">
          <h2 id="meetings-heading" style={{ padding: '18px 20px 0' }}>
            Meetings
          </h2>
          {meetings.length === 0 ? (
            <p className="muted" style={{ padding: '0 20px 20px', margin: 0 }}>
              No meetings yet.
            </p>
          ) : (
            <table className="data-table cards-on-phone" data-testid="meeting-table">
              <thead>
                <tr>
                  <th scope="col">Meeting</th>
                  <th scope="col">Reviews</th>
                  <th scope="col">Recipients</th>
                  <th scope="col">State</th>
                </tr>
              </thead>
              <tbody>
                {meetings.map((m) => (
                  <tr key={m.id} className={m.cancelledAt ? 'muted-row' : undefined}>
                    <td className={adminStyles.name}>
                      <Link href={`/admin/meetings/${m.id}`}>{m.title}</Link>
                      <span className="subline">{formatDateTime(m.startsAt)}</span>
                    </td>
                    <td>{formatPeriodLabel(m.period)}</td>
                    <td className="num">{m.recipients.length}</td>
                    <td>{MEETING_STAGE_LABELS[meetingStage(m, now)]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <section className="card" aria-labelledby="new-meeting-heading">
          <h2 id="new-meeting-heading">Schedule a meeting</h2>
          <MeetingForm
            initial={{
              title: '',
              period: latestCompleteMonth(now).label,
              date: inTwoWeeks,
              time: '09:00',
              snapshotTime: DEFAULT_SNAPSHOT_SEND_TIME,
              reminderLeadDays: String(DEFAULT_REMINDER_LEAD_DAYS),
              snapshotExpiresInDays: String(DEFAULT_MEETING_SNAPSHOT_EXPIRY_DAYS),
              recipients: '',
              hasPasscode: false,
            }}
          />
        </section>
      </div>
    </main>
  );
}
