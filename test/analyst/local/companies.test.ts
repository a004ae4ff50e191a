import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abstains, type Expect, passes } from './eval-check.ts';
import { type Company, companyWith, filesIn } from './real-pipeline.ts';

/**
 * Companies written for the analyst redesign (issue 11), in the evaluation's format (documents/ and
 * questions.json): casual and misspelt questions, answers stated only in prose, and questions the
 * documents cannot answer. Every question must pass and none may be confidently wrong.
 */
const ROOT = path.join(import.meta.dirname, '..', 'companies');
const sets = fs.readdirSync(ROOT).filter((d) => fs.existsSync(path.join(ROOT, d, 'questions.json')));

for (const name of sets) {
  const set = JSON.parse(fs.readFileSync(path.join(ROOT, name, 'questions.json'), 'utf8')) as {
    company: string;
    questions: Array<{ id: string; question: string; expect: Expect }>;
  };
  describe(`${set.company} (real pipeline, eval format)`, () => {
    let company: Company;
    beforeAll(async () => {
      company = await companyWith(filesIn(path.join(ROOT, name, 'documents')));
    }, 60_000);
    afterAll(async () => {
      await company.close();
    });

    it('answers every question, and is never confidently wrong', async () => {
      const failed: string[] = [];
      let confidentlyWrong = 0;
      for (const q of set.questions) {
        const r = await company.ask(q.question);
        if (passes(q.expect, r.answer)) continue;
        failed.push(`${q.id}: ${r.answer.replace(/\s+/g, ' ').slice(0, 200)}`);
        if (!abstains(r.answer)) confidentlyWrong += 1;
      }
      expect(failed).toEqual([]);
      expect(confidentlyWrong).toBe(0);
    }, 120_000);
  });
}
