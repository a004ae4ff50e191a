/**
 * A separate process hammering the registry, for the concurrency and crash tests:
 *   node --import tsx test/tenants/worker.ts DATA_DIR ID CREATES QUERIES_ON_KEY [KEY]
 * With QUERIES = -1 it records queries forever (until killed).
 */
import { systemClock } from '../../src/lib/clock.ts';
import { createTenantService } from '../../src/tenants/service.ts';

const [dataDir, id, creates, queries, key] = process.argv.slice(2);
if (!dataDir || !id || !creates || !queries) throw new Error('usage: worker DATA_DIR ID CREATES QUERIES [KEY]');
const svc = createTenantService({ dataDir, clock: systemClock });
const origin = { via: 'cli' } as const;

const c = Number(creates);
const n = Number(queries);
for (let i = 0; n < 0 || i < Math.max(c, n); i++) {
  if (i < c) await svc.create({ name: `Worker ${id} tenant ${i}`, email: `w${id}@example.com` }, origin);
  if (key && (n < 0 || i < n)) {
    await svc.recordQuery(key, { inputTokens: 1, outputTokens: 2 });
    await svc.recordLogin(key);
  }
  if (n < 0 && i === 0) process.stdout.write('started\n');
}
