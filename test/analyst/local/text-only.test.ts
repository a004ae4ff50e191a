import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figureFirst } from './fake-context.ts';
import { type Company, companyWith } from './real-pipeline.ts';

/** A company that uploaded only prose: figures are quoted from the text, and the answer says what to upload. */
const MEMO = [
  '# Fabrikam Labs — monthly note, April 2026',
  '',
  '## Numbers',
  '- We ended April at $486,000 of MRR with 212 paying customers.',
  '- Net burn was $310,000 in April; cash on hand is $5.2M.',
  '',
  '## People',
  '- Our head of sales, Dana Whitfield, joined on 2026-03-02.',
].join('\n');

let company: Company;
beforeAll(async () => {
  company = await companyWith([{ name: 'fabrikam_note_apr_2026.md', data: Buffer.from(MEMO) }]);
});
afterAll(async () => company?.close());

describe('a company with text only (real tools)', () => {
  it('quotes the sentence that states the figure, then says which document would let it compute', async () => {
    const r = await company.ask('What is our MRR?');
    expect(figureFirst(r.answer, 486_000, { rel: 0 })).toBe(true);
    expect(r.answer.split('\n')[0]).toContain('We ended April at $486,000 of MRR');
    expect(r.answer).toMatch(/upload a monthly metrics export/i);
    expect(r.citations[0]).toMatchObject({ document_name: 'fabrikam_note_apr_2026.md' });
  });

  it('says plainly when nothing answers', async () => {
    const r = await company.ask('What is our burn multiple?');
    expect(r.answer).toMatch(/can't give \*\*Burn multiple\*\*|can't compute \*\*Burn multiple\*\*/);
  });

  it('answers a who question from the text', async () => {
    const r = await company.ask('Who is our head of sales?');
    expect(r.answer.split('\n')[0]).toContain('Dana Whitfield');
  });
});

describe('a figure the tables lack but the text states (real tools)', () => {
  let mixed: Company;
  beforeAll(async () => {
    const csv = ['month,mrr,customers', '2026-01,400000,180', '2026-02,415000,184', '2026-03,431000,190'].join('\n');
    const memo = [
      '# Q1 2026 investor update',
      '',
      '- Adjusted EBITDA for Q1 2026 was -$410,000, better than plan.',
      '- Our largest customer pays $9,000 MRR.',
    ].join('\n');
    mixed = await companyWith([
      { name: 'kpis.csv', data: Buffer.from(csv) },
      { name: 'q1_update.md', data: Buffer.from(memo) },
    ]);
  });
  afterAll(async () => mixed?.close());

  it('quotes the sentence for the missing metric, then says what to upload', async () => {
    const r = await mixed.ask('What was EBITDA in Q1 2026?');
    expect(r.answer.split('\n')[0]).toContain('Adjusted EBITDA for Q1 2026 was -$410,000');
    expect(figureFirst(r.answer, 410_000, { rel: 0 })).toBe(true);
    expect(r.answer).toMatch(/upload a P&L/);
  });

  it('does not take one customer’s figure for the company’s', async () => {
    const r = await mixed.ask('What is our MRR?');
    expect(r.answer.split('\n')[0]).toBe('**MRR at the end of March 2026 is $431,000.**');
  });
});
