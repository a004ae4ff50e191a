import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createClaudeEngine } from '../../src/analyst/claude/engine.ts';
import { systemPrompt } from '../../src/analyst/claude/prompt.ts';
import { createLocalEngine } from '../../src/analyst/local/index.ts';
import { createToolContext } from '../../src/analyst/runtime.ts';
import type { ToolContext } from '../../src/analyst/types.ts';
import type { TenantRecord } from '../../src/tenants/types.ts';
import type { TurnRecorder } from '../../src/traces/recorder.ts';
import { type MockAnthropic, type MockReply, startMockAnthropic } from './anthropic-mock.ts';
import { loadedTenant } from './local/real-pipeline.ts';

/**
 * The Claude engine and the local engine over the same tenant and the REAL tools (documents service and
 * graph): Claude is offered every tool with the JSON Schema of its one zod contract, reads the tools'
 * typed outputs as JSON, and is told the same facts the local engine answers from — the company's
 * currency, a period before the data — in the same words, from one owner.
 */
const csv = (rows: Array<Array<string | number>>) => `${rows.map((r) => r.join(',')).join('\n')}\n`;
const MONTHS = ['Jan 2025', 'Feb 2025', 'Mar 2025', 'Apr 2025', 'May 2025', 'Jun 2025'];
const FILES = [
  {
    name: 'kpis.csv',
    data: Buffer.from(
      csv([
        ['Month', 'MRR (EUR)', 'Customers', 'New MRR (EUR)', 'Churned MRR (EUR)'],
        ...MONTHS.map((m, i) => [m, 40000 + i * 1500, 100 + i * 2, 2500, 1000]),
      ]),
    ),
  },
  {
    name: 'kunden.csv',
    data: Buffer.from(
      csv([
        ['Client Name', 'ARR (EUR)', 'Owner', 'Start Date'],
        ['Acme GmbH', 48000, 'Jana', '2023-03-15'],
        ['Eiger AG', 9600, 'Luis', '2025-02-14'],
      ]),
    ),
  },
  {
    name: 'deals.csv',
    data: Buffer.from(
      csv([
        ['Deal', 'Amount (EUR)', 'Stage', 'Close Date', 'Owner'],
        ['Fjord renewal', 12000, 'Closed Won', '2025-04-10', 'Jana'],
        ['Birke expansion', 8000, 'Closed Won', '2025-05-02', 'Luis'],
        ['Kiefer new', 15000, 'Closed Lost', '2025-05-20', 'Jana'],
        ['Linde pilot', 4000, 'Negotiation', '2025-07-15', 'Luis'],
      ]),
    ),
  },
  {
    // A cancellations export: every row a customer who left, seats × a price per seat.
    name: 'cancelled-subscriptions.csv',
    data: Buffer.from(
      csv([
        ['account', 'seats', 'price_per_seat', 'cancelled_at', 'churn_reason'],
        ['Tanne KG', 12, 30, '2025-05-08', 'Too expensive'],
        ['Ulme SE', 3, 30, '2025-06-02', 'Missing features'],
        ['Weide OHG', 5, 30, '2025-06-20', 'Pricing'],
      ]),
    ),
  },
];

const TENANT = 'parity_TESTKEY1';
const tenant = { key: TENANT, name: 'Parity GmbH', status: 'active' } as unknown as TenantRecord;
const recorder: TurnRecorder = {
  sessionId: 'ses_parity0001',
  turn: 1,
  record: (e) => e as ReturnType<TurnRecorder['record']>,
  flush: async () => {},
};

let company: Awaited<ReturnType<typeof loadedTenant>>;
let mock: MockAnthropic;
beforeAll(async () => {
  company = await loadedTenant(FILES, TENANT);
}, 60_000);
afterAll(async () => {
  await company?.close();
});
afterEach(async () => {
  await mock?.close();
});

function context(): ToolContext {
  return createToolContext({
    tools: company.tools,
    tenant,
    scope: company.scope,
    sessionId: recorder.sessionId,
    turn: 1,
    recorder,
    assertActive: async () => {},
  });
}

/** One Claude turn whose model calls `tools` and then answers; returns each request and the tool results it got. */
async function claudeTurn(tools: Array<{ name: string; input: unknown }>) {
  mock = await startMockAnthropic([
    { kind: 'stream', tools: tools.map((t, i) => ({ id: `toolu_${i}`, ...t })) },
    { kind: 'stream', text: 'Answered.' },
  ] satisfies MockReply[]);
  const engine = createClaudeEngine({
    apiKey: 'sk-test',
    model: 'claude-test',
    baseURL: mock.url,
    tools: company.tools,
    maxRetries: 0,
  });
  const result = await engine.run({ message: 'question', history: [], ctx: context() });
  const messages = (mock.requests[1]?.body.messages ?? []) as Array<{ role: string; content: unknown }>;
  const outputs = (
    (messages.at(-1)?.content ?? []) as Array<{ type: string; content: string; is_error?: boolean }>
  ).map((c): unknown => (c.is_error ? { is_error: true, content: c.content } : JSON.parse(c.content)));
  return { result, requests: mock.requests, outputs };
}

async function localAnswer(message: string): Promise<string> {
  return (await createLocalEngine().run({ message, history: [], ctx: context() })).answer;
}

describe('Claude engine parity with the local engine, over the real tools', () => {
  it('offers every tool with the JSON Schema of its one zod contract, new fields included', async () => {
    const { requests } = await claudeTurn([]);
    const offered = requests[0]!.body.tools as Array<{
      name: string;
      description: string;
      input_schema: Record<string, unknown>;
    }>;
    // The same set the local engine calls, in the registry's order, each schema generated from the tool's input.
    expect(offered.map((t) => t.name)).toEqual([...company.tools.keys()]);
    for (const t of offered) {
      const tool = company.tools.get(t.name)!;
      const { $schema: _ignored, ...generated } = z.toJSONSchema(tool.input, { io: 'input' }) as Record<
        string,
        unknown
      >;
      expect(t.input_schema, t.name).toEqual({ ...generated, type: 'object' });
      expect(t.description).toBe(tool.description);
    }
    const records = offered.find((t) => t.name === 'query_records')!.input_schema.properties as Record<
      string,
      { type?: string; enum?: string[] }
    >;
    // Named records, records mentioned in the question, ranking by a date, groups ranked by a total.
    expect(records.name?.type).toBe('string');
    expect(records.mentioned_in?.type).toBe('string');
    expect(records.sort_by_date?.enum).toEqual(['start', 'end', 'close']);
    expect(records.group_rank?.enum).toEqual(['count', 'value']);
    expect(records.status?.enum).toEqual(expect.arrayContaining(['won', 'lost', 'open']));
    // The graph's period spec, half-years included.
    const period = (offered.find((t) => t.name === 'get_metric')!.input_schema.properties as Record<string, object>)
      .period as { anyOf: Array<{ properties?: Record<string, unknown> }> };
    expect(period.anyOf.find((s) => s.properties && 'half' in s.properties)?.properties).toHaveProperty('fiscal');
  });

  it("gives the model list_metrics' currency (EUR) and a record list's column currency, as the local engine answers in euros", async () => {
    const { outputs } = await claudeTurn([
      { name: 'list_metrics', input: {} },
      { name: 'query_records', input: { kind: 'customers', name: 'acme gmbh' } },
    ]);
    expect(outputs[0]).toMatchObject({ currency: 'EUR', fiscal_start_month: 1 });
    const named = outputs[1] as {
      columns: Array<{ header: string; role: string; currency?: string }>;
      named: { found: Array<{ name: string }> };
      records: Array<{ name: string; fields?: Record<string, string> }>;
    };
    expect(named.named.found.map((f) => f.name)).toEqual(['Acme GmbH']);
    expect(named.columns).toContainEqual(expect.objectContaining({ header: 'ARR (EUR)', currency: 'EUR' }));
    expect(JSON.stringify(named.records[0])).toContain('Jana');
    // The system prompt tells the model to write amounts in that currency; the local engine does.
    expect(systemPrompt('Parity GmbH')).toMatch(/currency list_metrics gives/);
    expect(await localAnswer('What was MRR in March 2025?')).toMatch(/€43,000/);
  });

  it('says a period before the data starts in the same words as the local engine (one owner: the graph)', async () => {
    const { outputs, result } = await claudeTurn([
      { name: 'get_metric', input: { metric: 'MRR', period: '2019-01' } },
      { name: 'compute_metric', input: { metric: 'NRR', period: { year: 2019 } } },
      { name: 'compute_metric', input: { metric: 'MRR', period: '2027-03' } },
    ]);
    const [mrr, nrr, later] = outputs as Array<{
      value: { value: number | null; outside_data?: { position: string; note: string } };
    }>;
    expect(mrr!.value.value).toBeNull();
    expect(mrr!.value.outside_data).toMatchObject({
      position: 'before',
      note: 'your data runs from January 2025 to June 2025',
    });
    expect(nrr!.value.outside_data?.position).toBe('before');
    expect(later!.value.outside_data).toMatchObject({ position: 'after', note: 'your data ends in June 2025' });
    // No figure of another period was given as the answer's metric.
    expect(result.metrics.every((m) => m.value === null)).toBe(true);
    // The prompt tells the model to say the note; the local engine says it in the same words.
    expect(systemPrompt('Parity GmbH')).toMatch(/outside_data\.note/);
    const local = await localAnswer('What was our MRR in January 2019?');
    expect(local).toMatch(/^I couldn't find \*\*MRR\*\* for January 2019 in your documents: /);
    expect(local).toContain(mrr!.value.outside_data!.note);
    expect(await localAnswer('What will MRR be in March 2027?')).toContain(later!.value.outside_data!.note);
  });
});

describe('a list of lost customers from one owner (query_records `lost`, `reason`, `per_unit`)', () => {
  it('gives the model the lost list with why it reads so, and the current customers from the roster', async () => {
    const { requests } = await claudeTurn([]);
    const schema = (requests[0]!.body.tools as Array<{ name: string; input_schema: { properties: object } }>).find(
      (t) => t.name === 'query_records',
    )!.input_schema.properties as Record<string, { type?: string; enum?: string[] }>;
    expect(schema.reason?.type).toBe('string');
    expect(schema.group_by?.enum).toContain('reason');
    const { outputs } = await claudeTurn([
      { name: 'query_records', input: { kind: 'customers', status: 'churned', reason: 'price', op: 'count' } },
      { name: 'query_records', input: { kind: 'customers' } },
    ]);
    const lost = outputs[0] as {
      lost?: string;
      count: number;
      records: Array<{ name: string; value: number }>;
      columns: Array<{ header: string; role: string; per_unit?: boolean; unit?: string }>;
    };
    expect(lost.lost).toMatch(/cancelled_at/);
    expect(lost.count).toBe(2);
    expect(lost.records.map((r) => [r.name, r.value])).toEqual([
      ['Tanne KG', 360],
      ['Weide OHG', 150],
    ]);
    expect(lost.columns).toContainEqual(expect.objectContaining({ header: 'price_per_seat', per_unit: true }));
    expect(lost.columns).toContainEqual(expect.objectContaining({ header: 'seats', role: 'seats', unit: 'seat' }));
    expect(outputs[1]).toMatchObject({ document_name: 'kunden.csv' });
    expect(outputs[1]).not.toHaveProperty('lost');
    // The local engine states the same count, from the same call.
    expect(await localAnswer('how many customers cancelled because of price?')).toMatch(/\*\*2 customers/);
    expect(await localAnswer('who is our largest customer?')).toMatch(/Acme GmbH/);
  });
});

describe('a win rate from one owner (query_records op "win_rate")', () => {
  it('gives the model won over closed deals, the figure the local engine states', async () => {
    const { outputs, result } = await claudeTurn([{ name: 'query_records', input: { kind: 'deals', op: 'win_rate' } }]);
    const out = outputs[0] as { win_rate: { won: number; lost: number; closed: number; percent: number } };
    // Two won, one lost; the open deal is not closed.
    expect(out.win_rate).toMatchObject({ won: 2, lost: 1, closed: 3, percent: 66.7, outcome_known: true, by: 'Stage' });
    expect(result.citations.map((c) => ('locator' in c ? c.locator : ''))).toHaveLength(3);
    expect(await localAnswer("what's our win rate?")).toMatch(/win rate is 66\.7%:\*\* 2 deals won of 3 closed/);
  });
});

describe('a change between two periods from one owner (change_between, the graph’s changeOf)', () => {
  it('gives the model both ends with sources, the change and the percent, the figures the local engine states', async () => {
    const { outputs, result } = await claudeTurn([
      { name: 'change_between', input: { metric: 'MRR', from: '2025-01', to: 'latest' } },
      { name: 'change_between', input: { metric: 'customers', from: { month: 3, year: 2025 }, to: '2025-06' } },
      // An end before the data: no change, and the end says why (as compute_metric would).
      { name: 'change_between', input: { metric: 'MRR', from: '2019-01', to: 'latest' } },
    ]);
    const [mrr, customers, before] = outputs as Array<{
      from: { period: string; value: number | null; currency?: string; outside_data?: { note: string } };
      to: { period: string; value: number | null };
      change: number | null;
      change_pct: number | null;
      direction: string | null;
    }>;
    // MRR 40,000 in January → 47,500 in June: +7,500, +18.75%.
    expect(mrr).toMatchObject({
      from: { period: '2025-01', value: 40_000, currency: 'EUR' },
      to: { period: '2025-06', value: 47_500 },
      change: 7_500,
      change_pct: 18.75,
      direction: 'up',
    });
    expect(customers).toMatchObject({ change: 6, direction: 'up', from: { value: 104 }, to: { value: 110 } });
    expect(before).toMatchObject({ change: null, change_pct: null, direction: null });
    expect(before!.from.outside_data?.note).toBe('your data runs from January 2025 to June 2025');
    // The change is charted as two points and cited from the export.
    expect(result.metrics.find((m) => m.metric === 'mrr')?.series).toEqual([
      { period: '2025-01', value: 40_000 },
      { period: '2025-06', value: 47_500 },
    ]);
    expect(result.citations.some((c) => 'document_name' in c && c.document_name === 'kpis.csv')).toBe(true);
    // The prompt sends growth questions to the tool; the local engine states the same figures.
    expect(systemPrompt('Parity GmbH')).toMatch(/change_between for how a metric moved/);
    const local = await localAnswer('How much did MRR grow from January 2025 to June 2025?');
    expect(local).toMatch(/€7,500/);
    expect(local).toMatch(/\+18\.75%/);
  });
});

describe('a percent metric changes in points', () => {
  it('gives no relative change of a percent', async () => {
    const { changeOf } = await import('../../src/graph/index.ts');
    expect(changeOf(100, 105, 'percent')).toEqual({ change: 5, change_pct: null, direction: 'up' });
    expect(changeOf(0, 5, 'currency')).toEqual({ change: 5, change_pct: null, direction: 'up' });
    expect(changeOf(200, 150, 'currency')).toEqual({ change: -50, change_pct: -25, direction: 'down' });
    expect(changeOf(3, 3, 'count').direction).toBe('flat');
  });
});

describe('the system prompt states the local engine’s rules, as one cached block', () => {
  const prompt = systemPrompt('Parity GmbH');
  it.each([
    ['abstention', /begin with "I couldn't find …"/],
    ['metric and period asked', /figure only when its metric and period are the ones asked/],
    ['out of scope', /one sentence what you do and suggest a\s+question/],
    ['currency', /Amounts are in the currency list_metrics gives/],
    ['Read as', /"Read as:"/],
    ['stated vs computed', /Stated in <document>" or "Computed from your tables"/],
    ['before the data', /outside_data/],
    ['lost customers', /record list with `lost` set holds only customers who left/],
  ])('%s', (_rule, pattern) => {
    expect(prompt).toMatch(pattern);
  });
});
