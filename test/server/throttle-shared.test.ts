import type { FastifyBaseLogger } from 'fastify';
import { describe, expect, test, vi } from 'vitest';
import { AuthThrottle } from '../../src/server/plugins/throttle.ts';
import { memoryCounter, type SharedCounter } from '../../src/storage/counters.ts';

const fakeLog = () => ({ warn: vi.fn() }) as unknown as FastifyBaseLogger & { warn: ReturnType<typeof vi.fn> };
const settle = () => new Promise((resolve) => setImmediate(resolve));
const blocked = (t: AuthThrottle, address: string) => {
  try {
    t.check(address);
    return false;
  } catch (err) {
    return (err as { code?: string }).code === 'too_many_attempts';
  }
};

describe('failed-login throttle with a counter shared by instances', () => {
  test('failures spread over two instances block the address on both (at most one extra per instance)', async () => {
    const shared = memoryCounter();
    const now = () => 1_000;
    const a = new AuthThrottle(fakeLog(), { perAddress: 6, windowMs: 60_000, now, shared });
    const b = new AuthThrottle(fakeLog(), { perAddress: 6, windowMs: 60_000, now, shared });
    let attempts = 0;
    for (let i = 0; i < 20; i++) {
      const t = i % 2 ? a : b;
      if (blocked(t, '198.51.100.7')) continue;
      t.fail('198.51.100.7');
      attempts += 1;
      await settle();
    }
    expect(attempts).toBeLessThanOrEqual(6 + 1);
    expect(blocked(a, '198.51.100.7')).toBe(true);
    expect(blocked(b, '198.51.100.7')).toBe(true);
    // Another address is untouched.
    expect(blocked(a, '198.51.100.8')).toBe(false);
  });

  test('without the shared counter each instance counts alone (the old behaviour, N × the limit)', async () => {
    const a = new AuthThrottle(fakeLog(), { perAddress: 6, windowMs: 60_000, now: () => 1_000 });
    const b = new AuthThrottle(fakeLog(), { perAddress: 6, windowMs: 60_000, now: () => 1_000 });
    let attempts = 0;
    for (let i = 0; i < 20; i++) {
      const t = i % 2 ? a : b;
      if (blocked(t, '198.51.100.7')) continue;
      t.fail('198.51.100.7');
      attempts += 1;
    }
    expect(attempts).toBe(12);
  });

  test('a shared counter that fails is logged and the instance keeps counting locally', async () => {
    const broken: SharedCounter = {
      increment: () => Promise.reject(new Error('database down')),
      get: () => Promise.reject(new Error('database down')),
    };
    const log = fakeLog();
    const t = new AuthThrottle(log, { perAddress: 2, windowMs: 60_000, now: () => 1_000, shared: broken });
    t.fail('198.51.100.9');
    t.fail('198.51.100.9');
    await settle();
    expect(blocked(t, '198.51.100.9')).toBe(true);
    expect(log.warn).toHaveBeenCalled();
  });
});
