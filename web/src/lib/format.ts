import { formatMetric } from '../../../src/lib/metric-format.ts';

/** Display formatting shared by every screen. Pure functions, so they are tested directly. */

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

const dateFmt = new Intl.DateTimeFormat('en-US', { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
const dateTimeFmt = new Intl.DateTimeFormat('en-US', {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
  timeZone: 'UTC',
});

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function formatDate(iso: string | null | undefined, empty = 'never'): string {
  const d = parse(iso);
  return d ? dateFmt.format(d) : empty;
}

export function formatDateTime(iso: string | null | undefined, empty = 'never'): string {
  const d = parse(iso);
  return d ? `${dateTimeFmt.format(d)} UTC` : empty;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago", then the date. */
export function formatRelative(iso: string | null | undefined, now: Date = new Date(), empty = 'never'): string {
  const d = parse(iso);
  if (!d) return empty;
  const seconds = Math.round((now.getTime() - d.getTime()) / 1000);
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  if (days < 30) return `${days} d ago`;
  return dateFmt.format(d);
}

export function formatNumber(value: number, maxFractionDigits = 1): string {
  if (!Number.isFinite(value)) return '—';
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: maxFractionDigits }).format(value);
}

/**
 * A metric value in its unit, compact ($1.1M, €1.1M, 1.06%, 0.44x): the shared formatter of
 * `src/lib/metric-format.ts`, so answers, charts and cards agree. Percentages are percent points.
 */
export function formatMetricValue(value: number, unit: string | undefined, currency?: string | null): string {
  return formatMetric(value, unit, { compact: true, currency });
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function pluralize(count: number, singular: string, plural = `${singular}s`): string {
  return `${formatNumber(count, 0)} ${count === 1 ? singular : plural}`;
}
