import type { Metadata } from 'next';
import { getDb } from '@/lib/db';
import { can } from '@/lib/auth/permissions';
import { requireExecutive } from '@/lib/auth/session';
import { countOutboxByState, listOutbox } from '@/lib/data/outbox';
import { OUTBOX_STATES } from '@/lib/db/schema';
import { AdminRefusal } from '@/app/ui/admin/admin-refusal';
import adminStyles from '@/app/ui/admin/admin.module.css';
import { OUTBOX_KIND_LABELS, OUTBOX_STATE_LABELS } from '@/app/ui/meetings/labels';
import { RetryMessageForm } from '@/app/ui/meetings/small-forms';
import { formatDateTime } from '@/lib/format';

export const metadata: Metadata = { title: 'Outbox' };

const PILL: Record<string, string | undefined> = {
  sent: adminStyles.pillActive,
  failed: adminStyles.pillInactive,
  queued: adminStyles.pillPending,
  sending: adminStyles.pillPending,
};

export default async function OutboxPage() {
  const me = await requireExecutive();
  if (!can(me, 'administer')) return <AdminRefusal />;
  const db = await getDb();
  const [messages, counts] = await Promise.all([listOutbox(db, me, { limit: 200 }), countOutboxByState(db, me)]);
  const mailConfigured = Boolean(process.env.SMTP_URL?.trim());

  return (
    <main className="page">
      <header className="page-header">
        <div>
          <h1>Outbox</h1>
          <p className={`muted ${adminStyles.lede}`}>
            Every email the scorecard sends: reminders, readiness summaries, snapshot links, alerts, invites and password
            resets. A failed message is retried with growing pauses; links and passcodes are withheld here.
          </p>
        </div>
      </header>
      {mailConfigured ? null : (
        <div className="card" role="note" style={{ marginBottom: 24 }} data-testid="no-smtp">
          <p style={{ margin: 0 }}>
            <strong>No mail server is configured</strong> (<code>SMTP_URL</code>): nothing is sent. The messages below
            marked “Not sent” are what would have gone out; retry them once a mail server is set.
          </p>
        </div>
      )}
      <p className="muted" data-testid="outbox-counts">
        {OUTBOX_STATES.filter((s) => counts[s]).map((s) => `${OUTBOX_STATE_LABELS[s]}: ${counts[s]}`).join(' · ') || 'No messages yet.'}
      </p>
      <section className="card table-wrap" aria-labelledby="outbox-heading">
        <h2 id="outbox-heading" className="visually-hidden">
          Messages
        </h2>
        <table className="data-table cards-on-phone" data-testid="outbox-table">
          <thead>
            <tr>
              <th scope="col">Message</th>
              <th scope="col">To</th>
              <th scope="col">State</th>
              <th scope="col" className="num">
                Attempts
              </th>
              <th scope="col">
                <span className="visually-hidden">Retry</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {messages.map((m) => (
              <tr key={m.id} data-state={m.state} data-kind={m.kind}>
                <td>
                  <span className={adminStyles.name}>{m.subject}</span>
                  <span className="subline">
                    {OUTBOX_KIND_LABELS[m.kind]} · queued {formatDateTime(m.createdAt)}
                  </span>
                  <details>
                    <summary>Text</summary>
                    <pre style={{ whiteSpace: 'pre-wrap', fontSize: '0.8rem', margin: '6px 0 0' }}>{m.textPreview}</pre>
                  </details>
                </td>
                <td>
                  {m.toName ?? m.toEmail}
                  {m.toName ? <span className="subline">{m.toEmail}</span> : null}
                </td>
                <td>
                  <span className={`${adminStyles.pill} ${PILL[m.state] ?? ''}`}>{OUTBOX_STATE_LABELS[m.state]}</span>
                  {m.sentAt ? <span className="subline">{formatDateTime(m.sentAt)}</span> : null}
                  {m.state !== 'sent' && m.lastError ? <span className="subline">{m.lastError}</span> : null}
                  {m.state === 'failed' && m.nextAttemptAt ? <span className="subline">Next try {formatDateTime(m.nextAttemptAt)}</span> : null}
                </td>
                <td className="num">{m.attempts}</td>
                <td>{m.state === 'failed' || m.state === 'unsent' ? <RetryMessageForm id={m.id} label={m.subject} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}
