import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractMetrics } from '../../src/documents/extract-metrics.ts';
import { parseDocument } from '../../src/documents/parse/index.ts';
import { computeMetric } from '../../src/graph/engine/compute.ts';
import { buildMetricData } from '../../src/graph/engine/data.ts';
import type { MetricPoint } from '../../src/graph/types.ts';

/**
 * What a balance column of an MRR movements table is, decided by its content (graph/roll-forward.ts):
 * a column that rolls forward with the table's movements is month-end MRR whatever its header says; one
 * that does not stays what its header says. And the first month's starting MRR, derived by the same
 * identity (graph/engine/values.ts).
 */
let dir: string;
beforeAll(async () => {
  dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-rollfwd-'));
});
afterAll(async () => {
  await fs.promises.rm(dir, { recursive: true, force: true });
});

async function points(name: string, csv: string): Promise<MetricPoint[]> {
  const file = path.join(dir, name);
  await fs.promises.writeFile(file, csv);
  return extractMetrics(await parseDocument(file, 'csv'), { document_id: 'doc_roll01', document_name: name });
}
const at = (ps: MetricPoint[], metric: string, period: string) =>
  ps.find((p) => p.metric === metric && p.period === period);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].map(
  (m) => `${m} 2025`,
);

interface Month {
  label: string;
  /** Month-end MRR, unrounded. */
  mrr: number;
  newMrr: number;
  expansion: number;
  contraction: number;
  churned: number;
}

/**
 * A year of a company's MRR, month by month from 48,000.37 at the start of January; each movement has
 * cents, so the table (written in whole dollars) only rolls forward within rounding.
 */
function year(): Month[] {
  let mrr = 48_000.37;
  return MONTHS.map((label, i) => {
    const newMrr = 1_800.4 + 97.3 * ((i * 7) % 5);
    const expansion = 420.6 + 55.1 * ((i * 3) % 4);
    const contraction = 260.2 + 40.7 * ((i * 5) % 3);
    const churned = 610.9 + 83.3 * ((i * 2) % 5);
    mrr += newMrr + expansion - contraction - churned;
    return { label, mrr, newMrr, expansion, contraction, churned };
  });
}

/** The export as a billing system writes it: `balance` gives the first column's value, losses signed or not. */
function exportOf(
  months: Month[],
  opts: { header?: string; balance?: (m: Month, i: number) => number; lossSign?: 1 | -1 } = {},
): string {
  const sign = opts.lossSign ?? -1;
  const r = Math.round;
  const lines = [`Month,${opts.header ?? 'Subscription revenue'},New MRR,Upsell,Downsell,Lost MRR`];
  months.forEach((m, i) => {
    const balance = opts.balance ? opts.balance(m, i) : m.mrr;
    lines.push(
      [m.label, r(balance), r(m.newMrr), r(m.expansion), sign * r(m.contraction), sign * r(m.churned)].join(','),
    );
  });
  return lines.join('\n');
}

describe('a revenue column that is month-end MRR', () => {
  it('is read as MRR because it rolls forward with the movements, and says so', async () => {
    const months = year();
    const ps = await points('billing.csv', exportOf(months));
    const june = at(ps, 'mrr', '2025-06');
    expect(june?.value).toBe(Math.round(months[5]!.mrr));
    expect(june?.label).toBe('Subscription revenue');
    expect(june?.note).toMatch(/^Read as: month-end MRR \("Subscription revenue" .* in 11 of 11 months\)$/);
    expect(ps.some((p) => p.metric === 'revenue')).toBe(false);

    const data = buildMetricData(ps);
    const arr = computeMetric(data, 'arr', '2025-12');
    expect(arr.ok && arr.value).toBe(Math.round(months[11]!.mrr) * 12);
    expect(arr.ok && arr.readings?.[0]).toMatch(/^Read as: month-end MRR/);
    // NRR of Q2: (MRR at the end of March + expansion − contraction − churned over Q2) / MRR at the end of March.
    const q2 = months.slice(3, 6);
    const start = Math.round(months[2]!.mrr);
    const kept =
      start + q2.reduce((s, m) => s + Math.round(m.expansion) - Math.round(m.contraction) - Math.round(m.churned), 0);
    const nrr = computeMetric(data, 'nrr', '2025-Q2');
    expect(nrr.ok && nrr.value).toBeCloseTo((kept / start) * 100, 3);
  });

  it('is read the same way whether the losses are written negative or positive', async () => {
    const months = year();
    const negative = buildMetricData(await points('signed.csv', exportOf(months, { lossSign: -1 })));
    const positive = buildMetricData(await points('unsigned.csv', exportOf(months, { lossSign: 1 })));
    for (const data of [negative, positive]) {
      const grr = computeMetric(data, 'grr', '2025-Q3');
      expect(grr.ok).toBe(true);
      expect(grr.ok && grr.value).toBeLessThan(100);
    }
    const [a, b] = [computeMetric(negative, 'grr', '2025-Q3'), computeMetric(positive, 'grr', '2025-Q3')];
    expect(a.ok && b.ok && a.value === b.value).toBe(true);
  });

  it('is read as MRR with one corrected month, and the note names the months that do not roll forward', async () => {
    const months = year();
    // April's balance was corrected by hand: April and May no longer roll forward, the other nine do.
    const csv = exportOf(months, { balance: (m, i) => (i === 3 ? m.mrr + 2_500 : m.mrr) });
    const ps = await points('corrected.csv', csv);
    const note = at(ps, 'mrr', '2025-08')?.note;
    expect(note).toMatch(/in 9 of 11 months; not in April 2025, May 2025\)$/);
    // The document's figure is what it is: April is not "repaired".
    expect(at(ps, 'mrr', '2025-04')?.value).toBe(Math.round(months[3]!.mrr + 2_500));
  });
});

describe('a quarterly revenue column that is quarter-end MRR', () => {
  it('is read as MRR at each quarter end, and says so', async () => {
    const csv = [
      'Quarter,Recurring revenue,New MRR,Expansion MRR,Contraction MRR,Churned MRR',
      'Q1 2025,60000,6000,1500,-900,-2100',
      'Q2 2025,64500,6200,1300,-800,-2200',
      'Q3 2025,69000,5900,1700,-700,-2400',
      'Q4 2025,73500,6100,1200,-600,-2200',
    ].join('\n');
    const ps = await points('quarters.csv', csv);
    expect(at(ps, 'mrr', '2025-Q4')?.value).toBe(73_500);
    expect(at(ps, 'mrr', '2025-Q4')?.note).toMatch(/^Read as: period-end MRR .* in 3 of 3 periods\)$/);
    const nrr = computeMetric(buildMetricData(ps), 'nrr', '2025-Q4');
    expect(nrr.ok && nrr.value).toBeCloseTo(((69_000 + 1_200 - 600 - 2_200) / 69_000) * 100, 3);
  });
});

describe('a revenue column that is not MRR', () => {
  it('stays revenue: recognised revenue (the month’s average MRR) does not roll forward', async () => {
    const months = year();
    const recognised = (m: Month, i: number) => (m.mrr + (i === 0 ? 48_000.37 : months[i - 1]!.mrr)) / 2;
    const ps = await points('pnl-like.csv', exportOf(months, { header: 'Total revenue', balance: recognised }));
    expect(at(ps, 'revenue', '2025-06')?.value).toBe(Math.round(recognised(months[5]!, 5)));
    expect(ps.some((p) => p.metric === 'mrr')).toBe(false);
    const data = buildMetricData(ps);
    expect(computeMetric(data, 'arr', '2025-12').ok).toBe(false);
  });

  it('stays revenue when most months do not roll forward', async () => {
    const months = year();
    // Three months off: six of eleven month-on-month steps break, fewer than three in four hold.
    const csv = exportOf(months, { balance: (m, i) => (i % 4 === 1 ? m.mrr + 900 : m.mrr) });
    const ps = await points('mostly-off.csv', csv);
    expect(ps.some((p) => p.metric === 'mrr')).toBe(false);
    expect(at(ps, 'revenue', '2025-02')).toBeDefined();
  });

  it('stays what it is when it is a running total of net new MRR, whatever its header says', async () => {
    const months = year();
    // Each month's running total: it rolls forward with the movements too, but starts from zero.
    let total = 0;
    const running = months.map((m) => {
      total += m.newMrr + m.expansion - m.contraction - m.churned;
      return total;
    });
    for (const header of ['Cumulative net new', 'Net position']) {
      const ps = await points(
        `running-${header.length}.csv`,
        exportOf(months, { header, balance: (_, i) => running[i]! }),
      );
      expect(ps.some((p) => p.metric === 'mrr')).toBe(false);
    }
  });

  it('leaves a table that already names its MRR alone', async () => {
    const months = year();
    const ps = await points('named.csv', exportOf(months, { header: 'Ending MRR' }));
    expect(at(ps, 'mrr', '2025-03')?.value).toBe(Math.round(months[2]!.mrr));
    // Its header said what it is: no reading to report.
    expect(at(ps, 'mrr', '2025-03')?.note).toBeUndefined();
  });
});

describe('ending MRR of the last month of an export that gives only the opening balance', () => {
  const csv = [
    'Month,Beginning MRR,New MRR,Expansion MRR,Contraction MRR,Churned MRR',
    '2025-10,100000,5000,2000,-800,-1200',
    '2025-11,105000,4000,1500,-700,-1800',
    '2025-12,108000,6000,1000,-500,-1500',
  ].join('\n');

  it('is derived as starting MRR plus the month’s net new MRR, and says so', async () => {
    const data = buildMetricData(await points('opening.csv', csv));
    const dec = computeMetric(data, 'mrr', '2025-12');
    expect(dec.ok && dec.value).toBe(108_000 + 6_000 + 1_000 - 500 - 1_500);
    expect(dec.ok && dec.readings?.some((x) => /^Read as: MRR at the end of December 2025 derived/.test(x))).toBe(true);
    // Earlier months are the next month's opening balance, as the document writes it.
    const nov = computeMetric(data, 'mrr', '2025-11');
    expect(nov.ok && nov.value).toBe(108_000);
    const arr = computeMetric(data, 'arr', '2025-12');
    expect(arr.ok && arr.value).toBe(113_000 * 12);
  });

  it('is not derived for a month after the data ends', async () => {
    const data = buildMetricData(await points('opening-after.csv', csv));
    expect(computeMetric(data, 'mrr', '2026-01').ok).toBe(false);
  });
});

describe('starting MRR of the first month, by the roll-forward identity', () => {
  it('is derived from that month’s ending MRR and movements, so the first quarter’s NRR can be computed', async () => {
    const months = year();
    const data = buildMetricData(await points('first.csv', exportOf(months, { header: 'MRR' })));
    const jan = months[0]!;
    const r = Math.round;
    const derived = r(jan.mrr) - (r(jan.newMrr) + r(jan.expansion) - r(jan.contraction) - r(jan.churned));
    const start = computeMetric(data, 'starting_mrr', '2025-01');
    expect(start.ok && start.value).toBe(derived);
    expect(start.ok && start.readings?.some((x) => /derived/.test(x) && /December 2024/.test(x))).toBe(true);

    const q1 = months.slice(0, 3);
    const kept = derived + q1.reduce((s, m) => s + r(m.expansion) - r(m.contraction) - r(m.churned), 0);
    const nrr = computeMetric(data, 'nrr', '2025-Q1');
    expect(nrr.ok && nrr.value).toBeCloseTo((kept / derived) * 100, 3);
    expect(nrr.ok && nrr.readings?.some((x) => /^Read as: starting MRR of January 2025 derived/.test(x))).toBe(true);
  });

  it('never gives MRR for a month before the data starts', async () => {
    const data = buildMetricData(await points('before.csv', exportOf(year(), { header: 'MRR' })));
    expect(computeMetric(data, 'mrr', '2024-12').ok).toBe(false);
    expect(computeMetric(data, 'arr', '2024-12').ok).toBe(false);
    expect(computeMetric(data, 'starting_mrr', '2024-12').ok).toBe(false);
  });

  it('is not derived when one of the month’s movements is not written', async () => {
    const csv = exportOf(year(), { header: 'MRR' }).replace(/^(Jan 2025,[^,]*,[^,]*,[^,]*),[^,]*,/m, '$1,,');
    const data = buildMetricData(await points('gap.csv', csv));
    expect(computeMetric(data, 'starting_mrr', '2025-01').ok).toBe(false);
    const nrr = computeMetric(data, 'nrr', '2025-Q1');
    expect(nrr.ok).toBe(false);
    // From February on, the month before gives it as before.
    expect(computeMetric(data, 'starting_mrr', '2025-02').ok).toBe(true);
  });
});
