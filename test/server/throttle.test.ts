import type { FastifyBaseLogger } from 'fastify';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { AuthThrottle } from '../../src/server/plugins/throttle.ts';
import { buildTestApp, errorCode, TEST_ADMIN_SECRET, type TestApp } from './helpers.ts';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const login = (app: TestApp['app'], key: string, remoteAddress: string) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { access_key: key }, remoteAddress });

describe('failed-authentication throttling', () => {
  test('a burst of bad keys → 429 with Retry-After; a real tenant elsewhere still logs in', async () => {
    t = await buildTestApp();
    const acme = await t.createTenant('Acme Corp');
    for (let i = 0; i < 10; i++) {
      const res = await login(t.app, `acme_corp_GUESS${String(i).padStart(3, '0')}`, '203.0.113.9');
      expect(res.statusCode).toBe(401);
    }
    const blocked = await login(t.app, 'acme_corp_GUESS999', '203.0.113.9');
    expect(blocked.statusCode).toBe(429);
    expect(errorCode(blocked)).toBe('too_many_attempts');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    // The blocked address learns nothing, even with the right key.
    expect((await login(t.app, acme.key, '203.0.113.9')).statusCode).toBe(429);
    // Bearer failures from the blocked address are refused too.
    const bearer = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: 'Bearer acme_corp_GUESS998' },
      remoteAddress: '203.0.113.9',
    });
    expect(bearer.statusCode).toBe(429);

    // The real tenant, from its own address, is not affected.
    expect((await login(t.app, acme.key, '198.51.100.7')).statusCode).toBe(200);
    const me = await t.app.inject({
      method: 'GET',
      url: '/api/me',
      headers: { authorization: `Bearer ${acme.key}` },
      remoteAddress: '198.51.100.7',
    });
    expect(me.statusCode).toBe(200);
  });

  test('bearer failures count; successes never do; missing headers are not guesses', async () => {
    t = await buildTestApp();
    const acme = await t.createTenant('Acme Corp');
    for (let i = 0; i < 30; i++) expect((await login(t.app, acme.key, '192.0.2.1')).statusCode).toBe(200);
    for (let i = 0; i < 30; i++) {
      const res = await t.app.inject({ method: 'GET', url: '/api/me', remoteAddress: '192.0.2.1' });
      expect(errorCode(res)).toBe('missing_access_key');
    }
    for (let i = 0; i < 10; i++) {
      await t.app.inject({
        method: 'GET',
        url: '/api/me',
        headers: { authorization: `Bearer nope_${i}AAAAAAA` },
        remoteAddress: '192.0.2.1',
      });
    }
    expect(errorCode(await login(t.app, acme.key, '192.0.2.1'))).toBe('too_many_attempts');
  });

  test('behind a proxy (TRUST_PROXY) the forwarded client address is throttled, not the proxy', async () => {
    t = await buildTestApp({ env: { TRUST_PROXY: '1' } });
    const acme = await t.createTenant('Acme Corp');
    const viaProxy = (key: string, client: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { access_key: key },
        remoteAddress: '10.0.0.1',
        headers: { 'x-forwarded-for': client },
      });
    // A guesser cannot escape by choosing its own X-Forwarded-For: the proxy appends the real address.
    for (let i = 0; i < 10; i++) {
      await viaProxy(`acme_corp_GUESS${String(i).padStart(3, '0')}`, `192.0.2.${i}, 203.0.113.9`);
    }
    expect(errorCode(await viaProxy(acme.key, '203.0.113.9'))).toBe('too_many_attempts');
    expect((await viaProxy(acme.key, '198.51.100.7')).statusCode).toBe(200);
  });

  test('wrong admin secrets are throttled like bad keys', async () => {
    t = await buildTestApp();
    for (let i = 0; i < 10; i++) {
      const res = await t.app.inject({
        method: 'GET',
        url: '/api/admin/stats',
        headers: { 'x-admin-secret': `wrong-secret-${i}-xxxxxxxx` },
        remoteAddress: '203.0.113.50',
      });
      expect(res.statusCode).toBe(403);
    }
    const blocked = await t.app.inject({
      method: 'GET',
      url: '/api/admin/stats',
      headers: { 'x-admin-secret': TEST_ADMIN_SECRET },
      remoteAddress: '203.0.113.50',
    });
    expect(blocked.statusCode).toBe(429);
    const elsewhere = await t.app.inject({
      method: 'GET',
      url: '/api/admin/stats',
      headers: { 'x-admin-secret': TEST_ADMIN_SECRET },
      remoteAddress: '198.51.100.1',
    });
    expect(elsewhere.statusCode).toBe(200);
  });

  test('tenant and admin attempts have separate buckets: bad keys do not lock the operator out', async () => {
    t = await buildTestApp();
    const acme = await t.createTenant('Acme Corp');
    const address = '203.0.113.77';
    for (let i = 0; i < 10; i++) {
      expect((await login(t.app, `acme_corp_GUESS${String(i).padStart(3, '0')}`, address)).statusCode).toBe(401);
    }
    expect((await login(t.app, acme.key, address)).statusCode).toBe(429);
    // The operator with the right secret, from the same address, gets in at once.
    const admin = (secret: string) =>
      t.app.inject({
        method: 'GET',
        url: '/api/admin/stats',
        headers: { 'x-admin-secret': secret },
        remoteAddress: address,
      });
    expect((await admin(TEST_ADMIN_SECRET)).statusCode).toBe(200);
    // And wrong admin secrets fill the admin bucket only.
    for (let i = 0; i < 10; i++) expect((await admin(`wrong-secret-${i}-xxxxxxxx`)).statusCode).toBe(403);
    expect((await admin(TEST_ADMIN_SECRET)).statusCode).toBe(429);
    expect((await login(t.app, acme.key, '198.51.100.77')).statusCode).toBe(200);
  });
});

describe('AuthThrottle', () => {
  const fakeLog = () => ({ warn: vi.fn() }) as unknown as FastifyBaseLogger & { warn: ReturnType<typeof vi.fn> };

  test('the window ends and the address may try again', () => {
    let now = 1_000_000;
    const throttle = new AuthThrottle(fakeLog(), { perAddress: 3, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 3; i++) throttle.fail('a');
    expect(() => throttle.check('a')).toThrow(/too many/i);
    now += 30_000;
    const err = (() => {
      try {
        throttle.check('a');
      } catch (e) {
        return e as { status: number; headers: Record<string, string> };
      }
    })();
    expect(err?.status).toBe(429);
    expect(err?.headers['Retry-After']).toBe('30');
    now += 30_000;
    expect(() => throttle.check('a')).not.toThrow();
  });

  test('a global budget of failures logs one warning per window', () => {
    let now = 0;
    const log = fakeLog();
    const throttle = new AuthThrottle(log, { perAddress: 100, globalBudget: 5, windowMs: 60_000, now: () => now });
    for (let i = 0; i < 20; i++) throttle.fail(`10.0.0.${i}`);
    expect(log.warn).toHaveBeenCalledTimes(1);
    expect(String(log.warn.mock.calls[0]?.[1])).toMatch(/budget/);
    now += 61_000;
    for (let i = 0; i < 6; i++) throttle.fail(`10.0.1.${i}`);
    expect(log.warn).toHaveBeenCalledTimes(2);
  });

  test('memory stays bounded under a spray of addresses', () => {
    const throttle = new AuthThrottle(fakeLog(), { maxAddresses: 100, globalBudget: 1e9 });
    for (let i = 0; i < 1000; i++) throttle.fail(`addr-${i}`);
    expect((throttle as unknown as { entries: Map<string, unknown> }).entries.size).toBeLessThanOrEqual(100);
  });
});
