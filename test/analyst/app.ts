import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createAnalystService } from '../../src/analyst/service.ts';
import type { Engine } from '../../src/analyst/types.ts';
import { createToolPorts } from '../../src/analyst/wiring.ts';
import { type Config, loadConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/lib/clock.ts';
import { buildApp } from '../../src/server/app.ts';
import { createServices, type Services } from '../../src/server/services.ts';
import type { LangfuseExporter } from '../../src/traces/langfuse.ts';

export interface AnalystTestApp {
  app: FastifyInstance;
  config: Config;
  services: Services;
  dataDir: string;
  createTenant(name?: string): Promise<string>;
  asTenant(key: string, opts: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/**
 * Like test/server/helpers.ts buildTestApp, with a chosen engine (a scripted one, so route tests do
 * not depend on the local planner) and a chosen Langfuse exporter.
 */
export async function buildAnalystApp(
  opts: { engine?: Engine; env?: Record<string, string>; langfuse?: LangfuseExporter | null } = {},
): Promise<AnalystTestApp> {
  const root = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-analyst-app-'));
  const dataDir = path.join(root, 'data');
  await fs.promises.mkdir(dataDir, { recursive: true });
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...opts.env }, root);
  const clock = fixedClock('2026-01-10T12:00:00Z');
  const services = await createServices(config, clock);
  await services.analyst.close();
  services.analyst = createAnalystService({
    config,
    clock,
    tenants: services.tenants,
    ports: createToolPorts({ documents: services.documents, graph: services.graph }),
    ...(opts.engine ? { engine: opts.engine } : {}),
    ...(opts.langfuse !== undefined ? { langfuse: opts.langfuse } : {}),
  });
  const app = await buildApp({ config, clock, services, logger: false, webDir: path.join(root, 'no-web') });
  await app.ready();
  let n = 0;
  return {
    app,
    config,
    services,
    dataDir,
    async createTenant(name) {
      n += 1;
      const t = await services.tenants.create(
        { name: name ?? `Tenant ${n}`, email: `t${n}@example.com` },
        { via: 'cli' },
      );
      return t.key;
    },
    asTenant(key, injectOpts) {
      return app.inject({ ...injectOpts, headers: { ...injectOpts.headers, authorization: `Bearer ${key}` } });
    },
    async close() {
      await app.close();
      await services.analyst.close();
      await services.documents.close();
      await fs.promises.rm(root, { recursive: true, force: true });
    },
  };
}

/** Parses an SSE body into its events. */
export function sseEvents(body: string): Array<{ event: string; data: Record<string, unknown> }> {
  return body
    .split('\n\n')
    .filter((f) => f.trim())
    .map((frame) => {
      const event = /^event: (.+)$/m.exec(frame)?.[1] ?? '';
      const data = /^data: (.+)$/m.exec(frame)?.[1] ?? '{}';
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}
