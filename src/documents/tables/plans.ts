import type { ParsedDocument, ParsedTable } from '../types.ts';

/**
 * The one owner of "this figure is a plan, not what happened": a budget, forecast, plan, target or
 * projection. A column header (`Jan 26 Budget`), a group row over columns (`Budget` over some months,
 * tables/build.ts), or a whole table whose sheet, title, workbook note or file says it is one — its
 * figures are never actuals (a budget sheet beside the actuals read as MRR made the budget's last month
 * "current MRR"), they are the plan.
 */
export const PLAN_WORD = /\b(budgets?|forecasts?|fcst|plan|planned|targets?|projections?|projected|estimates?|bud)\b/i;

/**
 * Words that say what happened, or that a plan is set against it (`Budget vs Actual`, `Variance to
 * plan`): such a table is not a plan as a whole — its columns say which figures are which.
 */
const ACTUAL_WORD = /\b(?:actuals?|act|variance|vs\.?|versus|against|v)\b/i;

/**
 * A plan word that names a breakdown, not a plan: "MRR by plan", "revenue per plan", "pricing plan",
 * "plan mix" (the subscription plan a customer is on).
 */
const BREAKDOWN_PLAN =
  /\b(?:by|per|each|pricing|price|subscription|billing|payment|paid|free|starter|pro|enterprise)\s+plan\b|\bplan\s+(?:mix|type|tier|name|level)\b/i;

/** The words of a name or title, with the `_` and `-` of file names as spaces. */
const words = (s: string) => s.replace(/\.[a-z0-9]{2,5}$/i, '').replace(/[_-]+/g, ' ');

/** Whether a piece of text says its figures are a plan (and not also actuals). */
export function namesPlan(text: string | undefined): boolean {
  if (!text) return false;
  const t = words(text);
  return PLAN_WORD.test(t.replace(BREAKDOWN_PLAN, ' ')) && !ACTUAL_WORD.test(t);
}

/**
 * The plan words of one line's label (a row or column of a table): any of them but `plan`, which names a
 * line as a plan only where it qualifies the figure — first (`Plan MRR`), in brackets (`Customers (plan)`)
 * or after a dash (`MRR - plan`) — never after a name (`Growth plan` is a subscription plan's line).
 */
const LINE_PLAN =
  /\b(?:budgets?|budgeted|forecasts?|forecasted|fcst|planned|targets?|projections?|projected|estimates?|bud)\b|^\s*plan\b|\(\s*plan\s*\)|[-–—:]\s*plan\s*$/i;

/**
 * A row or column whose label says it is a plan (`Budget MRR`, `MRR target`, `Customers (plan)`,
 * `Forecast customers`): the label without its plan words, which names what is planned (`MRR`,
 * `Customers`); undefined for a line of actuals (`MRR`, `Growth plan`, `Budget vs actual`) or of the gap
 * between them (`% of budget`, `over budget`).
 */
export function planLine(label: string): string | undefined {
  if (!LINE_PLAN.test(label) || ACTUAL_WORD.test(label) || /%|\b(?:of|over|under|remaining|left)\b/i.test(label))
    return undefined;
  const rest = label
    .replace(new RegExp(LINE_PLAN.source, 'gi'), ' ')
    .replace(/\(\s*\)|\[\s*\]/g, ' ')
    .replace(/\s+[-–—:]\s*$|^\s*[-–—:]\s+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return rest || undefined;
}

/** Whether a piece of text says its figures are what happened (`Actuals`, `Budget vs actual`). */
const namesActual = (text: string | undefined) => Boolean(text && ACTUAL_WORD.test(words(text)));

/** Formats whose one table is the file: its name may say what the figures are (`Forecast 2026.csv`). */
const SHEET_FORMATS = new Set(['csv', 'tsv', 'xlsx']);

/**
 * What makes a whole table a plan, said as the reading (`the sheet "FY26 Budget"`), or undefined for a
 * table of actuals. In order: the sheet name and the title rows (either saying actuals makes the table
 * actuals); a workbook note whose clause names the sheet (`the Forecast 2026 sheet is the board's
 * forecast`); the file name of a CSV or one-sheet workbook. A notes sheet of prose is no table and plans
 * nothing.
 */
export function tablePlan(doc: ParsedDocument, table: ParsedTable, documentName?: string): string | undefined {
  const own = [
    { text: table.sheet, what: 'the sheet' },
    { text: table.title, what: 'the title' },
  ];
  if (own.some((o) => namesActual(o.text))) return undefined;
  const stated = own.find((o) => namesPlan(o.text));
  if (stated) return `${stated.what} "${quote(stated.text!)}"`;
  const note = workbookPlanNote(doc, table);
  if (note !== undefined) return note || undefined;
  // A workbook of several sheets names what each is; its file name ("Budget 2026.xlsx" with an
  // `Actuals` sheet) speaks for a file of one table only.
  const oneTable = doc.format !== 'xlsx' || (doc.sheets?.length ?? 1) <= 1;
  if (documentName && SHEET_FORMATS.has(doc.format) && oneTable && namesPlan(documentName))
    return `the file name "${quote(documentName)}"`;
  return undefined;
}

/**
 * A workbook's notes sheet about this table's sheet: a clause that names the sheet and says plan
 * (`the Forecast 2026 sheet holds the board's forecast`) gives the note; one that names it and says
 * actuals gives '' (stated not to be a plan); none, undefined.
 */
function workbookPlanNote(doc: ParsedDocument, table: ParsedTable): string | undefined {
  if (doc.format !== 'xlsx' || !table.sheet) return undefined;
  const sheet = table.sheet;
  for (const block of doc.blocks) {
    const noteSheet = block.locator.replace(/![^!]*$/, '');
    if (noteSheet === sheet) continue;
    for (const clause of block.text.split(/[.;:\n]+|,\s+|\s+(?:and|but|while|whereas)\s+/)) {
      // The sheet's name without its own plan word: "the Budget sheet is the plan" names it either way.
      if (!mentions(clause, sheet)) continue;
      const rest = clause.replace(nameRe(sheet), ' ');
      if (namesActual(rest)) return '';
      if (namesPlan(rest)) return `the note "${quote(block.text)}" on the sheet "${noteSheet}"`;
    }
  }
  return undefined;
}

const literal = (s: string) => s.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const nameRe = (name: string) => new RegExp(`(?:^|[^a-z0-9])${literal(name)}(?:$|[^a-z0-9])`, 'gi');
const mentions = (text: string, name: string) => nameRe(name).test(text);
const quote = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}…` : s);
