import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractMetrics } from '../../src/documents/extract-metrics.ts';
import { parseCsv } from '../../src/documents/parse/csv.ts';

/**
 * A company that calls its customers by what they are ("Paying agencies", "Churned agencies"): a table
 * with a "Paying <noun>" line of whole numbers counts its customers as <noun>, so its lines that are a
 * customer count with "customers" for the noun are that count (the graph can then give ARPA, logo churn
 * and "the month the most agencies cancelled"). Without a "Paying" line the noun could be anything.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'own-noun-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function metricsOf(rows: Array<Array<string | number>>) {
  const file = path.join(dir, `t${Math.random().toString(36).slice(2)}.csv`);
  fs.writeFileSync(file, `${rows.map((r) => r.join(',')).join('\n')}\n`);
  const points = extractMetrics(await parseCsv(file, 'csv'), { document_id: 'd', document_name: 'kpis.csv' });
  return new Map(points.map((p) => [p.label, p]));
}

describe("the company's own word for a customer", () => {
  it('reads "Paying / New / Churned practices" as the customer counts, and says so', async () => {
    const m = await metricsOf([
      ['Month', 'MRR', 'Paying practices', 'New practices', 'Churned practices'],
      ['Jan 2026', 61000, 410, 9, 1],
      ['Feb 2026', 62500, 415, 6, 1],
    ]);
    expect(m.get('Paying practices')).toMatchObject({ metric: 'customers', unit: 'count' });
    expect(m.get('New practices')).toMatchObject({ metric: 'new_customers' });
    expect(m.get('Churned practices')).toMatchObject({ metric: 'churned_customers' });
    expect(m.get('Churned practices')?.note).toMatch(
      /read as Churned customers: the table counts its customers as "Paying practices"/,
    );
  });

  it('leaves other counts alone: no "Paying" line, or figures that are not whole counts', async () => {
    const hires = await metricsOf([
      ['Month', 'MRR', 'New hires', 'Churned hires'],
      ['Jan 2026', 61000, 3, 1],
      ['Feb 2026', 62500, 2, 0],
    ]);
    expect(hires.get('New hires')?.metric).toMatch(/^item:/);
    expect(hires.get('Churned hires')?.metric).toMatch(/^item:/);
    const money = await metricsOf([
      ['Month', 'Paying practices', 'Churned practices'],
      ['Jan 2026', 410.5, 1],
      ['Feb 2026', 415.25, 1],
    ]);
    expect(money.get('Paying practices')?.metric).toMatch(/^item:/);
    expect(money.get('Churned practices')?.metric).toMatch(/^item:/);
  });
});
