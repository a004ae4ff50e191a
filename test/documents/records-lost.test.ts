import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/documents/parse/csv.ts';
import { queryRecordList } from '../../src/documents/records/query.ts';
import { readRecordList, recogniseRecordLists } from '../../src/documents/records/recognise.ts';

/**
 * Lists of customers who left (issue 11): a cancellations or churn export is read as lost customers —
 * by a churn date on every row, a churned status on every row, or a name that says so with no row
 * saying active — never a roster with some active rows. A subscription export's quantity times its
 * unit price is what a customer paid, its "per <unit>" says what the quantity counts, and a reason
 * column is filtered by the cause asked ("price" is "Too expensive").
 */

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'records-lost-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function listOf(name: string, rows: Array<Array<string | number>>) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `${rows.map((r) => r.join(',')).join('\n')}\n`);
  const doc = await parseCsv(file, 'csv');
  const [spec] = recogniseRecordLists(doc, name);
  expect(spec, name).toBeDefined();
  return {
    spec: spec!,
    list: readRecordList(spec!, doc.tables[spec!.table]!, { document_id: 'd', document_name: name }),
  };
}

describe('a list of customers who left', () => {
  it('reads every row with a cancellation date as a lost customer, quantity × price per unit as its value', async () => {
    const { spec, list } = await listOf('export-2026-03.csv', [
      ['Client', 'Licences', 'Price per licence', 'Cancelled on', 'Why they left'],
      ['Harbour Freight', 30, 12.5, '2026-03-04', 'Too expensive'],
      ['Kelp Studio', 4, 20, '2026-03-18', 'Switched to a competitor'],
      ['Nimbus Dental', 9, 12.5, '2026-02-11', 'Price increase'],
    ]);
    expect(spec.columns.map((c) => c.role)).toEqual(['name', 'seats', 'amount', 'end', 'reason']);
    expect(spec.columns.find((c) => c.role === 'amount')?.perUnit).toBe(true);
    expect(list.lost).toMatch(/Cancelled on/);
    expect(list.records.every((r) => r.churned)).toBe(true);
    expect(list.records.map((r) => r.values.amount)).toEqual([375, 80, 112.5]);
    const biggest = queryRecordList(list, { op: 'list', status: 'churned', months: ['2026-03'], date: 'end' });
    expect(biggest.records[0]).toMatchObject({ name: 'Harbour Freight', value: 375 });
    expect(biggest.notes.join(' ')).toMatch(
      /"Price per licence" is a price per licence: each figure is it times "Licences"/,
    );
  });

  it('filters a reason by its cause, and finds nothing for a cause nobody gave', async () => {
    const { list } = await listOf('leavers.csv', [
      ['Client', 'Licences', 'Price per licence', 'Cancelled on', 'Why they left'],
      ['Harbour Freight', 30, 12.5, '2026-03-04', 'Too expensive'],
      ['Kelp Studio', 4, 20, '2026-03-18', 'Switched to a competitor'],
      ['Nimbus Dental', 9, 12.5, '2026-02-11', 'Price increase'],
    ]);
    const cost = queryRecordList(list, { op: 'count', where: { reason: 'cost' } });
    expect(cost.records.map((r) => r.name).sort()).toEqual(['Harbour Freight', 'Nimbus Dental']);
    // The words themselves first: "competitor" is the row that says it.
    expect(queryRecordList(list, { op: 'count', where: { reason: 'competitor' } }).count).toBe(1);
    expect(queryRecordList(list, { op: 'count', where: { reason: 'bugs' } }).count).toBe(0);
    expect(queryRecordList(list, { op: 'count', where: { reason: 'weather' } }).count).toBe(0);
  });

  it('takes a subscription state of statuses as the status, and the unit the plan is billed per', async () => {
    const { spec, list } = await listOf('subscriptions.csv', [
      ['account_name', 'plan', 'qty', 'unit_price', 'state'],
      ['Orchard Vets', 'Clinic (per practice)', 3, 40, 'expired'],
      ['Willow Vets', 'Clinic (per practice)', 1, 40, 'canceled'],
    ]);
    expect(spec.columns.find((c) => c.role === 'status')?.header).toBe('state');
    expect(spec.columns.find((c) => c.role === 'seats')?.unit).toBe('practice');
    expect(list.lost).toMatch(/every “state” is expired or canceled/);
    expect(list.records.map((r) => r.values.amount)).toEqual([120, 40]);
  });

  it('reads a list named as cancellations with no dates and no statuses as lost', async () => {
    const { list } = await listOf('Cancellations.csv', [
      ['Customer', 'MRR', 'Plan'],
      ['Orchard Vets', 120, 'Clinic'],
      ['Willow Vets', 40, 'Clinic'],
    ]);
    expect(list.lost).toMatch(/named as a list of cancellations/);
    // "Churn" alone names a subject, not the rows: a churn analysis may list every customer.
    const analysis = await listOf('churn analysis.csv', [
      ['Customer', 'MRR', 'Plan'],
      ['Orchard Vets', 120, 'Clinic'],
      ['Willow Vets', 40, 'Clinic'],
    ]);
    expect(analysis.list.lost).toBeUndefined();
  });

  it("takes the cancellation date, not the billing period's end, as when a customer left", async () => {
    const { spec, list } = await listOf('subscriptions-export.csv', [
      [
        'id',
        'Customer Description',
        'Amount',
        'Status',
        'Current Period End (UTC)',
        'Canceled At (UTC)',
        'Ended At (UTC)',
      ],
      ['sub_1', 'Orchard Vets', 120, 'active', '2026-02-10 14:03', '', ''],
      ['sub_2', 'Willow Vets', 40, 'canceled', '2025-11-22 14:03', '2025-11-15 16:41', '2025-11-15 16:41'],
    ]);
    expect(spec.columns.find((c) => c.role === 'end')?.header).toBe('Canceled At (UTC)');
    expect(list.records.map((r) => [r.name, r.churned, r.dates.end])).toEqual([
      ['Orchard Vets', false, undefined],
      ['Willow Vets', true, '2025-11-15'],
    ]);
    expect(list.lost).toBeUndefined();
  });

  it('never reads a roster with an active row as lost, whatever its name or its end dates', async () => {
    const named = await listOf('churn review.csv', [
      ['Customer', 'MRR', 'Status', 'Churn date'],
      ['Orchard Vets', 120, 'Active', ''],
      ['Willow Vets', 40, 'Churned', '2026-01-10'],
    ]);
    expect(named.list.lost).toBeUndefined();
    expect(named.list.records.map((r) => r.churned)).toEqual([false, true]);
    // A contract's end date on every row may lie ahead: it is no cancellation.
    const contracts = await listOf('customers.csv', [
      ['Customer', 'MRR', 'Contract end'],
      ['Orchard Vets', 120, '2027-01-31'],
      ['Willow Vets', 40, '2026-09-30'],
    ]);
    expect(contracts.list.lost).toBeUndefined();
    // A US state is a place, not a status.
    const places = await listOf('accounts.csv', [
      ['Customer', 'MRR', 'State'],
      ['Orchard Vets', 120, 'CA'],
      ['Willow Vets', 40, 'NY'],
    ]);
    expect(places.spec.columns.find((c) => c.header === 'State')?.role).not.toBe('status');
    expect(places.list.lost).toBeUndefined();
  });
});
