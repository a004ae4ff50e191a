import type { Command } from 'commander';
import { isoDate } from '../../lib/clock.ts';
import { exportTenant } from '../../tenants/export.ts';
import { type CliContext, tenantOrExit } from '../context.ts';

export function register(program: Command, ctx: () => CliContext): void {
  program
    .command('export-tenant')
    .description("archive a tenant's folder and registry record as .tar.gz")
    .argument('<key>', 'access key')
    .option('--out <file>', 'archive to write (default: ./<key>-export-<date>.tar.gz)')
    .option('--json', 'print one JSON document')
    .action(async (key: string, opts: { out?: string; json?: boolean }) => {
      const c = ctx();
      const t = await tenantOrExit(c, key);
      const out = opts.out ?? `${t.key}-export-${isoDate(c.clock.now())}.tar.gz`;
      const result = await exportTenant(c.service, t.key, out, c.origin);
      if (opts.json) c.printJson(result);
      else {
        c.print(
          `Exported ${t.name} (${t.key}): ${result.files} file(s), ${result.bytes} bytes -> ${c.displayPath(result.file)}`,
        );
      }
    });
}
