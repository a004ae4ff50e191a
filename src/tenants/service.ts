import fs from 'node:fs';
import { type Clock, isoDate, isoSeconds } from '../lib/clock.ts';
import { AppError } from '../lib/errors.ts';
import { PgDatabase } from '../storage/pg.ts';
import { pgPurgeTenant, pgTenantUsage } from '../storage/tenant-data.ts';
import { cleanTempFiles } from '../store/atomic.ts';
import { adminPaths, type TenantScope, tenantScope } from '../store/paths.ts';
import { type AuditEntry, type AuditLine, type AuditLog, fileAuditLog, pgAuditLog } from './audit.ts';
import { type DataReport, inspectData, repairData } from './check-data.ts';
import { type DiskUsage, diskUsageOf } from './disk.ts';
import { findDuplicates, validateEdit } from './edit.ts';
import { accessKeyOf, cryptoSuffix, generateKey, keyDigest, maskKey, type SuffixSource } from './keys.ts';
import { isUsableLegacyKey, nameFromLegacyKey } from './legacy.ts';
import { RegistryFile, type RegistryStore } from './registry.ts';
import { RegistryPg } from './registry-pg.ts';
import { computeSignals } from './signals.ts';
import {
  type CreateTenantInput,
  type EditTenantInput,
  newTenantRecord,
  type Origin,
  type QueryUsage,
  type Signal,
  type TenantRecord,
} from './types.ts';
import { validateCreateInput } from './validate.ts';

/** Days of `queries_by_day` / `tokens_by_day` kept in the registry (the signals need 7, the chart 90). */
export const USAGE_DAYS_KEPT = 90;

export interface TenantService {
  /** Bad input → AppError(400, 'invalid_request') saying what is wrong; nothing is written. */
  create(input: CreateTenantInput, origin: Origin): Promise<TenantRecord>;
  /** Active tenants in creation order; `all` includes revoked ones. */
  list(opts?: { all?: boolean }): Promise<TenantRecord[]>;
  get(key: string): Promise<TenantRecord | undefined>;
  /** Unknown → AppError(404, 'tenant_not_found'). A revoked tenant is returned unchanged with `alreadyRevoked`. */
  revoke(key: string, origin: Origin): Promise<{ tenant: TenantRecord; alreadyRevoked: boolean }>;
  /**
   * Hot path, called on every authenticated request: the cached registry, one `stat` per call to
   * notice another process's write (e.g. a CLI revoke), lookup by SHA-256 digest of the key.
   * Returns the record (active or revoked) or undefined.
   */
  authenticate(key: string): Promise<TenantRecord | undefined>;
  recordLogin(key: string): Promise<TenantRecord>;
  /** query_count, last_active, queries_by_day, tokens, tokens_by_day. */
  recordQuery(key: string, usage?: QueryUsage): Promise<TenantRecord>;
  tokensToday(tenant: TenantRecord): number;
  /** Keys are kept as access keys; existing ones are reported, malformed ones refused. Idempotent. */
  importLegacyKeys(
    keys: string[],
    origin: Origin,
  ): Promise<{ created: TenantRecord[]; existing: string[]; invalid: string[] }>;
  signals(tenant: TenantRecord): Signal[];
  /** Unknown → AppError(404, 'tenant_not_found'). */
  diskUsage(key: string): Promise<DiskUsage>;
  audit(entry: AuditEntry): Promise<void>;
  /**
   * What an old crash left (orphan folders, records without their audit line, creations that did not
   * finish, stale temp files); `repair` fixes them under the registry lock (check-data.ts).
   */
  checkData(opts?: { repair?: boolean }): Promise<{ report: DataReport; repaired: string[] }>;
  /**
   * A new access key for a tenant whose key leaked: the same id, folder and data; the old key is refused
   * at once (401 `invalid_access_key`, like an unknown key) and never generated again. Revoked → 409
   * `tenant_revoked`. `key` may be the tenant id or its current key.
   */
  rotateKey(key: string, origin: Origin): Promise<{ tenant: TenantRecord; access_key: string }>;
  /** Changes name, email or notes (validated like `create`); unknown → 404. Nothing to change → unchanged. */
  edit(key: string, input: EditTenantInput, origin: Origin): Promise<{ tenant: TenantRecord; changed: string[] }>;
  /** Partners with the same name (ignoring case and spacing) or the same email as `input`. */
  findDuplicates(input: { name: string; email: string }): Promise<TenantRecord[]>;
  /** The operator's audit log, oldest first (the file or the `audit_log` table). */
  auditLines(): Promise<AuditLine[]>;
  /** The data handle of a tenant the registry knows (its folder; its database with `DATABASE_URL`). */
  scope(key: string): TenantScope;
  /** Deletes a revoked tenant's folder, keeps the record (marked `purged_at`). Active → 409 `tenant_active`. */
  purge(key: string, origin: Origin): Promise<{ tenant: TenantRecord; bytes: number }>;
  readonly dataDir: string;
  readonly clock: Clock;
  /** Which backend holds the registry (`file` or `postgres`), for /api/health. */
  readonly storage: 'file' | 'postgres';
  /** The database of every tenant's state with `DATABASE_URL`; undefined in file mode. */
  readonly db: PgDatabase | undefined;
  /** Release connections (PostgreSQL); a no-op for the file. */
  close(): Promise<void>;
}

export interface TenantServiceOptions {
  dataDir: string;
  clock: Clock;
  /** Test seam: the source of the 8 random key characters (default: the CSPRNG). */
  suffix?: SuffixSource;
  /** PostgreSQL connection string: the registry lives there instead of `_admin/tenants.json`. */
  databaseUrl?: string;
  /** A registry store to use as is (tests run the same suite against each backend). */
  registry?: RegistryStore;
  /** The PostgreSQL schema with `databaseUrl` (default `opsorchestra`). */
  databaseSchema?: string;
  /** The process's shared database (instead of `databaseUrl`); the caller closes it. */
  db?: PgDatabase;
}

const tenantNotFound = (key: string) =>
  new AppError(404, 'tenant_not_found', `No tenant with key ${JSON.stringify(key)}.`);

const clone = (t: TenantRecord): TenantRecord => structuredClone(t);

export function createTenantService(opts: TenantServiceOptions): TenantService {
  const { dataDir, clock } = opts;
  const suffix = opts.suffix ?? cryptoSuffix;
  const paths = adminPaths(dataDir);
  const ownDb = !opts.db && opts.databaseUrl ? new PgDatabase(opts.databaseUrl, opts.databaseSchema) : undefined;
  const db = opts.db ?? ownDb;
  const registry: RegistryStore = opts.registry ?? (db ? new RegistryPg(db) : new RegistryFile(paths.tenantsFile));
  const auditLog: AuditLog = db ? pgAuditLog(db) : fileAuditLog(paths.auditFile);
  let cleaned = false;

  /** Leftovers of writers killed mid-write are removed once per process, before its first write. */
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    await cleanTempFiles(paths.dir);
    // Creations a killed process left half done are finished off (removed and audited) under the lock.
    await registry
      .mutate(async (data) => {
        const report = await inspectData(
          { dataDir, records: data.tenants, audit: await auditLog.read() },
          { tempFiles: false },
        );
        // A bare empty folder may be someone's placeholder: only check-data --repair removes it.
        report.orphan_folders = report.orphan_folders.filter(
          (o) => !o.empty || fs.readdirSync(tenantScope(dataDir, o.name).dir).length > 0,
        );
        await repairData(report, { dataDir, records: data.tenants, audit: [], appendAudit: audit });
        return { changed: false, result: undefined };
      })
      .catch(() => undefined);
  };

  const audit = (entry: AuditEntry) => auditLog.append(clock.now(), entry);

  const isTaken = (existing: Map<string, TenantRecord>) => {
    // Ids, current keys and retired keys are never handed out again.
    const used = new Set<string>();
    for (const t of existing.values()) {
      used.add(keyDigest(accessKeyOf(t)));
      for (const d of t.retired_key_digests ?? []) used.add(d);
    }
    return (key: string) =>
      existing.has(key) || used.has(keyDigest(key)) || fs.existsSync(tenantScope(dataDir, key).dir);
  };

  /** A record by its id (the key it was created with) or by its current key. */
  const find = (tenants: TenantRecord[], key: string) =>
    tenants.find((r) => r.key === key) ?? tenants.find((r) => r.access_key === key);

  const makeFolders = async (key: string) => {
    const scope = tenantScope(dataDir, key);
    await fs.promises.mkdir(scope.tracesDir, { recursive: true, mode: 0o700 });
    await fs.promises.mkdir(scope.documentsDir, { recursive: true, mode: 0o700 });
  };

  const newRecord = (key: string, name: string, email: string, notes: string): TenantRecord =>
    newTenantRecord({ key, name, email, notes }, isoSeconds(clock.now()));

  /** Change one tenant's record under the lock; unknown key → 404. */
  const update = async (key: string, fn: (t: TenantRecord) => void): Promise<TenantRecord> => {
    await cleanup();
    return registry.mutate((data) => {
      const t = find(data.tenants, key);
      if (!t) throw tenantNotFound(key);
      fn(t);
      return { changed: true, result: clone(t) };
    });
  };

  const pruneDays = (byDay: Record<string, number>, today: Date) => {
    const oldest = isoDate(new Date(today.getTime() - (USAGE_DAYS_KEPT - 1) * 86_400_000));
    for (const day of Object.keys(byDay)) if (day < oldest) delete byDay[day];
  };

  return {
    dataDir,
    clock,
    storage: registry instanceof RegistryFile ? 'file' : 'postgres',
    db,
    async close() {
      await registry.close?.();
      await ownDb?.close();
    },
    scope: (key) => tenantScope(dataDir, key, db),
    auditLines: () => auditLog.read(),

    async checkData(checkOpts) {
      if (!checkOpts?.repair) {
        const { data } = await registry.snapshot();
        return {
          report: await inspectData({ dataDir, records: data.tenants, audit: await auditLog.read() }),
          repaired: [],
        };
      }
      cleaned = true;
      return registry.mutate(async (data) => {
        const deps = { dataDir, records: data.tenants, audit: await auditLog.read() };
        const report = await inspectData(deps);
        const repaired = await repairData(report, { ...deps, appendAudit: audit });
        return { changed: false, result: { report, repaired } };
      });
    },

    async create(input, origin) {
      const valid = validateCreateInput(input);
      await cleanup();
      // Under the registry lock, in this order: the folders, the audit line, the record (the commit).
      // A crash before the commit leaves a creation that did not happen, which the next writer (or
      // `check-data --repair`) removes and audits as `create_failed` (see check-data.ts).
      return registry.mutate(async (data) => {
        const existing = new Map(data.tenants.map((t) => [t.key, t]));
        const key = generateKey(valid.name, isTaken(existing), suffix);
        await makeFolders(key);
        const record = newRecord(key, valid.name, valid.email, valid.notes);
        await audit({ action: 'create', tenant: key, origin, detail: { name: record.name } });
        data.tenants.push(record);
        return { changed: true, result: clone(record) };
      });
    },

    async list(listOpts) {
      const { data } = await registry.snapshot();
      return data.tenants.filter((t) => listOpts?.all || t.status === 'active').map(clone);
    },

    async get(key) {
      const { byKey, data } = await registry.snapshot();
      const t = byKey.get(key) ?? data.tenants.find((r) => r.access_key === key);
      return t ? clone(t) : undefined;
    },

    async findDuplicates(input) {
      const { data } = await registry.snapshot();
      return findDuplicates(data.tenants, input).map(clone);
    },

    async rotateKey(key, origin) {
      await cleanup();
      const outcome = await registry.mutate((data) => {
        const t = find(data.tenants, key);
        if (!t) throw tenantNotFound(key);
        if (t.status === 'revoked') {
          throw new AppError(409, 'tenant_revoked', `Tenant ${t.key} is revoked; a revoked partner gets no new key.`);
        }
        const existing = new Map(data.tenants.map((r) => [r.key, r]));
        const fresh = generateKey(t.name, isTaken(existing), suffix);
        const old = accessKeyOf(t);
        t.retired_key_digests = [...(t.retired_key_digests ?? []), keyDigest(old)];
        t.access_key = fresh;
        t.key_rotated_at = isoSeconds(clock.now());
        return { changed: true, result: { tenant: clone(t), access_key: fresh, old } };
      });
      // The audit line names the tenant by its id and the keys only masked.
      await audit({
        action: 'rotate_key',
        tenant: outcome.tenant.key,
        origin,
        detail: { old_key: maskKey(outcome.old), new_key: maskKey(outcome.access_key) },
      });
      return { tenant: outcome.tenant, access_key: outcome.access_key };
    },

    async edit(key, input, origin) {
      await cleanup();
      const outcome = await registry.mutate((data) => {
        const t = find(data.tenants, key);
        if (!t) throw tenantNotFound(key);
        const patch = validateEdit(t, input);
        const changed = Object.keys(patch);
        Object.assign(t, patch);
        return { changed: changed.length > 0, result: { tenant: clone(t), changed } };
      });
      if (outcome.changed.length > 0) {
        await audit({ action: 'edit', tenant: outcome.tenant.key, origin, detail: { fields: outcome.changed } });
      }
      return outcome;
    },

    async revoke(key, origin) {
      await cleanup();
      const outcome = await registry.mutate((data) => {
        const t = find(data.tenants, key);
        if (!t) throw tenantNotFound(key);
        if (t.status === 'revoked') return { changed: false, result: { tenant: clone(t), alreadyRevoked: true } };
        t.status = 'revoked';
        t.revoked_at = isoSeconds(clock.now());
        return { changed: true, result: { tenant: clone(t), alreadyRevoked: false } };
      });
      if (!outcome.alreadyRevoked) await audit({ action: 'revoke', tenant: outcome.tenant.key, origin });
      return outcome;
    },

    async authenticate(key) {
      if (typeof key !== 'string' || key.length === 0 || key.length > 200) return undefined;
      const { byDigest } = await registry.snapshot();
      // The cached record itself, deep-frozen by the registry: no copy on the hot path, and no caller can change the cache.
      return byDigest.get(keyDigest(key));
    },

    async recordLogin(key) {
      if (registry.count) {
        const t = await registry.count(key, { kind: 'login', now: isoSeconds(clock.now()) });
        if (!t) throw tenantNotFound(key);
        return clone(t);
      }
      return update(key, (t) => {
        const now = isoSeconds(clock.now());
        t.first_login_at ??= now;
        t.last_login_at = now;
        t.login_count += 1;
      });
    },

    async recordQuery(key, usage) {
      if (registry.count) {
        const now = clock.now();
        const t = await registry.count(key, {
          kind: 'query',
          now: isoSeconds(now),
          day: isoDate(now),
          oldestDay: isoDate(new Date(now.getTime() - (USAGE_DAYS_KEPT - 1) * 86_400_000)),
          input: Math.max(0, Math.round(usage?.inputTokens ?? 0)),
          output: Math.max(0, Math.round(usage?.outputTokens ?? 0)),
        });
        if (!t) throw tenantNotFound(key);
        return clone(t);
      }
      return update(key, (t) => {
        const now = clock.now();
        const day = isoDate(now);
        const input = Math.max(0, Math.round(usage?.inputTokens ?? 0));
        const output = Math.max(0, Math.round(usage?.outputTokens ?? 0));
        t.query_count += 1;
        t.last_active = isoSeconds(now);
        t.queries_by_day[day] = (t.queries_by_day[day] ?? 0) + 1;
        t.tokens = { input: t.tokens.input + input, output: t.tokens.output + output };
        if (input + output > 0) t.tokens_by_day[day] = (t.tokens_by_day[day] ?? 0) + input + output;
        pruneDays(t.queries_by_day, now);
        pruneDays(t.tokens_by_day, now);
      });
    },

    tokensToday(tenant) {
      return tenant.tokens_by_day[isoDate(clock.now())] ?? 0;
    },

    async importLegacyKeys(keys, origin) {
      await cleanup();
      const unique = [...new Set(keys.map((k) => k.trim()).filter(Boolean))];
      const invalid = unique.filter((k) => !isUsableLegacyKey(k));
      const usable = unique.filter(isUsableLegacyKey);
      const outcome = await registry.mutate(async (data) => {
        const known = new Set(data.tenants.map((t) => t.key));
        const created: TenantRecord[] = [];
        const existing: string[] = [];
        for (const key of usable) {
          if (known.has(key)) {
            existing.push(key);
            continue;
          }
          await makeFolders(key);
          const record = newRecord(
            key,
            nameFromLegacyKey(key),
            '',
            `Imported from VALID_TENANT_KEYS on ${isoDate(clock.now())}; no email on file — ask the partner for one.`,
          );
          record.legacy = true;
          await audit({ action: 'import', tenant: key, origin, detail: { name: record.name } });
          data.tenants.push(record);
          created.push(clone(record));
        }
        return { changed: created.length > 0, result: { created, existing } };
      });
      return { ...outcome, invalid };
    },

    signals(tenant) {
      return computeSignals(tenant, clock.now());
    },

    async diskUsage(key) {
      const { byKey, data } = await registry.snapshot();
      const t = byKey.get(key) ?? data.tenants.find((r) => r.access_key === key);
      if (!t) throw tenantNotFound(key);
      return db ? pgTenantUsage(db, t.key) : diskUsageOf(tenantScope(dataDir, t.key));
    },

    audit,

    async purge(keyOrCurrent, origin) {
      const snap = await registry.snapshot();
      const t = snap.byKey.get(keyOrCurrent) ?? snap.data.tenants.find((r) => r.access_key === keyOrCurrent);
      if (!t) throw tenantNotFound(keyOrCurrent);
      const key = t.key;
      if (t.status !== 'revoked') {
        throw new AppError(409, 'tenant_active', `Tenant ${key} is active; revoke it before purging its data.`);
      }
      const scope = tenantScope(dataDir, key);
      let bytes: number;
      if (db) {
        bytes = await pgPurgeTenant(db, key);
      } else {
        bytes = (await diskUsageOf(scope)).bytes;
      }
      // With PostgreSQL the folder holds at most this instance's leftovers (uploads being received).
      await fs.promises.rm(scope.dir, { recursive: true, force: true });
      const tenant = await update(key, (r) => {
        r.purged_at = isoSeconds(clock.now());
      });
      await audit({ action: 'purge', tenant: key, origin, detail: { bytes } });
      return { tenant, bytes };
    },
  };
}
