import type { Command } from 'commander';
import { storedBytesOf } from '../../documents/store.ts';
import { queriesLast7Days } from '../../tenants/signals.ts';
import { type CliContext, tenantOrExit } from '../context.ts';
import { banner, humanBytes, labelled, padEnd, rule } from '../format.ts';

export function register(program: Command, ctx: () => CliContext): void {
  program
    .command('show-tenant')
    .description('every field, the engagement signals and the data on disk')
    .argument('<key>', 'access key')
    .option('--json', 'print one JSON document')
    .action(async (key: string, opts: { json?: boolean }) => {
      const c = ctx();
      const t = await tenantOrExit(c, key);
      const signals = c.service.signals(t);
      const disk = await c.service.diskUsage(key);
      const folder = `${c.displayPath(`${c.config.dataDir}/${t.key}`)}/`;
      const quotaBytes = c.config.tenantQuotaMb * 1024 * 1024;
      const stored = t.purged_at ? 0 : await storedBytesOf(c.service.scope(t.key));
      if (opts.json) {
        c.printJson({
          tenant: t,
          signals,
          disk: { ...disk, path: folder },
          storage: { stored_bytes: stored, quota_bytes: quotaBytes },
        });
        return;
      }
      const quota =
        quotaBytes > 0
          ? `${humanBytes(stored)} of ${humanBytes(quotaBytes)} (TENANT_QUOTA_MB, ${Math.round((stored / quotaBytes) * 100)}% used)`
          : `${humanBytes(stored)} (no quota: TENANT_QUOTA_MB=0)`;
      const never = (v: string | null) => v ?? 'never';
      c.print([
        ...banner(`TENANT ${t.key}`),
        '',
        ...labelled([
          ['Access Key', t.access_key ?? t.key],
          ...(t.access_key && t.access_key !== t.key
            ? ([
                ['Tenant id', `${t.key} (its first key; no longer signs in)`],
                ['Key rotated', t.key_rotated_at ?? '-'],
              ] as [string, string][])
            : []),
          ['Name', t.name],
          ['Email', t.email || '(none)'],
          ['Notes', t.notes ? t.notes.replace(/\s*\n\s*/g, ' / ') : '(none)'],
          ['Status', t.status],
          ['Created', t.created_at],
          ['Revoked', t.revoked_at ?? '-'],
          ...(t.purged_at ? ([['Purged', t.purged_at]] as [string, string][]) : []),
          ...(t.legacy ? ([['Legacy key', 'yes (imported from VALID_TENANT_KEYS)']] as [string, string][]) : []),
          ['First login', never(t.first_login_at)],
          ['Last login', never(t.last_login_at)],
          ['Logins', String(t.login_count)],
          ['Queries', `${t.query_count} (${queriesLast7Days(t, c.clock.now())} in the last 7 days)`],
          ['Last active', never(t.last_active)],
          ['Tokens', `${t.tokens.input} in, ${t.tokens.output} out (${c.service.tokensToday(t)} today)`],
        ]),
        '',
        rule('-', 50),
        'ENGAGEMENT SIGNALS',
        rule('-', 50),
        ...(signals.length === 0 ? ['(none)'] : signals.map((s) => `${padEnd(s.signal, 17)} -> ${s.action}`)),
        '',
        rule('-', 50),
        `DATA ON DISK (${folder})`,
        rule('-', 50),
        ...labelled([
          ['Documents', String(disk.documents)],
          ['Sessions', String(disk.sessions)],
          ['Size', `${humanBytes(disk.bytes)} (${disk.bytes} bytes)`],
          ['Quota', quota],
        ]),
      ]);
    });
}
