import { readCashBalance } from '../graph/cash-balance.ts';
import { lineItemId, METRICS_BY_ID, metricForLabel, namesExactly, normalizeLabel } from '../graph/catalog.ts';
import { readRollForward } from '../graph/roll-forward.ts';
import type { MetricPoint, Unit } from '../graph/types.ts';
import { addMonths, formatPeriod, monthIndex, monthsOf, periodKind } from '../lib/periods.ts';
import { recogniseTable } from './records/recognise.ts';
import { TOTAL_LABEL } from './tables/build.ts';
import { isCohortTable } from './tables/cohorts.ts';
import { cellLocator } from './tables/locate.ts';
import { round } from './tables/numbers.ts';
import { readPeriod } from './tables/periods.ts';
import { PLAN_WORD, planLine, tablePlan } from './tables/plans.ts';
import { statementLines } from './tables/statement.ts';
import {
  currencyIn,
  ownScale,
  type StatedScale,
  scaleNote,
  tableCurrency,
  tableScale,
  workbookScale,
} from './tables/units.ts';
import type { ColumnType, ParsedDocument, ParsedTable } from './types.ts';

export interface DocumentRef {
  document_id: string;
  document_name: string;
}

/**
 * Every typed table → metric points. Long tables (periods down a column): each numeric column is a
 * series. Wide tables (periods across the header): each line-item row is a series. A header that the
 * catalog knows becomes its canonical id; any other label is kept as `item:<label>` so line items
 * such as "AWS hosting" can be asked about too.
 *
 * Documents are read as they come: rows in any order; a `Total` row or column is no period; a subtotal
 * (a quarter or year beside the months it sums) is left to the months; periods as spreadsheets write
 * them (tables/periods.ts); a loss or cost written as negative numbers is read as an amount, and the
 * point says so (`note`), so the answer can.
 */
export function extractMetrics(doc: ParsedDocument, ref: DocumentRef): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const [t, table] of doc.tables.entries()) {
    // A list of customers or deals (records/) is no series: its signup months are not periods of MRR.
    if (recogniseTable(table, t, ref.document_name)) continue;
    // A retention cohort table (signup months down, months since across) is no series either.
    if (isCohortTable(table)) continue;
    const book = workbookScale(doc, table);
    if (book) inheritedScale.set(table, book);
    const own =
      table.orientation === 'long'
        ? fromLong(table, ref)
        : table.orientation === 'wide'
          ? fromWide(table, ref)
          : fromBareMonths(table, ref);
    // `1.234,56` read as 1,234.56 decides each figure a thousand times over: every point says so.
    const marked =
      table.decimalMark === 'comma'
        ? own.map((p) => ({ ...p, note: p.note ? `${p.note}; ${DECIMAL_COMMA_NOTE}` : DECIMAL_COMMA_NOTE }))
        : own;
    // What a balance column is, decided by the table's content: one that rolls forward with the table's
    // MRR movements is month-end MRR whatever its header says (graph/roll-forward.ts); one that rolls
    // forward with the table's net cash flow is the cash balance (graph/cash-balance.ts).
    // What the actuals are is read from the actuals: a plan's line never counts in a roll-forward.
    const named = ownCustomerNoun(marked);
    const plans = named.filter((p) => p.plan);
    const actuals = plans.length ? named.filter((p) => !p.plan) : named;
    const read = inCurrency([...readCashBalance(readRollForward(countsOfEvents(actuals))), ...plans], table, doc);
    // A budget or forecast sheet's figures are the plan, never what happened (tables/plans.ts).
    const plan = tablePlan(doc, table, ref.document_name);
    points.push(...(plan ? read.map((p) => asPlan(p, plan, table)) : read));
    if (!plan && table.orientation === 'wide') points.push(...inCurrency(planColumns(table, ref), table, doc));
  }
  return dedupe(points);
}

/**
 * A point of a plan: `plan` names the plan as the document does (its sheet, else its title) so an answer
 * can say which budget it read, and the note says why the figures are a plan.
 */
function asPlan(p: MetricPoint, why: string, table: ParsedTable): MetricPoint {
  const name = table.sheet?.trim() || table.title?.split(' · ')[0]?.trim() || p.source.document_name;
  const note = `Read as: a plan, not actuals (${why})`;
  return { ...p, plan: name, note: p.note ? `${note}; ${p.note}` : note };
}

/** The catalog's counts of customers, which a company may keep under its own word for a customer. */
const CUSTOMER_COUNTS = new Set(['customers', 'new_customers', 'churned_customers', 'customers_start']);

/**
 * A company that calls its customers by what they are ("Paying agencies", "New agencies", "Churned
 * agencies" in a lettings-software dashboard; "Paying practices" for a dental one): a table with one
 * "Paying <noun>" line of whole numbers names its customers <noun>, and each of its lines that reads as
 * a customer count with "customers" for that noun is that count, and says so. Without a "Paying" line
 * the noun could be anything counted ("New hires", "Active users"), so nothing changes.
 */
function ownCustomerNoun(points: MetricPoint[]): MetricPoint[] {
  const whole = (label: string) =>
    points.filter((p) => p.label === label).every((p) => Number.isInteger(p.value) && p.value >= 0);
  const nouns = new Set<string>();
  for (const p of points) {
    const m = p.metric.startsWith('item:') ? /^paying ([a-z]{3,}s)$/.exec(normalizeLabel(p.label)) : null;
    if (m && !/^(customers|clients|accounts|users|subscribers|logos)$/.test(m[1]!) && whole(p.label)) nouns.add(m[1]!);
  }
  if (nouns.size !== 1) return points;
  const noun = [...nouns][0]!;
  const word = new RegExp(`\\b${noun}\\b`);
  return points.map((p) => {
    const key = normalizeLabel(p.label);
    if (!p.metric.startsWith('item:') || !word.test(key) || !whole(p.label)) return p;
    const def = metricForLabel(key.replace(word, 'customers'));
    if (!def || !CUSTOMER_COUNTS.has(def.id)) return p;
    const note = `"${p.label.trim()}" is read as ${def.name}: the table counts its customers as "Paying ${noun}"`;
    return { ...p, metric: def.id, unit: def.unit, note: p.note ? `${p.note}; ${note}` : note };
  });
}

/**
 * A column of a plan beside the actuals: `Jan - Mar, 2025 (Budget)`, `Q1 2026 (Forecast)`, `Jan-26 Budget`,
 * `Budget Q1 2026`: the period and the plan word (`planColumnOf`).
 */
const PLAN_NOUN = String.raw`(budgets?|forecasts?|fcst|plan|targets?|projections?|bud)`;
const PLAN_AFTER = new RegExp(String.raw`^(.+?)\s*(?:\(\s*${PLAN_NOUN}\s*\)|[\s-]+${PLAN_NOUN})$`, 'i');
const PLAN_BEFORE = new RegExp(String.raw`^${PLAN_NOUN}[\s-]+(.+)$`, 'i');

function planColumnOf(header: string): { period: string; name: string } | undefined {
  const after = PLAN_AFTER.exec(header.trim());
  const before = after ? null : PLAN_BEFORE.exec(header.trim());
  const text = after?.[1] ?? before?.[2];
  const name = after ? (after[2] ?? after[3]) : before?.[1];
  const period = text ? readPeriod(text) : undefined;
  return period && name ? { period, name } : undefined;
}

/**
 * The plan columns of a table of actuals (a Budget vs. Actuals: `Actual | Budget | over Budget` under each
 * quarter; `Budget` over some months, tables/build.ts): each line's plan for the period, as plan points
 * (`plan`: the column's plan word), read as the actual columns are read. A variance or a share of the plan
 * (`over Budget`, `% of Budget`) is no plan.
 */
function planColumns(table: ParsedTable, ref: DocumentRef): MetricPoint[] {
  const names: Array<string | undefined> = [];
  const periods = table.header.map((h, c) => {
    const found = c > 0 ? planColumnOf(h) : undefined;
    if (found) names[c] = found.name;
    return found?.period;
  });
  if (!periods.some(Boolean)) return [];
  // The plan as the columns name it (`Budget`); columns of two plans (a budget and a forecast) give each its own.
  const named = periods.map((period, c) => (period ? names[c]! : undefined));
  const out: MetricPoint[] = [];
  for (const name of new Set(named.filter((n): n is string => n !== undefined))) {
    const own = periods.map((period, c) => (named[c] === name ? period : undefined));
    const note = `Read as: a plan, not actuals (the "${name}" columns)`;
    for (const p of fromWide(table, ref, own))
      out.push({ ...p, plan: name, note: p.note ? `${note}; ${p.note}` : note });
  }
  return out;
}

/** The count an amount's event word also names: `Cancellations` may be churned MRR or churned customers. */
const COUNT_OF: Record<string, string> = { churned_mrr: 'churned_customers', new_mrr: 'new_customers' };
/** A header that says it is money: `Churned MRR`, `Cancellation revenue`, `Lost ARR ($)`. */
const AMOUNT_WORD = /\b(?:mrr|arr|revenue|amount|value|usd|eur|gbp)\b|[$€£]/i;

/**
 * A column headed by the event alone (`Cancellations`, `Churn`, `New`) is read by the catalog as the MRR
 * it moved, but billing exports (Baremetrics) use such a header for the number of customers. In one
 * table, such a series of whole numbers is the count when
 * - a column beside it names the amount itself (`Churned MRR` next to `Cancellations`), or
 * - nothing names the amount and its figures cannot be money lost: each no more than the customers of its
 *   period and less than one average customer's MRR (MRR / customers) — seven dollars of churn on a
 *   $400k MRR base is seven customers.
 * The points become the count and say why. A table that already has the count keeps its amount.
 */
function countsOfEvents(points: MetricPoint[]): MetricPoint[] {
  const byLabel = new Map<string, MetricPoint[]>();
  for (const p of points)
    byLabel.set(`${p.metric}\u0000${p.label}`, [...(byLabel.get(`${p.metric}\u0000${p.label}`) ?? []), p]);
  const periodsOf = (metric: string) =>
    new Map(points.filter((p) => p.metric === metric).map((p) => [p.period, p.value] as const));
  const relabel = new Map<string, { metric: string; note: string }>();
  for (const [key, series] of byLabel) {
    const [metric, label] = key.split('\u0000') as [string, string];
    const count = COUNT_OF[metric];
    if (!count || AMOUNT_WORD.test(label) || points.some((p) => p.metric === count)) continue;
    if (!series.every((p) => Number.isInteger(p.value))) continue;
    const amountBeside = points.find((p) => p.metric === metric && p.label !== label && AMOUNT_WORD.test(p.label));
    let why: string | undefined;
    if (amountBeside) why = `"${amountBeside.label}" beside it gives the amount`;
    else {
      const customers = periodsOf('customers');
      const mrr = periodsOf('mrr');
      const small = series.every((p) => {
        const n = customers.get(p.period);
        const m = mrr.get(p.period);
        return n !== undefined && n > 0 && m !== undefined && p.value <= n && (p.value === 0 || p.value < m / n);
      });
      if (small && series.some((p) => p.value > 0))
        why = 'its whole numbers are each fewer than the customers and less than one average customer’s MRR';
    }
    if (!why) continue;
    const name = METRICS_BY_ID.get(count)?.name.toLowerCase() ?? count;
    relabel.set(key, { metric: count, note: `Read as: "${label}" counts ${name} (${why})` });
  }
  if (relabel.size === 0) return points;
  return points.map((p) => {
    const r = relabel.get(`${p.metric}\u0000${p.label}`);
    if (!r) return p;
    // The sign was read for the amount (a loss written negative); the count reads it the same way.
    return { ...p, metric: r.metric, unit: 'count', note: p.note ? `${r.note}; ${p.note}` : r.note };
  });
}

/**
 * The currency each amount is written in, where the document says: the series' own header or row label
 * (`Revenue (EUR)`), its cells' symbols (`€1,200`, an XLSX `[$€-407]` format), else the table's or the
 * workbook's statement (tables/units.ts `tableCurrency`). Amounts whose document names no currency carry
 * none (the graph decides what that means for the tenant).
 */
function inCurrency(points: MetricPoint[], table: ParsedTable, doc: ParsedDocument): MetricPoint[] {
  if (!points.some((p) => p.unit === 'currency')) return points;
  const byHeader = new Map(table.header.map((h, c) => [h.trim(), table.currencies?.[c]]));
  const named = [...new Set((table.currencies ?? []).filter((c): c is string => c !== undefined))];
  const labelCol = Math.max(0, table.columnTypes.indexOf(table.orientation === 'long' ? 'period' : 'text'));
  let whole: { code: string | undefined } | undefined;
  return points.map((p) => {
    if (p.unit !== 'currency') return p;
    whole ??= { code: tableCurrency(doc, table, labelCol) };
    const code =
      currencyIn(p.label) ?? byHeader.get(p.label) ?? (named.length === 1 ? named[0] : undefined) ?? whole.code;
    return code ? { ...p, currency: code } : p;
  });
}

/** A scale the workbook states on another sheet (a `Read me` note), for the tables of the sheets it covers. */
const inheritedScale = new WeakMap<ParsedTable, StatedScale>();

/** The scale for a whole table: its own statement (title, corner, note row), else the workbook's. */
const wholeScale = (table: ParsedTable, labelCol: number): StatedScale | undefined =>
  tableScale(table, labelCol) ?? inheritedScale.get(table);

const DECIMAL_COMMA_NOTE = 'numbers written with decimal commas (1.234,56 read as 1,234.56)';

function fromLong(
  table: ParsedTable,
  ref: DocumentRef,
  periodCol = table.columnTypes.indexOf('period'),
  given?: Array<string | undefined>,
  note?: string,
): MetricPoint[] {
  const out: MetricPoint[] = [];
  if (!given && isEntityList(table, periodCol)) return [];
  // A period that repeats is one row per metric and period (a long export: pivoted), one row per segment
  // and period (read by `bySegment`) or a transaction log (no points: the table stays queryable).
  const seen = new Set<string>();
  let periods: Array<string | undefined> = [];
  for (const [r, row] of table.rows.entries()) {
    const v = row[periodCol];
    const period = given ? given[r] : v === null || v === undefined ? undefined : readPeriod(v);
    if (period !== undefined) {
      if (seen.has(period))
        return pivoted(table, ref, periodCol, given) ?? bySegment(table, ref, periodCol, given, note);
      seen.add(period);
    }
    periods.push(period);
  }
  periods = withoutSubtotals(periods);
  const whole = wholeScale(table, periodCol);
  table.header.forEach((label, c) => {
    const type = table.columnTypes[c]!;
    if (c === periodCol || !isNumeric(type) || !meaningful(label)) return;
    const series: MetricPoint[] = [];
    table.rows.forEach((row, r) => {
      const value = row[c];
      const period = periods[r];
      if (typeof value !== 'number' || !period) return;
      series.push(point(label, period, value, type, { ...ref, locator: cellLocator(table, r, c) }));
    });
    out.push(...withNote(scaled(signed(scalePercent(series, type)), ownScale(label, 'header'), whole), note));
  });
  return out;
}

/**
 * A list of things with a date each (customers and the day they signed, deals and their close date, roles
 * and the quarter they start): a name or id column that is unique on nearly every row, and the date not
 * the first column. Its amounts
 * are no time series — a customer's MRR under the month it joined is not the company's MRR then — so it
 * gives no points (it stays queryable as a typed table).
 */
export function isEntityList(table: ParsedTable, periodCol = table.columnTypes.indexOf('period')): boolean {
  // Short lists too: a hiring plan of three roles with their start quarters and openings gave "headcount
  // at the end of Q4 2026 is 4" (one role's openings) and "hires in 2026 were 9" as if they were series.
  if (periodCol <= 0 || table.rows.length < 2) return false;
  for (let c = 0; c < periodCol; c++) {
    if (table.columnTypes[c] !== 'text') continue;
    const values = table.rows.map((row) => row[c]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
    if (values.length < table.rows.length * 0.8) continue;
    // A column of period names beside the dates (`January`, `Q1 FY26`) is no name column.
    if (values.filter((v) => readPeriod(v) !== undefined || BARE_MONTH.test(v.trim())).length > values.length * 0.5)
      continue;
    if (new Set(values).size >= values.length * 0.9) return true;
  }
  return false;
}

/**
 * A long export with one row per period and metric (`date, type, amount`): a text column whose values
 * name metrics, unique with the period on every row, becomes one series per metric, from the table's
 * first numeric column. Undefined when the table is not of that shape.
 */
function pivoted(
  table: ParsedTable,
  ref: DocumentRef,
  periodCol: number,
  given: Array<string | undefined> | undefined,
): MetricPoint[] | undefined {
  const periods = table.rows.map((row, r) => {
    const v = row[periodCol];
    return given ? given[r] : v === null || v === undefined ? undefined : readPeriod(v);
  });
  const valueCol = table.columnTypes.findIndex(
    (t, c) => c !== periodCol && isNumeric(t) && !planColumn(table.header[c]),
  );
  if (valueCol < 0) return undefined;
  for (let mc = 0; mc < table.header.length; mc++) {
    if (mc === periodCol || table.columnTypes[mc] !== 'text') continue;
    const pairs = new Set<string>();
    const names = new Map<string, number[]>();
    let unique = true;
    for (let r = 0; r < table.rows.length && unique; r++) {
      if (!periods[r]) continue;
      const name = String(table.rows[r]![mc] ?? '').trim();
      const key = `${periods[r]}\u0000${name}`;
      if (!name || pairs.has(key)) unique = false;
      pairs.add(key);
      names.set(name, [...(names.get(name) ?? []), r]);
    }
    if (!unique || names.size < 2) continue;
    const known = [...names.keys()].filter((n) => metricForLabel(n)).length;
    if (known < 2 || known < names.size * 0.5) continue;
    const out: MetricPoint[] = [];
    const valueHeader = table.header[valueCol] ?? '';
    const whole = wholeScale(table, periodCol);
    for (const [name, rows] of names) {
      if (!meaningful(name)) continue;
      const series: MetricPoint[] = [];
      for (const r of rows) {
        const value = table.rows[r]![valueCol];
        if (typeof value !== 'number') continue;
        series.push(
          point(name, periods[r]!, value, table.columnTypes[valueCol]!, {
            ...ref,
            locator: cellLocator(table, r, valueCol),
          }),
        );
      }
      const subtotalFree = withoutSubtotalPoints(series);
      out.push(
        ...scaled(
          signed(scalePercent(subtotalFree, table.columnTypes[valueCol]!)),
          ownScale(name, 'row') ?? ownScale(valueHeader, 'header'),
          whole,
        ),
      );
    }
    return out;
  }
  return undefined;
}

/** The points of one series without the quarters and years that repeat its months (`withoutSubtotals`). */
function withoutSubtotalPoints(series: MetricPoint[]): MetricPoint[] {
  const kept = withoutSubtotals(series.map((p) => p.period));
  return series.filter((_, i) => kept[i] !== undefined);
}

const planColumn = (header: string | undefined) => PLAN_WORD.test(header ?? '');

/**
 * One row per segment and period (a plan, a region): a text column whose value and the period together
 * are unique on every row. When one segment is a total (`Total`, `All plans`), its rows are the series;
 * otherwise amounts and counts are summed over the segments for each period (percent and average-type
 * metrics are not summed). The points say which reading was used. A table where no column makes the rows
 * unique (a transaction log) gives no points.
 */
function bySegment(
  table: ParsedTable,
  ref: DocumentRef,
  periodCol: number,
  given: Array<string | undefined> | undefined,
  note: string | undefined,
): MetricPoint[] {
  const periods = table.rows.map((row, r) => {
    const v = row[periodCol];
    return given ? given[r] : v === null || v === undefined ? undefined : readPeriod(v);
  });
  const both = (a: string | undefined, b: string) => (a ? `${a}; ${b}` : b);
  for (let sc = 0; sc < table.header.length; sc++) {
    if (sc === periodCol || table.columnTypes[sc] !== 'text') continue;
    const pairs = new Set<string>();
    const segments: string[] = [];
    let unique = true;
    for (let r = 0; r < table.rows.length && unique; r++) {
      if (!periods[r]) continue;
      const seg = String(table.rows[r]![sc] ?? '').trim();
      const key = `${periods[r]}\u0000${seg}`;
      if (!seg || pairs.has(key)) unique = false;
      pairs.add(key);
      if (!segments.includes(seg)) segments.push(seg);
    }
    if (!unique || segments.length < 2) continue;
    const column = table.header[sc] ?? `column ${sc + 1}`;
    const totals = segments.filter((s) => TOTAL_LABEL.test(s) || /^all\b/i.test(s));
    if (totals.length > 1) return [];
    if (totals.length === 1) {
      const keep = periods.map((p, r) => (String(table.rows[r]![sc] ?? '').trim() === totals[0] ? p : undefined));
      return fromLong(table, ref, periodCol, keep, both(note, `the "${totals[0]}" rows of column "${column}"`));
    }
    const shown = segments.length <= 6 ? ` (${segments.join(', ')})` : '';
    const reading = both(note, `summed over the ${segments.length} values of column "${column}"${shown}`);
    const out: MetricPoint[] = [];
    table.header.forEach((label, c) => {
      const type = table.columnTypes[c]!;
      if (c === periodCol || c === sc || !isNumeric(type) || type === 'percent' || !meaningful(label)) return;
      const def = metricForLabel(label);
      if (def && (def.unit === 'percent' || def.aggregation === 'avg' || def.kind === 'derived')) return;
      const sums = new Map<string, { value: number; row: number }>();
      table.rows.forEach((row, r) => {
        const period = periods[r];
        const value = row[c];
        if (!period || typeof value !== 'number') return;
        const had = sums.get(period);
        sums.set(period, { value: round((had?.value ?? 0) + value), row: had?.row ?? r });
      });
      const series = [...sums].map(([period, { value, row }]) =>
        point(label, period, value, type, { ...ref, locator: cellLocator(table, row, c) }),
      );
      out.push(...withNote(scaled(signed(series), ownScale(label, 'header'), wholeScale(table, periodCol)), reading));
    });
    return out;
  }
  return [];
}

function fromWide(
  table: ParsedTable,
  ref: DocumentRef,
  given?: Array<string | undefined>,
  note?: string,
): MetricPoint[] {
  const headerPeriods = withoutSubtotals(given ?? table.header.map((h, c) => (c > 0 ? readPeriod(h) : undefined)));
  const periodCols = headerPeriods
    .map((period, c) => ({ c, period }))
    .filter((x): x is { c: number; period: string } => x.period !== undefined);
  const labelCol = Math.max(0, table.columnTypes.indexOf('text'));
  const whole = wholeScale(table, labelCol);
  const lines = lineReadings(table, labelCol, periodCols);
  const out: MetricPoint[] = [];
  table.rows.forEach((row, r) => {
    const label = row[labelCol];
    // A bare `Total` / `Average` row sums or averages the lines above it: no series of its own.
    if (typeof label !== 'string' || !meaningful(label) || BARE_TOTAL.test(label.trim())) return;
    // One unit per row (a series): the strongest type among its period cells' columns.
    const cells = periodCols.filter(({ c }) => typeof row[c] === 'number');
    const types = new Set(cells.map(({ c }) => table.columnTypes[c]));
    const type: ColumnType = types.has('percent') ? 'percent' : types.has('currency') ? 'currency' : 'number';
    const reading = lines[r];
    const series = cells.map(({ c, period }) =>
      point(label, period, row[c] as number, type, { ...ref, locator: cellLocator(table, r, c) }, reading),
    );
    out.push(...withNote(scaled(signed(scalePercent(series, type)), ownScale(label, 'row'), whole), note));
  });
  return out;
}

/** How one line of a wide table is read: by which name, or as a line item whatever its name says. */
interface LineReading {
  /** The name the catalog reads (the label without its account code). */
  name: string;
  /** A part of a total that the catalog reads as the same metric: kept as its own line item. */
  part: boolean;
  /**
   * Inside a section whose total is an amount the catalog knows (`Hosting` under `Total Cost of Sales`,
   * `Rent` under `Total Operating Expenses`): the line is money too, though its cells carry no currency.
   */
  money?: boolean;
}

/**
 * The lines of a wide table read as a financial statement (tables/statement.ts): each line is named by its
 * account, not its code (`Total 6000 Sales & Marketing` is S&M spend), and a line inside a section whose
 * `Total` line is the same metric (`4000 Subscription Revenue` under `Total Income`, both revenue) is a
 * part of that figure, never the figure itself: it stays a line item of its own, so revenue is the total
 * and the part is not added to it again. Among lines of the table outside any such section that read as
 * one metric, a `Total …` line is the figure and the others are its parts.
 */
function lineReadings(
  table: ParsedTable,
  labelCol: number,
  periodCols: Array<{ c: number; period: string }>,
): LineReading[] {
  const labels = table.rows.map((row) => (typeof row[labelCol] === 'string' ? (row[labelCol] as string) : undefined));
  const figures = table.rows.map((row) => periodCols.some(({ c }) => typeof row[c] === 'number'));
  const lines = statementLines(labels, figures);
  const metricOf = (r: number) => {
    const line = lines[r]!;
    // A plan's line (`Budget MRR`) is no candidate for the actual figure of its metric.
    if (line.kind === 'heading' || planLine(line.name)) return undefined;
    return (arrAsMrr(line.name) ?? metricForLabel(line.name))?.id;
  };
  const metrics = lines.map((_, r) => metricOf(r));
  const part = lines.map((line, r) => {
    const id = metrics[r];
    return id !== undefined && line.within.some((t) => metrics[t] === id);
  });
  const byMetric = new Map<string, number[]>();
  metrics.forEach((id, r) => {
    if (id !== undefined && !part[r] && figures[r]) byMetric.set(id, [...(byMetric.get(id) ?? []), r]);
  });
  for (const [id, rows] of byMetric) {
    if (rows.length < 2) continue;
    const def = METRICS_BY_ID.get(id)!;
    const totals = rows.filter((r) => lines[r]!.kind === 'total');
    const exact = rows.filter((r) => namesExactly(lines[r]!.name, def));
    // The figure: the one total line, else the one line named exactly as the metric (`Revenue` over
    // `Subscription revenue`); several broader lines and neither (`Subscription revenue`, `Services
    // revenue`) are each a part, and none of them is the figure.
    const whole = totals.length === 1 ? totals[0] : totals.length === 0 && exact.length >= 1 ? exact[0] : undefined;
    if (whole === undefined && (totals.length > 0 || exact.length > 0)) continue;
    for (const r of rows) if (r !== whole) part[r] = true;
  }
  const amount = (t: number) => {
    const id = metrics[t];
    return id !== undefined && METRICS_BY_ID.get(id)?.unit === 'currency';
  };
  return lines.map((line, r) => ({
    name: line.name,
    part: part[r]!,
    ...(line.within.some(amount) ? { money: true } : {}),
  }));
}

/**
 * Amounts in a table that states its scale (`$000`, `in millions`) are stored in units: multiplied, and
 * each point says how it was read. A scale in the column's (row's) own label applies to whatever it
 * labels; one for the whole table applies to amounts only — never to percents, ratios, months or a
 * catalog count (customers, headcount), which a `$000` P&L still writes as they are.
 */
function scaled(series: MetricPoint[], own: StatedScale | undefined, whole: StatedScale | undefined): MetricPoint[] {
  const first = series[0];
  if (!first) return series;
  const scale = own ?? whole;
  if (!scale || ['percent', 'ratio', 'months'].includes(first.unit)) return series;
  if (!own && first.unit === 'count') return series;
  const note = scaleNote(scale);
  return series.map((p) => ({
    ...p,
    unit: p.unit === 'number' && scale.words.includes(' of ') ? 'currency' : p.unit,
    value: round(p.value * scale.factor),
    note: p.note ? `${p.note}; ${note}` : note,
  }));
}

const withNote = (series: MetricPoint[], note: string | undefined) =>
  note ? series.map((p) => ({ ...p, note: p.note ? `${p.note}; ${note}` : note })) : series;

/**
 * Month names without a year (`Jan`, `Feb` … across the header or down the first column), the year
 * given by the table's title, its sheet or the file name (`P&L 2025`, `FY2026`). Months run in order,
 * wrapping once into the next year (Jul … Jun); a fiscal `FY2026` that wraps puts the months before the
 * wrap in 2025. Anything less clear gives no points. Each point notes the year it was given.
 */
function fromBareMonths(table: ParsedTable, ref: DocumentRef): MetricPoint[] {
  const context = [table.title, table.sheet, ref.document_name].filter((s): s is string => !!s);
  const inHeader = bareMonthPeriods(
    table.header.map((h, c) => (c > 0 ? h : null)),
    context,
  );
  if (inHeader) return fromWide(table, ref, inHeader.periods, inHeader.note);
  const labelCol = table.columnTypes.indexOf('text');
  if (labelCol < 0) return [];
  const down = bareMonthPeriods(
    table.rows.map((row) => (typeof row[labelCol] === 'string' ? (row[labelCol] as string) : null)),
    context,
  );
  return down ? fromLong(table, ref, labelCol, down.periods, down.note) : [];
}

const BARE_TOTAL = /^(?:sub-?\s*|grand\s+)?(?:totals?|sum|average|avg\.?|mean)$/i;

const BARE_MONTH = /^(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$/i;

function bareMonthPeriods(
  labels: Array<string | null>,
  context: string[],
): { periods: Array<string | undefined>; note: string } | undefined {
  const months = labels.map((l) => {
    const s = typeof l === 'string' ? l.trim() : '';
    if (!BARE_MONTH.test(s)) return undefined;
    const i = monthIndex(s);
    return i && /^[a-z]+\.?$/i.test(s) && (s.length <= 4 || MONTH_WORDS.includes(s.toLowerCase())) ? i : undefined;
  });
  const seq = months.filter((m): m is number => m !== undefined);
  if (seq.length < 3) return undefined;
  let wraps = 0;
  for (let i = 1; i < seq.length; i++) if (seq[i]! <= seq[i - 1]!) wraps++;
  if (wraps > 1) return undefined;
  let year: number | undefined;
  let from = '';
  let fiscal = false;
  for (const text of context) {
    const fy = [...text.matchAll(/\bfy\s*'?(\d{4}|\d{2})\b/gi)].map((m) => m[1]!);
    const cal = [...text.matchAll(/(?<![\d-])(20\d{2})(?![\d-])/g)].map((m) => m[1]!);
    const years = new Set([...fy.map((y) => (y.length === 2 ? 2000 + Number(y) : Number(y))), ...cal.map(Number)]);
    if (years.size === 1) {
      year = [...years][0]!;
      fiscal = fy.length > 0;
      from = text;
      break;
    }
    if (years.size > 1) return undefined;
  }
  if (!year) return undefined;
  // A fiscal year is named by the calendar year it ends in: the months before the wrap are in the year before.
  if (fiscal && wraps === 0 && seq[0] !== 1) return undefined;
  let y = fiscal && wraps === 1 ? year - 1 : year;
  let prev = 0;
  const periods = months.map((m) => {
    if (m === undefined) return undefined;
    if (prev && m <= prev) y++;
    prev = m;
    return `${y}-${String(m).padStart(2, '0')}`;
  });
  return { periods, note: `months written without a year read as ${describe(periods)} (from "${from}")` };
}

const MONTH_WORDS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
  'sept',
];

function describe(periods: Array<string | undefined>): string {
  const ps = periods.filter((p): p is string => !!p);
  return ps.length ? `${formatPeriod(ps[0]!)} – ${formatPeriod(ps.at(-1)!)}` : '';
}

/**
 * A quarter or year beside the months it is made of (a `Q1 2026` subtotal column in a monthly P&L, a
 * `2025` row under its months) repeats them — and for a balance such as MRR it is not even their value —
 * so the months are kept and the subtotal is not a point. A coarser period whose months are not all in
 * the table (a full-year column next to a few months) is kept.
 */
function withoutSubtotals(periods: Array<string | undefined>): Array<string | undefined> {
  const months = new Set(periods.filter((p): p is string => p !== undefined && periodKind(p) === 'month'));
  const quarters = new Set(periods.filter((p): p is string => p !== undefined && /^(?:FY)?\d{4}-Q[1-4]$/.test(p)));
  if (months.size === 0 && quarters.size === 0) return periods;
  const fiscalSubtotals = fiscalQuartersCovered(quarters, months);
  return periods.map((p) => {
    if (p === undefined || periodKind(p) === 'month') return p;
    if (/^FY\d{4}-Q/.test(p)) return fiscalSubtotals ? undefined : p;
    if (/^FY/.test(p)) {
      // A fiscal year beside its own fiscal quarters (`FY26` after `Q1 FY26` … `Q4 FY26`) is their subtotal.
      const ownQuarters = [1, 2, 3, 4].every((q) => quarters.has(`${p}-Q${q}`));
      const calendar = [...quarters].some((q) => !q.startsWith('FY'));
      return months.size > 0 || calendar || ownQuarters ? undefined : p;
    }
    const covered = monthsOf(p).every((m) => months.has(m));
    const byQuarters = periodKind(p) === 'year' && [1, 2, 3, 4].every((q) => quarters.has(`${p}-Q${q}`));
    return covered || byQuarters ? undefined : p;
  });
}

/**
 * Whether the fiscal quarters of a table (`Q1 FY25` columns between its months) repeat its months: true
 * when some fiscal-year start puts every one of them on months the table has. The start is not known
 * while a document is read (the graph learns it later, from prose or a title), but a quarter whose three
 * months all stand beside it is their subtotal whichever start it is.
 */
function fiscalQuartersCovered(quarters: Set<string>, months: Set<string>): boolean {
  const fiscal = [...quarters].filter((q) => q.startsWith('FY'));
  if (fiscal.length === 0 || months.size === 0) return false;
  for (let start = 1; start <= 12; start++) {
    const covered = fiscal.every((q) => {
      const [, year, quarter] = /^FY(\d{4})-Q([1-4])$/.exec(q)!.map(Number) as [number, number, number];
      // A fiscal year is named by the calendar year it ends in.
      const first = addMonths(
        start === 1 ? `${year}-01` : `${year - 1}-${String(start).padStart(2, '0')}`,
        (quarter - 1) * 3,
      );
      return [0, 1, 2].every((i) => months.has(addMonths(first, i)));
    });
    if (covered) return true;
  }
  return false;
}

/** Losses and costs: a column of them written as negative numbers is still a loss or a cost. */
const LOSSES = new Set([
  'contraction_mrr',
  'churned_mrr',
  'churned_customers',
  'cost_of_revenue',
  'sales_marketing',
  'research_development',
  'general_administrative',
  'operating_expenses',
]);

/**
 * A loss (churned or contraction MRR, lost customers) or a cost written as negative numbers, as billing
 * exports and accountants' P&Ls often write them, is read as the amount lost or spent: the sign is
 * dropped and the point notes the reading. Mostly negative with a few positives: the positives are
 * reversals and become negative. Net burn is turned only when every value is negative.
 */
function signed(series: MetricPoint[]): MetricPoint[] {
  if (series.length === 0) return series;
  const metric = series[0]!.metric;
  const negative = series.filter((p) => p.value < 0).length;
  const positive = series.filter((p) => p.value > 0).length;
  const flip =
    (LOSSES.has(metric) && negative > 0 && negative >= positive) ||
    (metric === 'net_burn' && negative > 0 && positive === 0);
  if (!flip) return series;
  const label = series[0]!.label;
  const note =
    metric === 'net_burn'
      ? `"${label}" is written as negative numbers (cash going out); read as the amount burned`
      : `"${label}" is written as negative numbers; read as amounts ${LOSS_WORD[metric] ?? 'lost'} (the sign dropped)`;
  return series.map((p) => ({ ...p, value: p.value === 0 ? 0 : -p.value, note: p.note ? `${p.note}; ${note}` : note }));
}

const LOSS_WORD: Record<string, string> = {
  cost_of_revenue: 'spent',
  sales_marketing: 'spent',
  research_development: 'spent',
  general_administrative: 'spent',
  operating_expenses: 'spent',
};

const isNumeric = (t: ColumnType) => t === 'number' || t === 'percent' || t === 'currency';
const meaningful = (label: string) => /[a-z]/i.test(label) && !/^column \d+$/.test(label);

function point(
  label: string,
  period: string,
  value: number,
  type: ColumnType,
  source: MetricPoint['source'],
  reading: LineReading = { name: label, part: false },
): MetricPoint {
  const planned = planLine(label);
  if (planned) return planPoint(planned, label, period, value, type, source);
  const monthly = reading.part ? undefined : arrAsMrr(reading.name);
  if (monthly) {
    return {
      metric: monthly.id,
      label: label.trim(),
      period,
      value: round(value / 12),
      unit: monthly.unit,
      source,
      note: `"${label.trim()}" is annual (ARR); read as ${monthly.name} = ARR ÷ 12`,
    };
  }
  const def = reading.part ? undefined : metricForLabel(reading.name);
  const unit: Unit =
    def?.unit ??
    (type === 'percent'
      ? 'percent'
      : type === 'currency' || (reading.money && type === 'number')
        ? 'currency'
        : 'number');
  return { metric: def?.id ?? lineItemId(label), label: label.trim(), period, value, unit, source };
}

/**
 * A line whose label says it is a plan (`Budget MRR`, `Customers (plan)`, `MRR target`): the point of what
 * it plans (`MRR`, read by the same rules), marked as the plan's — never an actual, and never competing
 * with the actual line of that metric in its table.
 */
function planPoint(
  planned: string,
  label: string,
  period: string,
  value: number,
  type: ColumnType,
  source: MetricPoint['source'],
): MetricPoint {
  const p = point(planned, period, value, type, source);
  const note = `Read as: a plan, not actuals (the line "${label.trim()}")`;
  return { ...p, label: label.trim(), plan: label.trim(), note: p.note ? `${note}; ${p.note}` : note };
}

/** The recurring-revenue balance and movements, each of which a document may write annualised (ARR). */
const MRR_FAMILY = new Set([
  'mrr',
  'starting_mrr',
  'new_mrr',
  'expansion_mrr',
  'reactivation_mrr',
  'contraction_mrr',
  'churned_mrr',
]);
/** The catalog's ARR forms of them (derived: twelve times the MRR figure), which a document never supplies itself. */
const ANNUALISED = new Set(['arr', 'starting_arr', 'new_arr', 'expansion_arr', 'contraction_arr', 'churned_arr']);

/**
 * A recurring-revenue column written annually (`Beginning ARR`, `New ARR`, `Expansion ARR`, `Churned ARR`,
 * `Ending ARR`, `ARR`): the MRR metric it is twelve times of. Its figures are read as that MRR (÷ 12),
 * so an ARR roll-forward gives the same NRR, churn and net new MRR as an MRR one, and every answer can
 * say the reading. A label the catalog knows as something else (`ARR growth`, `Net new ARR`) is not one.
 */
function arrAsMrr(label: string) {
  const key = normalizeLabel(label);
  if (!/\barr\b|\bannual recurring revenue\b/.test(key) || /\bmrr\b/.test(key)) return undefined;
  const own = metricForLabel(label);
  if (own && !ANNUALISED.has(own.id)) return undefined;
  const monthly = metricForLabel(
    label
      .replace(/\bARR\b/gi, 'MRR')
      .replace(/\bannual(ized|ised)? recurring revenue\b/gi, 'monthly recurring revenue'),
  );
  return monthly && MRR_FAMILY.has(monthly.id) ? monthly : undefined;
}

/**
 * A percent metric written as a fraction (`0.782` in a gross-margin column that is not formatted as
 * percent) is stored as a percentage number (78.2), like every other percent value.
 */
function scalePercent(series: MetricPoint[], type: ColumnType): MetricPoint[] {
  if (type === 'percent' || series.length === 0) return series;
  const isPercentMetric = series.every((p) => p.unit === 'percent' && METRICS_BY_ID.get(p.metric)?.unit === 'percent');
  if (!isPercentMetric || !series.every((p) => Math.abs(p.value) <= 1.5)) return series;
  const eg = series.find((p) => p.value !== 0) ?? series[0]!;
  const note = `"${eg.label}" is written as fractions (${eg.value}); read as percentages (${round(eg.value * 100)}%)`;
  return series.map((p) => ({ ...p, value: round(p.value * 100), note }));
}

/** The same metric and period twice (two tables, or a repeated row): the first one found wins. */
function dedupe(points: MetricPoint[]): MetricPoint[] {
  const seen = new Set<string>();
  return points.filter((p) => {
    // A plan's figure for a month is another figure than the actual one for it: both are kept.
    const key = `${p.metric}\u0000${p.period}\u0000${p.plan ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
