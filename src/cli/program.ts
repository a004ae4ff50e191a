/**
 * The operator's commands: every command module registered on one commander program, and `run`,
 * which maps outcomes to exit statuses (0 done, 1 refused or not found, 2 usage error) with errors
 * as one line on stderr.
 */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config.ts';
import { AppError, type StorageError, storageError } from '../lib/errors.ts';
import * as checkData from './commands/check-data.ts';
import * as createTenant from './commands/create-tenant.ts';
import * as editTenant from './commands/edit-tenant.ts';
import * as exportTenant from './commands/export-tenant.ts';
import * as followups from './commands/followups.ts';
import * as importLegacyKeys from './commands/import-legacy-keys.ts';
import * as listTenants from './commands/list-tenants.ts';
import * as migrateToPostgres from './commands/migrate-to-postgres.ts';
import * as purgeTenant from './commands/purge-tenant.ts';
import * as revokeTenant from './commands/revoke-tenant.ts';
import * as rotateKey from './commands/rotate-key.ts';
import * as showTenant from './commands/show-tenant.ts';
import * as welcomeEmail from './commands/welcome-email.ts';
import { type CliContext, CliExit, createContext } from './context.ts';

const commands = [
  createTenant,
  listTenants,
  showTenant,
  revokeTenant,
  rotateKey,
  editTenant,
  importLegacyKeys,
  welcomeEmail,
  followups,
  exportTenant,
  purgeTenant,
  checkData,
  migrateToPostgres,
];

export function buildProgram(): { program: Command; close(): Promise<void> } {
  let context: CliContext | undefined;
  // Built on first use, so `--help` and usage errors need no configuration.
  const ctx = () => {
    context ??= createContext();
    return context;
  };
  const program = new Command('admin')
    .description('OpsOrchestra admin CLI: manage design-partner tenants')
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.split('\n')[0]?.concat('\n') ?? text) })
    .showSuggestionAfterError(true);
  for (const command of commands) command.register(program, ctx);
  program.commands.forEach((c) => {
    c.exitOverride();
  });
  // Release what the context opened (a PostgreSQL pool), so the process can exit.
  return { program, close: async () => context?.service.close() };
}

/** Exit status for an error: 2 for usage (bad arguments), 1 for refused / not found / anything else. */
function exitCodeOf(err: unknown): number {
  if (err instanceof CliExit) return err.exitCode;
  if (err instanceof AppError) return err.status === 400 ? 2 : 1;
  return 1;
}

/** For the operator: the stable code, the errno and the file (the CLI's reader may see paths). */
function storageMessage(err: StorageError): string {
  const cause = err.cause as { path?: string } | undefined;
  const what =
    err.code === 'storage_full' ? 'the data directory is full' : 'the data directory is read-only or unreachable';
  return `${err.code}: ${what} (${err.errno}${cause?.path ? ` on ${cause.path}` : ''})`;
}

export async function run(argv: string[]): Promise<number> {
  const { program, close } = buildProgram();
  if (argv.length <= 2) {
    program.outputHelp({ error: true });
    return 2;
  }
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Commander already printed its one-line message (or the help/version text).
      return err.exitCode === 0 ? 0 : 2;
    }
    const storage = storageError(err);
    const message = storage
      ? storageMessage(storage)
      : err instanceof AppError || err instanceof CliExit || err instanceof ConfigError
        ? err.message
        : `unexpected error: ${(err as Error)?.message ?? String(err)}`;
    process.stderr.write(`error: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return exitCodeOf(err);
  } finally {
    await close().catch(() => undefined);
  }
}
