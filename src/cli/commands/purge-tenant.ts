import type { Command } from 'commander';
import { type CliContext, CliExit, confirmedOrExit, tenantOrExit } from '../context.ts';

export function register(program: Command, ctx: () => CliContext): void {
  program
    .command('purge-tenant')
    .description("delete a revoked tenant's data for good (the record stays, the key is never reused)")
    .argument('<key>', 'access key')
    .option('--force', 'do not ask for confirmation')
    .option('--json', 'print one JSON document')
    .action(async (key: string, opts: { force?: boolean; json?: boolean }) => {
      const c = ctx();
      const t = await tenantOrExit(c, key);
      if (t.status !== 'revoked') throw new CliExit(1, `Tenant ${key} is active; revoke it before purging its data.`);
      const folder = `${c.displayPath(`${c.config.dataDir}/${t.key}`)}/`;
      if (t.purged_at) {
        if (opts.json) c.printJson({ tenant: t, already_purged: true, bytes: 0 });
        else c.print(`The data of ${t.name} (${t.key}) was already purged at ${t.purged_at}; nothing changed.`);
        return;
      }
      await confirmedOrExit(
        c,
        opts.force,
        `purge ${t.key}`,
        `Permanently delete all data of ${t.name} (${t.key}) in ${folder}? [y/N]`,
      );
      const { tenant, bytes } = await c.service.purge(key, c.origin);
      if (opts.json) c.printJson({ tenant, already_purged: false, bytes });
      else
        c.print(`Deleted ${folder} (${bytes} bytes) of ${tenant.name} (${tenant.key}). The registry keeps the record.`);
    });
}
