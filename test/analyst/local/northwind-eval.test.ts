import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figureFirst, numbersIn, VERDICT_RE } from './fake-context.ts';
import { type Company, companyWith, FIXTURES, filesIn } from './real-pipeline.ts';

/** The evaluation's twenty Northwind questions, scored as run.mjs scores them, over the real tools. */
interface Expect {
  kind: 'number' | 'percent' | 'text' | 'benchmark';
  value?: number;
  abs_tol?: number;
  rel_tol?: number;
  any?: string[];
}
const NW = path.join(FIXTURES, 'northwind');
const set = JSON.parse(fs.readFileSync(path.join(NW, 'questions.json'), 'utf8')) as {
  questions: Array<{ id: string; question: string; expect: Expect }>;
};

function passes(expect: Expect, answer: string): boolean {
  const tol = expect.abs_tol !== undefined ? { abs: expect.abs_tol } : { rel: expect.rel_tol ?? 0 };
  switch (expect.kind) {
    case 'number':
    case 'percent':
      return figureFirst(answer, expect.value ?? Number.NaN, tol);
    case 'text':
      return (expect.any ?? []).some((t) => answer.toLowerCase().includes(t.toLowerCase()));
    case 'benchmark':
      return (
        figureFirst(answer, expect.value ?? Number.NaN, tol) &&
        numbersIn(answer).some((n) => Math.abs(n - (expect.value ?? 0)) > (expect.abs_tol ?? 0)) &&
        VERDICT_RE.test(answer)
      );
  }
}

let company: Company;
beforeAll(async () => {
  company = await companyWith(filesIn(NW, /^northwind_.*\.(csv|md|xlsx)$/));
});
afterAll(async () => company?.close());

describe('Northwind evaluation (real tools)', () => {
  const results: Array<{ id: string; ok: boolean }> = [];
  for (const q of set.questions) {
    it(`${q.id}: ${q.question}`, async () => {
      const r = await company.ask(q.question);
      const ok = passes(q.expect, r.answer);
      results.push({ id: q.id, ok });
      if (!ok) console.log(`FAIL ${q.id}\n${r.answer}\n--- calls: ${r.calls.join(', ')}\n`);
      expect(r.answer.length).toBeGreaterThan(0);
    });
  }
  it('scores at least 18 of 20 (the goal is ≥ 90%)', () => {
    const passed = results.filter((r) => r.ok).length;
    console.log(
      `Northwind: ${passed}/${results.length} — failed: ${results
        .filter((r) => !r.ok)
        .map((r) => r.id)
        .join(', ')}`,
    );
    expect(passed).toBeGreaterThanOrEqual(18);
  });
});
