import {
  Bot,
  ChevronRight,
  CircleCheck,
  ListChecks,
  MessageCircleWarning,
  MessageSquare,
  ThumbsUp,
  Wrench,
} from 'lucide-react';
import type { ReactNode } from 'react';
import { Badge } from '../../../components/ui/Badge.tsx';
import { Card } from '../../../components/ui/Card.tsx';
import { ErrorNote, LoadingBlock } from '../../../components/ui/Spinner.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import type { TraceEvent } from '../../../lib/api-types.ts';
import { formatDateTime, formatDuration, formatNumber } from '../../../lib/format.ts';
import { withKeys } from '../../../lib/keys.ts';
import { eventText, eventTokens, groupByTurn, useTrace } from '../api/traces.ts';

const meta: Record<string, { label: string; icon: ReactNode; tone: string }> = {
  user_message: { label: 'Question', icon: <MessageSquare className="size-3.5" />, tone: 'bg-accent-600 text-white' },
  plan: {
    label: 'Plan',
    icon: <ListChecks className="size-3.5" />,
    tone: 'bg-sky-100 text-sky-700 dark:bg-sky-950 dark:text-sky-300',
  },
  tool_call: {
    label: 'Tool call',
    icon: <Wrench className="size-3.5" />,
    tone: 'bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300',
  },
  tool_result: {
    label: 'Tool result',
    icon: <CircleCheck className="size-3.5" />,
    tone: 'bg-emerald-100 text-emerald-700 dark:bg-emerald-950 dark:text-emerald-300',
  },
  llm_call: {
    label: 'Model call',
    icon: <Bot className="size-3.5" />,
    tone: 'bg-violet-100 text-violet-700 dark:bg-violet-950 dark:text-violet-300',
  },
  answer: {
    label: 'Answer',
    icon: <CircleCheck className="size-3.5" />,
    tone: 'bg-accent-100 text-accent-700 dark:bg-accent-950 dark:text-accent-300',
  },
  feedback: {
    label: 'Feedback',
    icon: <ThumbsUp className="size-3.5" />,
    tone: 'bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300',
  },
  error: {
    label: 'Error',
    icon: <MessageCircleWarning className="size-3.5" />,
    tone: 'bg-red-100 text-red-700 dark:bg-red-950 dark:text-red-300',
  },
};

function json(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

function Collapsible({ label, value }: { label: string; value: unknown }) {
  if (value === undefined || value === null) return null;
  return (
    <details className="group/c mt-1.5">
      <summary className="inline-flex cursor-pointer list-none items-center gap-1 rounded text-xs font-medium text-zinc-600 dark:text-zinc-400 select-none hover:text-zinc-800 dark:hover:text-zinc-200">
        <ChevronRight className="size-3 transition-transform group-open/c:rotate-90" aria-hidden />
        {label}
      </summary>
      <pre className="mt-1 max-h-80 overflow-auto rounded-lg bg-zinc-50 p-3 font-mono text-[12px] leading-relaxed whitespace-pre-wrap text-zinc-700 dark:bg-zinc-950 dark:text-zinc-300">
        {json(value)}
      </pre>
    </details>
  );
}

function EventRow({ event }: { event: TraceEvent }) {
  const m = meta[event.type] ?? {
    label: event.type,
    icon: <ListChecks className="size-3.5" />,
    tone: 'bg-zinc-200 text-zinc-700',
  };
  const text =
    event.type === 'user_message' || event.type === 'answer' || event.type === 'plan' ? eventText(event) : null;
  const tokens = eventTokens(event);
  const summary = typeof event.summary === 'string' ? event.summary : null;
  return (
    <li className="relative pb-5 pl-9 last:pb-0" data-testid="trace-event">
      <span
        className={`absolute top-0 left-0 flex size-6 items-center justify-center rounded-full ${m.tone}`}
        aria-hidden
      >
        {m.icon}
      </span>
      <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
        <span className="font-medium">{m.label}</span>
        {event.name ? (
          <code className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800">{event.name}</code>
        ) : null}
        {typeof event.duration_ms === 'number' ? (
          <span className="text-xs text-zinc-600 dark:text-zinc-400">{formatDuration(event.duration_ms)}</span>
        ) : null}
        {tokens.input + tokens.output > 0 ? (
          <span className="text-xs text-zinc-600 dark:text-zinc-400">
            {formatNumber(tokens.input, 0)} in / {formatNumber(tokens.output, 0)} out tokens
          </span>
        ) : null}
        {event.model ? <span className="text-xs text-zinc-600 dark:text-zinc-400">{event.model}</span> : null}
      </div>
      {summary ? <p className="mt-0.5 text-sm text-zinc-600 dark:text-zinc-400">{summary}</p> : null}
      {text ? <p className="mt-1 text-sm whitespace-pre-wrap text-zinc-700 dark:text-zinc-300">{text}</p> : null}
      {event.type === 'tool_call' || event.type === 'llm_call' ? (
        <Collapsible label="Input" value={event.input} />
      ) : null}
      {event.type === 'tool_result' || event.type === 'error' ? (
        <Collapsible label="Output" value={event.output ?? event.error} />
      ) : null}
      {event.type === 'tool_call' && event.output !== undefined ? (
        <Collapsible label="Output" value={event.output} />
      ) : null}
    </li>
  );
}

export function TraceTimeline({ sessionId }: { sessionId: string }) {
  const trace = useTrace(sessionId);
  if (trace.isPending) return <LoadingBlock />;
  if (trace.isError) return <ErrorNote>{errorMessage(trace.error)}</ErrorNote>;
  const groups = groupByTurn(trace.data.events);
  if (groups.length === 0)
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">This session has no recorded events.</p>;
  return (
    <div className="space-y-5">
      {groups.map((g) => (
        <Card key={g.turn} className="p-5">
          <header className="mb-4 flex flex-wrap items-center justify-between gap-2 border-b border-zinc-100 pb-3 dark:border-zinc-800">
            <h2 className="min-w-0 text-sm font-semibold">
              Turn {g.turn}
              {g.question ? (
                <span className="ml-2 font-normal text-zinc-600 dark:text-zinc-400">“{g.question}”</span>
              ) : null}
            </h2>
            <div className="flex flex-wrap items-center gap-1.5">
              {g.engines.map((e) => (
                <Badge key={e} tone="accent">
                  engine: {e}
                </Badge>
              ))}
              <Badge>{formatNumber(g.tokens.input + g.tokens.output, 0)} tokens</Badge>
              <Badge>{formatDuration(g.durationMs)}</Badge>
            </div>
          </header>
          <ol className="relative before:absolute before:top-2 before:bottom-2 before:left-3 before:w-px before:bg-zinc-200 dark:before:bg-zinc-800">
            {withKeys(g.events, (e) => `${e.ts}:${e.type}:${e.name ?? ''}`).map(({ item, key }) => (
              <EventRow key={key} event={item} />
            ))}
          </ol>
          <p className="mt-3 text-right text-[11px] text-zinc-600 dark:text-zinc-400">
            {formatDateTime(g.events[0]?.ts)}
          </p>
        </Card>
      ))}
    </div>
  );
}
