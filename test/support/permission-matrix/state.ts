import type { Db } from '@/lib/db';
import type { ExecutiveDto } from '@/lib/data/executives';

/**
 * What the mocked modules read: the test database and who is "signed in" for the current cell.
 * Kept free of app imports so the vi.mock factories can load it before anything else.
 */
export const matrixState: {
  db: Db | null;
  /** The executive the mocked session returns; null is signed out. */
  me: ExecutiveDto | null;
  cookies: Map<string, string>;
} = { db: null, me: null, cookies: new Map() };

export function testDb(): Db {
  if (!matrixState.db) throw new Error('The permission-matrix database is not open yet.');
  return matrixState.db;
}
