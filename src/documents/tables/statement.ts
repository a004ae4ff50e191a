import { normalizeLabel } from '../../graph/catalog.ts';

/**
 * The line structure of a financial statement as bookkeeping tools export it (a QuickBooks or Xero
 * "Profit and Loss by Month"): account codes in the labels (`4000 Subscription Revenue`, `6010 ·
 * Advertising`), section headings without figures (`Income`, `6000 Sales & Marketing`), each closed by
 * its `Total <heading>` line (`Total 6000 Sales & Marketing`), sections inside sections (`Total
 * Expenses` around them). The metric reader (extract-metrics.ts) uses it to name a line by its account
 * rather than its code, to read a `Total <heading>` line as that heading's figure, and to know which lines
 * a total already sums, so a part is never read as the whole (nor added to it).
 */
export interface StatementLine {
  /**
   * The label without its account code: `4000 Subscription Revenue` → `Subscription Revenue`,
   * `Total 6000 Sales & Marketing` → `Total Sales & Marketing`. The label itself when the table has no codes.
   */
  name: string;
  /** The account code the label carries, when the table numbers its accounts. */
  code?: string;
  /** `heading`: a section title without figures; `total`: a `Total …` line; `line`: any other line. */
  kind: 'heading' | 'total' | 'line';
  /** For a `total` line that closes a heading above it: that heading's row. */
  heading?: number;
  /** The `total` lines (their rows) of the sections this row lies inside, innermost first. */
  within: number[];
}

/**
 * A leading account code: 4 to 6 digits, optionally with a sub-account part (`4000.10`, `6000-01`), then a
 * separator (` · `, ` - `, `:`, `|` or a space) and the account's name, which has a letter.
 */
const CODE = /^(\d{4,6}(?:[.-]\d{1,4})?)(?:\s*[·•:|–—-]\s*|\s+)(?=.*\p{L})/u;
/** `Total Income`, `Total 6000 Sales & Marketing`, `Total for Operating Expenses`. */
const TOTAL = /^total(?:\s+for)?\s+(.+)$/i;
/** A four-digit number that could be a year: on its own, no evidence of a chart of accounts. */
const YEAR_LIKE = /^(?:19|20)\d{2}$/;

/**
 * Each row's place in the statement. `labels[r]` is row r's line label, `hasFigures[r]` whether it has any
 * number in the table's period columns. Codes are read only when the table numbers its accounts (two or
 * more labels with different codes, not all of them year-like), so `2025 Revenue` in an ordinary table
 * keeps its year. A `Total X` line closes the nearest open heading named X (or carrying X's code); headings
 * it passes over that were never closed are closed with it. A `Total X` with no such heading (a subtotal
 * written without its section) is a total of nothing known: no row is counted as inside it.
 */
export function statementLines(labels: Array<string | undefined>, hasFigures: boolean[]): StatementLine[] {
  const codes = labels.map((l) => codeOf(l));
  const distinct = new Set(codes.filter((c): c is string => c !== undefined));
  const numbered = distinct.size >= 2 && ![...distinct].every((c) => YEAR_LIKE.test(c));
  const lines: StatementLine[] = labels.map((raw, r) => {
    const label = (raw ?? '').trim();
    const total = TOTAL.exec(label);
    const body = total ? total[1]!.trim() : label;
    const code = numbered ? CODE.exec(body)?.[1] : undefined;
    const bare = code ? body.replace(CODE, '').trim() : body;
    const name = total ? `Total ${bare}` : bare;
    const kind = total ? 'total' : label && !hasFigures[r] ? 'heading' : 'line';
    return { name, ...(code ? { code } : {}), kind, within: [] };
  });
  // Open headings, innermost last; each closed by its own total.
  const open: Array<{ row: number; key: string; code?: string }> = [];
  const sections: Array<{ from: number; to: number }> = [];
  lines.forEach((line, r) => {
    if (line.kind === 'heading') {
      open.push({ row: r, key: headingKey(line.name), ...(line.code ? { code: line.code } : {}) });
      return;
    }
    if (line.kind !== 'total') return;
    const key = headingKey(line.name.replace(/^Total\s+/, ''));
    let i = open.length - 1;
    while (i >= 0 && !(open[i]!.key === key || (line.code !== undefined && open[i]!.code === line.code))) i--;
    if (i < 0) return;
    line.heading = open[i]!.row;
    sections.push({ from: open[i]!.row, to: r });
    open.length = i;
  });
  // Innermost first: a narrower section was closed before the one around it.
  for (const { from, to } of sections) for (let r = from + 1; r < to; r++) lines[r]!.within.push(to);
  return lines;
}

/**
 * What a heading and its total have in common. Xero's Australian and New Zealand layouts head sections
 * `Less Cost of Sales`, `Less Operating Expenses`, `Plus Other Income` and close them `Total Cost of Sales`
 * …: the sign word is no part of the section's name.
 */
function headingKey(name: string): string {
  return normalizeLabel(name.replace(/^(?:less|plus|add|deduct)\s*:?\s+/i, ''));
}

function codeOf(label: string | undefined): string | undefined {
  const s = (label ?? '').trim();
  const body = TOTAL.exec(s)?.[1]?.trim() ?? s;
  return CODE.exec(body)?.[1];
}
