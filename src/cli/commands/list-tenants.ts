import type { Command } from 'commander';
import type { TenantRecord } from '../../tenants/types.ts';
import type { CliContext } from '../context.ts';
import { padEnd, rule, truncate } from '../format.ts';

/** Column widths of the runbook's table: KEY 25, NAME 20, STATUS 10, QUERIES 8, one space between. */
const KEY_W = 25;
const NAME_W = 20;
const STATUS_W = 10;
const QUERIES_W = 8;

function row(key: string, name: string, status: string, queries: string, last: string): string {
  // A key longer than its column (slugs reach 24 characters) takes room from NAME, so the
  // columns to its right stay aligned.
  const overflow = Math.max(0, [...key].length - KEY_W);
  const nameWidth = Math.max(1, NAME_W - overflow);
  return [
    padEnd(key, KEY_W),
    padEnd(truncate(name, nameWidth), nameWidth),
    padEnd(status, STATUS_W),
    padEnd(queries, QUERIES_W),
    last,
  ].join(' ');
}

export function tableLines(tenants: TenantRecord[]): string[] {
  return [
    rule('=', 80),
    row('KEY', 'NAME', 'STATUS', 'QUERIES', 'LAST ACTIVE'),
    rule('=', 80),
    ...tenants.map((t) =>
      row(t.key, t.name, t.status, String(t.query_count), t.last_active ? t.last_active.slice(0, 10) : 'never'),
    ),
    rule('-', 80),
    `Total: ${tenants.length} tenant(s)`,
  ];
}

export function register(program: Command, ctx: () => CliContext): void {
  program
    .command('list-tenants')
    .description('active tenants with usage')
    .option('--all', 'include revoked tenants')
    .option('--json', 'print one JSON document')
    .action(async (opts: { all?: boolean; json?: boolean }) => {
      const c = ctx();
      const tenants = await c.service.list({ all: Boolean(opts.all) });
      if (opts.json) {
        c.printJson({ tenants: tenants.map((t) => ({ ...t, signals: c.service.signals(t) })) });
        return;
      }
      c.print(tableLines(tenants));
      const legacy = c.config.legacyTenantKeys;
      if (legacy.length > 0) {
        const missing = (await Promise.all(legacy.map((k) => c.service.get(k)))).filter((t) => !t).length;
        if (missing > 0) {
          c.note(`note: VALID_TENANT_KEYS holds ${missing} key(s) that are not tenants yet; run import-legacy-keys.`);
        }
      }
    });
}
