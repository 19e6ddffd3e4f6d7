import { fileURLToPath } from 'node:url';
import type { DbHandle } from './index';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Applies the SQL migrations in drizzle/ that this database has not seen yet. */
export async function migrateDb(handle: DbHandle): Promise<void> {
  const config = { migrationsFolder: MIGRATIONS_FOLDER };
  switch (handle.config.driver) {
    case 'pglite': {
      const { migrate } = await import('drizzle-orm/pglite/migrator');
      return migrate(handle.db as never, config);
    }
    case 'node-postgres': {
      const { migrate } = await import('drizzle-orm/node-postgres/migrator');
      return migrate(handle.db as never, config);
    }
    case 'vercel-postgres': {
      const { migrate } = await import('drizzle-orm/vercel-postgres/migrator');
      return migrate(handle.db as never, config);
    }
  }
}
