import path from 'node:path';
import { companyWith, filesIn } from './test/analyst/local/real-pipeline.ts';
const [dir, ...qs] = process.argv.slice(2);
const c = await companyWith(filesIn(path.join('test/fixtures/companies', dir!, 'documents')));
for (const q of qs) { const r = await c.ask(q); console.log('Q:', q, '\n', r.answer.slice(0, 500), '\n'); }
await c.close();
