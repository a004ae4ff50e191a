import path from 'node:path';
import type { Command } from 'commander';
import { acquireDataDirLock, DataDirLockedError } from '../../storage/datadir-lock.ts';
import { type MigrationReport, migrateToPostgres, planFromFiles } from '../../storage/migrate-files.ts';
import { type CliContext, CliExit } from '../context.ts';

const ROWS: Array<[keyof Omit<MigrationReport, 'verified'>, string]> = [
  ['tenants', 'tenant records'],
  ['sessions', 'sessions'],
  ['traces', 'traces'],
  ['graphs', 'graphs'],
  ['questionnaires', 'questionnaires'],
  ['documents', 'documents'],
  ['audit', 'audit lines'],
];

export function register(program: Command, ctx: () => CliContext): void {
  program
    .command('migrate-to-postgres')
    .description('copy a file-mode data directory into the PostgreSQL of DATABASE_URL and verify it (idempotent)')
    .option('--from <dir>', 'the file-mode data directory (default: DATA_DIR)')
    .option('--dry-run', 'only count what the directory holds; touch no database (DATABASE_URL not needed)')
    .option('--json', 'print one JSON document')
    .action(async (opts: { from?: string; dryRun?: boolean; json?: boolean }) => {
      const c = ctx();
      const from = path.resolve(opts.from ?? c.config.dataDir);
      if (opts.dryRun) {
        const plan = await planFromFiles(from);
        if (opts.json) c.printJson({ from, dry_run: true, ...plan });
        else {
          c.print(`${c.displayPath(from)} holds, to copy into PostgreSQL:`);
          for (const [k, label] of ROWS) c.print(`  ${label.padEnd(15)} ${String(plan[k]).padStart(5)}`);
          c.print('Nothing was written. Run it again without --dry-run, with DATABASE_URL set, to copy and verify.');
        }
        return;
      }
      const db = c.service.db;
      if (!db) throw new CliExit(1, 'DATABASE_URL is not set: set it to the PostgreSQL to migrate into.');
      // A server writing the folder meanwhile would make the copy stale: refuse while one serves it.
      let lock: { release(): void } | undefined;
      try {
        lock = acquireDataDirLock(from);
      } catch (err) {
        if (err instanceof DataDirLockedError) {
          throw new CliExit(1, `${err.message.split('. ')[0]}. Stop that server before migrating.`);
        }
        throw err;
      }
      let report: MigrationReport;
      try {
        report = await migrateToPostgres(from, db);
      } finally {
        lock.release();
      }
      if (opts.json) c.printJson({ from, schema: db.schema, ...report });
      else {
        c.print(`From ${c.displayPath(from)} into PostgreSQL schema ${db.schema}:`);
        for (const [k, label] of ROWS) {
          const r = report[k];
          const bad = r.mismatched.length ? `, ${r.mismatched.length} DIFFERENT: ${r.mismatched.join(', ')}` : '';
          c.print(`  ${label.padEnd(15)} ${String(r.copied).padStart(5)} copied, ${r.already} already there${bad}`);
        }
        c.print(
          report.verified
            ? 'Verified: every item reads back from PostgreSQL equal to its file. Start the servers with DATABASE_URL.'
            : 'NOT verified: the items marked DIFFERENT are in PostgreSQL with other content; nothing was overwritten.',
        );
      }
      if (!report.verified) throw new CliExit(1, 'migration not verified (see the items marked DIFFERENT)');
    });
}
