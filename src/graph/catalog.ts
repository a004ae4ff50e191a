import type { Unit } from './types.ts';

/**
 * The shared vocabulary of SaaS metrics: how a document header or a question names a metric, its unit,
 * and how monthly values combine into a quarter or a year. Used by table extraction (documents), the
 * metric engine and benchmark graph (graph) and the question parser (analyst) — one list, one meaning.
 */
export type Aggregation =
  /** A balance at a point in time (MRR, customers, cash): a quarter's value is its last month's. */
  | 'last'
  /** An opening balance: a quarter's value is its first month's. */
  | 'first'
  /** A flow (new MRR, revenue, spend): a quarter's value is the sum of its months. */
  | 'sum'
  /** A rate (gross margin %): a quarter's value is the average of its months. */
  | 'avg';

export interface MetricDef {
  id: string;
  name: string;
  unit: Unit;
  aggregation: Aggregation;
  /** `component`: read from documents; `derived`: computed by the metric engine from components. */
  kind: 'component' | 'derived';
  /** Names, abbreviations and header spellings; compared after `normalizeLabel`. The first is the display alias. */
  synonyms: string[];
  higherIsBetter?: boolean;
  definition: string;
  formula?: string;
  components?: string[];
  /** Metric names in the benchmark source data that measure this metric. */
  benchmarkNames?: string[];
}

const c = (
  id: string,
  name: string,
  unit: Unit,
  aggregation: Aggregation,
  synonyms: string[],
  definition: string,
  extra: Partial<MetricDef> = {},
): MetricDef => ({ id, name, unit, aggregation, kind: 'component', synonyms, definition, ...extra });

const d = (
  id: string,
  name: string,
  unit: Unit,
  synonyms: string[],
  definition: string,
  formula: string,
  components: string[],
  extra: Partial<MetricDef> = {},
): MetricDef => ({
  id,
  name,
  unit,
  aggregation: 'last',
  kind: 'derived',
  synonyms,
  definition,
  formula,
  components,
  ...extra,
});

export const METRICS: MetricDef[] = [
  // Recurring revenue movements
  c(
    'starting_mrr',
    'Starting MRR',
    'currency',
    'first',
    [
      'starting mrr',
      'beginning mrr',
      'opening mrr',
      'start mrr',
      'mrr start',
      'mrr bop',
      'bop mrr',
      'mrr beginning',
      'beginning of month mrr',
      'mrr beginning of period',
      'starting monthly recurring revenue',
      'beginning monthly recurring revenue',
    ],
    'MRR at the start of the period.',
  ),
  c(
    'new_mrr',
    'New MRR',
    'currency',
    'sum',
    [
      'new mrr',
      'new business mrr',
      'new business',
      'mrr new',
      'new bookings mrr',
      'new customer mrr',
      'new',
      // ProfitWell's and ChartMogul's names of the movements (`new_recurring_revenue`, `mrr-new-business` …).
      'new recurring revenue',
      'mrr new business',
    ],
    'MRR added by new customers in the period.',
  ),
  c(
    'expansion_mrr',
    'Expansion MRR',
    'currency',
    'sum',
    [
      'expansion mrr',
      'expansion',
      'upsell',
      'upsell mrr',
      'upsells',
      'upgrades',
      'upgrade mrr',
      'expansion revenue',
      'mrr expansion',
      'upgrades revenue',
      'upgrade revenue',
      'upsell revenue',
      'upgrade',
      'upgraded recurring revenue',
      'expansion recurring revenue',
    ],
    'MRR added by existing customers (upsell, upgrades, seats).',
  ),
  c(
    'reactivation_mrr',
    'Reactivation MRR',
    'currency',
    'sum',
    [
      'reactivation mrr',
      'reactivation',
      'reactivations',
      'reactivated mrr',
      'reactivation revenue',
      'mrr reactivation',
      'mrr reactivated',
      'reactivated recurring revenue',
      'reactivation recurring revenue',
      'resurrected mrr',
      'resurrection mrr',
      'win back mrr',
      'winback mrr',
    ],
    'MRR won back from former customers who return in the period.',
  ),
  c(
    'contraction_mrr',
    'Contraction MRR',
    'currency',
    'sum',
    [
      'contraction mrr',
      'contraction',
      'downgrades',
      'downgrade mrr',
      'downsell',
      'downsell mrr',
      'mrr contraction',
      'downgrade revenue',
      'downgrades revenue',
      'contraction revenue',
      'downsell revenue',
      'downgrade',
      'downgraded recurring revenue',
      'contraction recurring revenue',
      'downgraded mrr',
      'contraction mrr lost',
      'lost to downgrades',
      'lose to downgrades',
      'lost to contraction',
      'lose to contraction',
    ],
    'MRR lost from customers who stayed but pay less.',
  ),
  c(
    'churned_mrr',
    'Churned MRR',
    'currency',
    'sum',
    [
      'churned mrr',
      'churn mrr',
      'mrr churn',
      'mrr churned',
      'lost mrr',
      'cancelled mrr',
      'canceled mrr',
      'cancellations',
      'churn',
      'churned',
      'churned revenue',
      'lost revenue',
      'churn revenue',
      'cancellation',
      'churned recurring revenue',
      'lost recurring revenue',
      'cancellation mrr',
      'cancellations mrr',
      'churned mrr lost',
      'lost to churn',
      'lose to churn',
      'lost to cancellations',
      'lose to cancellations',
    ],
    'MRR lost from customers who left.',
    { higherIsBetter: false },
  ),
  c(
    'mrr',
    'MRR',
    'currency',
    'last',
    [
      'mrr',
      'ending mrr',
      'end mrr',
      'closing mrr',
      'mrr eop',
      'eop mrr',
      'mrr end',
      'total mrr',
      'end of month mrr',
      'mrr end of period',
      'monthly recurring revenue',
      'ending monthly recurring revenue',
      'recurring revenue monthly',
      'monthly recurring revenue mrr',
    ],
    'Monthly recurring revenue at the end of the period.',
    { higherIsBetter: true },
  ),
  // Customers
  c(
    'customers_start',
    'Customers at start',
    'count',
    'first',
    [
      'customers start',
      'starting customers',
      'beginning customers',
      'opening customers',
      'customers bop',
      'customers beginning',
      'logos bop',
      'beginning logos',
      'starting logos',
      'opening logos',
      'bop customers',
      'bop logos',
      'beginning subscribers',
      'starting accounts',
      'opening accounts',
    ],
    'Paying customers at the start of the period.',
  ),
  c(
    'new_customers',
    'New customers',
    'count',
    'sum',
    [
      'new customers',
      'new logos',
      'customers added',
      'logos added',
      'new accounts',
      'new customer count',
      'customers new',
      'gross new customers',
      'new subscribers',
      'new paying accounts',
      'accounts won',
      'logos won',
      'customers won',
      'won accounts',
    ],
    'Customers won in the period.',
  ),
  c(
    'churned_customers',
    'Churned customers',
    'count',
    'sum',
    [
      'churned customers',
      'lost customers',
      'lost logos',
      'churned logos',
      'customers lost',
      'customers churned',
      'logos lost',
      'logos churned',
      'cancelled customers',
      'canceled customers',
      'churned accounts',
      'lost accounts',
      'churned subscribers',
      'lost subscribers',
      'cancelled subscribers',
      'accounts churned',
      'logos churned count',
    ],
    'Customers lost in the period.',
    { higherIsBetter: false },
  ),
  c(
    'customers',
    'Customers',
    'count',
    'last',
    [
      'customers',
      'customers end',
      'ending customers',
      'end customers',
      'closing customers',
      'total customers',
      'customers eop',
      'eop customers',
      'logos eop',
      'eop logos',
      'ending logos',
      'logos',
      'paying customers',
      'customer count',
      'active customers',
      'number of customers',
      'paying accounts',
      'active accounts',
      'total accounts',
      'subscribers',
      'active subscribers',
      'paying subscribers',
      'customers eom',
      'accounts',
    ],
    'Paying customers at the end of the period.',
    { higherIsBetter: true },
  ),
  // P&L and cash
  c(
    'revenue',
    'Revenue',
    'currency',
    'sum',
    [
      'revenue',
      'total revenue',
      'net revenue',
      'recognized revenue',
      'revenue total',
      'total net revenue',
      // Bookkeeping tools (QuickBooks, Xero) head the revenue section of a P&L `Income` and close it with this.
      'total income',
      'total operating revenue',
      'total sales',
    ],
    'Recognized revenue in the period.',
    { higherIsBetter: true },
  ),
  c(
    'cost_of_revenue',
    'Cost of revenue',
    'currency',
    'sum',
    // `Direct Costs` is the account type Xero groups cost of sales under.
    ['cost of revenue', 'cogs', 'cost of goods sold', 'cost of sales', 'total cost of revenue', 'direct costs'],
    'Cost of delivering the service.',
  ),
  c('gross_profit', 'Gross profit', 'currency', 'sum', ['gross profit'], 'Revenue minus cost of revenue.'),
  c(
    'gross_margin',
    'Gross margin',
    'percent',
    'avg',
    [
      'gross margin',
      'gross margin pct',
      'gross margin percent',
      'gross margin percentage',
      'gm',
      'gm pct',
      'gross margin ratio',
    ],
    'Gross profit as a share of revenue.',
    { higherIsBetter: true, benchmarkNames: ['Gross margin'] },
  ),
  c(
    'sales_marketing',
    'Sales & marketing spend',
    'currency',
    'sum',
    [
      'sales and marketing',
      'sales and marketing spend',
      'sales and marketing expense',
      'sales and marketing expenses',
      'sales marketing',
      'sales marketing spend',
      's and m',
      's and m spend',
      's and m expense',
      'sm',
      'sm spend',
      'sm expense',
      'total sales and marketing',
      'marketing and sales',
    ],
    'Sales and marketing expense in the period.',
  ),
  c(
    'research_development',
    'R&D spend',
    'currency',
    'sum',
    [
      'research and development',
      'r and d',
      'rd',
      'r and d spend',
      'r and d expense',
      'research development',
      'research and development expense',
      'engineering',
    ],
    'Research and development expense in the period.',
  ),
  c(
    'general_administrative',
    'G&A spend',
    'currency',
    'sum',
    [
      'general and administrative',
      'g and a',
      'ga',
      'g and a spend',
      'g and a expense',
      'general administrative',
      'general and administrative expense',
    ],
    'General and administrative expense in the period.',
  ),
  c(
    'operating_expenses',
    'Operating expenses',
    'currency',
    'sum',
    // `Total Expenses`: QuickBooks' total of its Expenses section, which comes after Cost of Goods Sold and Gross Profit.
    ['operating expenses', 'total operating expenses', 'opex', 'total opex', 'total expenses'],
    'All operating expenses in the period.',
  ),
  c(
    'operating_income',
    'Operating income',
    'currency',
    'sum',
    ['operating income', 'operating profit', 'operating loss', 'operating income loss', 'ebit', 'net operating income'],
    'Gross profit minus operating expenses.',
    { higherIsBetter: true },
  ),
  c(
    'ebitda',
    'EBITDA',
    'currency',
    'sum',
    ['ebitda', 'adjusted ebitda', 'adj ebitda'],
    'Earnings before interest, taxes, depreciation and amortization.',
  ),
  c(
    'net_income',
    'Net income',
    'currency',
    'sum',
    ['net income', 'net loss', 'net income loss', 'net profit'],
    'Bottom-line profit.',
  ),
  c(
    'net_burn',
    'Net burn',
    'currency',
    'sum',
    ['net burn', 'burn', 'cash burn', 'net cash burn', 'burn rate', 'monthly burn', 'net burn rate'],
    'Net cash consumed in the period (positive = burning).',
    { higherIsBetter: false },
  ),
  c(
    'net_cash_flow',
    'Net cash flow',
    'currency',
    'sum',
    [
      'net cash flow',
      'net cashflow',
      'net cash movement',
      'net movement in cash',
      'net change in cash',
      'net increase decrease in cash',
      'net decrease increase in cash',
      // The bottom line of a formal cash-flow statement.
      'net increase decrease in cash and cash equivalents',
      'net change in cash and cash equivalents',
      'net cash inflow outflow',
    ],
    // A cash-flow sheet's bottom line: money in less money out. Net burn is its negative (graph/engine/values.ts).
    'Cash received less cash paid out in the period (negative = cash fell).',
  ),
  c(
    'free_cash_flow',
    'Free cash flow',
    'currency',
    'sum',
    ['free cash flow', 'fcf'],
    'Operating cash flow minus capital expenditure.',
  ),
  c(
    'cash',
    'Cash balance',
    'currency',
    'last',
    [
      'cash',
      'cash balance',
      'cash on hand',
      'ending cash',
      'cash and equivalents',
      'cash and cash equivalents',
      'bank balance',
      'closing cash',
    ],
    'Cash at the end of the period.',
  ),
  c(
    'headcount',
    'Headcount',
    'count',
    'last',
    [
      'headcount',
      'head count',
      'ftes',
      'fte',
      'employees',
      'team size',
      'total headcount',
      'full time employees',
      'employees fte',
    ],
    'Employees (full-time equivalents) at the end of the period.',
  ),
  // Derived
  d(
    'arr',
    'ARR',
    'currency',
    ['arr', 'annual recurring revenue', 'ending arr', 'run rate', 'run-rate', 'annualized run rate', 'arr run rate'],
    'Annual recurring revenue: ending MRR annualized.',
    'MRR × 12',
    ['mrr'],
    { higherIsBetter: true },
  ),
  d(
    'net_new_mrr',
    'Net new MRR',
    'currency',
    [
      'net new mrr',
      'net new',
      'net mrr added',
      'net new monthly recurring revenue',
      'net mrr growth',
      'net mrr movement',
      'net mrr movements',
      'net mrr change',
      'net change in mrr',
      'mrr net change',
    ],
    'MRR added net of losses.',
    'new + expansion + reactivation − contraction − churned',
    ['new_mrr', 'expansion_mrr', 'reactivation_mrr', 'contraction_mrr', 'churned_mrr'],
    { higherIsBetter: true },
  ),
  d(
    'net_new_arr',
    'Net new ARR',
    'currency',
    ['net new arr'],
    'ARR added net of losses.',
    '(ending MRR − starting MRR) × 12',
    ['mrr', 'starting_mrr'],
    { higherIsBetter: true },
  ),
  // Recurring-revenue movements asked for annualised ("new ARR", "churned ARR"): twelve times the MRR
  // movement, so a company that reports ARR movements (read as MRR ÷ 12) is answered in its own terms.
  ...(
    [
      [
        'starting_arr',
        'Starting ARR',
        'starting_mrr',
        'starting MRR',
        ['starting arr', 'beginning arr', 'opening arr'],
      ],
      [
        'new_arr',
        'New ARR',
        'new_mrr',
        'new MRR',
        ['new arr', 'new business arr', 'arr new', 'new annual recurring revenue'],
      ],
      [
        'expansion_arr',
        'Expansion ARR',
        'expansion_mrr',
        'expansion MRR',
        ['expansion arr', 'arr expansion', 'upsell arr', 'arr expanded'],
      ],
      [
        'contraction_arr',
        'Contraction ARR',
        'contraction_mrr',
        'contraction MRR',
        ['contraction arr', 'arr contraction', 'downgrade arr', 'downsell arr', 'arr contracted'],
      ],
      [
        'churned_arr',
        'Churned ARR',
        'churned_mrr',
        'churned MRR',
        ['churned arr', 'churn arr', 'arr churn', 'arr churned', 'lost arr', 'arr lost to churn', 'cancelled arr'],
      ],
    ] as const
  ).map(([id, name, monthly, monthlyName, synonyms]) =>
    d(id, name, 'currency', [...synonyms], `${name}: ${monthlyName} annualised.`, `${monthlyName} × 12`, [monthly], {
      ...(id === 'churned_arr' || id === 'contraction_arr' ? { higherIsBetter: false } : {}),
      ...(id === 'new_arr' || id === 'expansion_arr' ? { higherIsBetter: true } : {}),
    }),
  ),
  d(
    'nrr',
    'Net revenue retention',
    'percent',
    [
      'net revenue retention',
      'nrr',
      'ndr',
      'net dollar retention',
      'net retention',
      'net revenue retention rate',
      'net dollar retention rate',
      'nrr rate',
    ],
    'Revenue kept from existing customers, including expansion.',
    '(starting MRR + expansion − contraction − churned) / starting MRR',
    ['starting_mrr', 'expansion_mrr', 'contraction_mrr', 'churned_mrr'],
    { higherIsBetter: true, benchmarkNames: ['Net revenue retention'] },
  ),
  d(
    'grr',
    'Gross revenue retention',
    'percent',
    [
      'gross revenue retention',
      'grr',
      'gross dollar retention',
      'gdr',
      'gross retention',
      'gross revenue retention rate',
    ],
    'Revenue kept from existing customers, excluding expansion.',
    '(starting MRR − contraction − churned) / starting MRR',
    ['starting_mrr', 'contraction_mrr', 'churned_mrr'],
    { higherIsBetter: true, benchmarkNames: ['Gross revenue retention'] },
  ),
  d(
    'logo_churn',
    'Logo churn',
    'percent',
    [
      'logo churn',
      'logo churn rate',
      'customer churn',
      'customer churn rate',
      'churn rate',
      'logo attrition',
      'user churn',
      'user churn rate',
      'subscriber churn',
      'subscriber churn rate',
      'account churn',
      'account churn rate',
    ],
    'Share of customers at the start of a month who left during it.',
    'churned customers / customers at start of month',
    ['churned_customers', 'customers_start'],
    { higherIsBetter: false, benchmarkNames: ['Logo churn (monthly)'] },
  ),
  d(
    'arr_growth_yoy',
    'ARR growth (YoY)',
    'percent',
    [
      'arr growth',
      'arr growth rate',
      'year over year growth',
      'yoy growth',
      'annual growth',
      'growth rate',
      'arr growth yoy',
      'yoy arr growth',
    ],
    'Growth of ARR over the same month a year earlier.',
    'ending MRR / ending MRR twelve months earlier − 1',
    ['mrr'],
    { higherIsBetter: true, benchmarkNames: ['ARR growth rate'] },
  ),
  d(
    'cac',
    'CAC',
    'currency',
    ['cac', 'customer acquisition cost', 'cost to acquire a customer', 'cost per new customer', 'blended cac'],
    'Sales & marketing spend per new customer.',
    'S&M spend / new customers',
    ['sales_marketing', 'new_customers'],
    { higherIsBetter: false },
  ),
  d(
    'cac_payback',
    'CAC payback',
    'months',
    ['cac payback', 'cac payback period', 'payback', 'payback period', 'months to recover cac'],
    'Months of gross-margin-adjusted new MRR needed to recover S&M spend.',
    'S&M spend / (new MRR × average gross margin)',
    ['sales_marketing', 'new_mrr', 'gross_margin'],
    { higherIsBetter: false, benchmarkNames: ['CAC payback'] },
  ),
  d(
    'burn_multiple',
    'Burn multiple',
    'ratio',
    ['burn multiple', 'burn multiplier'],
    'Net burn per dollar of net new ARR.',
    'net burn / net new ARR',
    ['net_burn', 'mrr', 'starting_mrr'],
    { higherIsBetter: false, benchmarkNames: ['Burn multiple'] },
  ),
  d(
    'magic_number',
    'Magic number',
    'ratio',
    ['magic number', 'sales efficiency', 'saas magic number'],
    'Net new ARR in a quarter per dollar of the previous quarter’s S&M spend.',
    'net new ARR (quarter) / S&M spend (previous quarter)',
    ['mrr', 'starting_mrr', 'sales_marketing'],
    { higherIsBetter: true, benchmarkNames: ['Magic number'] },
  ),
  d(
    'quick_ratio',
    'SaaS quick ratio',
    'ratio',
    ['saas quick ratio', 'quick ratio', 'growth efficiency ratio'],
    'MRR gained per MRR lost.',
    '(new + expansion) / (contraction + churned)',
    ['new_mrr', 'expansion_mrr', 'contraction_mrr', 'churned_mrr'],
    { higherIsBetter: true, benchmarkNames: ['SaaS quick ratio'] },
  ),
  d(
    'rule_of_40',
    'Rule of 40',
    'percent',
    ['rule of 40', 'rule of forty', 'r40', 'rule of 40 score'],
    'ARR growth plus free-cash-flow margin.',
    'ARR growth YoY (%) + FCF margin (%), FCF margin = −net burn / revenue over 12 months',
    ['mrr', 'net_burn', 'revenue'],
    { higherIsBetter: true, benchmarkNames: ['Rule of 40'] },
  ),
  d(
    'fcf_margin',
    'Free-cash-flow margin',
    'percent',
    ['fcf margin', 'free cash flow margin'],
    'Free cash flow as a share of revenue.',
    '−net burn / revenue',
    ['net_burn', 'revenue'],
    { higherIsBetter: true, benchmarkNames: ['Free cash flow margin'] },
  ),
  d(
    'arpa',
    'ARPA',
    'currency',
    [
      'arpa',
      'arpu',
      'average revenue per account',
      'average revenue per customer',
      'average revenue per user',
      'average mrr per customer',
      'average mrr per account',
      'mrr per customer',
      'mrr per account',
      'acv',
    ],
    'Average MRR per customer.',
    'MRR / customers',
    ['mrr', 'customers'],
    { higherIsBetter: true },
  ),
  d(
    'ltv',
    'LTV',
    'currency',
    ['ltv', 'lifetime value', 'customer lifetime value', 'clv', 'cltv'],
    'Gross-margin lifetime value of a customer.',
    'ARPA × gross margin / monthly logo churn',
    ['mrr', 'customers', 'gross_margin', 'churned_customers', 'customers_start'],
    { higherIsBetter: true },
  ),
  d(
    'ltv_cac',
    'LTV:CAC',
    'ratio',
    ['ltv to cac', 'ltv cac', 'ltv cac ratio', 'ltv to cac ratio', 'lifetime value to cac'],
    'Lifetime value per dollar of acquisition cost.',
    'LTV / CAC',
    ['mrr', 'customers', 'gross_margin', 'churned_customers', 'customers_start', 'sales_marketing', 'new_customers'],
    { higherIsBetter: true, benchmarkNames: ['LTV:CAC'] },
  ),
  d(
    'runway',
    'Runway',
    'months',
    ['runway', 'cash runway', 'months of runway', 'runway months'],
    'Months of cash left at the current net burn.',
    'cash / average monthly net burn (last 3 months)',
    ['cash', 'net_burn'],
    { higherIsBetter: true },
  ),
  d(
    'arr_per_fte',
    'ARR per FTE',
    'currency',
    ['arr per fte', 'arr per employee', 'revenue per employee', 'arr per head'],
    'ARR divided by headcount.',
    'ARR / headcount',
    ['mrr', 'headcount'],
    { higherIsBetter: true, benchmarkNames: ['ARR per FTE'] },
  ),
  d(
    'sm_pct_revenue',
    'S&M as % of revenue',
    'percent',
    ['s and m as pct of revenue', 'sales and marketing as a percentage of revenue', 's and m pct of revenue'],
    'Sales & marketing spend as a share of revenue.',
    'S&M spend / revenue',
    ['sales_marketing', 'revenue'],
    { higherIsBetter: false, benchmarkNames: ['S&M as % of revenue'] },
  ),
  d(
    'rd_pct_revenue',
    'R&D as % of revenue',
    'percent',
    ['r and d as pct of revenue', 'r and d as a percentage of revenue', 'r and d pct of revenue'],
    'R&D spend as a share of revenue.',
    'R&D spend / revenue',
    ['research_development', 'revenue'],
    { benchmarkNames: ['R&D as % of revenue'] },
  ),
  d(
    'ga_pct_revenue',
    'G&A as % of revenue',
    'percent',
    ['g and a as pct of revenue', 'g and a as a percentage of revenue', 'g and a pct of revenue'],
    'G&A spend as a share of revenue.',
    'G&A spend / revenue',
    ['general_administrative', 'revenue'],
    { higherIsBetter: false, benchmarkNames: ['G&A as % of revenue'] },
  ),
];

export const METRICS_BY_ID: ReadonlyMap<string, MetricDef> = new Map(METRICS.map((m) => [m.id, m]));

/**
 * Normalize a header or phrase for comparison: lower case, `&` → `and`, `%` → `pct`, everything else that
 * is not a letter or digit becomes a space; bracketed units (`($)`, `(USD)`) are dropped.
 */
export function normalizeLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/\((?:\$|usd|eur|gbp|€|£|k|\$k|000s|in \$|#|count)\)/g, ' ')
    .replace(/&/g, ' and ')
    .replace(/%/g, ' pct ')
    .replace(/\bpercent(age)?\b/g, 'pct')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .replace(/\s+/g, ' ');
}

const BY_SYNONYM: ReadonlyMap<string, MetricDef> = (() => {
  const map = new Map<string, MetricDef>();
  for (const m of METRICS) {
    for (const s of [m.id.replace(/_/g, ' '), ...m.synonyms]) {
      const key = normalizeLabel(s);
      if (!map.has(key)) map.set(key, m);
    }
  }
  return map;
})();

/**
 * The rate a label names once its trailing `rate` / `%` is dropped: only a metric that is a rate itself
 * (a percent or a ratio). `MRR churn rate` without `rate` is `MRR churn`, an amount: no reading.
 */
function rateOf(candidate: string, key: string): string {
  if (candidate === key) return candidate;
  const found = BY_SYNONYM.get(candidate);
  return found && found.unit !== 'percent' && found.unit !== 'ratio' ? '' : candidate;
}

/** The metric a table header names, if any (exact match after normalization; `ending_mrr` → MRR). */
export function metricForLabel(label: string): MetricDef | undefined {
  const tidy = (k: string) => k.trim().replace(/\s+/g, ' ');
  const key = normalizeLabel(label);
  const paren = /\(([^)]*)\)/.exec(label)?.[1];
  const candidates = [
    key,
    // A section's total line: `Total Cost of Goods Sold` (before the filler words below take its `cost`).
    key.replace(/^total /, ''),
    // Filler words that do not change the metric: `Total Revenue (USD)`, `S&M costs`, `mrr_cents` (the
    // figures' scale is read by documents/tables/units.ts).
    tidy(key.replace(/\b(total|usd|amount|value|count|costs?|expenses?|spend|(?:in )?cents)\b/g, '')),
    // A trailing unit word: `Net Revenue Retention %`, `Logo churn rate` — never an amount's name with
    // `rate` after it (`MRR churn rate` is a share, not churned MRR in dollars): see below.
    rateOf(tidy(key.replace(/\b(pct|rate|ratio)$/g, '')), key),
    // A parenthetical that is not a known spelling: `Monthly Recurring Revenue (MRR)`, `Employees (FTE)`.
    tidy(normalizeLabel(label.replace(/\([^)]*\)/g, ' '))),
    paren ? normalizeLabel(paren) : '',
    // When the balance is taken: `Customers at month end`, `Cash at quarter end`, `Cash in bank`, `Customers at month start`.
    tidy(
      key
        .replace(/\b(?:at|as of)(?: the)? (?:start|beginning) of(?: the)? (?:month|quarter|period|year)\b/g, ' start')
        .replace(/\b(?:at|as of)(?: the)? (?:month|quarter|period|year) (?:start|beginning)\b/g, ' start')
        .replace(/\b(?:at|as of)(?: the)? (?:end of(?: the)? )?(?:month|quarter|period|year)(?: end)?\b/g, '')
        .replace(/\b(?:eom|eoq|eop|month end|quarter end|period end)\b/g, '')
        .replace(/\b(?:in|at) (?:the )?bank\b/g, ''),
    ),
    // A revenue line named by what is sold: `Subscription & services revenue`, `SaaS revenue`.
    /^(?:(?:total|net|gross|subscription|subscriptions|services|service|saas|software|platform|product|license|licence|and)\s+)+revenue$/.test(
      key,
    )
      ? 'revenue'
      : '',
    // Xero's UK charts head the revenue section `Trading Income` (closed by `Total Trading Income`) and UK
    // accounts call revenue turnover. Read here, for table lines only, not as synonyms: a question's
    // "trailing" must not be mended to "trading", nor "staff turnover" read as revenue.
    /^(?:total )?(?:trading income|turnover)$/.test(key) ? 'revenue' : '',
  ];
  for (const candidate of candidates) {
    const found = candidate ? BY_SYNONYM.get(candidate) : undefined;
    if (found) return found;
  }
  return undefined;
}

/**
 * Whether a label is one of the metric's own names (`Revenue`, `Total revenue (USD)`), not a broader or
 * narrower line the catalog also reads as it (`Subscription revenue`, `Marketing costs`).
 */
export function namesExactly(label: string, def: MetricDef): boolean {
  const key = normalizeLabel(label.replace(/\([^)]*\)/g, ' ')).replace(/^total /, '');
  return [def.id.replace(/_/g, ' '), ...def.synonyms].some((s) => normalizeLabel(s) === key);
}

/** Every (normalized phrase, metric) pair, longest phrase first — for finding metrics named inside a question. */
export function metricPhrases(): Array<{ phrase: string; metric: MetricDef }> {
  return [...BY_SYNONYM.entries()]
    .map(([phrase, metric]) => ({ phrase, metric }))
    .sort((a, b) => b.phrase.length - a.phrase.length);
}

/** Id of a line item that is not a known metric: `item:aws_hosting`. */
export function lineItemId(label: string): string {
  return `item:${normalizeLabel(label).replace(/ /g, '_')}`;
}
