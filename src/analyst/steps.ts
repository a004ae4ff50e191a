import { formatMetric } from '../lib/metric-format.ts';
import { formatPeriod } from '../lib/periods.ts';
import type { EngineEvent } from './types.ts';

/**
 * The SSE `step` event (docs/api-contract.md): what the analyst is doing. `summary` is told in words
 * a partner reads — "Read MRR for June 2026 from northwind_metrics.csv: $1,095,472" — never a tool
 * name or its arguments; `name`, `input` and `output` stay for API clients and the Traces view.
 */
export interface StepEvent {
  type: 'plan' | 'tool_call' | 'tool_result';
  id?: string;
  name?: string;
  input?: unknown;
  output?: unknown;
  ok?: boolean;
  duration_ms?: number;
  summary: string;
}

/** What a conversation keeps of a step, so a reopened conversation shows the same steps (no tool internals). */
export interface StoredStep {
  type: StepEvent['type'];
  summary: string;
  ok?: boolean;
}

export function describeStep(event: Exclude<EngineEvent, { type: 'delta' } | { type: 'llm_call' }>): StepEvent {
  if (event.type === 'plan') return { type: 'plan', summary: event.text };
  if (event.type === 'tool_call') {
    return {
      type: 'tool_call',
      id: event.id,
      name: event.name,
      input: event.input,
      summary: callSummary(event.name, event.input),
    };
  }
  return {
    type: 'tool_result',
    id: event.id,
    name: event.name,
    ok: event.ok,
    output: event.output,
    duration_ms: event.duration_ms,
    summary: resultSummary(event.name, event.ok, event.output),
  };
}

/** The part of a step a conversation stores: plans and results (a call is followed by its result). */
export function storedStep(step: StepEvent): StoredStep | undefined {
  if (step.type === 'tool_call') return undefined;
  return step.ok === undefined
    ? { type: step.type, summary: step.summary }
    : { type: step.type, summary: step.summary, ok: step.ok };
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** `mrr` → `MRR`, `logo_churn` → `logo churn`, `AWS hosting` stays. */
function metricWords(id: unknown): string {
  const s = str(id) ?? 'a metric';
  if (/^[a-z]{2,4}$/.test(s)) return s.toUpperCase();
  return s.replace(/^item:/, '').replace(/_/g, ' ');
}

/** "northwind_metrics.csv" or "a.csv and b.xlsx" or "3 documents", from a result's sources. */
function documentsOf(output: Obj): string {
  const sources = Array.isArray(output.sources) ? output.sources : [];
  const names = [...new Set(sources.map((s) => str(obj(s).document_name)).filter((n): n is string => Boolean(n)))];
  if (names.length === 0) return 'your documents';
  if (names.length <= 2) return names.join(' and ');
  return `${names.length} documents`;
}

const when = (period: unknown) => (str(period) ? ` for ${formatPeriod(String(period))}` : '');

function callSummary(name: string, input: unknown): string {
  const i = obj(input);
  switch (name) {
    case 'get_metric':
      return `Reading ${metricWords(i.metric)}${when(i.period)}`;
    case 'compute_metric':
      return `Working out ${metricWords(i.metric)}${when(i.period)}`;
    case 'change_between':
      return `Comparing ${metricWords(i.metric)}${str(i.from) && str(i.to) ? ` from ${formatPeriod(String(i.from))} to ${formatPeriod(String(i.to))}` : ' between two periods'}`;
    case 'list_metrics':
      return 'Looking at the metrics in your documents';
    case 'search_documents':
      return str(i.query) ? `Searching your documents for “${str(i.query)}”` : 'Searching your documents';
    case 'query_table':
      return `Looking up ${str(i.item) ?? 'a line item'} in your tables`;
    case 'get_benchmark':
      return `Looking up published benchmarks for ${metricWords(i.metric)}`;
    case 'compare_to_benchmark':
      return `Comparing ${metricWords(i.metric)} with benchmarks for your stage`;
    case 'remember_fact':
      return 'Noting a fact for later';
    default:
      return 'Checking your data';
  }
}

function metricLine(verb: string, output: Obj): string | undefined {
  const m = obj(output.metric);
  const name = str(m.name);
  if (!name) return undefined;
  const unit = str(m.unit) ?? 'number';
  const series = Array.isArray(m.series) ? (m.series as Obj[]) : [];
  if (!('value' in output) && series.length > 1) {
    const first = str(series[0]?.period);
    const last = str(series.at(-1)?.period);
    return `${verb} ${name} for ${series.length} periods${first && last ? `, ${formatPeriod(first)} to ${formatPeriod(last)}` : ''}, from ${documentsOf(output)}`;
  }
  const currency = typeof m.currency === 'string' || m.currency === null ? m.currency : undefined;
  const value = typeof m.value === 'number' ? `: ${formatMetric(m.value, unit, { currency })}` : '';
  return `${verb} ${name}${when(m.period)} from ${documentsOf(output)}${value}`;
}

/** "MRR went from $241,603 in October 2024 to $324,827 in October 2025 (+34.45%), from a.csv". */
function changeLine(output: Obj): string | undefined {
  const m = obj(output.metric);
  const [from, to] = [obj(output.from), obj(output.to)];
  const name = str(m.name);
  if (!name || typeof from.value !== 'number' || typeof to.value !== 'number') return undefined;
  const unit = str(m.unit) ?? 'number';
  const currency = typeof m.currency === 'string' || m.currency === null ? m.currency : undefined;
  const fmt = (v: number) => formatMetric(v, unit, { currency });
  const pct =
    typeof output.change_pct === 'number' ? ` (${output.change_pct >= 0 ? '+' : ''}${output.change_pct}%)` : '';
  return `${name} went from ${fmt(from.value)}${when(from.period).replace(' for', ' in')} to ${fmt(to.value)}${when(to.period).replace(' for', ' in')}${pct}, from ${documentsOf(output)}`;
}

function resultSummary(name: string, ok: boolean, output: unknown): string {
  const o = obj(output);
  if (!ok) {
    const message = str(obj(o.error).message);
    return `${failedVerb(name)}${message ? `: ${message}` : ''}`;
  }
  switch (name) {
    case 'get_metric':
      return metricLine('Read', o) ?? 'Read the figure from your documents';
    case 'compute_metric':
      return metricLine('Worked out', o) ?? 'Worked out the figure from your documents';
    case 'change_between':
      return changeLine(o) ?? 'Compared the figure between two periods';
    case 'list_metrics': {
      const n = Array.isArray(o.metrics) ? o.metrics.length : 0;
      return `Found ${n} metric${n === 1 ? '' : 's'} in your documents`;
    }
    case 'search_documents': {
      const n = Array.isArray(o.results) ? o.results.length : 0;
      return n === 0
        ? 'Found no matching passage in your documents'
        : `Found ${n} passage${n === 1 ? '' : 's'} in ${documentsOf(o)}`;
    }
    case 'query_table': {
      const v = o.value;
      return typeof v === 'number'
        ? `Looked it up in ${documentsOf(o)}: ${formatMetric(v, 'number')}`
        : `Looked it up in ${documentsOf(o)}`;
    }
    case 'get_benchmark': {
      const n = Array.isArray(o.figures) ? o.figures.length : 0;
      return `Found ${n} published benchmark figure${n === 1 ? '' : 's'}`;
    }
    case 'compare_to_benchmark': {
      const c = obj(o.comparison);
      const summary = str(c.summary);
      const m = obj(o.metric);
      return `Compared ${str(m.name) ?? 'the figure'} with benchmarks for your stage${summary ? `: ${summary}` : ''}`;
    }
    case 'remember_fact':
      return 'Noted it for later';
    default:
      return 'Checked your data';
  }
}

function failedVerb(name: string): string {
  switch (name) {
    case 'get_metric':
      return 'Could not read that figure';
    case 'compute_metric':
      return 'Could not work that figure out';
    case 'search_documents':
      return 'Could not search your documents';
    case 'get_benchmark':
    case 'compare_to_benchmark':
      return 'Could not find a matching benchmark';
    default:
      return 'That check did not work';
  }
}
