import { it } from 'vitest';
import { acmeFiles } from './acme-fixture.ts';
import { companyWith } from './real-pipeline.ts';

it('show acme', async () => {
  const c = await companyWith(await acmeFiles());
  const qs = (process.env.QS ?? '').split('|').filter(Boolean);
  for (const q of qs) {
    const r = await c.ask(q);
    console.log(`\n### ${q}\n${r.answer}\n[calls: ${r.calls.join(', ')}]`);
  }
  await c.close();
}, 60000);
