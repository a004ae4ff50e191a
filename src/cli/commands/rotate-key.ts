import type { Command } from 'commander';
import { maskKey } from '../../tenants/keys.ts';
import { welcomeEmail } from '../../tenants/welcome.ts';
import { type CliContext, CliExit, confirmedOrExit, tenantOrExit } from '../context.ts';

/**
 * `rotate-key KEY`: a new access key for a partner whose key leaked. The tenant keeps its id, folder
 * and data; the old key is refused from the next request on and never handed out again; the welcome
 * email is printed again with the new key; the audit log records the rotation with masked keys.
 */
export function register(program: Command, ctx: () => CliContext): void {
  program
    .command('rotate-key')
    .description('give a partner a new access key (same data); the old key stops working at once')
    .argument('<key>', 'the tenant id or its current access key')
    .option('--force', 'do not ask for confirmation')
    .option('--json', 'print one JSON document')
    .action(async (key: string, opts: { force?: boolean; json?: boolean }) => {
      const c = ctx();
      const t = await tenantOrExit(c, key);
      if (t.status !== 'active') throw new CliExit(1, `Tenant ${t.key} is revoked; a revoked partner gets no new key.`);
      await confirmedOrExit(
        c,
        opts.force,
        `rotate the key of ${t.key}`,
        `Give ${t.name} a new key? The current one stops working at once. [y/N]`,
      );
      const { tenant, access_key } = await c.service.rotateKey(key, c.origin);
      const email = welcomeEmail(tenant, c.config.publicAppUrl);
      if (opts.json) {
        c.printJson({ tenant, access_key, welcome_email: email });
        return;
      }
      c.print([
        `New access key for ${tenant.name} (tenant ${tenant.key}):`,
        '',
        `    ${access_key}`,
        '',
        `The previous key (${maskKey(t.access_key ?? t.key)}) no longer works. Send the partner the new welcome email:`,
        '',
        `To: ${email.to || '(no email on file)'}`,
        `Subject: ${email.subject}`,
        '',
        email.body.trimEnd(),
      ]);
    });
}
