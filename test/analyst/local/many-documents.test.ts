import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Company, companyWith } from './real-pipeline.ts';

/**
 * A tenant with many near-identical documents (weekly updates): a question that names one of them is
 * answered from that one, not from whichever weekly update search ranks first.
 */
const PARTNERS = ['Arden Logistics', 'Birchway Labs', 'Corvid Systems', 'Dunmore Retail', 'Elmstead Health'];
const WEEKS = 80;

function weekly(n: number): { name: string; data: Buffer } {
  const partner = `${PARTNERS[n % PARTNERS.length]} ${n}`;
  const text = [
    `# Weekly update ${n}`,
    '',
    `This week we onboarded ${partner} as our partner for the pilot programme.`,
    '',
    `Pipeline reviews continued and the team shipped ${n % 7} improvements to the dashboard.`,
  ].join('\n');
  return { name: `weekly_update_${String(n).padStart(3, '0')}.md`, data: Buffer.from(text) };
}

describe('a tenant with many weekly updates', () => {
  let company: Company;
  beforeAll(async () => {
    company = await companyWith(Array.from({ length: WEEKS }, (_, i) => weekly(i + 1)));
  }, 120_000);
  afterAll(async () => {
    await company.close();
  });

  it('answers from the document the question names', async () => {
    for (const n of [75, 3, 42]) {
      const r = await company.ask(`Who was our partner in weekly update ${n}?`);
      expect(r.answer.split('\n')[0], r.answer).toContain(`${PARTNERS[n % PARTNERS.length]} ${n}`);
      expect(r.citations[0]).toMatchObject({ document_name: `weekly_update_${String(n).padStart(3, '0')}.md` });
    }
  });

  it('says so when the named document does not state it, naming the document it looked in', async () => {
    const r = await company.ask('Who was our lawyer in weekly update 12?');
    expect(r.answer).toMatch(/^I couldn't find/);
    expect(r.answer).toContain('weekly_update_012.md');
  });
});
