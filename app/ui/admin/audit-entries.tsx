import { diffAuditValues, type AuditDiffLine, type AuditEntryView } from '@/lib/data/audit-log';
import { describeAuditField, formatDateTime } from '@/lib/format';
import styles from './admin.module.css';

const KIND_LABELS: Record<AuditDiffLine['kind'], string> = { added: 'added', removed: 'removed', changed: 'changed', same: 'unchanged' };

function Diff({ entity, entityId, before, after }: { entity: string; entityId: string | null; before: unknown; after: unknown }) {
  const { lines, truncated } = diffAuditValues(before, after);
  if (lines.length === 0) return <p className="muted" style={{ margin: 0 }}>No details recorded.</p>;
  return (
    <>
      <table className={styles.diff}>
        <colgroup>
          <col />
          <col />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <th scope="col">Before</th>
            <th scope="col">After</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((line) => (
            <tr key={line.path} className={line.kind === 'same' ? styles.diffSame : undefined}>
              <th scope="row" title={`${line.path} (${KIND_LABELS[line.kind]})`}>
                {describeAuditField(entity, entityId, line.path, null).label}
              </th>
              <td className={line.kind === 'changed' || line.kind === 'removed' ? styles.diffBefore : undefined}>
                {line.kind === 'added' ? <span className="muted">—</span> : describeAuditField(entity, entityId, line.path, line.before).value}
              </td>
              <td className={line.kind === 'changed' || line.kind === 'added' ? styles.diffAfter : undefined}>
                {line.kind === 'removed' ? <span className="muted">—</span> : describeAuditField(entity, entityId, line.path, line.after).value}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {truncated > 0 ? <p className="muted">… and {truncated} more fields</p> : null}
    </>
  );
}

export function AuditEntries({ entries }: { entries: AuditEntryView[] }) {
  if (entries.length === 0) return <p className="muted">No entries match these filters.</p>;
  return (
    <ol style={{ listStyle: 'none', margin: 0, padding: 0 }} data-testid="audit-entries">
      {entries.map((entry) => (
        <li key={entry.id} className={styles.entry}>
          <div className={styles.entryMeta}>
            <time dateTime={new Date(entry.at).toISOString()}>{formatDateTime(entry.at)}</time>
            <span>
              by <strong style={{ color: 'var(--text)' }}>{entry.actorLabel}</strong>
              {entry.actorName && entry.actorName !== entry.actorLabel ? ` (now ${entry.actorName})` : null}
            </span>
            <span className={styles.code}>#{entry.id}</span>
          </div>
          <div>
            <p className={styles.entryTitle}>
              <span className={styles.pill}>{entry.action}</span>{' '}
              <span className={styles.code}>
                {entry.entity}
                {entry.entityId ? ` ${entry.entityId}` : ''}
              </span>
            </p>
            <Diff entity={entry.entity} entityId={entry.entityId} before={entry.before} after={entry.after} />
          </div>
        </li>
      ))}
    </ol>
  );
}
