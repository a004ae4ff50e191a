import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/lib/clock.ts';
import { type AppError, CorruptFileError } from '../../src/lib/errors.ts';
import { readAudit } from '../../src/tenants/audit.ts';
import { createTenantService } from '../../src/tenants/service.ts';
import { scriptedSuffixes, tempDataDir } from './helpers.ts';

const cli = { via: 'cli' } as const;
let dataDir: string;
let cleanup: () => Promise<void>;
let clock: ReturnType<typeof fixedClock>;
const registryFile = () => path.join(dataDir, '_admin', 'tenants.json');

beforeEach(async () => {
  ({ dir: dataDir, cleanup } = await tempDataDir());
  clock = fixedClock('2026-01-02T15:30:00.123Z');
});
afterEach(() => cleanup());

describe('tenant service', () => {
  it('creates a complete record, its folders, and an audit line', async () => {
    const svc = createTenantService({ dataDir, clock, suffix: scriptedSuffixes('A1B2C3D4') });
    const t = await svc.create({ name: 'Acme Corp', email: 'Ops@Acme.com', notes: 'met at SaaStr' }, cli);
    expect(t).toEqual({
      key: 'acme_corp_A1B2C3D4',
      name: 'Acme Corp',
      email: 'ops@acme.com',
      notes: 'met at SaaStr',
      status: 'active',
      created_at: '2026-01-02T15:30:00Z',
      revoked_at: null,
      first_login_at: null,
      last_login_at: null,
      login_count: 0,
      query_count: 0,
      last_active: null,
      queries_by_day: {},
      tokens: { input: 0, output: 0 },
      tokens_by_day: {},
    });
    expect(fs.statSync(path.join(dataDir, t.key, 'traces')).isDirectory()).toBe(true);
    expect(fs.statSync(path.join(dataDir, t.key, 'documents')).isDirectory()).toBe(true);
    const stored = JSON.parse(fs.readFileSync(registryFile(), 'utf8'));
    expect(stored).toEqual({ version: 1, tenants: [t] });
    const audit = await readAudit(path.join(dataDir, '_admin', 'audit.jsonl'));
    expect(audit).toEqual([
      {
        ts: '2026-01-02T15:30:00Z',
        action: 'create',
        tenant: t.key,
        via: 'cli',
        address: null,
        detail: { name: 'Acme Corp' },
      },
    ]);
  });

  it('writes nothing when the input is invalid', async () => {
    const svc = createTenantService({ dataDir, clock });
    await expect(svc.create({ name: '', email: 'nope' }, cli)).rejects.toMatchObject({
      status: 400,
      code: 'invalid_request',
    });
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });

  it('never reuses a key: not of a revoked tenant, nor an existing folder', async () => {
    fs.mkdirSync(path.join(dataDir, 'acme_BBBBBBBB'));
    const svc = createTenantService({
      dataDir,
      clock,
      suffix: scriptedSuffixes('AAAAAAAA', 'AAAAAAAA', 'BBBBBBBB', 'CCCCCCCC'),
    });
    const first = await svc.create({ name: 'Acme', email: 'a@acme.com' }, cli);
    await svc.revoke(first.key, cli);
    const second = await svc.create({ name: 'Acme', email: 'a@acme.com' }, cli);
    expect([first.key, second.key]).toEqual(['acme_AAAAAAAA', 'acme_CCCCCCCC']);
  });

  it('lists active tenants in creation order; all includes revoked ones', async () => {
    const svc = createTenantService({ dataDir, clock });
    const a = await svc.create({ name: 'A', email: 'a@a.io' }, cli);
    const b = await svc.create({ name: 'B', email: 'b@b.io' }, cli);
    await svc.revoke(a.key, cli);
    expect((await svc.list()).map((t) => t.key)).toEqual([b.key]);
    expect((await svc.list({ all: true })).map((t) => [t.key, t.status])).toEqual([
      [a.key, 'revoked'],
      [b.key, 'active'],
    ]);
    expect(await svc.get('nobody_AAAAAAAA')).toBeUndefined();
  });

  it('revokes once, keeps the data, and 404s an unknown key', async () => {
    const svc = createTenantService({ dataDir, clock });
    const t = await svc.create({ name: 'A', email: 'a@a.io' }, cli);
    fs.writeFileSync(path.join(dataDir, t.key, 'graph_state.json'), '{}');
    clock.advanceDays(1);
    const first = await svc.revoke(t.key, { via: 'api', address: '10.0.0.1' });
    expect(first.alreadyRevoked).toBe(false);
    expect(first.tenant.revoked_at).toBe('2026-01-03T15:30:00Z');
    const before = fs.readFileSync(registryFile(), 'utf8');
    clock.advanceDays(1);
    const again = await svc.revoke(t.key, cli);
    expect(again.alreadyRevoked).toBe(true);
    expect(again.tenant.revoked_at).toBe('2026-01-03T15:30:00Z');
    expect(fs.readFileSync(registryFile(), 'utf8')).toBe(before);
    expect(fs.existsSync(path.join(dataDir, t.key, 'graph_state.json'))).toBe(true);
    await expect(svc.revoke('nobody_AAAAAAAA', cli)).rejects.toMatchObject({ status: 404, code: 'tenant_not_found' });
    const audit = await readAudit(path.join(dataDir, '_admin', 'audit.jsonl'));
    expect(audit.map((l) => [l.action, l.via, l.address])).toEqual([
      ['create', 'cli', null],
      ['revoke', 'api', '10.0.0.1'],
    ]);
  });

  it('authenticate sees another process’s revoke on the very next call', async () => {
    const server = createTenantService({ dataDir, clock });
    const cliSvc = createTenantService({ dataDir, clock });
    const t = await cliSvc.create({ name: 'A', email: 'a@a.io' }, cli);
    expect((await server.authenticate(t.key))?.status).toBe('active');
    await cliSvc.revoke(t.key, cli);
    expect((await server.authenticate(t.key))?.status).toBe('revoked');
    expect(await server.authenticate('')).toBeUndefined();
    expect(await server.authenticate(`${t.key}x`)).toBeUndefined();
    expect(await server.authenticate('x'.repeat(10_000))).toBeUndefined();
  });

  it('authenticate returns a frozen record: callers cannot change the cache', async () => {
    const svc = createTenantService({ dataDir, clock });
    const t = await svc.create({ name: 'A', email: 'a@a.io' }, cli);
    const got = await svc.authenticate(t.key);
    expect(() => {
      if (got) got.status = 'revoked';
    }).toThrow(TypeError);
    expect(() => {
      if (got) got.queries_by_day['2026-01-02'] = 99;
    }).toThrow(TypeError);
    expect((await svc.authenticate(t.key))?.status).toBe('active');
  });

  it('records logins and queries with per-day counts and tokens', async () => {
    const svc = createTenantService({ dataDir, clock });
    const t = await svc.create({ name: 'A', email: 'a@a.io' }, cli);
    await svc.recordLogin(t.key);
    clock.advanceDays(1);
    const login2 = await svc.recordLogin(t.key);
    expect(login2).toMatchObject({
      login_count: 2,
      first_login_at: '2026-01-02T15:30:00Z',
      last_login_at: '2026-01-03T15:30:00Z',
    });
    await svc.recordQuery(t.key, { inputTokens: 100, outputTokens: 20 });
    await svc.recordQuery(t.key);
    clock.advanceDays(1);
    const q = await svc.recordQuery(t.key, { inputTokens: 5, outputTokens: 5 });
    expect(q).toMatchObject({
      query_count: 3,
      last_active: '2026-01-04T15:30:00Z',
      queries_by_day: { '2026-01-03': 2, '2026-01-04': 1 },
      tokens: { input: 105, output: 25 },
      tokens_by_day: { '2026-01-03': 120, '2026-01-04': 10 },
    });
    expect(svc.tokensToday(q)).toBe(10);
    await expect(svc.recordQuery('nobody_AAAAAAAA')).rejects.toMatchObject({ code: 'tenant_not_found' });
  });

  it('keeps 90 days of per-day usage', async () => {
    const svc = createTenantService({ dataDir, clock });
    const t = await svc.create({ name: 'A', email: 'a@a.io' }, cli);
    await svc.recordQuery(t.key);
    clock.advanceDays(89);
    expect(Object.keys((await svc.recordQuery(t.key)).queries_by_day)).toHaveLength(2);
    clock.advanceDays(1);
    const after = await svc.recordQuery(t.key);
    expect(Object.keys(after.queries_by_day)).toEqual(['2026-04-01', '2026-04-02']);
    expect(after.query_count).toBe(3);
  });

  it('imports legacy keys idempotently, keeping each key', async () => {
    const svc = createTenantService({ dataDir, clock });
    const first = await svc.importLegacyKeys(['acme_corp_A1B2C3D4', 'partner-key-2024', '_admin', 'short', ' '], cli);
    expect(first.created.map((t) => [t.key, t.name, t.email, t.legacy])).toEqual([
      ['acme_corp_A1B2C3D4', 'Acme Corp', '', true],
      ['partner-key-2024', 'Partner Key 2024', '', true],
    ]);
    expect(first.created[0]?.notes).toMatch(/VALID_TENANT_KEYS/);
    expect(first.invalid).toEqual(['_admin', 'short']);
    expect(fs.existsSync(path.join(dataDir, 'partner-key-2024', 'traces'))).toBe(true);
    const second = await svc.importLegacyKeys(['acme_corp_A1B2C3D4', 'partner-key-2024'], cli);
    expect(second).toEqual({ created: [], existing: ['acme_corp_A1B2C3D4', 'partner-key-2024'], invalid: [] });
    expect((await svc.authenticate('partner-key-2024'))?.name).toBe('Partner Key 2024');
    const audit = await readAudit(path.join(dataDir, '_admin', 'audit.jsonl'));
    expect(audit.map((l) => l.action)).toEqual(['import', 'import']);
  });

  it('reports disk usage and purges only a revoked tenant, keeping the record', async () => {
    const svc = createTenantService({ dataDir, clock });
    const t = await svc.create({ name: 'A', email: 'a@a.io' }, cli);
    const dir = path.join(dataDir, t.key);
    fs.writeFileSync(path.join(dir, 'documents', 'index.json'), JSON.stringify({ documents: [{ id: 1 }, { id: 2 }] }));
    fs.writeFileSync(path.join(dir, 'traces', 'session_ses_aaaaaaaa.jsonl'), '{}\n');
    fs.writeFileSync(path.join(dir, 'traces', 'notes.txt'), 'x');
    const usage = await svc.diskUsage(t.key);
    expect(usage.documents).toBe(2);
    expect(usage.sessions).toBe(1);
    expect(usage.bytes).toBe(fs.statSync(path.join(dir, 'documents', 'index.json')).size + 3 + 1);
    await expect(svc.diskUsage('nobody_AAAAAAAA')).rejects.toMatchObject({ status: 404 });

    await expect(svc.purge(t.key, cli)).rejects.toMatchObject({ status: 409, code: 'tenant_active' });
    expect(fs.existsSync(dir)).toBe(true);
    await svc.revoke(t.key, cli);
    const purged = await svc.purge(t.key, cli);
    expect(purged.bytes).toBe(usage.bytes);
    expect(purged.tenant.purged_at).toBe('2026-01-02T15:30:00Z');
    expect(fs.existsSync(dir)).toBe(false);
    expect((await svc.get(t.key))?.status).toBe('revoked');
    expect(await svc.diskUsage(t.key)).toEqual({ documents: 0, sessions: 0, bytes: 0 });
  });

  it('keeps the previous good version as tenants.json.bak', async () => {
    const svc = createTenantService({ dataDir, clock });
    const a = await svc.create({ name: 'A', email: 'a@a.io' }, cli);
    const afterFirst = fs.readFileSync(registryFile(), 'utf8');
    await svc.create({ name: 'B', email: 'b@b.io' }, cli);
    expect(fs.readFileSync(`${registryFile()}.bak`, 'utf8')).toBe(afterFirst);
    expect(JSON.parse(afterFirst).tenants.map((t: { key: string }) => t.key)).toEqual([a.key]);
  });

  it('a corrupt registry is a clear error naming the file and the backup, and is never overwritten', async () => {
    const svc = createTenantService({ dataDir, clock });
    const t = await svc.create({ name: 'A', email: 'a@a.io' }, cli);
    await svc.create({ name: 'B', email: 'b@b.io' }, cli);
    fs.writeFileSync(registryFile(), '{"version": 1, "tenants": [');
    const fresh = createTenantService({ dataDir, clock });
    const err = await fresh.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptFileError);
    expect((err as AppError).message).toContain(registryFile());
    expect((err as AppError).message).toMatch(/tenants\.json\.bak/);
    expect((err as AppError).message).toMatch(/cp /);
    await expect(fresh.create({ name: 'C', email: 'c@c.io' }, cli)).rejects.toBeInstanceOf(CorruptFileError);
    await expect(fresh.recordQuery(t.key)).rejects.toBeInstanceOf(CorruptFileError);
    await expect(svc.authenticate(t.key)).rejects.toBeInstanceOf(CorruptFileError);
    expect(fs.readFileSync(registryFile(), 'utf8')).toBe('{"version": 1, "tenants": [');

    fs.writeFileSync(registryFile(), '{"tenants": {"oops": true}}');
    await expect(fresh.list()).rejects.toThrow(/not a tenant registry/);
  });

  it('removes temp files left by a killed writer', async () => {
    const svc = createTenantService({ dataDir, clock });
    const adminDir = path.join(dataDir, '_admin');
    fs.mkdirSync(adminDir, { recursive: true });
    const leftover = path.join(adminDir, '.tenants.json.tmp-999999-abc');
    fs.writeFileSync(leftover, '{"half":');
    const old = new Date(Date.now() - 120_000);
    fs.utimesSync(leftover, old, old);
    await svc.create({ name: 'A', email: 'a@a.io' }, cli);
    expect(fs.existsSync(leftover)).toBe(false);
  });

  it('serialises concurrent writes in one process without losing any', async () => {
    const svc = createTenantService({ dataDir, clock });
    const t = await svc.create({ name: 'A', email: 'a@a.io' }, cli);
    await Promise.all([
      ...Array.from({ length: 20 }, () => svc.recordQuery(t.key, { inputTokens: 1 })),
      ...Array.from({ length: 5 }, (_, i) => svc.create({ name: `T${i}`, email: 't@t.io' }, cli)),
    ]);
    const after = await svc.get(t.key);
    expect(after?.query_count).toBe(20);
    expect(after?.tokens.input).toBe(20);
    expect(await svc.list()).toHaveLength(6);
  });

  it('audit appends free-form admin actions', async () => {
    const svc = createTenantService({ dataDir, clock });
    await svc.audit({
      action: 'export',
      tenant: 'a_AAAAAAAA',
      origin: { via: 'api', address: '::1' },
      detail: { x: 1 },
    });
    const lines = await readAudit(path.join(dataDir, '_admin', 'audit.jsonl'));
    expect(lines).toEqual([
      {
        ts: '2026-01-02T15:30:00Z',
        action: 'export',
        tenant: 'a_AAAAAAAA',
        via: 'api',
        address: '::1',
        detail: { x: 1 },
      },
    ]);
  });
});
