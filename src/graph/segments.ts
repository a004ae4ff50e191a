import type { CompanySize, SegmentFacets } from './seed-types.ts';

/**
 * Reads the free-text segment strings of the benchmark data (`ARR $1-10M (BVP cloud portfolio)`,
 * `Mid-market (ACV $12-50K)`, `bootstrapped, ARR $3-20M`, `public SaaS`) into comparable facets.
 */
export function parseSegment(label: string): SegmentFacets {
  const s = label.toLowerCase();
  const facets: SegmentFacets = {};

  const arr = parseBand(s, /\barr\s*/);
  if (arr) {
    if (arr.min !== undefined) facets.arr_min = arr.min;
    if (arr.max !== undefined) facets.arr_max = arr.max;
  } else {
    const mrr = parseBand(s, /\bmrr\s*/);
    if (mrr) {
      if (mrr.min !== undefined) facets.arr_min = mrr.min * 12;
      if (mrr.max !== undefined) facets.arr_max = mrr.max * 12;
    }
  }
  const acv = parseBand(s, /\bacv\s*/);
  if (acv) {
    if (acv.min !== undefined) facets.acv_min = acv.min;
    if (acv.max !== undefined) facets.acv_max = acv.max;
  }

  const size = sizeOf(s);
  if (size) facets.size = size;
  if (/\b(vc-backed|venture)/.test(s)) facets.funding = 'venture';
  else if (/\bbootstrapped\b/.test(s)) facets.funding = 'bootstrapped';
  else if (/\bpe-backed\b/.test(s)) facets.funding = 'pe';
  if (/\bpublic\b|\bat ipo\b/.test(s)) facets.ownership = 'public';
  else if (/\bprivate\b|\bstartups?\b|vc-backed|pe-backed|bootstrapped/.test(s)) facets.ownership = 'private';
  if (/\bb2c\b/.test(s)) facets.market = 'b2c';
  else if (/\bb2b\b/.test(s)) facets.market = 'b2b';
  if (/\bndr\b|\barpa\b|payback|single-seat/.test(s)) facets.other = true;
  return facets;
}

function sizeOf(s: string): CompanySize | undefined {
  if (/\bsmb\b|very small businesses/.test(s)) return 'smb';
  if (/mid-market|mid market/.test(s)) return 'mid_market';
  if (/\benterprise\b/.test(s)) return 'enterprise';
  return undefined;
}

const MONEY = String.raw`\$?\s*(\d+(?:\.\d+)?)\s*([km])?`;

/** `$1-10M`, `>= $5M`, `> $25M`, `< $1M`, `$50M+`, `~$100M`, `$12-50K` after the given word. */
function parseBand(s: string, word: RegExp): { min?: number; max?: number } | undefined {
  const at = word.exec(s);
  if (!at) return undefined;
  const rest = s.slice(at.index + at[0].length);
  let m: RegExpExecArray | null;
  if ((m = new RegExp(String.raw`^${MONEY}\s*[-–]\s*${MONEY}`).exec(rest))) {
    const unit = m[4] ?? m[2];
    return { min: money(m[1]!, m[2] ?? unit), max: money(m[3]!, unit) };
  }
  if ((m = new RegExp(String.raw`^(>=|≥|>|<=|≤|<|~)\s*${MONEY}(\+)?`).exec(rest))) {
    const v = money(m[2]!, m[3]);
    if (m[1] === '~') return { min: v / 1.5, max: v * 1.5 };
    return m[1]!.startsWith('<') || m[1] === '≤' ? { max: v } : { min: v };
  }
  if ((m = new RegExp(String.raw`^${MONEY}\s*\+`).exec(rest))) return { min: money(m[1]!, m[2]) };
  return undefined;
}

function money(num: string, unit: string | undefined): number {
  const n = Number(num);
  return unit === 'm' ? n * 1e6 : unit === 'k' ? n * 1e3 : n;
}

/** Whether a segment's facets admit a company (undefined company facets never exclude). */
export function segmentFits(
  facets: SegmentFacets,
  company: { arr?: number; acv?: number; size?: CompanySize; ownership?: 'public' | 'private' },
): boolean {
  if (company.arr !== undefined) {
    if (facets.arr_min !== undefined && company.arr < facets.arr_min) return false;
    if (facets.arr_max !== undefined && company.arr > facets.arr_max) return false;
  }
  if (company.acv !== undefined) {
    if (facets.acv_min !== undefined && company.acv < facets.acv_min) return false;
    if (facets.acv_max !== undefined && company.acv > facets.acv_max) return false;
  }
  if (company.size && facets.size && facets.size !== company.size) return false;
  if (company.ownership && facets.ownership && facets.ownership !== company.ownership) return false;
  if (facets.market === 'b2c') return false;
  return true;
}

/** The ARR band a company's own ARR falls in, as people write it. */
export function arrBandLabel(arr: number): string {
  const bands: Array<[number, string]> = [
    [1e6, '<$1M'],
    [3e6, '$1-3M'],
    [5e6, '$3-5M'],
    [10e6, '$5-10M'],
    [20e6, '$10-20M'],
    [50e6, '$20-50M'],
    [100e6, '$50-100M'],
  ];
  for (const [limit, label] of bands) if (arr < limit) return label;
  return '>$100M';
}

/** SMB / mid-market / enterprise from annual contract value (the benchmark data's ACV bands). */
export function sizeForAcv(acv: number): CompanySize {
  if (acv < 12_000) return 'smb';
  if (acv <= 50_000) return 'mid_market';
  return 'enterprise';
}
