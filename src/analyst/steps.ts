import type { EngineEvent } from './types.ts';

/** The SSE `step` event (docs/api-contract.md): what the analyst is doing, with a one-line summary. */
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

function callSummary(name: string, input: unknown): string {
  const args =
    input && typeof input === 'object'
      ? Object.entries(input as Record<string, unknown>)
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k}: ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`)
          .join(', ')
      : '';
  return `${name}(${args.length > 160 ? `${args.slice(0, 157)}…` : args})`;
}

function resultSummary(name: string, ok: boolean, output: unknown): string {
  const o = (output ?? {}) as Record<string, unknown>;
  if (!ok) {
    const error = o.error as { message?: string } | undefined;
    return `${name} failed: ${error?.message ?? 'error'}`;
  }
  if (Array.isArray(o.results)) return `${name}: ${o.results.length} passage(s)`;
  if (Array.isArray(o.metrics)) return `${name}: ${o.metrics.length} metric(s)`;
  if (Array.isArray(o.figures)) return `${name}: ${o.figures.length} benchmark figure(s)`;
  const value = (o.value ?? null) as { value?: unknown; period?: unknown } | number | null;
  if (typeof value === 'number') return `${name}: ${value}`;
  if (value && typeof value === 'object' && 'value' in value)
    return `${name}: ${String(value.value)} (${String(value.period)})`;
  const comparison = o.comparison as { summary?: string } | undefined;
  if (comparison?.summary) return `${name}: ${comparison.summary}`;
  return `${name}: done`;
}
