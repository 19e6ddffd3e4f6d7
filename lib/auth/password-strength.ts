import { randomBytes } from 'node:crypto';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEnglish from '@zxcvbn-ts/language-en';

/**
 * Whether a new password is strong enough, judged by zxcvbn (its dictionaries hold the common and
 * breached-list passwords, names and words) plus one rule of ours: no part of the person's email
 * or of the organisation's name. Returns the reason in plain words, or null when it will do.
 */
export const MIN_PASSWORD_SCORE = 3;

export class WeakPasswordError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'WeakPasswordError';
  }
}

// Building the ranked dictionaries takes most of a second: once per process, on first use.
let estimator: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  return (estimator ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEnglish.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: zxcvbnEnglish.translations,
  }));
}

// Words in many organisations' names that say nothing about this one (and the default "Your company").
const GENERIC_NAME_WORDS = new Set(['your', 'company', 'group', 'holdings', 'limited', 'corporation', 'international', 'services', 'solutions']);

const letters = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

export interface PasswordOwner {
  email: string;
  organisationName?: string | null;
}

export function passwordWeakness(password: string, owner: PasswordOwner): string | null {
  const plain = letters(password);
  const localPart = owner.email.split('@')[0] ?? '';
  const emailParts = [localPart, ...localPart.split(/[._+-]/).filter((part) => part.length >= 4)].map(letters).filter((p) => p.length >= 3);
  if (emailParts.some((part) => plain.includes(part))) return 'Do not use your email address in your password.';

  const name = owner.organisationName?.trim() ?? '';
  const nameWords = name.split(/\s+/).map(letters).filter((word) => word.length >= 4 && !GENERIC_NAME_WORDS.has(word));
  if (nameWords.some((word) => plain.includes(word))) return `Do not use the organisation's name (${name}) in your password.`;

  const { score, feedback } = zxcvbn().check(password, [localPart, ...nameWords]);
  if (score >= MIN_PASSWORD_SCORE) return null;
  const why = feedback.warning ?? 'This password is easy to guess.';
  const suggestion = feedback.suggestions[0] ?? 'A few unrelated words make a strong one.';
  return `${why} ${suggestion}`;
}

export function assertStrongPassword(password: string, owner: PasswordOwner): void {
  const weakness = passwordWeakness(password, owner);
  if (weakness) throw new WeakPasswordError(weakness);
}

/** A random password for someone who did not choose one; drawn again in the rare case it reads as their name. */
export function randomStrongPassword(owner: PasswordOwner): string {
  for (;;) {
    const password = randomBytes(12).toString('base64url');
    if (!passwordWeakness(password, owner)) return password;
  }
}
