import fs from 'node:fs';
import path from 'node:path';
import { it } from 'vitest';
import { companyWith, FIXTURES, filesIn } from './real-pipeline.ts';

it('show', async () => {
  const NW = path.join(FIXTURES, 'northwind');
  const set = JSON.parse(fs.readFileSync(path.join(NW, 'questions.json'), 'utf8'));
  const c = await companyWith(filesIn(NW, /\.(csv|md|xlsx)$/));
  const extra = (process.env.QS ?? '').split('|').filter(Boolean);
  const qs = extra.length ? extra : set.questions.map((q: { question: string }) => q.question);
  for (const q of qs) {
    const r = await c.ask(q);
    console.log(
      `\n### ${q}\n${r.answer}\n[calls: ${r.calls.join(', ')}] [metrics: ${JSON.stringify(r.metrics.map((m) => ({ m: m.metric, v: m.value, n: m.series.length, b: m.benchmark })))}]`,
    );
  }
  await c.close();
}, 60000);
