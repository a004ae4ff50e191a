import type { Command } from 'commander';
import type { CliContext } from '../context.ts';

export function register(program: Command, ctx: () => CliContext): void {
  program
    .command('import-legacy-keys')
    .description('turn the keys in VALID_TENANT_KEYS into tenants, keeping each key')
    .option('--json', 'print one JSON document')
    .action(async (opts: { json?: boolean }) => {
      const c = ctx();
      const keys = c.config.legacyTenantKeys;
      const result = await c.service.importLegacyKeys(keys, c.origin);
      if (opts.json) {
        c.printJson(result);
        return;
      }
      if (keys.length === 0) {
        c.print('VALID_TENANT_KEYS is empty: nothing to import.');
        return;
      }
      const lines = [`Imported ${result.created.length} legacy key(s) from VALID_TENANT_KEYS.`];
      for (const t of result.created) lines.push(`  ${t.key}  (name: ${t.name}; no email on file)`);
      if (result.existing.length > 0) {
        lines.push(`Already tenants, unchanged: ${result.existing.length}`);
        for (const k of result.existing) lines.push(`  ${k}`);
      }
      if (result.invalid.length > 0) {
        lines.push(`Refused (not a usable key: 8-100 letters, digits, _ or -): ${result.invalid.length}`);
        for (const k of result.invalid) lines.push(`  ${JSON.stringify(k)}`);
      }
      if (result.created.length > 0) {
        lines.push('Partners keep logging in with the key they hold. Remove VALID_TENANT_KEYS from the environment.');
      }
      c.print(lines);
    });
}
