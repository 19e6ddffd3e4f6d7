import { z } from 'zod';

/**
 * Every row id in the database is a PostgreSQL `integer` (serial), so an id from a URL or a form
 * is a whole number from 1 to 2³¹−1. Anything else names no row: the caller answers 404 or says
 * which field is wrong, and the database never sees it (a larger number would make it fail).
 */
export const MAX_ROW_ID = 2_147_483_647;

export function parseRowId(value: unknown): number | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  if (!/^[1-9]\d{0,9}$/.test(text)) return null;
  const id = Number(text);
  return id <= MAX_ROW_ID ? id : null;
}

/** A form field or query value holding a row id; `error` says what to choose when it does not. */
export const rowIdSchema = (error: string) =>
  z.unknown().transform((value, ctx) => {
    const id = parseRowId(value);
    if (id === null) {
      ctx.issues.push({ code: 'custom', input: value, message: error });
      return z.NEVER;
    }
    return id;
  });
