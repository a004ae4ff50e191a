import { ChevronRight } from 'lucide-react';
import { Card } from '../../../components/ui/Card.tsx';
import { ErrorNote, LoadingBlock } from '../../../components/ui/Spinner.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { cn } from '../../../lib/cn.ts';
import { formatDateTime, formatDuration, formatNumber } from '../../../lib/format.ts';
import { AnswerMarkdown } from '../../chat/components/AnswerMarkdown.tsx';
import { buildTurnSpans, flatten, formatCost, type Span, type TurnSpans } from '../api/spans.ts';
import { groupByTurn, useTrace } from '../api/traces.ts';

const KIND: Record<Span['kind'], { label: string; bar: string; dot: string }> = {
  turn: { label: 'Turn', bar: 'bg-accent-500', dot: 'bg-accent-500' },
  llm: { label: 'Model call', bar: 'bg-violet-500', dot: 'bg-violet-500' },
  tool: { label: 'Tool call', bar: 'bg-emerald-500', dot: 'bg-emerald-500' },
  plan: { label: 'Plan', bar: 'bg-sky-500', dot: 'bg-sky-500' },
  error: { label: 'Error', bar: 'bg-red-500', dot: 'bg-red-500' },
};

function json(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

function Payload({ label, value }: { label: string; value: unknown }) {
  if (value === undefined || value === null) return null;
  return (
    <div className="mt-2">
      <p className="text-xs font-medium text-zinc-600 dark:text-zinc-400">{label}</p>
      <pre
        className="mt-1 max-h-72 overflow-auto rounded-lg bg-zinc-50 p-3 font-mono text-[12px] leading-relaxed whitespace-pre-wrap text-zinc-800 dark:bg-zinc-950 dark:text-zinc-300"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box must be reachable by keyboard
        tabIndex={0}
      >
        {json(value)}
      </pre>
    </div>
  );
}

/** One span: its name indented by depth, and its bar on the turn's timeline; details on demand. */
function SpanRow({ span, depth, total }: { span: Span; depth: number; total: number }) {
  const k = KIND[span.kind];
  const left = total > 0 ? (span.start / total) * 100 : 0;
  const width = total > 0 ? Math.max(0.6, ((span.end - span.start) / total) * 100) : 100;
  const duration = span.end - span.start;
  const hasDetail = span.input !== undefined || span.output !== undefined;
  const row = (
    <div className="grid grid-cols-[minmax(0,13rem)_1fr] items-center gap-3 py-1 text-[13px] sm:grid-cols-[minmax(0,16rem)_1fr_4.5rem]">
      <span className="flex min-w-0 items-center gap-1.5" style={{ paddingLeft: `${depth * 14}px` }}>
        {hasDetail ? (
          <ChevronRight className="size-3 shrink-0 transition-transform group-open/span:rotate-90" aria-hidden />
        ) : (
          <span className="size-3 shrink-0" />
        )}
        <span className={cn('size-2 shrink-0 rounded-full', span.ok ? k.dot : 'bg-red-500')} aria-hidden />
        <span className="truncate">
          <span className="sr-only">{k.label}: </span>
          {span.kind === 'tool' ? <code className="font-mono text-[12px]">{span.name}</code> : span.name}
          {span.tokens && span.kind === 'llm' ? (
            <span className="ml-1.5 text-xs text-zinc-600 dark:text-zinc-400">
              {formatNumber(span.tokens.input, 0)} → {formatNumber(span.tokens.output, 0)} tok
            </span>
          ) : null}
          {!span.ok ? <span className="ml-1.5 text-xs text-red-700 dark:text-red-400">failed</span> : null}
        </span>
      </span>
      <span className="relative h-3 rounded bg-zinc-100 dark:bg-zinc-800" aria-hidden>
        <span
          className={cn('absolute top-0 h-3 rounded', span.ok ? k.bar : 'bg-red-500')}
          style={{ left: `${Math.min(left, 99.4)}%`, width: `${Math.min(width, 100 - Math.min(left, 99.4))}%` }}
        />
      </span>
      <span className="hidden text-right text-xs text-zinc-600 tabular-nums sm:block dark:text-zinc-400">
        {span.kind === 'plan' || span.kind === 'error' ? `at ${formatDuration(span.start)}` : formatDuration(duration)}
      </span>
    </div>
  );
  if (!hasDetail) {
    return (
      <li data-testid="trace-event" className="px-1">
        {row}
      </li>
    );
  }
  return (
    <li data-testid="trace-event">
      <details className="group/span rounded px-1 hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
        <summary className="cursor-pointer list-none">{row}</summary>
        <div className="pb-2 pl-6">
          <Payload
            label={span.kind === 'plan' ? 'Plan' : 'Input'}
            value={span.kind === 'plan' ? undefined : span.input}
          />
          <Payload label={span.kind === 'plan' ? 'Plan' : 'Output'} value={span.output} />
        </div>
      </details>
    </li>
  );
}

function TurnCard({ turn, spans, ts }: { turn: number; spans: TurnSpans; ts?: string }) {
  const total = Math.max(1, spans.root.end);
  const rows = flatten(spans.root);
  const tokens = spans.tokens.input + spans.tokens.output;
  return (
    <Card className="overflow-hidden">
      <details className="group/turn" data-testid="trace-turn">
        <summary className="flex cursor-pointer list-none flex-wrap items-center justify-between gap-2 px-4 py-3 hover:bg-zinc-50 dark:hover:bg-zinc-800/40">
          <h2 className="flex min-w-0 items-center gap-2 text-sm font-semibold">
            <ChevronRight className="size-4 shrink-0 transition-transform group-open/turn:rotate-90" aria-hidden />
            <span className="shrink-0">Turn {turn}</span>
            {spans.question ? (
              <span className="truncate font-normal text-zinc-700 dark:text-zinc-300">“{spans.question}”</span>
            ) : null}
          </h2>
          <span className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
            <span>{formatDuration(spans.root.end)}</span>
            <span>
              {tokens > 0
                ? `${formatNumber(spans.tokens.input, 0)} in · ${formatNumber(spans.tokens.output, 0)} out tokens`
                : 'no model tokens (local analyst)'}
            </span>
            {spans.cost !== null ? <span>{formatCost(spans.cost)}</span> : null}
            {spans.model ? <span>{spans.model}</span> : null}
          </span>
        </summary>
        <div className="border-t border-zinc-100 px-4 py-3 dark:border-zinc-800">
          <div className="mb-2 flex flex-wrap gap-3 text-xs text-zinc-600 dark:text-zinc-400" aria-hidden>
            {(['turn', 'llm', 'tool', 'plan'] as const).map((kind) => (
              <span key={kind} className="inline-flex items-center gap-1">
                <span className={cn('size-2 rounded-full', KIND[kind].dot)} /> {KIND[kind].label}
              </span>
            ))}
          </div>
          <ol aria-label={`Spans of turn ${turn}`}>
            {rows.map(({ span, depth }) => (
              <SpanRow key={span.id} span={span} depth={depth} total={total} />
            ))}
          </ol>
          {spans.answer ? (
            <section className="mt-4 rounded-lg border border-zinc-200 p-3 dark:border-zinc-800" aria-label="Answer">
              <h3 className="mb-1 text-xs font-semibold tracking-wide text-zinc-600 uppercase dark:text-zinc-400">
                Answer
              </h3>
              <AnswerMarkdown text={spans.answer} />
            </section>
          ) : null}
          {ts ? (
            <p className="mt-3 text-right text-[11px] text-zinc-600 dark:text-zinc-400">{formatDateTime(ts)}</p>
          ) : null}
        </div>
      </details>
    </Card>
  );
}

/**
 * A session's decision trace, one card per turn, folded: the question, time, tokens and cost when
 * Claude ran. Opened, a timing waterfall of nested spans (turn → model call → tool call) whose rows
 * open to their input and output, and the answer as the partner read it.
 */
export function TraceTimeline({ sessionId }: { sessionId: string }) {
  const trace = useTrace(sessionId);
  if (trace.isPending) return <LoadingBlock />;
  if (trace.isError) return <ErrorNote>{errorMessage(trace.error)}</ErrorNote>;
  const groups = groupByTurn(trace.data.events);
  if (groups.length === 0)
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">This session has no recorded events.</p>;
  return (
    <div className="space-y-3">
      {groups.map((g) => (
        <TurnCard key={g.turn} turn={g.turn} spans={buildTurnSpans(g.events)} ts={g.events[0]?.ts} />
      ))}
    </div>
  );
}
