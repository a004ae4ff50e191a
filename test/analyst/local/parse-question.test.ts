import { describe, expect, it } from 'vitest';
import { parseQuestion } from '../../../src/analyst/local/parse-question.ts';
import { type PeriodSpec, type ResolvedPeriod, resolvePeriod as resolveIn } from '../../../src/graph/engine/periods.ts';

const LATEST = '2026-06';
/** The graph owns period resolution: the reader's spec, anchored to the latest month of data. */
const resolvePeriod = (spec: PeriodSpec, latest: string): ResolvedPeriod => {
  const r = resolveIn({ latestMonth: latest, fiscalStartMonth: 1 }, spec);
  if (!r.ok) throw new Error(r.message);
  return r.period;
};
const period = (q: string, latest = LATEST) => {
  const p = parseQuestion(q).periods[0];
  return p ? resolvePeriod(p, latest).id : undefined;
};
const metric = (q: string, labels: Array<{ id: string; label: string }> = []) =>
  parseQuestion(q, labels).metrics[0]?.id;
const op = (q: string) => parseQuestion(q).operation;

describe('metric recognition', () => {
  it.each([
    ['What was our MRR at the end of June 2026?', 'mrr'],
    ['What is our current ARR?', 'arr'],
    ["What's the run-rate right now?", 'arr'],
    ['annualized run rate as of May', 'arr'],
    ['What was net new MRR in March 2026?', 'net_new_mrr'],
    ['What was our net revenue retention in Q2 2026?', 'nrr'],
    ['NDR last quarter?', 'nrr'],
    ['net dollar retention for FY2025', 'nrr'],
    ['What was our gross revenue retention over the last 12 months?', 'grr'],
    ['GDR trailing twelve months', 'grr'],
    ['What was logo churn in May 2026?', 'logo_churn'],
    ['customer churn rate in April', 'logo_churn'],
    ['What is our CAC payback in Q2 2026?', 'cac_payback'],
    ['How long is our payback period?', 'cac_payback'],
    ['What is our burn multiple for Q2 2026?', 'burn_multiple'],
    ['How much are we burning per month?', 'net_burn'],
    ['What was our SaaS quick ratio in Q1 2026?', 'quick_ratio'],
    ['What was the magic number in Q2 2026?', 'magic_number'],
    ['What is our Rule of 40 score for the trailing twelve months?', 'rule_of_40'],
    ['rule-of-40 TTM', 'rule_of_40'],
    ['How many customers did we have at the end of June 2026?', 'customers'],
    ['How many logos do we have?', 'customers'],
    ['How many new logos did we add in Q1?', 'new_customers'],
    ['What was R&D spend in Q1 2026?', 'research_development'],
    ['What was operating income in Q2 2026?', 'operating_income'],
    ['What is our headcount?', 'headcount'],
    ['How much cash do we have?', 'cash'],
    ['How many months of runway do we have left?', 'runway'],
    ['What was S&M spend in Q2?', 'sales_marketing'],
    ['What is our LTV to CAC ratio?', 'ltv_cac'],
    ['Gross margin in 2025?', 'gross_margin'],
    ['Which month in the last 12 months had the highest churned MRR?', 'churned_mrr'],
    ['What percentage of customers churned in April?', 'logo_churn'],
    ['How many months does it take to pay back CAC in Q1?', 'cac_payback'],
    ['How much cash did we burn in Q1 2026?', 'net_burn'],
    ['How many people work here?', 'headcount'],
    ['How much ARR did we add in Q2?', 'net_new_arr'],
    ['How long will our cash last?', 'runway'],
    ['How much are we spending on sales and marketing per new customer?', 'cac'],
    ['What were total opex in Q1?', 'operating_expenses'],
  ])('%s → %s', (q, id) => {
    expect(metric(q)).toBe(id);
  });

  it('reads ARR growth from "grow year over year"', () => {
    expect(metric('How much did ARR grow year over year as of June 2026?')).toBe('arr_growth_yoy');
    expect(metric('What is our YoY ARR growth?')).toBe('arr_growth_yoy');
    expect(metric('How fast are we growing?')).toBe('arr_growth_yoy');
  });

  it("finds the tenant's own line items, also inside longer phrasings", () => {
    const labels = [
      { id: 'item:aws_hosting', label: 'AWS hosting' },
      { id: 'item:contractor_fees', label: 'Contractor fees (USD)' },
    ];
    expect(metric('What did we spend on AWS hosting in Q1 2026?', labels)).toBe('item:aws_hosting');
    expect(metric('contractor fees last quarter', labels)).toBe('item:contractor_fees');
  });

  it('prefers the longer phrase: "burn multiple" is not "burn", "net revenue retention" is not "revenue"', () => {
    expect(parseQuestion('burn multiple in Q2').metrics.map((m) => m.id)).toEqual(['burn_multiple']);
    expect(parseQuestion('net revenue retention in Q2').metrics.map((m) => m.id)).toEqual(['nrr']);
  });

  it('finds two metrics in one question', () => {
    expect(parseQuestion('What were NRR and GRR in Q2 2026?').metrics.map((m) => m.id)).toEqual(['nrr', 'grr']);
  });
});

describe('periods', () => {
  it.each([
    ['MRR at the end of June 2026', '2026-06'],
    ["MRR in Jun '26", '2026-06'],
    ['MRR for 2026-06', '2026-06'],
    ['MRR as of June', '2026-06'],
    ['MRR at the end of March', '2026-03'],
    ['MRR in September', '2025-09'],
    ['MRR on June 30, 2026', '2026-06'],
    ['NRR in Q2 2026', '2026-Q2'],
    ["NRR in Q2'26", '2026-Q2'],
    ['NRR in 2026 Q1', '2026-Q1'],
    ['NRR in 1Q26', '2026-Q1'],
    ['NRR in Q2', '2026-Q2'],
    ['NRR in Q3', '2025-Q3'],
    ['NRR in the second quarter of 2026', '2026-Q2'],
    ['NRR in FY2026', 'FY2026'],
    ["NRR in FY'25", 'FY2025'],
    ['revenue in 2025', '2025'],
    ['GRR over the last 12 months', '2025-07..2026-06'],
    ['GRR for the trailing twelve months', '2025-07..2026-06'],
    ['GRR TTM', '2025-07..2026-06'],
    ['GRR over the past year', '2025-07..2026-06'],
    ['churn over the last 6 months', '2026-01..2026-06'],
    ['churn over the last three quarters', '2025-10..2026-06'],
    ['What is ARR right now?', '2026-06'],
    ['current ARR', '2026-06'],
    ['latest MRR', '2026-06'],
    ['MRR last month', '2026-06'],
    ['MRR the previous month', '2026-05'],
    ['NRR last quarter', '2026-Q2'],
    ['NRR this quarter', '2026-Q2'],
    ['revenue last year', '2025'],
    ['revenue in H1 2026', '2026-01..2026-06'],
    ['cash as of 6/30/2026', '2026-06'],
    ['NRR for the quarter ending June 30, 2026', '2026-Q2'],
    ['revenue in the quarter ended March', '2026-Q1'],
    ['cash as of 30.06.2026', '2026-06'],
    ['ARR at the end of December 31, 2025', '2025-12'],
    ['burn in the past 3 months', '2026-Q2'],
    ['burn over the last 6-month period', '2026-01..2026-06'],
    ['How has MRR grown since January?', '2026-01..2026-06'],
    ['new MRR since Q3 2025', '2025-07..2026-06'],
    ['churn since the start of 2026', '2026-01..2026-06'],
    ['NRR for April through June 2026', '2026-Q2'],
    ['revenue Jan–Mar 2026', '2026-Q1'],
    ['revenue Q3 2025 through Q1 2026', '2025-07..2026-03'],
    ['How does trailing-12-month NRR stack up?', '2025-07..2026-06'],
  ])('%s → %s', (q, expected) => {
    expect(period(q)).toBe(expected);
  });

  it.each([
    ['revenue in H2 FY26', '2025-10..2026-03'],
    ['new mrr h1 fy26', '2025-04..2025-09'],
    ['new mrr 1H FY26', '2025-04..2025-09'],
    ['revenue FY26 H1', '2025-04..2025-09'],
    ['revenue FY2026-H2', '2025-10..2026-03'],
    ['churned mrr in the second half of fiscal 2026', '2025-10..2026-03'],
    ['new mrr in the first half of FY26', '2025-04..2025-09'],
    ['new mrr fiscal h2', '2025-10..2026-03'],
    ['churned mrr 1H25', '2025-01..2025-06'],
    ['new mrr 2H 2025', '2025-07..2025-12'],
    ['revenue h2 2025', '2025-07..2025-12'],
  ])('a half year, fiscal when the question says so (April start): %s → %s', (q, expected) => {
    const spec = parseQuestion(q).periods;
    expect(spec).toHaveLength(1);
    const r = resolveIn({ latestMonth: '2026-03', fiscalStartMonth: 4 }, spec[0]!);
    expect(r.ok && r.period.id).toBe(expected);
  });

  it('anchors relative periods to the latest data month, not the calendar', () => {
    expect(period('NRR last quarter', '2026-05')).toBe('2026-Q1');
    // Quarter to date: the months of the quarter the data has.
    expect(period('NRR this quarter', '2026-05')).toBe('2026-04..2026-05');
    expect(period('revenue year to date', '2026-05')).toBe('2026-01..2026-05');
    expect(period('MRR in December', '2026-05')).toBe('2025-12');
  });

  it('does not read "may" the verb as a month', () => {
    expect(parseQuestion('What may affect our churn?').periods).toEqual([]);
    expect(period('logo churn in May')).toBe('2026-05');
  });

  it('reads two periods for a change question in writing order', () => {
    const p = parseQuestion('How did MRR change between March 2026 and June 2026?');
    expect(p.periods).toHaveLength(2);
    expect(p.operation).toBe('change');
  });
});

describe('operations', () => {
  it.each([
    ['What was our MRR at the end of June 2026?', 'value'],
    ['Which month in the last 12 months had the highest churned MRR?', 'max'],
    ['In which quarter was new MRR lowest?', 'min'],
    ['When did expansion MRR peak?', 'max'],
    ['In what month was new business the strongest over the past year?', 'max'],
    ['Show me the MRR trend over the last 12 months', 'trend'],
    ['How has ARR evolved this year?', 'trend'],
    ['How much did MRR grow in Q2 2026?', 'change'],
    ['How did customers change from Q1 2026 to Q2 2026?', 'change'],
    ['Why did NRR drop in Q2?', 'explain'],
    ['Who is our largest customer?', 'document'],
    ['When is the next board meeting?', 'document'],
    ['What was the top churn reason in Q2?', 'document'],
    ['What are the main risks?', 'document'],
    ['What metrics do you have?', 'list'],
    ['How are we doing?', 'overview'],
    ['hi', 'help'],
    ['Remember that our fiscal year starts in July.', 'remember'],
    ['Our fiscal year starts in April', 'remember'],
    ['When does our fiscal year start?', 'document'],
    ['What can you do?', 'help'],
    ['Give me a snapshot of the business', 'overview'],
  ])('%s → %s', (q, expected) => {
    expect(op(q)).toBe(expected);
  });

  it.each([
    'How does our net revenue retention over the last 12 months compare to benchmarks?',
    'Is our burn multiple healthy?',
    'How do we stack up on NRR?',
    'Is a CAC payback of this length good for our stage?',
    'NRR vs peers',
  ])('benchmark: %s', (q) => {
    expect(parseQuestion(q).benchmark).toBe(true);
  });

  it('a comparison of two periods is not a benchmark question', () => {
    const p = parseQuestion('Compare MRR in Q1 2026 and Q2 2026');
    expect(p.benchmark).toBe(false);
    expect(p.operation).toBe('change');
  });

  it('reads a change year over year against the same period a year earlier', () => {
    const p = parseQuestion('What was new MRR in Q2 2026 vs the same quarter last year?');
    expect(p.operation).toBe('change');
    expect(p.yoy).toBe(true);
    expect(p.periods).toHaveLength(1);
    expect(parseQuestion('How much did revenue grow YoY in Q2?').yoy).toBe(true);
    expect(parseQuestion('revenue growth year-over-year in Q2 2026').yoy).toBe(true);
    expect(op('new MRR month-over-month in May')).toBe('change');
    expect(parseQuestion('How much did ARR grow YoY?').metrics[0]?.id).toBe('arr_growth_yoy');
    expect(parseQuestion('What is our annual recurring revenue?').operation).toBe('value');
  });

  it('reads ratio-to-revenue metrics and month-over-month changes', () => {
    expect(metric('S&M as a percentage of revenue in Q2')).toBe('sm_pct_revenue');
    expect(metric('R&D as % of revenue')).toBe('rd_pct_revenue');
    expect(op('MRR growth month over month in June')).toBe('change');
    expect(op('How much did new MRR change QoQ?')).toBe('change');
  });

  it('reads the bucket of a highest / trend question', () => {
    expect(parseQuestion('Which quarter had the highest new MRR?').granularity).toBe('quarter');
    expect(parseQuestion('Show revenue by year').granularity).toBe('year');
    expect(parseQuestion('Which month had the highest churn?').granularity).toBe('month');
    expect(parseQuestion('What was our best quarter for new logos?')).toMatchObject({
      operation: 'max',
      granularity: 'quarter',
    });
  });

  it('finds a line item whose words are spread over the question', () => {
    const labels = [{ id: 'item:enterprise_revenue', label: 'Enterprise revenue' }];
    expect(
      parseQuestion('How much revenue came from the enterprise segment in Q2?', labels).metrics.map((m) => m.id),
    ).toEqual(['item:enterprise_revenue']);
    expect(metric('What was revenue in Q2?', labels)).toBe('revenue');
  });

  it('reads one distinctive word of a line item in an amount question', () => {
    const labels = [
      { id: 'item:aws_hosting', label: 'AWS hosting' },
      { id: 'item:office_rent', label: 'Office rent' },
    ];
    expect(metric('How much did we spend on hosting in Q2?', labels)).toBe('item:aws_hosting');
    expect(metric('What do we pay in rent?', labels)).toBe('item:office_rent');
    expect(parseQuestion('Where is the new office?', labels).operation).toBe('document');
  });

  it('ignores generic tenant labels and reads specific ones', () => {
    const labels = [
      { id: 'item:total', label: 'Total' },
      { id: 'item:other', label: 'Other' },
    ];
    expect(metric('What is our total ARR?', labels)).toBe('arr');
  });

  it('sends text questions that name a metric to the documents', () => {
    expect(op('What was the main reason customers left in Q3?')).toBe('document');
    expect(op('What are our plans for headcount?')).toBe('document');
    expect(op('How many customers churned in Q3?')).toBe('value');
    expect(op('How much MRR does our largest customer pay?')).toBe('document');
    expect(op("What was Contoso's MRR in May?")).toBe('document');
    expect(op('How does our NRR compare to Bessemer benchmarks?')).toBe('value');
    expect(op('How much does Contoso Retail pay per month?')).toBe('document');
    expect(op('What is our Rule of 40 score?')).toBe('value');
    expect(op('What was our Net Revenue Retention in June?')).toBe('value');
    expect(op('What was our SaaS quick ratio in Q1 2026?')).toBe('value');
    expect(parseQuestion("What was Northwind's MRR in June?", [], ['Northwind Analytics']).operation).toBe('value');
    expect(
      parseQuestion('What was Fabrikam ARR in Q2?', [], ['fabrikam_kpis_2026.xlsx', 'Eval Fabrikam Labs']).operation,
    ).toBe('value');
    expect(op('What share of churned MRR was due to budget cuts?')).toBe('document');
  });

  it('asks nothing of metrics when the question names none', () => {
    expect(parseQuestion('Tell me about our pricing change').metrics).toEqual([]);
    expect(parseQuestion('').operation).toBe('document');
  });
});

describe('robustness', () => {
  it('never throws on odd input, and every period it finds resolves', () => {
    const words = [
      'what',
      'was',
      'MRR',
      'NRR',
      'Q2',
      'Q5',
      '2026',
      '1999',
      'since',
      'through',
      'June',
      'may',
      'last',
      'quarter',
      'the',
      '12',
      'months',
      '-',
      '–',
      'FY26',
      "Jun '26",
      '2026-13',
      '13/2026',
      '31/12/2025',
      'H3',
      'H1',
      'ttm',
      'per',
      'vs',
      '?',
      'highest',
      'why',
      'who',
      'benchmark',
      '€',
      '%',
      '(',
      ')',
      'rule of 40',
      'net new',
      'customers',
      'lose',
      'add',
    ];
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let i = 0; i < 1500; i++) {
      const q = Array.from(
        { length: 1 + Math.floor(rand() * 10) },
        () => words[Math.floor(rand() * words.length)],
      ).join(' ');
      const p = parseQuestion(q);
      for (const spec of p.periods) {
        const r = resolvePeriod(spec, LATEST);
        expect(r.months.length, q).toBeGreaterThan(0);
      }
    }
    expect(parseQuestion('x'.repeat(5000)).operation).toBe('document');
  });
});
