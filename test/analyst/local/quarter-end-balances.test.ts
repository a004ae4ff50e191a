import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abstains } from '../companies/check.ts';
import { type Company, companyWith } from './real-pipeline.ts';

/**
 * A board pack that gives cash only at quarter ends (in EUR k, with decimal commas): a quarter's net burn
 * is the fall in cash over it, and a month inside a quarter has no balance of its own — it is never
 * answered with the quarter-end figure as if it were that month's.
 */
const pack = [
  '# Board pack Q2 2025',
  '',
  'All amounts in EUR thousands.',
  '',
  '| EUR k | Q4 2024 | Q1 2025 | Q2 2025 |',
  '|---|---:|---:|---:|',
  '| Revenue | 610,2 | 699,0 | 742,3 |',
  '| Cash at quarter end | 4.533,4 | 4.275,4 | 4.100,0 |',
].join('\n');

let company: Company;
beforeAll(async () => {
  company = await companyWith([{ name: 'board_pack_q2_2025.md', data: Buffer.from(pack) }]);
}, 60_000);
afterAll(async () => company?.close());

describe('cash given only at quarter ends', () => {
  it('gives a quarter-end balance for the quarter and for its last month', async () => {
    for (const q of ['cash at the end of q1 2025', 'cash at the end of march 2025']) {
      const r = await company.ask(q);
      expect(r.answer.split('\n')[0], q).toMatch(/4,275,400/);
    }
  });

  it('does not state the quarter-end balance as a month inside the quarter', async () => {
    const r = await company.ask('cash at the end of february 2025');
    expect(abstains(r.answer)).toBe(true);
    expect(r.answer.split('\n')[0]).toMatch(/only at the end of each quarter/);
  });

  it("computes a quarter's net burn as the fall in cash over it", async () => {
    const r = await company.ask('net burn in q2 2025');
    expect(r.answer.split('\n')[0]).toMatch(/175,400/);
  });
});
