import bcrypt from 'bcryptjs';

// Cost 12 is ~250 ms here: slow for a guesser, tolerable for a person signing in.
const COST = Number(process.env.BCRYPT_COST ?? 12);

export const MIN_PASSWORD_LENGTH = 12;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}
