import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createAnalystService } from '../../src/analyst/service.ts';
import { createToolPorts } from '../../src/analyst/wiring.ts';
import { loadConfig } from '../../src/config.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { buildApp } from '../../src/server/app.ts';
import { createLogger } from '../../src/server/logger.ts';
import { createServices, type Services } from '../../src/server/services.ts';

export const ADMIN = 'fault-admin-secret-0123456789';

export interface FaultApp {
  app: FastifyInstance;
  services: Services;
  dataDir: string;
  /** Every log line the server wrote (JSON text). */
  lines: string[];
  asTenant(key: string, opts: InjectOptions): Promise<LightMyRequestResponse>;
  asAdmin(opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The real server (in-process) over `dataDir`, logging at info into `lines`. */
export async function buildFaultApp(dataDir: string): Promise<FaultApp> {
  await fs.promises.mkdir(dataDir, { recursive: true });
  const root = path.dirname(dataDir);
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const config = loadConfig({ DATA_DIR: dataDir, ADMIN_SECRET: ADMIN, LOG_LEVEL: 'info' }, root);
  const services = await createServices(config, systemClock);
  // The analyst's own logger writes to the same lines (in the server it is stdout for both).
  await services.analyst.close();
  services.analyst = createAnalystService({
    config,
    clock: systemClock,
    tenants: services.tenants,
    ports: createToolPorts({ documents: services.documents, graph: services.graph }),
    log: createLogger('info', stream).child({ component: 'analyst' }),
  });
  const app = await buildApp({ config, services, logger: { stream }, webDir: path.join(root, 'no-web') });
  await app.ready();
  return {
    app,
    services,
    dataDir,
    lines,
    asTenant: (key, o) => app.inject({ ...o, headers: { ...o.headers, authorization: `Bearer ${key}` } }),
    asAdmin: (o) => app.inject({ ...o, headers: { ...o.headers, 'x-admin-secret': ADMIN } }),
    async close() {
      await app.close();
      await services.analyst.close();
      await services.documents.close();
    },
  };
}

export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}
