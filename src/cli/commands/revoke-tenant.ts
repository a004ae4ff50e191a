import type { Command } from 'commander';
import { type CliContext, confirmedOrExit, tenantOrExit } from '../context.ts';

export function register(program: Command, ctx: () => CliContext): void {
  program
    .command('revoke-tenant')
    .description('end a partner’s access; the data stays on disk')
    .argument('<key>', 'access key')
    .option('--force', 'do not ask for confirmation')
    .option('--json', 'print one JSON document')
    .action(async (key: string, opts: { force?: boolean; json?: boolean }) => {
      const c = ctx();
      const t = await tenantOrExit(c, key);
      const folder = `${c.displayPath(`${c.config.dataDir}/${t.key}`)}/`;
      if (t.status === 'revoked') {
        if (opts.json) c.printJson({ tenant: t, already_revoked: true, data_dir: folder });
        else c.print(`Tenant ${t.name} (${t.key}) is already revoked (since ${t.revoked_at}); nothing changed.`);
        return;
      }
      await confirmedOrExit(c, opts.force, `revoke ${t.key}`, `Revoke access for ${t.name} (${t.key})? [y/N]`);
      const { tenant, alreadyRevoked } = await c.service.revoke(key, c.origin);
      if (opts.json) {
        c.printJson({ tenant, already_revoked: alreadyRevoked, data_dir: folder });
        return;
      }
      c.print([
        `Revoked access for ${tenant.name} (${tenant.key}) at ${tenant.revoked_at}.`,
        `The tenant's data remains in ${folder}`,
      ]);
    });
}
