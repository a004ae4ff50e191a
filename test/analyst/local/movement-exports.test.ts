import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPeriods, hasFreePeriodNoun, yearBeforeCues } from '../../../src/analyst/local/parse-periods.ts';
import { parseQuestion } from '../../../src/analyst/local/parse-question.ts';
import { readRecordQuestion } from '../../../src/analyst/local/record-answers.ts';
import { type Company, companyWith } from './real-pipeline.ts';

/**
 * MRR movement exports of other billing tools than the fixtures' (issue 11): a stated net movement, a
 * reactivation column, an event word (`Churned`, `Cancellations`) heading a count of customers; and the
 * questions asked of them: net new MRR, growth against last year, the best month of a rate when a memo
 * also states it by quarter, the month with the most of a count. Every figure is worked out here from
 * the rows written, never copied from an answer.
 */
const first = (s: string) => s.split('\n')[0];
const usd = (n: number) => `$${Math.round(n).toLocaleString('en-US')}`;

interface Row {
  month: string;
  newMrr: number;
  upsell: number;
  winBack: number;
  downsell: number;
  lost: number;
  newAccounts: number;
  lostAccounts: number;
}

/** Fourteen months, January 2024 – February 2025, from 80,000 MRR and 200 accounts. */
const ROWS: Row[] = Array.from({ length: 14 }, (_, i) => ({
  month: `${2024 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`,
  newMrr: 3_000 + 150 * ((i * 7) % 5),
  upsell: 900 + 120 * ((i * 3) % 4),
  // April 2024 wins back far more than any other month: its net retention is the best (reactivation
  // must not count there), while September 2024's upsell makes it the best month by NRR.
  winBack: i === 3 ? 2_500 : 100 + 10 * i,
  downsell: 400 + 35 * ((i * 5) % 3),
  lost: 1_100 + 90 * ((i * 2) % 5),
  newAccounts: 9 + ((i * 5) % 7),
  lostAccounts: 3 + ((i * 3) % 4),
}));
ROWS[8]!.upsell = 4_800;

const ends: Array<{ mrr: number; accounts: number; start: number; startAccounts: number }> = [];
{
  let mrr = 80_000;
  let accounts = 200;
  for (const r of ROWS) {
    const start = mrr;
    const startAccounts = accounts;
    mrr += r.newMrr + r.upsell + r.winBack - r.downsell - r.lost;
    accounts += r.newAccounts - r.lostAccounts;
    ends.push({ mrr, accounts, start, startAccounts });
  }
}
const monthEnd = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return `${mo}/${new Date(Date.UTC(y, mo, 0)).getUTCDate()}/${y}`;
};
const idx = (m: string) => ROWS.findIndex((r) => r.month === m);
const netNew = (m: string) => ends[idx(m)]!.mrr - ends[idx(m)]!.start;
const nrr = (i: number) =>
  ((ends[i]!.start + ROWS[i]!.upsell - ROWS[i]!.downsell - ROWS[i]!.lost) / ends[i]!.start) * 100;

/** A billing export with a stated net movement and a win-back column (not the fixtures' header names). */
const STATED = [
  'Month end,Closing MRR,Net change in MRR,New MRR,Upsell MRR,Win-back MRR,Downsell MRR,Lost MRR,Active accounts,New accounts,Lost accounts',
  ...ROWS.map((r, i) =>
    [
      monthEnd(r.month),
      ends[i]!.mrr,
      ends[i]!.mrr - ends[i]!.start,
      r.newMrr,
      r.upsell,
      r.winBack,
      -r.downsell,
      -r.lost,
      ends[i]!.accounts,
      r.newAccounts,
      -r.lostAccounts,
    ].join(','),
  ),
].join('\n');

/** A memo that states NRR for two quarters only. */
const MEMO = [
  '# Quarterly review',
  '',
  '| KPI | Q3 2024 | Q4 2024 |',
  '| --- | --- | --- |',
  '| Net revenue retention | 99.1% | 100.2% |',
].join('\n');

describe('an export that states its net MRR movement and has reactivation (real pipeline)', () => {
  let company: Company;
  beforeAll(async () => {
    company = await companyWith([
      { name: 'mrr_movements_export.csv', data: Buffer.from(STATED) },
      { name: 'quarterly_review.md', data: Buffer.from(MEMO) },
    ]);
  });
  afterAll(async () => company?.close());

  it('net new MRR of a month is the net movement the export states (win-back included)', async () => {
    const r = await company.ask('net new MRR in april 2024');
    expect(first(r.answer)).toBe(`**Net new MRR in April 2024 was ${usd(netNew('2024-04'))}.**`);
    expect(r.answer).toContain('column "Net change in MRR"');
  });

  it('net new MRR of a quarter sums the stated months', async () => {
    const q = ['2024-04', '2024-05', '2024-06'].reduce((s, m) => s + netNew(m), 0);
    expect(first((await company.ask('net new mrr q2 2024')).answer)).toBe(`**Net new MRR in Q2 2024 was ${usd(q)}.**`);
  });

  it('NRR leaves reactivation out: it retains the customers there at the start', async () => {
    const r = await company.ask('NRR in april 2024');
    expect(first(r.answer)).toBe(`**Net revenue retention in April 2024 was ${nrr(3).toFixed(2)}%.**`);
  });

  it('"grown vs last year" is year-over-year growth of the latest month', async () => {
    const growth = (ends[13]!.mrr / ends[1]!.mrr - 1) * 100;
    const r = await company.ask('how much has MRR grown vs last year');
    expect(first(r.answer)).toBe(`**ARR growth (YoY) as of February 2025 is ${growth.toFixed(2)}%.**`);
    expect(r.answer).not.toMatch(/end of 2024/);
  });

  it('"compared to the same month last year" needs no earlier turn', async () => {
    const r = await company.ask('how did MRR change compared to the same month last year');
    expect(first(r.answer)).toContain(`from ${usd(ends[1]!.mrr)} at the end of February 2024`);
    expect(first(r.answer)).toContain(`to ${usd(ends[13]!.mrr)} at the end of February 2025`);
  });

  it('the best NRR month ranks months computed from the movements, never the memo’s quarters', async () => {
    const ttm = Array.from({ length: 12 }, (_, k) => k + 2); // March 2024 – February 2025
    const best = ttm.reduce((a, b) => (nrr(b) > nrr(a) ? b : a));
    expect(ROWS[best]!.month).toBe('2024-09');
    const r = await company.ask('best nrr month in the last 12 months');
    expect(first(r.answer)).toBe(
      `**September 2024 had the highest net revenue retention in the last 12 months: ${nrr(best).toFixed(2)}%.**`,
    );
    expect(r.answer).not.toMatch(/\bQ[34] 2024\b/);
  });

  it('the month with the most new accounts is a period, not a customer', async () => {
    const ytd = ROWS.slice(12);
    const most = ytd.reduce((a, b) => (b.newAccounts >= a.newAccounts ? b : a));
    const name = most.month === '2025-01' ? 'January' : 'February';
    const r = await company.ask('month with the most new customers this year');
    expect(first(r.answer)).toBe(
      `**${name} 2025 had the highest new customers in 2025 year to date: ${most.newAccounts}.**`,
    );
  });
});

describe('an export without a stated net movement', () => {
  let company: Company;
  beforeAll(async () => {
    const csv = [
      'Month,MRR,New MRR,Expansion MRR,Reactivations,Contraction MRR,Churned MRR',
      ...ROWS.slice(0, 6).map((r, i) =>
        [r.month, ends[i]!.mrr, r.newMrr, r.upsell, r.winBack, r.downsell, r.lost].join(','),
      ),
    ].join('\n');
    company = await companyWith([{ name: 'kpis.csv', data: Buffer.from(csv) }]);
  });
  afterAll(async () => company?.close());

  it('net new MRR counts reactivation as the gain it is', async () => {
    const r = await company.ask('net new mrr in may 2024');
    expect(first(r.answer)).toBe(`**Net new MRR in May 2024 was ${usd(netNew('2024-05'))}.**`);
    expect(r.answer).toContain('new + expansion + reactivation − contraction − churned MRR');
  });

  it('the quick ratio counts reactivation among the gains', async () => {
    const r = ROWS[4]!;
    const quick = (r.newMrr + r.upsell + r.winBack) / (r.downsell + r.lost);
    expect(first((await company.ask('quick ratio in may 2024')).answer)).toBe(
      `**SaaS quick ratio in May 2024 was ${quick.toFixed(2)}x.**`,
    );
  });

  it('growth against last year with half a year of data is not another period’s figure', async () => {
    const r = await company.ask('how much has MRR grown vs last year');
    expect(r.answer).not.toMatch(/^\*\*MRR (at the end of|in) /);
    expect(r.answer).toMatch(/couldn't|can't/i);
  });
});

describe('an event word heading a count of customers', () => {
  let company: Company;
  beforeAll(async () => {
    // `Churned` beside `MRR churned`: the count; `Cancellations` alone with dollar figures: the amount.
    const counts = [
      'Period,MRR,New MRR,Upgrades,Downgrades,MRR churned,Customers,New customers,Churned',
      '2025-01,250000,9000,2000,-800,-3000,400,15,6',
      '2025-02,257200,9500,2100,-900,-3500,409,14,5',
      '2025-03,262900,8800,1900,-700,-4400,416,12,5',
      '2025-04,270300,10200,2300,-1000,-4100,426,17,7',
    ].join('\n');
    company = await companyWith([{ name: 'billing_export.csv', data: Buffer.from(counts) }]);
  });
  afterAll(async () => company?.close());

  it('a count column headed "Churned" is churned customers, and says why', async () => {
    const r = await company.ask('how many customers churned in march 2025');
    expect(first(r.answer)).toBe('**Churned customers in March 2025 were 5.**');
    expect(r.answer).toContain('"Churned" counts churned customers');
  });

  it('churned MRR stays the amount column', async () => {
    expect(first((await company.ask('churned mrr in march 2025')).answer)).toBe(
      '**Churned MRR in March 2025 was $4,400.**',
    );
  });

  it('logo churn uses the count: churned over the customers at the end of the month before', async () => {
    const r = await company.ask('logo churn in march 2025');
    expect(first(r.answer)).toBe(`**Logo churn in March 2025 was ${((5 / 409) * 100).toFixed(2)}%.**`);
  });
});

describe('"Cancellations" without an amount column beside it', () => {
  it('small whole numbers under an MRR base are customers; dollar figures stay churned MRR', async () => {
    const asCounts = [
      'Date,MRR,New MRR,Active Customers,New Customers,Cancellations',
      '01/31/2025,180000,7000,300,12,4',
      '02/28/2025,184500,7400,306,11,5',
      '03/31/2025,189000,7600,313,12,5',
    ].join('\n');
    const asAmounts = [
      'Date,MRR,New MRR,Active Customers,New Customers,Cancellations',
      '01/31/2025,180000,7000,300,12,2400',
      '02/28/2025,184500,7400,306,11,2900',
      '03/31/2025,189000,7600,313,12,3100',
    ].join('\n');
    const counts = await companyWith([{ name: 'a.csv', data: Buffer.from(asCounts) }]);
    const amounts = await companyWith([{ name: 'b.csv', data: Buffer.from(asAmounts) }]);
    try {
      const c = await counts.ask('how many customers cancelled in february 2025');
      expect(first(c.answer)).toBe('**Churned customers in February 2025 were 5.**');
      expect(first((await counts.ask('churned mrr in february 2025')).answer)).not.toMatch(/\$5\b/);
      expect(first((await amounts.ask('churned mrr in february 2025')).answer)).toBe(
        '**Churned MRR in February 2025 was $2,900.**',
      );
    } finally {
      await counts.close();
      await amounts.close();
    }
  });
});

describe('reading the questions', () => {
  it('"vs last year" compares with the year before; two years named are two periods', () => {
    const grown = parseQuestion('how much has mrr grown vs last year');
    expect(grown.metrics[0]?.id).toBe('arr_growth_yoy');
    expect(grown.periods).toEqual([]);
    expect(yearBeforeCues('churn higher than last year?')).toEqual(['than last year']);
    const q3 = parseQuestion('revenue in q3 2025 compared with last year');
    expect(q3.yoy).toBe(true);
    expect(q3.periods).toEqual([{ quarter: 3, year: 2025 }]);
    expect(findPeriods('revenue this year vs last year').map((f) => f.spec)).toEqual(['ytd', 'last_year']);
    // "Over the last year" is the trailing year, not a comparison.
    expect(yearBeforeCues('how much did mrr grow over the last year')).toEqual([]);
  });

  it('a period noun outside the named periods asks which period', () => {
    expect(hasFreePeriodNoun('best nrr month ttm')).toBe(true);
    expect(hasFreePeriodNoun('month with the most new customers this fiscal year')).toBe(true);
    expect(hasFreePeriodNoun('biggest customer this month')).toBe(false);
    expect(hasFreePeriodNoun('which customer pays the most per month')).toBe(false);
    expect(readRecordQuestion('month with the most new customers this fiscal year')).toBeUndefined();
    expect(readRecordQuestion('who is our biggest customer this month')).toBeDefined();
  });
});
