import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { type Config, loadConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { buildApp } from '../../src/server/app.ts';
import type { ThrottleOptions } from '../../src/server/plugins/throttle.ts';
import { createServices, type Services } from '../../src/server/services.ts';
import type { TenantRecord } from '../../src/tenants/types.ts';

export const TEST_ADMIN_SECRET = 'test-admin-secret-0123456789';
export const TEST_NOW = '2026-01-10T12:00:00Z';

export interface TestApp {
  app: FastifyInstance;
  config: Config;
  clock: ReturnType<typeof fixedClock>;
  services: Services;
  dataDir: string;
  /** Creates an active tenant through the service (as the CLI would) and returns its record. */
  createTenant(name?: string, email?: string): Promise<TenantRecord>;
  /** `app.inject` with `Authorization: Bearer <key>`. */
  asTenant(key: string, opts: InjectOptions): Promise<LightMyRequestResponse>;
  /** `app.inject` with the admin secret. */
  asAdmin(opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Extra environment (e.g. `{ ADMIN_SECRET: '' }` to disable the admin API). */
  env?: Record<string, string>;
  now?: string;
  webDir?: string;
  throttle?: ThrottleOptions;
}

/**
 * An in-process server over a fresh temp DATA_DIR with a fixed clock and an ADMIN_SECRET; reuse it
 * in any server-facing test (`const t = await buildTestApp(); … await t.close()`).
 */
export async function buildTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-server-'));
  const dataDir = path.join(root, 'data');
  const config = loadConfig(
    { DATA_DIR: dataDir, ADMIN_SECRET: TEST_ADMIN_SECRET, LOG_LEVEL: 'silent', ...opts.env },
    root,
  );
  await fs.promises.mkdir(dataDir, { recursive: true });
  const clock = fixedClock(opts.now ?? TEST_NOW);
  const services = await createServices(config, clock);
  const app = await buildApp({
    config,
    clock,
    services,
    logger: false,
    webDir: opts.webDir ?? path.join(root, 'no-web'),
    throttle: opts.throttle,
  });
  await app.ready();

  let counter = 0;
  return {
    app,
    config,
    clock,
    services,
    dataDir,
    async createTenant(name, email) {
      counter += 1;
      return services.tenants.create(
        { name: name ?? `Tenant ${counter}`, email: email ?? `ops${counter}@example.com` },
        { via: 'cli' },
      );
    },
    asTenant(key, injectOpts) {
      return app.inject({ ...injectOpts, headers: { ...injectOpts.headers, authorization: `Bearer ${key}` } });
    },
    asAdmin(injectOpts) {
      return app.inject({ ...injectOpts, headers: { ...injectOpts.headers, 'x-admin-secret': TEST_ADMIN_SECRET } });
    },
    async close() {
      await app.close();
      await fs.promises.rm(root, { recursive: true, force: true });
    },
  };
}

/** The error code of a JSON error response (`{"error": {"code", "message"}}`). */
export function errorCode(res: LightMyRequestResponse): string | undefined {
  try {
    return (res.json() as { error?: { code?: string } }).error?.code;
  } catch {
    return undefined;
  }
}
