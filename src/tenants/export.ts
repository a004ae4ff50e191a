import path from 'node:path';
import { AppError } from '../lib/errors.ts';
import { pgTenantEntries } from '../storage/tenant-data.ts';
import { tenantScope } from '../store/paths.ts';
import { collectFolder, writeTarGz } from './archive.ts';
import type { TenantService } from './service.ts';
import type { Origin } from './types.ts';

export interface ExportResult {
  file: string;
  bytes: number;
  files: number;
}

/**
 * Writes `outFile` (.tar.gz): `tenant.json` (the registry record) and the tenant's folder as
 * `<key>/…` (with PostgreSQL, the tenant's rows written as the same files). Audited as `export`. Unknown key → 404 `tenant_not_found`.
 */
export async function exportTenant(
  service: TenantService,
  key: string,
  outFile: string,
  origin: Origin,
): Promise<ExportResult> {
  const tenant = await service.get(key);
  if (!tenant) throw new AppError(404, 'tenant_not_found', `No tenant with key ${JSON.stringify(key)}.`);
  const entries = [
    { name: 'tenant.json', data: Buffer.from(`${JSON.stringify(tenant, null, 2)}\n`), mtime: service.clock.now() },
    ...(service.db
      ? await pgTenantEntries(service.db, tenant.key, tenant.key, service.clock.now())
      : await collectFolder(tenantScope(service.dataDir, tenant.key).dir, tenant.key)),
  ];
  const file = path.resolve(outFile);
  const bytes = await writeTarGz(file, entries);
  const files = entries.filter((e) => e.data !== undefined).length;
  await service.audit({ action: 'export', tenant: tenant.key, origin, detail: { file, bytes } });
  return { file, bytes, files };
}
