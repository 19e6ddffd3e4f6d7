/**
 * The operator command line. Runs on whichever database the environment selects, migrating
 * first, so every command works on a fresh, empty database.
 *
 *   npm run cli -- migrate | prepare | seed-demo | add-admin … |
 *                  import KIND FILE | export KIND [FILE] | scorecard [--period P] | journey [--period P] | deliver |
 *                  rebuild-rollups
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { text } from 'node:stream/consumers';
import { parseArgs } from 'node:util';
import { CLI_ACTOR } from '@/lib/data/audit';
import { createAdminWithPassword } from '@/lib/data/executives';
import { exportCsv } from '@/lib/data/export';
import { importCsvFile } from '@/lib/data/import-csv';
import { getJourney } from '@/lib/data/journey';
import { rebuildRollups } from '@/lib/data/rollups';
import { getScorecard } from '@/lib/data/scorecard';
import { deliver } from '@/lib/mail/deliver';
import { closeDb, describeDb, getDbHandle, type DbHandle } from '@/lib/db';
import { migrateDb } from '@/lib/db/migrate';
import { hasAnyData, seedDemo } from '@/lib/db/seed/demo';
import { MIN_PASSWORD_LENGTH } from '@/lib/auth/password';
import { randomStrongPassword } from '@/lib/auth/password-strength';
import { getOrganisation } from '@/lib/data/organisation';
import { latestCompleteMonth, parsePeriod } from '@/lib/metrics/period';
import { executiveCreateSchema } from '@/lib/validation/executives';
import { isRecordKind, RECORD_KINDS, type RecordKind } from '@/lib/validation/records';
import { z } from 'zod';

const USAGE = `Usage: npm run cli -- <command>

  migrate                         apply database migrations
  prepare                         migrate; on an empty embedded database, load the demo company
  seed-demo                       load the demo company into an empty database
  add-admin --email E --name N --title T --power-core C [--password-stdin]
                                  add an admin (password read from standard input, or generated and printed once)
  import <kind> <file.csv>        import ${RECORD_KINDS.join(' | ')} (all or nothing)
  export <kind> [file.csv]        export in the same format (standard output without a file)
  scorecard [--period P]          the scorecard as JSON (P: 2025-03, 2025-Q1 or 2025; default: latest complete month)
  journey [--period P]            where the ball drops: spot fixes by journey stage, responses by touchpoint,
                                  value at risk and churn after a response, as JSON
  deliver                         send the mail that is due (board-meeting reminders, snapshots, alerts, invites) and exit;
                                  run it from cron. Without SMTP_URL nothing is sent: the outbox shows what would have been
  rebuild-rollups                 recompute the scorecard's summary tables from customers, responses and spot fixes;
                                  only needed after loading those tables behind the app's back (triggers disabled, a restore)

The database: DATABASE_URL (PostgreSQL), POSTGRES_URL (Vercel Postgres) or, by default,
the embedded PGlite at PGLITE_DIR (.data/pglite).`;

class UsageError extends Error {}

function requireKind(value: string | undefined): RecordKind {
  if (!value || !isRecordKind(value)) {
    throw new UsageError(`Name a kind of record: ${RECORD_KINDS.join(', ')}${value ? ` (not "${value}")` : ''}`);
  }
  return value;
}

async function openMigrated(): Promise<DbHandle> {
  const handle = await getDbHandle();
  await migrateDb(handle);
  return handle;
}

/** Local runs need an AUTH_SECRET; make one once and keep it in .env.local, which Next loads. */
function ensureLocalAuthSecret(): void {
  if (process.env.AUTH_SECRET || process.env.VERCEL) return;
  const envFile = '.env.local';
  const existing = fs.existsSync(envFile) ? fs.readFileSync(envFile, 'utf8') : '';
  if (/^AUTH_SECRET=/m.test(existing)) return;
  const line = `AUTH_SECRET=${randomBytes(32).toString('base64url')}\n`;
  fs.writeFileSync(envFile, existing && !existing.endsWith('\n') ? `${existing}\n${line}` : existing + line);
  console.error(`Wrote a new AUTH_SECRET to ${envFile} (kept out of git).`);
}

async function readPasswordFromStdin(): Promise<string> {
  return (await text(process.stdin)).replace(/\r?\n$/, '');
}

const commands: Record<string, (args: string[]) => Promise<void>> = {
  async migrate() {
    const handle = await openMigrated();
    console.error(`Migrated ${describeDb(handle.config)}.`);
  },

  async prepare() {
    ensureLocalAuthSecret();
    const handle = await openMigrated();
    // Only the embedded database gets the demo company by itself; a real server is never filled unasked.
    if (handle.config.driver === 'pglite' && !(await hasAnyData(handle.db))) {
      const summary = await seedDemo(handle.db);
      console.error(
        `Loaded the demo company ${summary.organisation} into ${describeDb(handle.config)}: ` +
          `${summary.customers} customers, ${summary.responses} responses, ${summary.spotFixes} spot fixes.`,
      );
    } else {
      console.error(`Database ready: ${describeDb(handle.config)}.`);
    }
  },

  async 'seed-demo'() {
    const handle = await openMigrated();
    if (await hasAnyData(handle.db)) {
      throw new Error('The database already has people or customers; seed-demo only loads into an empty database.');
    }
    const summary = await seedDemo(handle.db);
    console.log(JSON.stringify(summary, null, 2));
  },

  async 'add-admin'(args) {
    const { values } = parseArgs({
      args,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        title: { type: 'string' },
        'power-core': { type: 'string' },
        'password-stdin': { type: 'boolean' },
      },
    });
    const parsed = executiveCreateSchema.safeParse({
      email: values.email,
      name: values.name,
      title: values.title,
      powerCore: values['power-core'],
      role: 'admin',
    });
    if (!parsed.success) throw new UsageError(z.prettifyError(parsed.error));
    const given = values['password-stdin'] ? await readPasswordFromStdin() : null;
    if (given !== null && given.length < MIN_PASSWORD_LENGTH) {
      throw new UsageError(`The password must be at least ${MIN_PASSWORD_LENGTH} characters.`);
    }
    const handle = await openMigrated();
    const password = given ?? randomStrongPassword({ email: parsed.data.email, organisationName: (await getOrganisation(handle.db))?.name });
    const admin = await createAdminWithPassword(handle.db, parsed.data, password, CLI_ACTOR);
    console.error(`Added ${admin.name} <${admin.email}> as an admin.`);
    if (given === null) console.error(`Password (shown once): ${password}`);
  },

  async import(args) {
    const kind = requireKind(args[0]);
    const file = args[1];
    if (!file) throw new UsageError('Name the CSV file to import.');
    if (!fs.existsSync(file)) throw new Error(`No such file: ${file}`);
    const handle = await openMigrated();
    const result = await importCsvFile(handle.db, kind, file, CLI_ACTOR);
    if (!result.ok) {
      const lines = result.problems.map((p) => `row ${p.row}${p.column ? `, column ${p.column}` : ''}: ${p.message}`);
      const more = result.moreProblems ? `\n… and ${result.moreProblems} more problems` : '';
      throw new Error(`${file} was not imported; nothing was changed. Fix these rows:\n${lines.join('\n')}${more}`);
    }
    const s = result.summary;
    console.error(`Imported ${s.rows} ${kind} from ${file}: ${s.added} added, ${s.changed} changed, ${s.unchanged} unchanged.`);
  },

  async export(args) {
    const kind = requireKind(args[0]);
    const handle = await openMigrated();
    const out = args[1] ? fs.createWriteStream(args[1]) : process.stdout;
    const rows = await exportCsv(handle.db, kind, out);
    if (args[1]) {
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      console.error(`Exported ${rows} ${kind} to ${args[1]}.`);
    }
  },

  async scorecard(args) {
    const { values } = parseArgs({ args, options: { period: { type: 'string' } } });
    const period = values.period ? parsePeriod(values.period) : latestCompleteMonth();
    const handle = await openMigrated();
    console.log(JSON.stringify(await getScorecard(handle.db, period), null, 2));
  },

  async journey(args) {
    const { values } = parseArgs({ args, options: { period: { type: 'string' } } });
    const period = values.period ? parsePeriod(values.period) : latestCompleteMonth();
    const handle = await openMigrated();
    console.log(JSON.stringify(await getJourney(handle.db, period), null, 2));
  },

  async 'rebuild-rollups'() {
    const handle = await openMigrated();
    const { rows } = await rebuildRollups(handle.db);
    console.error(`Rebuilt the rollups: ${Object.entries(rows).map(([table, n]) => `${table} ${n} rows`).join(', ')}.`);
  },

  async deliver() {
    const handle = await openMigrated();
    const summary = await deliver(handle.db);
    console.log(JSON.stringify(summary, null, 2));
    // Failed messages are kept and retried by a later run: that is not this command failing.
    for (const error of summary.errors) console.error(`Warning: ${error}`);
  },
};

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help') {
    console.log(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    console.error(`Unknown command "${name}".\n\n${USAGE}`);
    return 2;
  }
  try {
    await command(args);
    return 0;
  } catch (error) {
    console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
    return error instanceof UsageError ? 2 : 1;
  } finally {
    await closeDb().catch(() => {});
  }
}

process.exitCode = await main(process.argv.slice(2));
