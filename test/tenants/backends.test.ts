import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/lib/clock.ts';
import type { AppError } from '../../src/lib/errors.ts';
import { adminPaths } from '../../src/store/paths.ts';
import { RegistryFile, type RegistryStore } from '../../src/tenants/registry.ts';
import { RegistryPg } from '../../src/tenants/registry-pg.ts';
import { createTenantService } from '../../src/tenants/service.ts';
import { DATABASE_URL, hasPostgres, randomSchema } from '../storage/pg-helpers.ts';
import { tempDataDir } from './helpers.ts';

/**
 * The same behaviour from each registry backend (STYLE.md §3): the file of the embedded default and
 * PostgreSQL for several instances. Two service instances on one backend stand for two server
 * processes (or a server and the CLI).
 */

interface Backend {
  name: string;
  available: boolean;
  /** A fresh, empty registry; each call returns a new handle onto the same registry. */
  open(): () => RegistryStore;
  drop(): Promise<void>;
}

let dataDir: string;
let cleanupDir: () => Promise<void>;
const opened: RegistryStore[] = [];

const backends: Backend[] = [
  {
    name: 'file',
    available: true,
    open: () => () => {
      const store = new RegistryFile(adminPaths(dataDir).tenantsFile);
      opened.push(store);
      return store;
    },
    drop: async () => undefined,
  },
  (() => {
    let schema = '';
    return {
      name: 'postgres',
      available: hasPostgres,
      open: () => {
        schema = randomSchema();
        return () => {
          const store = new RegistryPg(DATABASE_URL, schema);
          opened.push(store);
          return store;
        };
      },
      drop: async () => {
        const store = new RegistryPg(DATABASE_URL, schema);
        await store.dropSchema();
        await store.close();
      },
    };
  })(),
];

beforeEach(async () => {
  ({ dir: dataDir, cleanup: cleanupDir } = await tempDataDir());
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close?.()));
  await cleanupDir();
});
afterAll(async () => {
  await Promise.all(backends.map((b) => (b.available ? b.drop() : undefined)));
});

for (const backend of backends) {
  describe.skipIf(!backend.available)(`tenant registry on ${backend.name}`, () => {
    const clock = fixedClock('2026-03-01T10:00:00Z');
    const service = (open: () => RegistryStore) => createTenantService({ dataDir, clock, registry: open() });

    it('creates, lists, shows and revokes; another instance sees the revoke on its next lookup', async () => {
      const open = backend.open();
      const server = service(open);
      const cli = service(open);
      const acme = await cli.create({ name: 'Acme Corp', email: 'ops@acme.com' }, { via: 'cli' });
      const beta = await server.create({ name: 'Beta Inc', email: 'b@beta.io', notes: 'pilot' }, { via: 'api' });
      expect((await server.list()).map((t) => t.key)).toEqual([acme.key, beta.key]);
      expect((await server.authenticate(acme.key))?.status).toBe('active');

      const { alreadyRevoked } = await cli.revoke(acme.key, { via: 'cli' });
      expect(alreadyRevoked).toBe(false);
      expect((await server.authenticate(acme.key))?.status).toBe('revoked');
      expect((await server.list()).map((t) => t.key)).toEqual([beta.key]);
      expect((await server.list({ all: true })).length).toBe(2);
      expect((await cli.revoke(acme.key, { via: 'cli' })).alreadyRevoked).toBe(true);
      await expect(server.revoke('nobody_AAAAAAAA', { via: 'api' })).rejects.toMatchObject({
        status: 404,
        code: 'tenant_not_found',
      } satisfies Partial<AppError>);
      expect(await server.authenticate('nobody_AAAAAAAA')).toBeUndefined();
    });

    it('rotates a key: same id and data, the new key signs in on the other instance, the old one at once no more', async () => {
      const open = backend.open();
      const server = service(open);
      const cli = service(open);
      const acme = await cli.create({ name: 'Acme Corp', email: 'ops@acme.com' }, { via: 'cli' });
      await server.recordQuery(acme.key);
      expect((await server.authenticate(acme.key))?.key).toBe(acme.key);

      const { tenant, access_key } = await cli.rotateKey(acme.key, { via: 'cli' });
      expect(access_key).toMatch(/^acme_corp_[A-Z0-9]{8}$/);
      expect(access_key).not.toBe(acme.key);
      expect(tenant).toMatchObject({
        key: acme.key,
        access_key,
        query_count: 1,
        key_rotated_at: '2026-03-01T10:00:00Z',
      });
      // The old key is refused by the other instance on its very next lookup, like an unknown key.
      expect(await server.authenticate(acme.key)).toBeUndefined();
      expect((await server.authenticate(access_key))?.key).toBe(acme.key);
      // The operator finds the tenant by its id or its current key.
      expect((await server.get(access_key))?.key).toBe(acme.key);
      expect((await server.get(acme.key))?.access_key).toBe(access_key);
      // Rotating again retires the second key too; neither comes back.
      const again = await server.rotateKey(access_key, { via: 'api' });
      expect(await cli.authenticate(access_key)).toBeUndefined();
      expect((await cli.authenticate(again.access_key))?.key).toBe(acme.key);
      expect((await cli.get(acme.key))?.retired_key_digests?.length).toBe(2);
      // Usage still lands on the same record.
      await cli.recordQuery(acme.key);
      expect((await server.get(again.access_key))?.query_count).toBe(2);

      await cli.revoke(again.access_key, { via: 'cli' });
      expect((await server.authenticate(again.access_key))?.status).toBe('revoked');
      await expect(server.rotateKey(acme.key, { via: 'api' })).rejects.toMatchObject({
        status: 409,
        code: 'tenant_revoked',
      });
      await expect(server.rotateKey('nobody_AAAAAAAA', { via: 'api' })).rejects.toMatchObject({ status: 404 });
    });

    it('never hands out a retired key again', async () => {
      const open = backend.open();
      const suffixes = ['AAAAAAAA', 'BBBBBBBB', 'AAAAAAAA', 'CCCCCCCC'];
      const svc = createTenantService({
        dataDir,
        clock,
        registry: open(),
        suffix: () => suffixes.shift() ?? 'ZZZZZZZZ',
      });
      const acme = await svc.create({ name: 'Acme', email: 'a@acme.com' }, { via: 'cli' });
      expect(acme.key).toBe('acme_AAAAAAAA');
      const first = await svc.rotateKey(acme.key, { via: 'cli' });
      expect(first.access_key).toBe('acme_BBBBBBBB');
      const second = await svc.rotateKey(acme.key, { via: 'cli' });
      // AAAAAAAA (the id, retired) was drawn again and skipped.
      expect(second.access_key).toBe('acme_CCCCCCCC');
    });

    it('edits name, email and notes with the create rules, and finds duplicates', async () => {
      const svc = service(backend.open());
      const acme = await svc.create({ name: 'Acme Corp', email: 'ops@acme.com' }, { via: 'cli' });
      const { tenant, changed } = await svc.edit(acme.key, { name: ' Acme Inc ', notes: 'Series A' }, { via: 'api' });
      expect(changed).toEqual(['name', 'notes']);
      expect(tenant).toMatchObject({ key: acme.key, name: 'Acme Inc', email: 'ops@acme.com', notes: 'Series A' });
      expect((await svc.edit(acme.key, { name: 'Acme Inc' }, { via: 'api' })).changed).toEqual([]);
      await expect(svc.edit(acme.key, { email: 'nope' }, { via: 'api' })).rejects.toMatchObject({ status: 400 });
      await expect(svc.edit('nobody_AAAAAAAA', { name: 'x' }, { via: 'api' })).rejects.toMatchObject({ status: 404 });
      expect((await svc.get(acme.key))?.email).toBe('ops@acme.com');
      expect((await svc.findDuplicates({ name: 'ACME  inc', email: 'x@y.io' })).map((t) => t.key)).toEqual([acme.key]);
      expect((await svc.findDuplicates({ name: 'Other', email: 'OPS@acme.com' })).map((t) => t.key)).toEqual([
        acme.key,
      ]);
      expect(await svc.findDuplicates({ name: 'Other', email: 'x@y.io' })).toEqual([]);
    });

    it('counts queries from two instances at once exactly', async () => {
      const open = backend.open();
      const a = service(open);
      const b = service(open);
      const t = await a.create({ name: 'Counter Co', email: 'c@c.co' }, { via: 'cli' });
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).recordQuery(t.key, { inputTokens: 10, outputTokens: 5 })),
      );
      const after = await b.get(t.key);
      expect(after?.query_count).toBe(20);
      expect(after?.tokens).toEqual({ input: 200, output: 100 });
      expect(after?.queries_by_day['2026-03-01']).toBe(20);
      expect(a.tokensToday(after!)).toBe(300);
    });

    it('counts logins and queries exactly while an edit and a rotation land at the same time; old days drop', async () => {
      const open = backend.open();
      const a = service(open);
      const b = service(open);
      const t = await a.create({ name: 'Busy Co', email: 'b@b.co' }, { via: 'cli' });
      const later = createTenantService({ dataDir, clock: fixedClock('2026-06-15T10:00:00Z'), registry: open() });
      await Promise.all([
        ...Array.from({ length: 30 }, (_, i) =>
          (i % 2 ? a : b).recordQuery(t.key, { inputTokens: 1, outputTokens: 1 }),
        ),
        ...Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).recordLogin(t.key)),
        a.edit(t.key, { notes: 'Renewal in June' }, { via: 'api' }),
        b.rotateKey(t.key, { via: 'cli' }),
      ]);
      const after = await a.get(t.key);
      expect(after).toMatchObject({
        query_count: 30,
        login_count: 10,
        notes: 'Renewal in June',
        first_login_at: '2026-03-01T10:00:00Z',
        tokens: { input: 30, output: 30 },
      });
      expect(after?.access_key).not.toBe(t.key);
      // Counting by the new access key finds the same tenant; three months on, March is dropped.
      const moved = await later.recordQuery(after?.access_key as string, { inputTokens: 2, outputTokens: 0 });
      expect(moved.key).toBe(t.key);
      expect(moved.query_count).toBe(31);
      expect(moved.queries_by_day).toEqual({ '2026-06-15': 1 });
      expect(moved.tokens_by_day).toEqual({ '2026-06-15': 2 });
      expect((await b.get(t.key))?.query_count).toBe(31);
      await expect(a.recordQuery('nobody_AAAAAAAA')).rejects.toMatchObject({ status: 404 });
    });

    it('refuses bad input and writes nothing', async () => {
      const svc = service(backend.open());
      await expect(svc.create({ name: '', email: 'not-an-email' }, { via: 'api' })).rejects.toMatchObject({
        status: 400,
        code: 'invalid_request',
      });
      expect(await svc.list({ all: true })).toEqual([]);
    });

    it('imports legacy keys once', async () => {
      const svc = service(backend.open());
      const first = await svc.importLegacyKeys(['legacy_key_ABCDEFGH', 'bad key!'], { via: 'cli' });
      expect(first.created.map((t) => t.key)).toEqual(['legacy_key_ABCDEFGH']);
      expect(first.invalid).toEqual(['bad key!']);
      const again = await svc.importLegacyKeys(['legacy_key_ABCDEFGH'], { via: 'cli' });
      expect(again).toMatchObject({ created: [], existing: ['legacy_key_ABCDEFGH'] });
    });
  });
}
