import type { Command } from 'commander';
import type { TenantRecord } from '../../tenants/types.ts';
import type { CliContext } from '../context.ts';
import { banner, labelled, rule } from '../format.ts';

/** The runbook's confirmation, to the character (DESIGN.md §5). */
export function createdLines(t: TenantRecord): string[] {
  return [
    ...banner('TENANT CREATED SUCCESSFULLY'),
    '',
    ...labelled([
      ['Access Key', t.key],
      ['Name', t.name],
      ['Email', t.email],
      ['Created', t.created_at],
    ]),
    '',
    rule('-', 50),
    'IMPORTANT: Share this access key with the design partner.',
    'They will use it to log into the OpsOrchestra UI.',
    rule('-', 50),
  ];
}

export function register(program: Command, ctx: () => CliContext): void {
  program
    .command('create-tenant')
    .description('create a design partner and print its access key')
    .requiredOption('--name <name>', 'company or team name (1-100 printable characters)')
    .requiredOption('--email <email>', 'contact email')
    .option('--notes <text>', 'free-form notes (up to 2,000 characters)')
    .option('--json', 'print one JSON document')
    .action(async (opts: { name: string; email: string; notes?: string; json?: boolean }) => {
      const c = ctx();
      const same = await c.service.findDuplicates({ name: opts.name, email: opts.email });
      const tenant = await c.service.create({ name: opts.name, email: opts.email, notes: opts.notes }, c.origin);
      if (opts.json) c.printJson({ tenant });
      else c.print(createdLines(tenant));
      // Created all the same (the operator typed it), but never silently: name the look-alikes.
      for (const t of same) {
        c.note(
          `warning: a partner with this name or email already exists: ${t.name} <${t.email}> (${t.status}, created ${t.created_at.slice(0, 10)})`,
        );
      }
    });
}
