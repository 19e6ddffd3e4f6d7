import type { Db } from '@/lib/db';
import { hashPasswordToken, type IssuedPasswordToken } from '@/lib/auth/password-tokens';
import { enqueueMessage } from '@/lib/data/outbox';
import { deliverNow } from './deliver';
import { passwordLinkMail } from './messages';

/**
 * Queues the invite or reset email for a link just issued (the copyable link stays the fallback).
 * Keyed by the token's hash: one message per link, however often this is called.
 */
export async function queuePasswordLinkMail(
  db: Db,
  person: { name: string; email: string },
  link: IssuedPasswordToken,
): Promise<number | null> {
  return enqueueMessage(db, {
    idempotencyKey: `password-link:${hashPasswordToken(link.token)}`,
    kind: link.purpose,
    to: { name: person.name, email: person.email },
    mail: passwordLinkMail(person.name, link.purpose, link.expiresAt),
    secret: link.token,
  });
}

/**
 * Queues the email for a link just issued and tries to send it at once; a failure leaves it
 * in the outbox for the next delivery run. Returns a sentence for the admin's confirmation.
 */
export async function emailPasswordLink(db: Db, person: { name: string; email: string }, link: IssuedPasswordToken): Promise<string> {
  try {
    const id = await queuePasswordLinkMail(db, person, link);
    if (id === null) return '';
    const result = await deliverNow(db, [id]);
    if (result.sent) return ` It has also been emailed to ${person.email}.`;
    if (result.failed) return ` Emailing it to ${person.email} failed for now (the outbox retries it); copy the link meanwhile.`;
    return ' No mail server is configured, so it was not emailed: copy it.';
  } catch (error) {
    console.error(`Could not email the password link: ${error instanceof Error ? error.message : String(error)}`);
    return ' It could not be emailed: copy it.';
  }
}
