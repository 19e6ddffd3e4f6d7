import { describe, expect, it } from 'vitest';
import { dbConfigFromEnv, describeDb } from '@/lib/db';

describe('dbConfigFromEnv', () => {
  it('uses the embedded PGlite under .data/pglite when nothing is configured', () => {
    expect(dbConfigFromEnv({})).toEqual({ driver: 'pglite', dataDir: '.data/pglite' });
  });

  it('moves the embedded database to PGLITE_DIR', () => {
    expect(dbConfigFromEnv({ PGLITE_DIR: '/srv/cx' })).toEqual({ driver: 'pglite', dataDir: '/srv/cx' });
  });

  it('uses node-postgres for DATABASE_URL, even when POSTGRES_URL is also set', () => {
    const config = dbConfigFromEnv({ DATABASE_URL: 'postgres://a@db/cx', POSTGRES_URL: 'postgres://b@neon/cx' });
    expect(config).toEqual({ driver: 'node-postgres', url: 'postgres://a@db/cx' });
  });

  it('uses @vercel/postgres when only POSTGRES_URL is set, as on Vercel', () => {
    expect(dbConfigFromEnv({ POSTGRES_URL: 'postgres://b@neon/cx' })).toEqual({
      driver: 'vercel-postgres',
      url: 'postgres://b@neon/cx',
    });
  });

  it('describes a server without its password', () => {
    const text = describeDb({ driver: 'node-postgres', url: 'postgres://user:secret@db.example:5432/cx' });
    expect(text).toBe('PostgreSQL at db.example/cx');
    expect(text).not.toContain('secret');
  });
});
