import type { Db } from '@/lib/db';
import { hashPasswordToken, type IssuedPasswordToken } from '@/lib/auth/password-tokens';
import { enqueueMessage } from '@/lib/data/outbox';
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
