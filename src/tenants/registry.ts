import fs from 'node:fs';
import path from 'node:path';
import { CorruptFileError } from '../lib/errors.ts';
import { writeFileAtomic, writeJsonAtomic } from '../store/atomic.ts';
import { KeyedMutex, withFileLock } from '../store/lock.ts';
import { accessKeyOf, keyDigest } from './keys.ts';
import type { TenantRecord } from './types.ts';

/** The shape of `_admin/tenants.json`. */
export interface RegistryData {
  version: 1;
  tenants: TenantRecord[];
}

export interface Snapshot {
  data: RegistryData;
  byKey: Map<string, TenantRecord>;
  byDigest: Map<string, TenantRecord>;
}

/**
 * Where the registry lives: this file (the embedded default) or PostgreSQL (`registry-pg.ts`).
 * `snapshot` is the cached read of the hot path; `mutate` is the only way to write, serialized across
 * processes (file lock) or instances (transaction + advisory lock).
 */
export interface RegistryStore {
  snapshot(): Promise<Snapshot>;
  mutate<T>(
    fn: (data: RegistryData) => { changed: boolean; result: T } | Promise<{ changed: boolean; result: T }>,
  ): Promise<T>;
  /**
   * A usage counter of one tenant (a login, a chat query) as one atomic single-row update, when the
   * backend can (PostgreSQL); without it the service counts through `mutate`. Undefined: no such tenant.
   */
  count?(key: string, event: CounterEvent): Promise<TenantRecord | undefined>;
  close?(): Promise<void>;
}

/** What a counter update adds (the service computes the times; `oldestDay`: older days are dropped). */
export type CounterEvent =
  | { kind: 'login'; now: string }
  | { kind: 'query'; now: string; day: string; oldestDay: string; input: number; output: number };

/**
 * The registry file: a cached, parsed copy for readers (refreshed when one `stat` says the file
 * changed, e.g. the CLI revoked in another process) and locked read-modify-write for writers.
 * Every write first keeps the current good version as `tenants.json.bak` (a hard link, so it costs
 * no copy), then replaces the file atomically. A file that does not parse is never written over.
 */
export class RegistryFile implements RegistryStore {
  readonly bakFile: string;
  private cache: (Snapshot & { signature: string }) | undefined;
  private loading: Promise<Snapshot & { signature: string }> | undefined;
  private readonly mutex = new KeyedMutex();

  constructor(readonly file: string) {
    this.bakFile = `${file}.bak`;
  }

  /** The current registry; one `stat` when the cache is warm. */
  async snapshot(): Promise<Snapshot> {
    const signature = await this.signature();
    if (this.cache && this.cache.signature === signature) return this.cache;
    // Concurrent callers share one reload…
    this.loading ??= this.reload().finally(() => {
      this.loading = undefined;
    });
    const shared = await this.loading;
    if (shared.signature === signature) return shared;
    // …unless it started before the version this caller saw (e.g. a revoke that just landed).
    return this.reload();
  }

  /**
   * Read-modify-write under the inter-process lock (and an in-process mutex, so this process does not
   * queue on its own lock file). `fn` edits `data` in place and returns whether anything changed;
   * if it throws or changes nothing, the file is not touched.
   */
  mutate<T>(fn: (data: RegistryData) => { changed: boolean; result: T } | Promise<{ changed: boolean; result: T }>) {
    return this.mutex.run('registry', () =>
      withFileLock(this.file, async () => {
        const { text, data } = await this.readFile();
        const { changed, result } = await fn(data);
        if (changed) {
          if (text !== undefined) await this.backup(text);
          await writeJsonAtomic(this.file, data);
          this.cache = { ...index(data), signature: await this.signature() };
        }
        return result;
      }),
    );
  }

  private async reload(): Promise<Snapshot & { signature: string }> {
    // Read the signature before the content: if the file changes in between, the next call reloads again.
    const signature = await this.signature();
    const { data } = await this.readFile();
    this.cache = { ...index(data), signature };
    return this.cache;
  }

  /**
   * Identity of the file's current version. A synchronous `stat`: it takes a few microseconds on a
   * local disk, where the thread-pool round trip of the async one costs ten times that, on every
   * authenticated request. Each atomic replace is a new inode, so a rewrite is always noticed.
   */
  private async signature(): Promise<string> {
    const s = fs.statSync(this.file, { bigint: true, throwIfNoEntry: false });
    return s ? `${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}` : 'missing';
  }

  private async readFile(): Promise<{ text: string | undefined; data: RegistryData }> {
    let text: string;
    try {
      text = await fs.promises.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        return { text: undefined, data: { version: 1, tenants: [] } };
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new CorruptFileError(this.file, (err as Error).message, this.restoreHint());
    }
    return { text, data: this.checkShape(parsed) };
  }

  private checkShape(parsed: unknown): RegistryData {
    const tenants = (parsed as { tenants?: unknown } | null)?.tenants;
    if (!Array.isArray(tenants) || !tenants.every((t) => typeof (t as { key?: unknown })?.key === 'string')) {
      throw new CorruptFileError(
        this.file,
        'not a tenant registry: expected {"version": 1, "tenants": [...]}',
        this.restoreHint(),
      );
    }
    return { version: 1, tenants: tenants.map((t) => normalise(t as Partial<TenantRecord> & { key: string })) };
  }

  restoreHint(): string {
    const rel = (p: string) => path.relative(process.cwd(), p) || p;
    return fs.existsSync(this.bakFile)
      ? `It was not changed. The previous good version is ${rel(this.bakFile)}; to restore it, stop the server and run: cp "${rel(this.bakFile)}" "${rel(this.file)}"`
      : 'It was not changed and no backup (tenants.json.bak) exists; repair the JSON by hand.';
  }

  /** Keep the version about to be replaced as `.bak`: a hard link to it, swapped in atomically. */
  private async backup(text: string): Promise<void> {
    const tmp = `${this.bakFile}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
    try {
      await fs.promises.link(this.file, tmp);
      await fs.promises.rename(tmp, this.bakFile);
      // When `.bak` already is this very file (a writer died after backing up, before replacing it),
      // rename() of one hard link onto another succeeds without removing the source: drop it.
      await fs.promises.rm(tmp, { force: true });
    } catch {
      await fs.promises.rm(tmp, { force: true });
      // Filesystems without hard links: write a copy instead.
      await writeFileAtomic(this.bakFile, text);
    }
  }
}

export function index(data: RegistryData): Snapshot {
  const byKey = new Map<string, TenantRecord>();
  const byDigest = new Map<string, TenantRecord>();
  // Writers always re-read the source before changing it, so the cached records can be frozen and
  // handed out without copying.
  for (const t of data.tenants) deepFreeze(t);
  for (const t of data.tenants) {
    byKey.set(t.key, t);
    // Only the current key authenticates: after a rotation the tenant id (its first key) does not.
    byDigest.set(keyDigest(accessKeyOf(t)), t);
  }
  return { data, byKey, byDigest };
}

/** Fill fields an older registry may lack, so every reader sees the full record. */
export function normalise(t: Partial<TenantRecord> & { key: string }): TenantRecord {
  return {
    ...t,
    key: t.key,
    name: t.name ?? t.key,
    email: t.email ?? '',
    notes: t.notes ?? '',
    status: t.status === 'revoked' ? 'revoked' : 'active',
    created_at: t.created_at ?? '1970-01-01T00:00:00Z',
    revoked_at: t.revoked_at ?? null,
    first_login_at: t.first_login_at ?? null,
    last_login_at: t.last_login_at ?? null,
    login_count: t.login_count ?? 0,
    query_count: t.query_count ?? 0,
    last_active: t.last_active ?? null,
    queries_by_day: t.queries_by_day ?? {},
    tokens: t.tokens ?? { input: 0, output: 0 },
    tokens_by_day: t.tokens_by_day ?? {},
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
