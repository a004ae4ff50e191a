import type { ParsedDocument, ParsedTable } from '../types.ts';

/**
 * The scale a table states for its amounts: `$000`, `(in thousands)`, `$k`, `€m`, `USD millions`, `in
 * £'000s` — in a column header, a row label, the title rows above the header, or a note row (one text
 * cell) under the data. A statement in a column's own header or a row's own label wins over one for the
 * whole table. The reading is said with every figure it scaled (`Read as: thousands of dollars (from the
 * header "MRR ($000)")`), because it decides the figure a thousand times over.
 */
export interface Scale {
  factor: number;
  /** `thousands of dollars`, `millions of euros`, `thousands`. */
  words: string;
}

export interface StatedScale extends Scale {
  /** Where it was stated: `the header "MRR ($000)"`, `the title "P&L (in thousands)"`. */
  from: string;
}

const CUR = String.raw`(?:us\$|\$|usd|€|eur|£|gbp)`;
const THOUSANDS = new RegExp(
  [
    String.raw`${CUR}\s*'?\s*0{3}s?\b`, // $000, $'000, USD '000, £000s
    String.raw`(?:^|[\s(\[])'?0{3}'?s?(?=$|[\s)\],])`, // (000s), '000, 000's
    String.raw`\b(?:in|of)\s+${CUR}?\s*thousands?\b`, // in thousands, in $ thousands
    String.raw`\(\s*${CUR}?\s*thousands?\s*\)`, // (thousands)
    String.raw`${CUR}\s*thousands?\b`, // USD thousands, $ thousand
    String.raw`\bthousands?\s+(?:of\s+)?${CUR}`, // thousands of dollars is below
    String.raw`\bthousands of (?:dollars|euros|pounds)\b`,
    String.raw`${CUR}\s*k\b`, // $k, €k, USD k
    String.raw`\bk\s*${CUR}(?=$|[\s)\],])`, // k$, kUSD, k€
    String.raw`\(\s*k\s*\)`, // (k)
    String.raw`\bin\s+k\b`,
  ].join('|'),
  'i',
);
const MILLIONS = new RegExp(
  [
    String.raw`${CUR}\s*(?:m|mm|mn|mio|millions?)\b`, // $m, €m, USD mm, USD millions
    String.raw`\b(?:m|mm|mn)\s*${CUR}(?=$|[\s)\],])`, // m€, mUSD
    String.raw`\(\s*(?:m|mm|mn|millions?)\s*\)`, // (m), (millions)
    String.raw`\b(?:in|of)\s+${CUR}?\s*millions?\b`, // in millions
    String.raw`\bmillions?\s+(?:of\s+)?${CUR}`,
    String.raw`\bmillions of (?:dollars|euros|pounds)\b`,
  ].join('|'),
  'i',
);

/**
 * Amounts in cents, as billing APIs export them (`mrr_cents`, `amount_in_cents`, `MRR (cents)`, `amountCents`,
 * `all amounts in cents`); never the `cent` of `percent`.
 */
const CENTS = /(?:^|[^a-z])(?:in[\s_]+)?cents(?:$|[^a-z])|\(\s*¢\s*\)/i;
const CAMEL_CENTS = /[a-z](?:In)?Cents\b/;

function currencyWord(text: string): string {
  if (/€|\beur\b|euros?/i.test(text)) return 'euros';
  if (/£|\bgbp\b|pounds?/i.test(text)) return 'pounds';
  if (/\$|\busd\b|dollars?/i.test(text)) return 'dollars';
  return '';
}

/** The scale a piece of text states, if it states one (`Revenue ($000)` → thousands of dollars). */
export function scaleIn(text: string | null | undefined): Scale | undefined {
  if (typeof text !== 'string' || !text.trim() || text.length > 200) return undefined;
  const cur = currencyWord(text);
  const of = cur ? ` of ${cur}` : '';
  if (MILLIONS.test(text)) return { factor: 1e6, words: `millions${of}` };
  if (THOUSANDS.test(text)) return { factor: 1e3, words: `thousands${of}` };
  if (CENTS.test(text) || CAMEL_CENTS.test(text)) return { factor: 0.01, words: 'cents (divided by 100)' };
  return undefined;
}

/** A short quote of where a scale was stated. */
function quote(text: string): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length > 80 ? `${t.slice(0, 77)}…` : t;
}

/**
 * The scale stated for the whole table: in its title rows, in the header of its label column (a wide
 * P&L's `$000` in A1), or in a note row under the data (a single text cell: `All figures in USD
 * thousands`).
 */
export function tableScale(table: ParsedTable, labelCol: number): StatedScale | undefined {
  const title = table.title;
  const inTitle = scaleIn(title);
  if (inTitle && title) return { ...inTitle, from: `the title "${quote(title)}"` };
  const corner = table.header[labelCol];
  const inCorner = scaleIn(corner);
  if (inCorner && corner) return { ...inCorner, from: `the header "${quote(corner)}"` };
  for (const row of table.rows) {
    const filled = row.filter((c) => c !== null && c !== '');
    if (filled.length !== 1 || typeof filled[0] !== 'string') continue;
    const s = scaleIn(filled[0]);
    if (s) return { ...s, from: `the note "${quote(filled[0])}"` };
  }
  return undefined;
}

/** A note about the figures, not a sentence that happens to hold a scale-like word. */
const ABOUT_FIGURES =
  /\b(?:figures?|amounts?|numbers?|values?|financials?|monetary|currency|reported|expressed|stated)\b/i;

/**
 * What a workbook states for its sheets on a notes sheet (`Read me`: "All figures in USD thousands"),
 * read by `read`, for a table whose own sheet states nothing: a note about the figures that names sheets
 * applies to those sheets only ("P&L figures are in $000" leaves the `KPIs` sheet alone). `where` names
 * the note, to be said with every figure it decided.
 */
function workbookNote<T>(
  doc: ParsedDocument,
  table: ParsedTable,
  read: (text: string) => T | undefined,
): { value: T; where: string } | undefined {
  if (doc.format !== 'xlsx' || !table.sheet) return undefined;
  for (const block of doc.blocks) {
    if (!ABOUT_FIGURES.test(block.text)) continue;
    const value = read(block.text);
    if (value === undefined) continue;
    const noteSheet = block.locator.replace(/![^!]*$/, '');
    const named = (doc.sheets ?? []).filter((name) => name !== noteSheet && mentions(block.text, name));
    if (named.length && !named.includes(table.sheet)) continue;
    return { value, where: `the note "${quote(block.text)}" on the sheet "${noteSheet}"` };
  }
  return undefined;
}

/** The scale a workbook's notes sheet states for this table's sheet (`workbookNote`). */
export function workbookScale(doc: ParsedDocument, table: ParsedTable): StatedScale | undefined {
  const note = workbookNote(doc, table, scaleIn);
  return note && { ...note.value, from: note.where };
}

/**
 * The currency a piece of text names for amounts (`Revenue (EUR)`, `€000`, `in euros`, `MRR ($)`) as an
 * ISO 4217 code; none when it names none or several.
 */
export function currencyIn(text: string | null | undefined): string | undefined {
  if (typeof text !== 'string' || !text.trim() || text.length > 200) return undefined;
  const named = new Set<string>();
  if (/€|\beur\b|\beuros?\b/i.test(text)) named.add('EUR');
  if (/£|\bgbp\b|\bpounds? sterling\b|\bsterling\b/i.test(text)) named.add('GBP');
  if (/\$|\busd\b|\bdollars?\b/i.test(text)) named.add('USD');
  if (/¥|\bjpy\b|\byen\b/i.test(text)) named.add('JPY');
  return named.size === 1 ? [...named][0] : undefined;
}

/**
 * The currency stated for a whole table: its title, the label column's header, a note row, else the
 * workbook's notes sheet (`workbookNote`), else the one currency its column headers name between them.
 */
export function tableCurrency(doc: ParsedDocument, table: ParsedTable, labelCol: number): string | undefined {
  const notes = table.rows
    .map((row) => row.filter((c) => c !== null && c !== ''))
    .filter((cells) => cells.length === 1 && typeof cells[0] === 'string')
    .map((cells) => cells[0] as string);
  for (const text of [table.title, table.header[labelCol], ...notes]) {
    const code = currencyIn(text);
    if (code) return code;
  }
  const book = workbookNote(doc, table, currencyIn);
  if (book) return book.value;
  const inHeaders = new Set(table.header.map(currencyIn).filter((c): c is string => c !== undefined));
  return inHeaders.size === 1 ? [...inHeaders][0] : undefined;
}

const mentions = (text: string, name: string) =>
  new RegExp(`(?:^|[^a-z0-9])${name.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?:$|[^a-z0-9])`, 'i').test(text);

/** A scale stated in one column header or row label (`MRR ($000)`). */
export function ownScale(label: string, kind: 'header' | 'row'): StatedScale | undefined {
  const s = scaleIn(label);
  return s && { ...s, from: `the ${kind === 'header' ? 'header' : 'row label'} "${quote(label)}"` };
}

export const scaleNote = (s: StatedScale) => `Read as: ${s.words} (from ${s.from})`;
