// Dev helper (not a test): `QS="q1|q2" npx tsx test/analyst/local/dev-show.ts [northwind|acme]`.
import path from 'node:path';
import { acmeFiles } from './acme-fixture.ts';
import { companyWith, FIXTURES, filesIn } from './real-pipeline.ts';

const which = process.argv[2] ?? 'northwind';
const files = which === 'acme' ? await acmeFiles() : filesIn(path.join(FIXTURES, 'northwind'), /\.(csv|md|xlsx)$/);
const c = await companyWith(files.filter((f) => f.name !== 'README.md'));
for (const q of (process.env.QS ?? '').split('|').filter(Boolean)) {
  const r = await c.ask(q);
  console.log(`\n### ${q}\n${r.answer}\n[calls: ${r.calls.join(', ')}]`);
}
await c.close();
