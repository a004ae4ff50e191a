import { Sparkles } from 'lucide-react';
import { lazy, Suspense } from 'react';
import { ErrorBoundary } from '../../../components/ui/ErrorBoundary.tsx';
import { ErrorNote, Spinner } from '../../../components/ui/Spinner.tsx';
import type { AnswerMetric, Citation, Feedback, Step } from '../../../lib/api-types.ts';
import { AnswerMarkdown } from './AnswerMarkdown.tsx';
import { CitationChips } from './CitationChips.tsx';
import { FeedbackBar } from './FeedbackBar.tsx';
import { StepTimeline } from './StepTimeline.tsx';

const MetricChart = lazy(() => import('./MetricChart.tsx'));

export interface TurnViewModel {
  key: string;
  sessionId?: string;
  turn?: number;
  question: string;
  text: string;
  steps: Step[];
  citations: Citation[];
  metrics: AnswerMetric[];
  engine?: string;
  status: 'streaming' | 'done' | 'error';
  error?: string;
  feedback: Feedback | null;
}

export function TurnView({ turn }: { turn: TurnViewModel }) {
  const live = turn.status === 'streaming';
  const charted = turn.metrics.filter((m) => m.series.length > 1 || m.benchmark).slice(0, 2);
  return (
    <article className="space-y-4" aria-label={`Question: ${turn.question}`}>
      <div className="flex justify-end">
        <p className="max-w-[85%] rounded-2xl rounded-br-md bg-accent-600 px-4 py-2.5 text-[15px] whitespace-pre-wrap text-white shadow-sm dark:bg-accent-500">
          {turn.question}
        </p>
      </div>
      <div className="flex gap-3">
        <div
          className="mt-0.5 flex size-7 shrink-0 items-center justify-center rounded-full bg-accent-50 text-accent-600 ring-1 ring-accent-100 dark:bg-accent-950 dark:text-accent-400 dark:ring-accent-900"
          aria-hidden
        >
          <Sparkles className="size-3.5" />
        </div>
        <div className="min-w-0 flex-1" aria-live={live ? 'polite' : undefined} aria-busy={live}>
          <StepTimeline steps={turn.steps} live={live && !turn.text} />
          {turn.text ? <AnswerMarkdown text={turn.text} /> : null}
          {live && !turn.text ? (
            <div className="flex items-center gap-2 text-sm text-zinc-500">
              <Spinner label="Thinking" /> Thinking…
            </div>
          ) : null}
          {turn.status === 'error' ? <ErrorNote>{turn.error ?? 'The analyst could not answer.'}</ErrorNote> : null}
          {charted.length > 0 ? (
            <ErrorBoundary label="The chart">
              <Suspense
                fallback={
                  <div className="mt-3 flex h-44 items-center justify-center rounded-lg border border-dashed border-zinc-200 dark:border-zinc-800">
                    <Spinner label="Loading chart" />
                  </div>
                }
              >
                {charted.map((m) => (
                  <MetricChart key={m.metric} metric={m} />
                ))}
              </Suspense>
            </ErrorBoundary>
          ) : null}
          <CitationChips citations={turn.citations} />
          {turn.status === 'done' && turn.sessionId && turn.turn !== undefined ? (
            <div className="flex flex-wrap items-end justify-between gap-2">
              <FeedbackBar sessionId={turn.sessionId} turn={turn.turn} initial={turn.feedback} />
              {turn.engine ? (
                <span className="text-[11px] text-zinc-400" title="Analyst engine">
                  engine: {turn.engine}
                </span>
              ) : null}
            </div>
          ) : null}
        </div>
      </div>
    </article>
  );
}
