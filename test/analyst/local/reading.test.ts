import { describe, expect, it } from 'vitest';
import { parseQuestion } from '../../../src/analyst/local/parse-question.ts';
import { mendTypos, namedDocument, readQuestion } from '../../../src/analyst/local/reading.ts';

/** The question read as scored interpretations: the best reading, its answer type, the direction. */
const LABELS = [
  { id: 'mrr', label: 'MRR' },
  { id: 'item:support_cost', label: 'Support cost' },
];
const DOCS = [
  { id: 'd1', name: 'investor_memo_2026.pdf' },
  { id: 'd2', name: 'weekly_update_075.md' },
  { id: 'd3', name: 'weekly_update_074.md' },
  { id: 'd4', name: 'kpis.csv' },
];

function read(question: string) {
  const q = mendTypos(question);
  const parsed = parseQuestion(q, LABELS, ['Acme']);
  return readQuestion(q, {
    parsed,
    phraseOperation: parsed.operation,
    documents: DOCS,
    ownNames: ['Acme'],
    followUp: false,
  });
}

describe('reading a question as scored interpretations', () => {
  it.each([
    ['When did the head of sales join?', 'stated', 'date'],
    ['Which account pays us the most?', 'stated', 'organisation'],
    ['Who is our new reseller partner?', 'stated', 'organisation'],
    ['Who is our largest customer?', 'stated', 'organisation'],
    ['Who is our CFO?', 'stated', 'person'],
    ['What was the top churn reason in Q2?', 'stated', 'reason'],
    ['How many support tickets did we get?', 'stated', 'count'],
    ['What was our biggest deal?', 'stated', 'text'],
    ['write me a poem', 'out_of_scope', 'text'],
    ['write a haiku about churn', 'out_of_scope', 'text'],
    ['What was our MRR at the end of June 2026?', 'value', 'amount'],
    ['whats our burn multiple', 'value', 'ratio'],
    ['How many months of runway do we have according to the investor memo?', 'value', 'months'],
    ['Which month in the last 12 months had the highest churned MRR?', 'extreme', 'period'],
    ['How has MRR trended over the last year?', 'series', 'list'],
  ])('%s → %s (%s)', (question, kind, type) => {
    const r = read(question);
    expect(r.best.kind, JSON.stringify(r.readings)).toBe(kind);
    expect(r.best.answerType).toBe(type);
  });

  it('leaves the key nouns a metric does not explain for the documents', () => {
    const r = read('When did the head of sales join?');
    expect(r.unexplained).toEqual(expect.arrayContaining(['head', 'join']));
    expect(r.keyNouns).toContain('head');
    // The metric reading ("sales" → revenue) is kept, but scored far below.
    const value = r.readings.find((x) => x.kind === 'value');
    expect(value?.score ?? -Infinity).toBeLessThan(r.best.score - 1);
  });

  it('applies the metric direction to best and worst', () => {
    expect(read('In the last twelve months, which month had the worst logo churn rate?').direction).toBe('max');
    expect(read('Which month had the best logo churn?').direction).toBe('min');
    expect(read('Which quarter had the worst NRR?').direction).toBe('min');
    expect(read('Which quarter had the best NRR?').direction).toBe('max');
    expect(read('Which month had the lowest churned MRR?').direction).toBe('min');
  });

  it('mends typos and chat shorthand of domain words, and leaves other words alone', () => {
    expect(mendTypos('hw many custmers did we have last qtr')).toBe('how many customers did we have last quarter');
    expect(mendTypos("How long is Globex's renewal?")).toBe("How long is Globex's renewal?");
    expect(mendTypos('whats our runwy')).toBe('whats our runway');
  });

  it('mends a mistyped question word where a question word is written, and leaves real words and names alone', () => {
    expect(mendTypos('wats the burn multiple')).toBe('whats the burn multiple');
    expect(mendTypos('and wen did the cto start')).toBe('and when did the cto start');
    expect(mendTypos('wher is our office')).toBe('where is our office');
    expect(mendTypos('hw mcuh cash is left')).toBe('how much cash is left');
    expect(mendTypos('tell me hw mnay customers churned')).toBe('tell me how many customers churned');
    // Read as the question word: nothing is left unexplained.
    const r = read('wats our burn multiple');
    expect(r.best.kind).toBe('value');
    expect(r.unexplained).toEqual([]);
    // A word compromise knows, a tie (who / why), a name elsewhere in the question: left alone.
    expect(mendTypos('were costs up in march')).toBe('were costs up in march');
    expect(mendTypos('wh is our cfo')).toBe('wh is our cfo');
    expect(mendTypos('who is Wen Li')).toBe('who is Wen Li');
  });

  it('reads "FY" without a number as the fiscal year', async () => {
    const { findPeriods } = await import('../../../src/analyst/local/parse-periods.ts');
    const specs = (q: string) => findPeriods(q).map((f) => f.spec);
    expect(specs('best month for new mrr this FY')).toEqual(['ytd']);
    expect(specs('revenue FYTD')).toEqual(['ytd']);
    expect(specs('churn fy to date')).toEqual(['ytd']);
    expect(specs('total revenue fiscal ytd')).toEqual(['ytd']);
    expect(specs('churn last FY')).toEqual(['last_year']);
    expect(specs('revenue FY26')).toEqual([{ year: 2026, fiscal: true }]);
    expect(read('best month for new mrr this FY').unexplained).toEqual([]);
  });

  it('a superlative of a monthly figure ranks the months; a metric named "monthly" does not', () => {
    const low = read('lowest monthly NRR over the past year?');
    expect(low.best.kind).toBe('extreme');
    expect(low.direction).toBe('min');
    expect(read('highest quarterly burn this year').best.kind).toBe('extreme');
    expect(read('highest monthly recurring revenue').best.kind).toBe('value');
    expect(read('what is our average monthly burn').best.kind).not.toBe('extreme');
  });

  it('mends a typo of a period word beside the other half of the period, three-letter ones included', () => {
    expect(mendTypos('grr lst quarter')).toBe('grr last quarter');
    expect(mendTypos('expansion nxt month?')).toBe('expansion next month?');
    expect(mendTypos('churn thsi year')).toBe('churn this year');
    expect(mendTypos('arpa pst yaer')).toBe('arpa past year');
    expect(mendTypos('new mrr last mnth')).toBe('new mrr last month');
    // The period is then read as a period, not as a qualifier of the metric.
    const r = read('grr lst quarter');
    expect(r.best.kind).toBe('value');
    expect(r.unexplained).toEqual([]);
    // Not beside a period word, or a word of its own: left alone.
    expect(mendTypos('the lst of customers')).toBe('the lst of customers');
    expect(mendTypos('mrr for lisbon last quarter')).toBe('mrr for lisbon last quarter');
  });

  it('finds the document a question names, numbers included', () => {
    expect(namedDocument('who was our partner in weekly update 75?', DOCS)?.id).toBe('d2');
    expect(namedDocument('who was our partner in weekly update 74?', DOCS)?.id).toBe('d3');
    expect(namedDocument('who was our partner in weekly update 99?', DOCS)).toBeUndefined();
    expect(namedDocument('runway according to the investor memo', DOCS)?.id).toBe('d1');
    expect(namedDocument('what is our runway?', DOCS)).toBeUndefined();
  });

  it('reads a name of someone else as a question for the documents', () => {
    const r = read("What was Initech's MRR in September 2025?");
    expect(r.best.kind).toBe('stated');
    expect(r.names).toContain('Initech');
  });
});

describe('fiscal quarters', () => {
  it('reads "Q2 FY26" as a quarter of the fiscal year when the company has one', async () => {
    const { findPeriods } = await import('../../../src/analyst/local/parse-periods.ts');
    const { resolvePeriod } = await import('../../../src/graph/engine/periods.ts');
    const resolve = (spec: Parameters<typeof resolvePeriod>[1], fiscalStartMonth: number) => {
      const r = resolvePeriod({ latestMonth: '2026-06', fiscalStartMonth }, spec);
      if (!r.ok) throw new Error(r.message);
      return r.period;
    };
    const [q] = findPeriods('revenue in q2 fy26').map((f) => f.spec);
    expect(q).toEqual({ quarter: 2, year: 2026, fiscal: true });
    const july = resolve(q!, 7);
    expect([july.start, july.end, july.label]).toEqual(['2025-10', '2025-12', 'Q2 FY2026']);
    // A calendar company: Q2 FY26 is the calendar quarter.
    expect(resolve(q!, 1).id).toBe('2026-Q2');
    const [first] = findPeriods('churned mrr in the first quarter of fiscal 2026').map((f) => f.spec);
    expect(resolve(first!, 7).start).toBe('2025-07');
  });
});

describe('readings that name the metric and the period asked', () => {
  const periodOf = async (q: string, fiscalStartMonth = 7) => {
    const { resolvePeriod } = await import('../../../src/graph/engine/periods.ts');
    const spec = parseQuestion(mendTypos(q), LABELS).periods[0];
    if (spec === undefined) return undefined;
    const r = resolvePeriod({ latestMonth: '2026-06', fiscalStartMonth }, spec);
    return r.ok ? r.period.id : undefined;
  };

  it.each([
    ['revenue FY25 Q4', 'FY2025-Q4'],
    ['NRR in Q2 of FY26', 'FY2026-Q2'],
    ['logo churn fiscal Q3', 'FY2026-Q3'],
    ['NRR full year 2025', '2025'],
    ['2025 full year revenue', '2025'],
    ['revenue this fiscal year', 'FY2026'],
    ['revenue last fiscal year', 'FY2026'],
  ])('%s → %s (fiscal year from July)', async (q, expected) => {
    expect(await periodOf(q)).toBe(expected);
  });

  it('a calendar company reads "full year 2025" as 2025 and "this year" as the year to date', async () => {
    expect(await periodOf('revenue for the full year 2025', 1)).toBe('2025');
    expect(await periodOf('revenue this year', 1)).toBe('2026-01..2026-06');
  });

  it.each([
    // The metric's direction: losing the most MRR to churn is the highest churned MRR, the best NRR the highest.
    ['which month did we lose the most MRR to churn', 'churned_mrr', 'max'],
    ['best NRR month', 'nrr', 'max'],
    ['worst month for logo churn in fy26', 'logo_churn', 'max'],
    ['lowest net retention month this fiscal year', 'nrr', 'min'],
    ['biggest new mrr month in fy2026', 'new_mrr', 'max'],
    ['when did we see the most downgrades in FY26', 'contraction_mrr', 'max'],
  ])('%s → the %s extreme (%s)', (q, metric, direction) => {
    const r = read(q);
    expect(r.best.kind).toBe('extreme');
    expect(r.direction).toBe(direction);
    expect(parseQuestion(mendTypos(q), LABELS).metrics[0]?.id).toBe(metric);
  });

  it('the movement is the metric when MRR is only its unit, and "start … with" is the opening balance', () => {
    expect(parseQuestion('How much MRR did we lose to downgrades in Q1 2025?').metrics[0]?.id).toBe('contraction_mrr');
    expect(parseQuestion('how many customers did we start Q4 2025 with').metrics[0]?.id).toBe('customers_start');
    expect(parseQuestion('customers at the end of Q4 2025').metrics[0]?.id).toBe('customers');
    expect(parseQuestion('what was MRR since the start of the year').metrics[0]?.id).toBe('mrr');
  });

  it('mends swapped letters and misspelt months (damerau-levenshtein), and leaves dictionary words alone', () => {
    expect(mendTypos('chrun mrr q2 2025')).toBe('churn mrr q2 2025');
    expect(mendTypos('expnasion mrr in febuary 2026')).toBe('expansion mrr in february 2026');
    expect(mendTypos('whats our churnd mrr in agust 2025')).toBe('whats our churned mrr in august 2025');
    expect(mendTypos('mmr in october')).toBe('mrr in october');
    expect(mendTypos('the decimal marching junior octane')).toBe('the decimal marching junior octane');
  });
});
