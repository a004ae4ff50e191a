import type { Basis, CompanySize, SeedBenchmark, SeedGraph, SeedMetric, SegmentFacets } from '../seed-types.ts';
import { parseSegment, segmentFits, sizeForAcv } from '../segments.ts';
import type { Unit } from '../types.ts';

/**
 * Benchmark selection and placement over the seed graph (pure). Figures are chosen when their basis
 * matches (monthly vs annual), their segment admits the company (ARR band, ACV band, SMB / mid-market /
 * enterprise, public / private) and they are verified; they are ranked by how specific the segment
 * match is, then by recency. The company's value is placed against the best-ranked publication's set
 * (quartiles, median, range, good/better/best, threshold), respecting whether higher is better.
 */
export interface CompareOptions {
  /** The company's ARR (places it in ARR bands). */
  arr?: number;
  /** An ARR band as written (`$10-20M`, `ARR > $20M`), when the ARR itself is not given. */
  arrBand?: string;
  /** Annual contract value per customer (ACV bands). */
  acv?: number;
  /** A segment as a person names it (`smb`, `mid-market`, `enterprise`, `public`, `bootstrapped`) or a segment id. */
  segment?: string;
  /** Private design partners by default: public-company benchmarks rank lower but are not excluded. */
  ownership?: 'public' | 'private';
  /** Whether the company's value is a monthly or an annual rate (logo churn of a month vs NRR of a year). */
  basis?: Basis;
  includeUnverified?: boolean;
  /** Figures to return (default 8). */
  limit?: number;
}

export interface Figure {
  id: string;
  stat: string;
  value: number;
  unit: Unit;
  segment: string;
  segment_label: string;
  period: string;
  basis: Basis | null;
  source: SeedBenchmark['source'];
  verified: boolean;
  verification: SeedBenchmark['verification'];
  /** The source's own words about the figure (shortened). */
  note: string;
  score: number;
}

export type Position =
  | 'top_decile'
  | 'top_quartile'
  | 'above_median'
  | 'in_line_with_median'
  | 'below_median'
  | 'below_bottom_quartile'
  | 'below_top_quartile'
  | 'below_top_decile'
  | 'above_range'
  | 'within_range'
  | 'below_range'
  | 'best'
  | 'better'
  | 'good'
  | 'below_good'
  | 'meets_threshold'
  | 'misses_threshold';

export interface CompareOk {
  ok: true;
  metric: string;
  name: string;
  value: number;
  unit: Unit;
  higher_is_better: boolean;
  position: Position;
  verdict: string;
  /** The publication set the value was placed against. */
  reference: { segment: string; segment_label: string; period: string; source: SeedBenchmark['source'] };
  /** For a chart: low / median / high of the reference set, with a label and source line. */
  band: { low?: number; median?: number; high?: number; label: string; source: string };
  figures: Figure[];
  excluded: { unverified: number; basis: number; segment: number };
}

export type CompareResult =
  | CompareOk
  | { ok: false; metric: string; message: string; excluded?: CompareOk['excluded'] };

export function findSeedMetric(seed: SeedGraph, metric: string): SeedMetric | undefined {
  const q = metric.trim().toLowerCase();
  return (
    seed.metrics.find((m) => m.id === q) ??
    seed.metrics.find((m) => m.name.toLowerCase() === q || m.source_names.some((n) => n.toLowerCase() === q)) ??
    seed.metrics.find((m) => m.synonyms.includes(q))
  );
}

/** Benchmarks of one metric that fit the company, best first, with counts of what was left out and why. */
export function selectBenchmarks(
  seed: SeedGraph,
  metricId: string,
  opts: CompareOptions = {},
): { metric: SeedMetric | undefined; figures: Figure[]; excluded: CompareOk['excluded'] } {
  const metric = findSeedMetric(seed, metricId);
  const excluded = { unverified: 0, basis: 0, segment: 0 };
  if (!metric) return { metric, figures: [], excluded };
  const segmentsById = new Map(seed.segments.map((s) => [s.id, s]));
  const wanted = opts.segment ? wantedFacets(seed, opts.segment) : undefined;
  const bandFacets = opts.arrBand
    ? parseSegment(/arr/i.test(opts.arrBand) ? opts.arrBand : `ARR ${opts.arrBand}`)
    : undefined;
  const arr = opts.arr ?? midpoint(bandFacets?.arr_min, bandFacets?.arr_max);
  const company: Company = {
    arr,
    acv: opts.acv,
    size: wanted?.facets.size ?? (opts.acv !== undefined ? sizeForAcv(opts.acv) : undefined),
    ownership: wanted?.facets.ownership,
    // Design partners are venture-backed startups unless they say otherwise (segment `bootstrapped`).
    funding: wanted?.facets.funding ?? 'venture',
  };

  const figures: Figure[] = [];
  for (const b of seed.benchmarks) {
    if (b.metric !== metric.id) continue;
    if (!b.verified && !opts.includeUnverified) {
      excluded.unverified += 1;
      continue;
    }
    if (opts.basis && b.basis && b.basis !== opts.basis) {
      excluded.basis += 1;
      continue;
    }
    const seg = segmentsById.get(b.segment);
    const facets: SegmentFacets = seg?.facets ?? {};
    if (!segmentFits(facets, company)) {
      excluded.segment += 1;
      continue;
    }
    if (facets.funding && facets.funding !== company.funding) {
      excluded.segment += 1;
      continue;
    }
    if (wanted?.id && wanted.id !== b.segment && !overlaps(facets, wanted.facets)) {
      excluded.segment += 1;
      continue;
    }
    figures.push({
      id: b.id,
      stat: b.stat,
      value: b.value,
      unit: b.unit,
      segment: b.segment,
      segment_label: b.segment_label,
      period: b.period,
      basis: b.basis,
      source: b.source,
      verified: b.verified,
      verification: b.verification,
      note: b.notes.length > 200 ? `${b.notes.slice(0, 197)}…` : b.notes,
      score: score(b, facets, { ...company, ownership: company.ownership ?? opts.ownership ?? 'private' }, wanted),
    });
  }
  figures.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  return { metric, figures, excluded };
}

interface Company {
  arr?: number;
  acv?: number;
  size?: CompanySize;
  ownership?: 'public' | 'private';
  funding?: SegmentFacets['funding'];
}

function midpoint(min?: number, max?: number): number | undefined {
  if (min !== undefined && max !== undefined) return (min + max) / 2;
  return min ?? max;
}

function wantedFacets(seed: SeedGraph, segment: string): { id?: string; facets: SegmentFacets } {
  const s = segment.trim();
  const byId = seed.segments.find((x) => x.id === s || x.label.toLowerCase() === s.toLowerCase());
  if (byId) return { id: byId.id, facets: byId.facets };
  const normalized = s.toLowerCase().replace(/_/g, '-');
  return {
    facets: parseSegment(normalized === 'mid-market' || normalized === 'midmarket' ? 'mid-market' : normalized),
  };
}

function overlaps(a: SegmentFacets, want: SegmentFacets): boolean {
  if (want.size && a.size !== want.size) return false;
  if (want.ownership && a.ownership !== want.ownership) return false;
  if (want.funding && a.funding !== want.funding) return false;
  if (want.arr_min !== undefined || want.arr_max !== undefined) {
    if (a.arr_min === undefined && a.arr_max === undefined) return false;
    if (want.arr_max !== undefined && (a.arr_min ?? 0) >= want.arr_max) return false;
    if (want.arr_min !== undefined && (a.arr_max ?? Number.POSITIVE_INFINITY) <= want.arr_min) return false;
  }
  return true;
}

function score(
  b: SeedBenchmark,
  facets: SegmentFacets,
  company: Company,
  wanted: { id?: string; facets: SegmentFacets } | undefined,
): number {
  let s = 0;
  if (wanted?.id === b.segment) s += 6;
  else if (wanted) s += 3;
  if (company.arr !== undefined && (facets.arr_min !== undefined || facets.arr_max !== undefined)) s += 3;
  if (company.acv !== undefined && (facets.acv_min !== undefined || facets.acv_max !== undefined)) s += 2;
  if (company.size && facets.size === company.size) s += 2;
  if (facets.ownership && facets.ownership === company.ownership) s += 1;
  if (facets.ownership && company.ownership && facets.ownership !== company.ownership) s -= 2;
  if (facets.other) s -= 2;
  // Distributions (median, quartiles) say more than a rule-of-thumb threshold.
  if (['median', 'mean', 'top_quartile', 'bottom_quartile', 'top_decile'].includes(b.stat)) s += 1;
  if (b.verification === 'verified-primary') s += 0.5;
  // Recency: a year newer is worth a little, never more than a better segment match.
  if (b.data_year) s += Math.max(0, Math.min(10, b.data_year - 2015)) * 0.1;
  return Math.round(s * 100) / 100;
}

/** Place a value against the best-fitting benchmark set; a one-line verdict with the source. */
export function compareToBenchmark(
  seed: SeedGraph,
  metricId: string,
  value: number,
  opts: CompareOptions = {},
): CompareResult {
  const { metric, figures, excluded } = selectBenchmarks(seed, metricId, opts);
  if (!metric)
    return { ok: false, metric: metricId, message: `no benchmarks for "${metricId}" in the benchmark graph` };
  if (!figures.length) {
    const why = [
      excluded.unverified && `${excluded.unverified} unverified`,
      excluded.basis && `${excluded.basis} on another basis (monthly vs annual)`,
      excluded.segment && `${excluded.segment} for other segments`,
    ]
      .filter(Boolean)
      .join(', ');
    return {
      ok: false,
      metric: metric.id,
      message: `no usable benchmark for ${metric.name}${why ? ` (left out: ${why})` : ''}`,
      excluded,
    };
  }
  // Figures come in sets (one publication, segment and period); a set with a median says the most.
  const groups = new Map<string, Figure[]>();
  for (const f of figures) {
    const key = `${f.segment}|${f.source.report}|${f.period}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const setScore = (g: Figure[]) =>
    Math.max(...g.map((f) => f.score)) +
    (g.some((f) => f.stat === 'median' || f.stat === 'mean') ? 1.5 : 0) +
    (g.some((f) => /quartile|decile/.test(f.stat)) ? 0.5 : 0) +
    // A fuller set (several bands of one source) places a value better than a lone figure.
    Math.min(1, (g.length - 1) * 0.25);
  const sets = [...groups.values()].sort((a, b) => setScore(b) - setScore(a));
  const set = sets[0]!;
  const hasMedian = (g: Figure[]) => g.some((f) => f.stat === 'median' || f.stat === 'mean');
  const top = set[0]!;
  const ordered = [...set, ...figures.filter((f) => !set.includes(f))];
  const higher = metric.higher_is_better ?? true;
  const { position, against } = place(value, set, higher);
  const stat = (name: string) => set.find((f) => f.stat === name)?.value;
  const low = stat('bottom_quartile') ?? stat('range_low');
  const high = stat('top_quartile') ?? stat('range_high') ?? stat('top_decile');
  const median = stat('median') ?? stat('mean');
  const sourceLine = `${top.source.publisher}, ${top.source.report}${top.source.year ? ` (${top.source.year})` : ''}`;
  const band: CompareOk['band'] = { label: `${top.segment_label}, ${top.period}`, source: sourceLine };
  if (low !== undefined) band.low = higher ? low : (stat('top_quartile') ?? low);
  if (high !== undefined) band.high = higher ? high : (stat('bottom_quartile') ?? high);
  if (band.low !== undefined && band.high !== undefined && band.low > band.high)
    [band.low, band.high] = [band.high, band.low];
  if (median !== undefined) band.median = median;

  const unit = metric.unit;
  let verdict = verdictLine(metric.name, unit, value, position, against, set, higher, top);
  // No median in the best-fitting set: add the best set that has one, so the answer can say above/below median.
  const medianSet = hasMedian(set) ? undefined : sets.find(hasMedian);
  if (medianSet) {
    const second = place(value, medianSet, higher);
    verdict += ` ${verdictLine('It', unit, value, second.position, second.against, medianSet, higher, medianSet[0]!).replace(/^It of [^ ]+ /, 'It ')}`;
  }
  return {
    ok: true,
    metric: metric.id,
    name: metric.name,
    value,
    unit,
    higher_is_better: higher,
    position,
    verdict,
    reference: { segment: top.segment, segment_label: top.segment_label, period: top.period, source: top.source },
    band,
    figures: ordered.slice(0, opts.limit ?? 8),
    excluded,
  };
}

function place(value: number, set: Figure[], higher: boolean): { position: Position; against: Figure } {
  const at = (name: string) => set.find((f) => f.stat === name);
  const reaches = (f: Figure) => (higher ? value >= f.value : value <= f.value);
  const median = at('median') ?? at('mean');
  const td = at('top_decile');
  const tq = at('top_quartile');
  const bq = at('bottom_quartile');
  if (median) {
    if (td && reaches(td)) return { position: 'top_decile', against: td };
    if (tq && reaches(tq)) return { position: 'top_quartile', against: tq };
    if (bq && !reaches(bq)) return { position: 'below_bottom_quartile', against: bq };
    const tol = Math.max(Math.abs(median.value) * 0.025, median.unit === 'percent' ? 1 : 0);
    if (Math.abs(value - median.value) <= tol) return { position: 'in_line_with_median', against: median };
    return { position: value > median.value ? 'above_median' : 'below_median', against: median };
  }
  const lo = at('range_low');
  const hi = at('range_high');
  if (lo && hi) {
    if (value < lo.value) return { position: 'below_range', against: lo };
    if (value > hi.value) return { position: 'above_range', against: hi };
    return { position: 'within_range', against: lo };
  }
  for (const name of ['best', 'better', 'good'] as const) {
    const f = at(name);
    if (f && reaches(f)) return { position: name, against: f };
  }
  const good = at('good');
  if (good) return { position: 'below_good', against: good };
  if (tq) return { position: reaches(tq) ? 'top_quartile' : 'below_top_quartile', against: tq };
  if (td) return { position: reaches(td) ? 'top_decile' : 'below_top_decile', against: td };
  // Several thresholds (1x amazing, 1.5x great, 2x good…): the strictest one met, else the loosest one missed.
  const thresholds = set.filter((f) => f.stat === 'threshold');
  if (!thresholds.length)
    return { position: reaches(set[0]!) ? 'meets_threshold' : 'misses_threshold', against: set[0]! };
  const strictFirst = [...thresholds].sort((a, b) => (higher ? b.value - a.value : a.value - b.value));
  const met = strictFirst.find(reaches);
  if (met) return { position: 'meets_threshold', against: met };
  return { position: 'misses_threshold', against: strictFirst.at(-1)! };
}

const WORDS: Record<Position, string> = {
  top_decile: 'is in the top decile (at or beyond',
  top_quartile: 'is in the top quartile (at or beyond',
  above_median: 'is above the median (',
  in_line_with_median: 'is in line with the median (',
  below_median: 'is below the median (',
  below_bottom_quartile: 'is below the bottom quartile (',
  below_top_quartile: 'is short of the top quartile (',
  below_top_decile: 'is short of the top decile (',
  above_range: 'is above the range (top',
  within_range: 'is within the range (from',
  below_range: 'is below the range (from',
  best: 'reaches the "best" level (',
  better: 'reaches the "better" level (',
  good: 'reaches the "good" level (',
  below_good: 'falls short of the "good" level (',
  meets_threshold: 'meets the threshold (',
  misses_threshold: 'misses the threshold (',
};

function verdictLine(
  name: string,
  unit: Unit,
  value: number,
  position: Position,
  against: Figure,
  set: Figure[],
  higher: boolean,
  top: Figure,
): string {
  let words = WORDS[position];
  if (!higher) {
    // Lower is better: the quartile words already mean "better"; plain above/below gets the direction spelled out.
    if (position === 'above_median') words = 'is above the median, which is worse (';
    if (position === 'below_median') words = 'is below the median, which is better (';
    if (position === 'below_bottom_quartile') words = 'is worse than the bottom quartile (';
    if (position === 'below_range') words = 'is below the range, which is better (from';
    if (position === 'above_range') words = 'is above the range, which is worse (top';
  }
  let figure = formatValue(unit, against.value);
  if (position === 'within_range' || position === 'below_range') {
    const hi = set.find((f) => f.stat === 'range_high');
    if (hi) figure = `${figure} to ${formatValue(unit, hi.value)}`;
  }
  // Threshold bands often carry their name in the source's words ("Amazing: burn multiple below 1x").
  const tier = /^([A-Z][a-z]+):/.exec(against.note)?.[1];
  if (tier && (position === 'meets_threshold' || position === 'misses_threshold')) figure = `${figure}, "${tier}"`;
  const src = `${top.source.publisher}${top.source.year ? ` ${top.source.year}` : ''}; ${top.segment_label}`;
  const open = words.endsWith('(') ? words : `${words} `;
  return `${name} of ${formatValue(unit, value)} ${open}${figure}) — ${src}.`;
}

export function formatValue(unit: Unit, v: number): string {
  const n = (x: number, d: number) => x.toLocaleString('en-US', { maximumFractionDigits: d });
  switch (unit) {
    case 'percent':
      return `${n(v, 1)}%`;
    case 'currency':
      return Math.abs(v) >= 1e6 ? `$${n(v / 1e6, 2)}M` : `$${n(v, 0)}`;
    case 'months':
      return `${n(v, 1)} months`;
    case 'ratio':
      return `${n(v, 2)}x`;
    default:
      return n(v, 2);
  }
}

/** The benchmark catalogue for the API: metrics with their figures, filtered by metric and segment text. */
export function listBenchmarks(
  seed: SeedGraph,
  opts: { metric?: string; segment?: string } = {},
): Array<{ metric: SeedMetric; benchmarks: SeedBenchmark[] }> {
  const metric = opts.metric ? findSeedMetric(seed, opts.metric) : undefined;
  if (opts.metric && !metric) return [];
  const seg = opts.segment?.trim().toLowerCase();
  const segFacets = seg ? parseSegment(seg) : undefined;
  const facetsById = new Map(seed.segments.map((s) => [s.id, s.facets]));
  const out: Array<{ metric: SeedMetric; benchmarks: SeedBenchmark[] }> = [];
  for (const m of seed.metrics) {
    if (metric && m.id !== metric.id) continue;
    const benchmarks = seed.benchmarks.filter((b) => {
      if (b.metric !== m.id) return false;
      if (!seg) return true;
      if (b.segment === seg || b.segment_label.toLowerCase().includes(seg)) return true;
      const f = facetsById.get(b.segment) ?? {};
      return Boolean(segFacets && Object.keys(segFacets).length && overlaps(f, segFacets));
    });
    if (benchmarks.length || (!seg && metric)) out.push({ metric: m, benchmarks });
  }
  return out;
}
