import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { systemClock } from '../src/lib/clock.ts';
import { buildApp } from '../src/server/app.ts';
import { createLogger } from '../src/server/logger.ts';
import { createTenantService } from '../src/tenants/service.ts';
const dataDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'x-'));
const svc = createTenantService({ dataDir, clock: systemClock });
const t = await svc.create({ name: 'Acme', email: 'a@b.com' }, { via: 'cli' });
const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'info' }, dataDir);
const app = await buildApp({ config, clock: systemClock, logger: createLogger('info', pino.destination({ dest: '/dev/null', sync: false })) });
await app.ready();
const bare = Fastify();
bare.get('/bare', async () => ({ ok: true }));
await bare.ready();
async function time(label: string, f: () => Promise<unknown>, n = 3000) {
  for (let i = 0; i < 200; i++) await f();
  const t0 = process.cpuUsage();
  for (let i = 0; i < n; i++) await f();
  const u = process.cpuUsage(t0);
  console.log(label, ((u.user + u.system) / n).toFixed(0), 'µs cpu/req');
}
const auth = { authorization: `Bearer ${t.key}` };
for (let r = 0; r < 3; r++) {
  await time('bare', () => bare.inject({ url: '/bare' }));
  await time('health', () => app.inject({ url: '/api/health' }));
  await time('me', () => app.inject({ url: '/api/me', headers: auth }));
}
