import type { Command } from 'commander';
import { type CliContext, CliExit, tenantOrExit } from '../context.ts';

/** `edit-tenant KEY [--name] [--email] [--notes]`: corrects a partner's name, email or notes. */
export function register(program: Command, ctx: () => CliContext): void {
  program
    .command('edit-tenant')
    .description('change a partner’s name, email or notes (the key and data stay)')
    .argument('<key>', 'the tenant id or its current access key')
    .option('--name <name>', 'company name')
    .option('--email <email>', 'contact email')
    .option('--notes <text>', 'notes (replaces the old ones)')
    .option('--json', 'print one JSON document')
    .action(async (key: string, opts: { name?: string; email?: string; notes?: string; json?: boolean }) => {
      const c = ctx();
      const input = {
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        ...(opts.email !== undefined ? { email: opts.email } : {}),
        ...(opts.notes !== undefined ? { notes: opts.notes } : {}),
      };
      if (Object.keys(input).length === 0) throw new CliExit(2, 'Nothing to change: pass --name, --email or --notes.');
      await tenantOrExit(c, key);
      const { tenant, changed } = await c.service.edit(key, input, c.origin);
      if (opts.json) {
        c.printJson({ tenant, changed });
        return;
      }
      c.print(
        changed.length === 0
          ? `Nothing changed for ${tenant.name} (${tenant.key}).`
          : `Updated ${changed.join(', ')} of ${tenant.name} (${tenant.key}).`,
      );
    });
}
