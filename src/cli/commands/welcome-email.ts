import type { Command } from 'commander';
import { welcomeEmail } from '../../tenants/welcome.ts';
import { type CliContext, CliExit, tenantOrExit } from '../context.ts';

export function register(program: Command, ctx: () => CliContext): void {
  program
    .command('welcome-email')
    .description('print the welcome email for a tenant (subject and body, ready to send)')
    .argument('<key>', 'access key')
    .option('--json', 'print one JSON document')
    .action(async (key: string, opts: { json?: boolean }) => {
      const c = ctx();
      const t = await tenantOrExit(c, key);
      if (t.status !== 'active') throw new CliExit(1, `Tenant ${key} is revoked; its key no longer works.`);
      const email = welcomeEmail(t, c.config.publicAppUrl);
      if (opts.json) c.printJson(email);
      else c.print([`To: ${email.to || '(no email on file)'}`, `Subject: ${email.subject}`, '', email.body.trimEnd()]);
    });
}
