import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docx } from '../../fixtures/companies/lib.ts';
import { abstains } from '../companies/check.ts';
import { type Company, companyWith } from './real-pipeline.ts';

/**
 * Prose as a European company writes it: names with accents, a board *pack*, euros. Asked as founders
 * ask, through the real pipeline.
 */
const PACK = docx([
  { h: 'Board pack Q3 2025' },
  { p: 'At the current spending plan management expects 23 months of runway.' },
  { p: 'We plan to add 7 people by the end of Q1 2026, four of them in sales.' },
  { p: 'Anna Weber joined as Chief Financial Officer in May 2025.' },
]);
const NOTES = `# Team notes

- Bäckerei Hofmann (46 branches) is our largest customer, paying €3.900 per month.
- Our POS integration partner is Kassenwerk.
`;

let company: Company;
beforeAll(async () => {
  company = await companyWith([
    { name: 'Example_Board_Pack_Q3_2025.docx', data: PACK },
    { name: 'example_team_notes.md', data: Buffer.from(NOTES) },
  ]);
}, 60_000);
afterAll(async () => company?.close());

const first = (answer: string) => answer.split('\n\n')[0] ?? '';

describe('prose with accents, a board pack and euros', () => {
  it('names a customer whose name has an accent in full', async () => {
    expect(first((await company.ask('who is our largest customer')).answer)).toMatch(/^\*\*Bäckerei Hofmann\.\*\*/);
  });

  it('finds the sentence about a customer named with an accent', async () => {
    expect(first((await company.ask('how much does Bäckerei Hofmann pay per month')).answer)).toContain('€3.900');
  });

  it('"according to the board pack" looks in the board pack', async () => {
    const r = await company.ask('runway according to the board pack');
    expect(r.answer).toContain('23 months');
    expect(r.citations[0]).toMatchObject({ document_name: 'Example_Board_Pack_Q3_2025.docx' });
  });

  it('reads "adding people" as hiring', async () => {
    expect(first((await company.ask('how many people are we hiring by q1 2026')).answer)).toContain('7 people');
  });

  it('a question for what someone is paid is not answered with who they are', async () => {
    for (const q of ['what do we pay the cfo', "what's the CFO's salary"]) {
      const r = await company.ask(q);
      expect(abstains(r.answer), q).toBe(true);
      expect(r.answer).not.toContain('Anna Weber');
    }
  });
});
