import { METRICS_BY_ID, type MetricDef, metricPhrases, normalizeLabel } from '../../graph/catalog.ts';
import type { PeriodSpec } from '../../graph/engine/periods.ts';
import { isMonthName, monthIndex } from '../../lib/periods.ts';
import { type FoundPeriod, findPeriods, yearBeforeCues } from './parse-periods.ts';

/**
 * The local engine's reading of a question: which metrics (catalog metrics or the tenant's own line
 * items), which periods, and what to do with them. Pure and deterministic, so it is tested on many
 * phrasings; anything it cannot read as a metric question becomes a document question.
 */
export type Operation =
  | 'value'
  | 'trend'
  | 'max'
  | 'min'
  | 'change'
  | 'explain'
  | 'list'
  | 'overview'
  | 'help'
  | 'remember'
  | 'document';

export interface MetricMention {
  /** Catalog id (`nrr`) or the tenant's line-item id (`item:aws_hosting`). */
  id: string;
  name: string;
  /** The words of the question that named it (normalized). */
  phrase: string;
  source: 'catalog' | 'tenant';
  /** A single everyday word (`churn`, `cash`, `new`): easily a false friend in a document question. */
  weak: boolean;
  index: number;
  /** Other phrases of the question that named the same metric ("bank" beside "cash"). */
  also?: string[];
}

export interface ParsedQuestion {
  text: string;
  metrics: MetricMention[];
  periods: PeriodSpec[];
  operation: Operation;
  /** Asked to compare with benchmarks / peers, or whether the value is good. */
  benchmark: boolean;
  /** A change asked year over year: compare with the same period a year earlier. */
  yoy: boolean;
  /** The bucket of a trend or a highest/lowest question: "which quarter", "by year". */
  granularity: 'month' | 'quarter' | 'year';
  /** "What does NRR mean?", "define burn multiple": say what the metric is, too. */
  define: boolean;
  /** Names of others the question is about ("Contoso" in "Contoso's MRR"). */
  entities: string[];
}

/** A metric the tenant has data for, as list_metrics reports it. */
export interface TenantMetricLabel {
  id: string;
  label: string;
}

/** Extra everyday phrasings the catalog does not list (kept here: they only make sense inside questions). */
const EXTRA_PHRASES: Array<[string, string]> = [
  ['net dollar retention', 'nrr'],
  ['dollar retention', 'nrr'],
  ['revenue retention', 'nrr'],
  ['retention', 'nrr'],
  ['gross dollar retention', 'grr'],
  ['revenue churn', 'churned_mrr'],
  ['mrr churned', 'churned_mrr'],
  ['churned revenue', 'churned_mrr'],
  ['logos churned', 'churned_customers'],
  ['customers did we lose', 'churned_customers'],
  ['customers lost', 'churned_customers'],
  ['customers did we add', 'new_customers'],
  ['customers did we win', 'new_customers'],
  ['customers did we sign', 'new_customers'],
  ['customer acquisition cost payback', 'cac_payback'],
  ['months to pay back cac', 'cac_payback'],
  ['pay back cac', 'cac_payback'],
  ['pay back', 'cac_payback'],
  ['payback months', 'cac_payback'],
  ['annualized revenue', 'arr'],
  ['annual run rate', 'arr'],
  ['marketing spend', 'sales_marketing'],
  ['marketing', 'sales_marketing'],
  ['spend on marketing', 'sales_marketing'],
  ['sales spend', 'sales_marketing'],
  ['r and d spending', 'research_development'],
  ['engineering spend', 'research_development'],
  ['people', 'headcount'],
  ['employee', 'headcount'],
  ['staff', 'headcount'],
  ['bank', 'cash'],
  ['cash left', 'cash'],
  ['money in the bank', 'cash'],
  ['months of cash', 'runway'],
  ['cash last', 'runway'],
  ['run out of cash', 'runway'],
  ['run out of money', 'runway'],
  ['money last', 'runway'],
  ['burning', 'net_burn'],
  ['rule of forty', 'rule_of_40'],
  ['40 rule', 'rule_of_40'],
  ['sales efficiency', 'magic_number'],
  ['quick ratio', 'quick_ratio'],
  ['gross margins', 'gross_margin'],
  ['gross profit margin', 'gross_margin'],
  ['gp margin', 'gross_margin'],
  ['top line', 'revenue'],
  ['sales', 'revenue'],
];

/** Single everyday words that name a metric only when nothing else in the question is a better reading. */
const WEAK = new Set([
  'new',
  'churn',
  'churned',
  'expansion',
  'contraction',
  'engineering',
  'account',
  'cash',
  'burn',
  'revenue',
  'customer',
  'logo',
  'upgrade',
  'downgrade',
  'cancellation',
  'upsell',
  'downsell',
  'retention',
  'people',
  'employee',
  'staff',
  'bank',
  'sale',
  'net new',
  'burning',
  'payback',
  'growth rate',
  'marketing',
]);

/** Crude plural folding so `customer` finds `customers` and `logos` finds `logo`. */
function stem(word: string): string {
  if (word.length > 3 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) return word.slice(0, -1);
  return word;
}
const stemAll = (s: string) => s.split(' ').filter(Boolean).map(stem);

interface Phrase {
  tokens: string[];
  id: string;
  name: string;
  source: 'catalog' | 'tenant';
}

let catalogPhrases: Phrase[] | undefined;
function phrasesOfCatalog(): Phrase[] {
  if (catalogPhrases) return catalogPhrases;
  const list: Phrase[] = metricPhrases().map(({ phrase, metric }) => ({
    tokens: stemAll(phrase),
    id: metric.id,
    name: metric.name,
    source: 'catalog',
  }));
  for (const [phrase, id] of EXTRA_PHRASES) {
    const def = METRICS_BY_ID.get(id);
    if (def) list.push({ tokens: stemAll(normalizeLabel(phrase)), id, name: def.name, source: 'catalog' });
  }
  catalogPhrases = list;
  return list;
}

type Sized = { p: Phrase; n: number; chars: number; catalog: boolean };
const withLength = (p: Phrase): Sized => ({
  p,
  n: p.tokens.length,
  chars: p.tokens.join(' ').length,
  catalog: p.source === 'catalog',
});
const byLength = (a: Sized, b: Sized) => b.n - a.n || b.chars - a.chars || (a.catalog ? -1 : b.catalog ? 1 : 0);
let sortedCatalog: Sized[] | undefined;
function sortedCatalogPhrases(): Sized[] {
  sortedCatalog ??= phrasesOfCatalog().map(withLength).sort(byLength);
  return sortedCatalog;
}

const GENERIC_LABEL = new Set(
  'total other month period date year quarter metric name note comment category type id item line value amount sum average change growth rate pct number count'.split(
    ' ',
  ),
);

/** Words that carry no meaning in a line-item label when matching it inside a question. */
const LABEL_STOP = new Set(['total', 'the', 'of', 'and', 'a', 'in', 'usd', 'amount', 'value', 'line', 'item', 'pct']);

function findMetrics(question: string, tenantLabels: TenantMetricLabel[]): MetricMention[] {
  const tokens = stemAll(normalizeLabel(question));
  const used = new Array<boolean>(tokens.length).fill(false);
  const tenant: Phrase[] = tenantLabels.flatMap((t) => {
    const all = stemAll(normalizeLabel(t.label));
    const content = all.filter((w) => !LABEL_STOP.has(w));
    // A label made only of generic words ("Total", "Other", "Month") would match half the questions.
    if (content.every((w) => GENERIC_LABEL.has(w) || w.length < 3)) return [];
    const out: Phrase[] = [{ tokens: all, id: t.id, name: t.label, source: 'tenant' }];
    if (content.length > 0 && content.length !== all.length)
      out.push({ tokens: content, id: t.id, name: t.label, source: 'tenant' });
    return out;
  });
  // Longest phrase first, so "net revenue retention" wins over "revenue" and "burn multiple" over "burn".
  // The catalog's phrases are sorted once; only the tenant's few labels are placed among them per question.
  const phrases = [...sortedCatalogPhrases(), ...tenant.map(withLength)].sort(byLength).map((x) => x.p);
  const found: MetricMention[] = [];
  for (const p of phrases) {
    const n = p.tokens.length;
    if (n === 0) continue;
    for (let i = 0; i + n <= tokens.length; i++) {
      let hit = true;
      for (let k = 0; k < n; k++) {
        if (used[i + k] || tokens[i + k] !== p.tokens[k]) {
          hit = false;
          break;
        }
      }
      if (!hit) continue;
      for (let k = 0; k < n; k++) used[i + k] = true;
      const phrase = p.tokens.join(' ');
      found.push({
        id: p.id,
        name: p.source === 'catalog' ? (METRICS_BY_ID.get(p.id)?.name ?? p.name) : p.name,
        phrase,
        source: p.source,
        weak: p.source === 'catalog' && WEAK.has(phrase),
        index: i,
      });
    }
  }
  // A line item named out of order ("revenue of the enterprise segment" for "Enterprise revenue"): all
  // of its words present, each either free or held only by a weak one-word catalog match.
  for (const p of tenant) {
    if (p.tokens.length < 2 || found.some((f) => f.id === p.id)) continue;
    const at = p.tokens.map((t) =>
      tokens.findIndex((w, i) => w === t && (!used[i] || found.some((f) => f.weak && f.index === i))),
    );
    if (at.some((i) => i < 0) || new Set(at).size !== at.length) continue;
    for (let k = found.length - 1; k >= 0; k--) if (found[k]!.weak && at.includes(found[k]!.index)) found.splice(k, 1);
    for (const i of at) used[i] = true;
    found.push({
      id: p.id,
      name: p.name,
      phrase: p.tokens.join(' '),
      source: 'tenant',
      weak: false,
      index: Math.min(...at),
    });
  }
  found.sort((a, b) => a.index - b.index);
  // "MRR did we lose to downgrades", "MRR lost to churn", "MRR gained from expansion": the movement named
  // after the balance is what is asked, the balance only says what moved.
  const mrrAt = found.findIndex((f) => f.id === 'mrr' && f.source === 'catalog');
  const movement = found.find(
    (f) => MOVEMENTS.has(f.id) && mrrAt >= 0 && f.index > found[mrrAt]!.index && f.index - found[mrrAt]!.index <= 6,
  );
  if (movement && mrrAt >= 0) {
    const between = [...tokens.slice(found[mrrAt]!.index + 1, movement.index), ...movement.phrase.split(' ')];
    if (between.some((w) => /^(lose|lost|los|gain|gained|add|added|from|to|through|via|due)$/.test(w))) {
      // Kept (it accounts for the word), but after the movement (and weak unless the movement is), so the
      // movement is the one asked.
      const [mrr] = found.splice(mrrAt, 1);
      found.splice(found.indexOf(movement) + 1, 0, { ...mrr!, weak: !movement.weak });
    }
  }
  // One mention per metric; the words of its other mentions ("cash in the bank") are still its words.
  const first = new Map<string, MetricMention>();
  return found.filter((m) => {
    const kept = first.get(m.id);
    if (!kept) {
      first.set(m.id, m);
      return true;
    }
    kept.also = [...(kept.also ?? []), m.phrase];
    return false;
  });
}

const MOVEMENTS = new Set(['new_mrr', 'expansion_mrr', 'contraction_mrr', 'churned_mrr']);

const has = (re: RegExp, s: string) => re.test(s);

let vocabulary: Set<string> | undefined;
/** Every word of every metric name and synonym: capitalised, they are still metric words ("Rule of 40"). */
function metricVocabulary(): Set<string> {
  vocabulary ??= new Set(
    [...phrasesOfCatalog().flatMap((p) => p.tokens), ...METRICS_BY_ID.keys()].flatMap((t) => t.split(/[_\s]+/)),
  );
  return vocabulary;
}
const NOT_ENTITIES = new Set(
  'i we our us monday tuesday wednesday thursday friday saturday sunday what which who how when where why is was are were the a an and or of in on for to'.split(
    ' ',
  ),
);

/**
 * A name of something other than the company ("Contoso's MRR", "how much does Contoso Retail pay"):
 * a capitalised word inside the question that is neither a month, nor a metric word, nor a line item.
 */
function entitiesIn(question: string, labels: TenantMetricLabel[], ownNames: string[]): string[] {
  const words = question.match(/(?<=\s)\p{Lu}\p{Ll}{2,}(?:'s)?(?![\p{L}\p{N}])/gu) ?? [];
  if (words.length === 0) return [];
  const own = new Set(ownNames.flatMap((n) => n.toLowerCase().split(/[^a-z0-9]+/)));
  const known = metricVocabulary();
  const labelWords = new Set(labels.flatMap((l) => stemAll(normalizeLabel(l.label))));
  return words.filter((raw) => {
    const w = raw.replace(/'s$/, '').toLowerCase();
    return (
      !isMonthName(w) &&
      !NOT_ENTITIES.has(w) &&
      !own.has(w) &&
      !known.has(stem(w)) &&
      !known.has(w) &&
      !labelWords.has(stem(w))
    );
  });
}

/** Words that ask for an amount: only then may one word of a line item stand for the whole line. */
const AMOUNT_RE = /\b(how much|how many|spend|spent|spending|cost|costs|pay|paid|total|amount)\b/;
const QUESTION_WORDS = new Set(
  'what how much many did does do was were is are the our for on in of we spend spent spending cost costs pay paid total amount last this year quarter month'.split(
    ' ',
  ),
);

/** The one tenant line item that shares a distinctive word (4+ letters) with the question, if exactly one does. */
function partialLineItem(text: string, labels: TenantMetricLabel[]): MetricMention | undefined {
  const words = new Set(stemAll(normalizeLabel(text)).filter((w) => w.length >= 4 && !QUESTION_WORDS.has(w)));
  const hits = labels.filter(
    (l) =>
      l.id.startsWith('item:') &&
      stemAll(normalizeLabel(l.label)).some((w) => w.length >= 4 && !GENERIC_LABEL.has(w) && words.has(w)),
  );
  const only = hits.length === 1 ? hits[0] : undefined;
  if (!only) return undefined;
  return { id: only.id, name: only.label, phrase: normalizeLabel(only.label), source: 'tenant', weak: false, index: 0 };
}

const BENCHMARK_RE =
  /\b(benchmarks?|benchmarked|compare[sd]?|comparison|stack up|stacks up|peers?|industry|healthy|good|bad|strong|weak|best[- ]in[- ]class|typical|normal|median|quartile|percentile|for our stage|for a company|other (saas )?companies|similar companies|on track|world[- ]class|concerning|worrying|rank)\b/;
const RIVALS_RE = /\b(competitors?|competition|rivals?)\b/;
const TREND_RE =
  /\b(trend|trends|trended|trending|over time|history|historical|month by month|by month|each month|every month|monthly breakdown|by quarter|each quarter|quarter by quarter|evolv\w*|trajectory|series|chart|plot|graph|progress(ion)?)\b/;
const CHANGE_RE =
  /\b(compare|change[sd]?|grow|grew|grown|growth|increase[sd]?|decrease[sd]?|decline[sd]?|drop(ped)?|rise|rose|fell|fall|improve[sd]?|worsen(ed)?|from .+ to|between|qoq|mom|versus|vs\.?|compared (to|with))\b/;
const MAX_RE = /\b(highest|largest|biggest|most|peak(ed)?|maximum|max|best|top|record|strongest)\b/;
const MIN_RE = /\b(lowest|smallest|least|minimum|min|worst|bottom|weakest)\b/;
const WHICH_PERIOD_RE =
  /\b(which|what)\s+(month|quarter|year|period)\b|\bwhen\b|\bin which\b|\b(best|worst|strongest|weakest|highest|lowest|biggest|top) (month|quarter|year)\b/;
const EXPLAIN_RE =
  /\b(why|explain|drove|driven|drivers?|driving|what caused|cause[sd]?|behind|break ?down|breakdown|how (is|was|are|were) .* (calculated|computed|derived))\b/;
/** Words that mark a question about what documents say rather than about a figure. */
const DOCUMENT_RE =
  /\b(who|whom|whose|where|reasons?|plans?|planning|risks?|names?|called|price|pricing|meeting|board|hire|hiring|customer is|largest customer|biggest customer|top customer|competitor|strategy|roadmap|launch|renewals?|policy|announce\w*|mention\w*|say|says|said|according|summar\w+|tell me about)\b/;
/** Words that ask for what a document says even when a metric is named ("the main reason customers churned"). */
const TEXT_INTENT_RE =
  /^\s*(who|where)\b|\b(reasons?|whom|whose|plans?|planning|risks?|names?|called|meeting|strategy|roadmap|competitors?|policy)\b/;
/** The same, even in a "how many / how much" question: about one customer, or about causes. */
const TEXT_INTENT_STRONG_RE =
  /\b(reasons?|due to|because of|caused by|attributed to)\b|\b(largest|biggest|top|main|key) (customer|client|account|competitor|deal)s?\b/;
/** A change against the same period a year earlier (also `yearBeforeCues`: "vs last year", "a year ago"). */
const YOY_RE = /\b(year over year|year on year|yoy|y\/y)\b/;
/** "How are we doing?", "give me a summary of our KPIs": the key metrics at a glance. */
const OVERVIEW_RE =
  /\bhow (are|is|were) (we|things|the (company|business)) (doing|performing|trending)\b|\b(overview|snapshot|dashboard|scorecard|kpis|key metrics|health check|state of the business|summar(y|ize|ise) (of )?(our |the )?(metrics|kpis|numbers|performance))\b/;
/** A statement to keep ("remember that our fiscal year starts in July"), not a question. */
const REMEMBER_RE =
  /^\s*(please\s+)?(remember|note|noted|fyi|for the record|keep in mind)\b|^\s*(our|the) (fiscal|financial) year (starts|begins|ends|runs)\b/;
const HELP_RE =
  /^\s*(hi|hello|hey|help|good (morning|afternoon|evening))\b[\s!.?]*$|\bwhat can you (do|answer|tell)\b|\bhow (do|can) (i|you) (use|ask)\b|^\s*help\b/;
const LIST_RE = /\b(what|which) (metrics|data|kpis|numbers|figures)\b|\blist (the |all |my |our )?(metrics|kpis)\b/;

/** Read a question. `tenantLabels` lets it find the tenant's own line items (`AWS hosting`, `Operating income`). */
export function parseQuestion(
  question: string,
  tenantLabels: TenantMetricLabel[] = [],
  /** The company's own names (tenant name, document names): never "another entity". */
  ownNames: string[] = [],
): ParsedQuestion {
  // "year-over-year", "month-on-month": hyphens between words read as spaces.
  const lower = question
    .toLowerCase()
    .replace(/[‘’]/g, "'")
    .replace(/(?<=\b([a-z]+))[-–](?=([a-z]+)\b)/g, (dash, a: string, b: string) =>
      monthIndex(a) && monthIndex(b) ? dash : ' ',
    )
    .replace(/\s+/g, ' ')
    .trim();
  const found: FoundPeriod[] = findPeriods(lower);
  // Period words are not metric words ("net new MRR in March" — "march" is not a metric; "last 12 months" neither).
  let metricText = lower;
  for (const f of found) metricText = metricText.replace(f.text, ' ');
  let metrics = findMetrics(metricText, tenantLabels);
  // "What did we pay for hosting?" with an "AWS hosting" line: a distinctive word of one line item.
  if (metrics.length === 0 && !has(DOCUMENT_RE, lower) && has(AMOUNT_RE, lower)) {
    const partial = partialLineItem(metricText, tenantLabels);
    if (partial) metrics = [partial];
  }

  // "How does our churn compare with competitors" is a benchmark question; "the churn rate of our
  // competitors" asks for their figure, which no benchmark is.
  const benchmarkWords =
    has(BENCHMARK_RE, lower) || (has(RIVALS_RE, lower) && has(/\b(versus|vs\.?|against|than|relative to)\b/, lower));
  const yoy = has(/\b(year over year|year on year|yoy|y\/y|annual(ly)?|yearly|12[- ]month growth)\b/, lower);
  const yoyStrict = has(YOY_RE, lower) || yearBeforeCues(lower).length > 0;
  const growthWord = has(/\b(grow|grew|grown|growth|growing)\b/, lower);

  // "How much did ARR grow year over year", "how fast are we growing" → ARR growth (YoY).
  const revenueLike = metrics.find((m) => m.id === 'arr' || m.id === 'mrr');
  if (
    growthWord &&
    (yoy || yoyStrict || metrics.length === 0 || has(/\bhow fast\b/, lower)) &&
    (revenueLike || metrics.length === 0)
  ) {
    const def = METRICS_BY_ID.get('arr_growth_yoy');
    if (def) {
      metrics = [
        {
          id: def.id,
          name: def.name,
          phrase: revenueLike?.phrase ?? 'growth',
          source: 'catalog',
          weak: false,
          index: revenueLike?.index ?? 0,
        },
        ...metrics.filter((m) => m !== revenueLike),
      ];
    }
  }

  // "How many logos did we lose / add": customers plus a verb of losing or winning.
  const counted = metrics.find((m) => m.id === 'customers');
  if (counted) {
    const lost = has(/\b(lose|lost|losing|churn|churned|churning|cancel\w*|leave|left)\b/, lower);
    const won = has(/\b(add|added|adding|win|won|sign|signed|acquire[sd]?|land(ed)?|gain(ed)?|new)\b/, lower);
    const id = lost && !won ? 'churned_customers' : won && !lost ? 'new_customers' : undefined;
    const def = id ? METRICS_BY_ID.get(id) : undefined;
    if (def) {
      metrics = metrics
        .filter((m) => m.id !== 'churned_mrr' && m.id !== 'new_mrr')
        .map((m) => (m === counted ? { ...m, id: def.id, name: def.name, weak: false } : m));
    }
  }

  // "Did the most agencies cancel", "how many clinics did we win": the company's own noun for its customers,
  // as its table labels a movement of them ("Churned agencies", "New clinics"), with a verb of that movement.
  if (!metrics.some((m) => !m.weak)) {
    const movement = movementLabel(lower, tenantLabels);
    if (movement) metrics = [movement, ...metrics];
  }

  // "S&M as a percentage of revenue", "R&D as % of revenue": the ratio metric, not the spend.
  if (
    has(
      /\b(as a |as )?(pct|percentage|percent|share|%) of (total )?revenue\b|\bto revenue\b/,
      lower.replace(/%/g, ' % '),
    )
  ) {
    const RATIO: Record<string, string> = {
      sales_marketing: 'sm_pct_revenue',
      research_development: 'rd_pct_revenue',
      general_administrative: 'ga_pct_revenue',
    };
    metrics = metrics
      .filter((m) => m.id !== 'revenue')
      .map((m) => {
        const def = RATIO[m.id] ? METRICS_BY_ID.get(RATIO[m.id]!) : undefined;
        return def ? { ...m, id: def.id, name: def.name } : m;
      });
  }

  // "How much ARR did we add": the net new amount, not the balance.
  // "Lose MRR to churn", "MRR lost to downgrades", "MRR we gained from expansion": MRR is the unit the
  // movement is counted in, the movement is the metric asked.
  const MOVEMENTS = new Set(['churned_mrr', 'contraction_mrr', 'expansion_mrr', 'new_mrr']);
  if (
    metrics.some((m) => m.id === 'mrr') &&
    metrics.some((m) => MOVEMENTS.has(m.id)) &&
    has(/\b(lose|lost|losing|loss|losses|gain|gained|gaining|win|won|add|added|adding)\b/, lower)
  ) {
    metrics = metrics.filter((m) => m.id !== 'mrr').map((m) => (MOVEMENTS.has(m.id) ? { ...m, weak: false } : m));
  }
  // "How many customers did we start Q4 with", "MRR at the start of the quarter": the opening balance.
  const opening =
    !has(/\bsince\b/, lower) &&
    (has(/\b(start|started|begin|began|enter|entered)\b[^?]*\bwith\b/, lower) ||
      has(/\bat the (start|beginning|open|opening) of\b/, lower) ||
      has(/\b(opening|beginning|starting)\s+(mrr|customers?|logos?|accounts?|count)\b/, lower));
  if (opening) {
    const OPENING: Record<string, string> = { customers: 'customers_start', mrr: 'starting_mrr' };
    metrics = metrics.map((m) => {
      const def = OPENING[m.id] ? METRICS_BY_ID.get(OPENING[m.id]!) : undefined;
      return def ? { ...m, id: def.id, name: def.name } : m;
    });
  }
  if (has(/\b(add|added|adding|gain(ed)?|net new)\b/, lower)) {
    metrics = metrics.map((m) => {
      const id = m.id === 'arr' ? 'net_new_arr' : m.id === 'mrr' ? 'net_new_mrr' : undefined;
      const def = id ? METRICS_BY_ID.get(id) : undefined;
      return def ? { ...m, id: def.id, name: def.name } : m;
    });
  }
  // "S&M spend per new customer": acquisition cost.
  if (
    metrics.some((m) => m.id === 'sales_marketing') &&
    metrics.some((m) => m.id === 'new_customers') &&
    has(/\bper\b/, lower)
  ) {
    const def = METRICS_BY_ID.get('cac');
    if (def) metrics = [{ id: def.id, name: def.name, phrase: 'cac', source: 'catalog', weak: false, index: 0 }];
  }
  // Readings that one metric makes redundant or that a phrase turns into a rate.
  const ids = new Set(metrics.map((m) => m.id));
  const drop = new Set<string>();
  if (ids.has('cac_payback')) drop.add('cac');
  if (ids.has('net_burn') && ids.has('cash')) drop.add('cash');
  metrics = metrics.filter((m) => !drop.has(m.id));
  if (ids.has('churned_customers') && has(/\b(percent(age)?|rate|share|proportion|%)/, lower)) {
    const def = METRICS_BY_ID.get('logo_churn');
    if (def) metrics = metrics.map((m) => (m.id === 'churned_customers' ? { ...m, id: def.id, name: def.name } : m));
  }

  const periods = found.map((f) => f.spec);
  const strong = metrics.filter((m) => !m.weak);
  const documentCue = has(DOCUMENT_RE, lower);

  // Names of others ("Contoso's MRR"): a question about them is a question for the documents.
  const entities = benchmarkWords ? [] : entitiesIn(question, tenantLabels, ownNames).map((w) => w.replace(/'s$/, ''));
  let operation: Operation;
  if (has(REMEMBER_RE, lower) && !lower.includes('?')) operation = 'remember';
  else if (has(HELP_RE, lower) && metrics.length === 0) operation = 'help';
  else if (has(LIST_RE, lower) && metrics.length === 0) operation = 'list';
  else if (has(OVERVIEW_RE, lower) && strong.length === 0) operation = 'overview';
  else if (metrics.length === 0) operation = 'document';
  else if (documentCue && strong.length === 0) operation = 'document';
  else if (has(TEXT_INTENT_STRONG_RE, lower) || entities.length > 0) operation = 'document';
  else if (has(TEXT_INTENT_RE, lower) && !has(/\bhow (many|much)\b/, lower)) operation = 'document';
  else if ((has(MAX_RE, lower) || has(MIN_RE, lower)) && has(WHICH_PERIOD_RE, lower))
    operation = has(MIN_RE, lower) && !has(MAX_RE, lower) ? 'min' : 'max';
  else if (has(EXPLAIN_RE, lower)) operation = 'explain';
  else if (has(TREND_RE, lower)) operation = 'trend';
  else if (yoyStrict && metrics[0]?.id !== 'arr_growth_yoy') operation = 'change';
  else if (
    has(
      /\b(month over month|month on month|mom|m\/m|quarter over quarter|quarter on quarter|qoq|q\/q|sequential(ly)?)\b/,
      lower,
    )
  )
    operation = 'change';
  else if (
    metrics[0]?.id !== 'arr_growth_yoy' &&
    has(CHANGE_RE, lower) &&
    (periods.length >= 2 ||
      (!benchmarkWords && has(/\b(grow|grew|grown|growth|increase|decrease|change|decline|drop)/, lower)))
  )
    operation = 'change';
  else operation = 'value';

  // "compare Q1 and Q2" is a change between periods, not a benchmark question.
  const comparesPeriods =
    periods.length >= 2 && !has(/\b(benchmarks?|peers?|industry|median|quartile|healthy|good|stage)\b/, lower);
  const benchmark = operation !== 'document' && benchmarkWords && !comparesPeriods;

  const granularity = has(
    /\b(which|what|best|worst|strongest|weakest|highest|lowest|biggest|top) quarter\b|\b(by|each|per|every) quarter\b|\bquarterly\b|\bquarter by quarter\b/,
    lower,
  )
    ? 'quarter'
    : has(
          /\b(which|what|best|worst|strongest|weakest|highest|lowest|biggest|top) year\b|\b(by|each|per|every) year\b|\byear by year\b/,
          lower,
        )
      ? 'year'
      : 'month';
  return {
    text: question,
    metrics,
    periods,
    operation,
    benchmark,
    yoy: yoyStrict && operation === 'change',
    granularity,
    entities,
    define:
      has(/\b(mean|means|meaning|define|definition|stand for|stands for)\b/, lower) && !has(/\b(average|avg)\b/, lower),
  };
}

const LOST_VERB = /\b(lose|lost|losing|churn|churned|churning|cancel\w*|leave|left)\b/;
const WON_VERB = /\b(add|added|adding|win|won|sign|signed|acquire[sd]?|land(?:ed)?|gain(?:ed)?)\b/;
const LOST_LABEL = new Set(['churned', 'lost', 'cancelled', 'canceled', 'churn']);
const WON_LABEL = new Set(['new', 'added', 'won', 'signed']);

/** Words of a label counting customers that stand in their own noun ("Paying agencies", "Active clinics"). */
const STANDING_LABEL = new Set(['paying', 'active', 'total', 'live']);

/**
 * The company's own nouns for its customers, as its table labels them: the noun of a two-word label of a
 * movement or a standing count ("Churned agencies", "New agencies", "Paying agencies" → agency), when at
 * least two such labels share it — one label alone ("New hires") says nothing of customers.
 */
export function customerNouns(labels: TenantMetricLabel[]): string[] {
  const seen = new Map<string, number>();
  for (const l of labels) {
    const [kind, noun, ...rest] = normalizeLabel(l.label).split(' ');
    if (!kind || !noun || rest.length > 0 || !noun.endsWith('s')) continue;
    if (LOST_LABEL.has(kind) || WON_LABEL.has(kind) || STANDING_LABEL.has(kind))
      seen.set(stem(noun), (seen.get(stem(noun)) ?? 0) + 1);
  }
  return [...seen].filter(([, n]) => n >= 2).map(([noun]) => noun);
}

/**
 * The tenant's label of a movement of its customers in its own noun ("Churned agencies", "New clinics"):
 * a two-word label, a movement word and a plural noun, when the question names the noun and a verb of
 * that movement ("in which month did the most agencies cancel"). Not both movements at once.
 */
function movementLabel(lower: string, labels: TenantMetricLabel[]): MetricMention | undefined {
  const lost = LOST_VERB.exec(lower);
  const won = WON_VERB.exec(lower);
  if (Boolean(lost) === Boolean(won)) return undefined;
  const words = new Set(stemAll(lower.replace(/[^a-z0-9 ]+/g, ' ')));
  for (const l of labels) {
    const [kind, noun, ...rest] = normalizeLabel(l.label).split(' ');
    if (!kind || !noun || rest.length > 0 || !words.has(stem(noun))) continue;
    if (!(lost ? LOST_LABEL : WON_LABEL).has(kind)) continue;
    const verb = (lost ?? won)![0];
    return { id: l.id, name: l.label, phrase: `${noun} ${verb}`, source: 'tenant', weak: false, index: 0 };
  }
  return undefined;
}

/**
 * The words the reader takes to name a metric (its catalog name and synonyms, the everyday phrasings
 * above): "we were 58 people" states headcount though it never says "headcount".
 */
export function phrasesNaming(metricId: string): string[] {
  return [...new Set(phrasesOfCatalog().flatMap((p) => (p.id === metricId ? [p.tokens.join(' ')] : [])))];
}

export function metricDef(id: string): MetricDef | undefined {
  return METRICS_BY_ID.get(id);
}
