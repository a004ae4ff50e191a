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
