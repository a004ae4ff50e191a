import { RefreshCw, RotateCcw, Sparkles } from 'lucide-react';
import { lazy, Suspense, useMemo } from 'react';
import { Button } from '../../../components/ui/Button.tsx';
import { ErrorBoundary } from '../../../components/ui/ErrorBoundary.tsx';
import { ErrorNote, Spinner } from '../../../components/ui/Spinner.tsx';
import type { AnswerMetric, Citation, Feedback, Step } from '../../../lib/api-types.ts';
import { AnswerMarkdown } from './AnswerMarkdown.tsx';
import { FeedbackBar } from './FeedbackBar.tsx';
import { SourcesList } from './SourcesList.tsx';
import { StepTimeline } from './StepTimeline.tsx';
import { markCitations, type NumberedSource, numberSources } from './sources.ts';

const MetricSeriesChart = lazy(() => import('../../../components/charts/MetricSeriesChart.tsx'));

export interface TurnViewModel {
  key: string;
  sessionId?: string;
  turn?: number;
  question: string;
  text: string;
  steps: Step[];
  citations: Citation[];
  metrics: AnswerMetric[];
  status: 'streaming' | 'done' | 'error' | 'stopped';
  error?: string;
  feedback: Feedback | null;
}

export function TurnView({
  turn,
  latest,
  onOpenSource,
  onRetry,
}: {
  turn: TurnViewModel;
  /** The last turn of the conversation: it offers Regenerate. */
  latest: boolean;
  onOpenSource: (source: NumberedSource) => void;
  /** Ask the same question again (Retry after a failure or Stop, Regenerate after an answer). */
  onRetry?: (question: string) => void;
}) {
  const live = turn.status === 'streaming';
  const charted = turn.metrics.filter((m) => m.series.length > 1 || m.benchmark).slice(0, 2);
  const sources = useMemo(() => numberSources(turn.citations), [turn.citations]);
  const markdown = useMemo(() => markCitations(turn.text, sources), [turn.text, sources]);
  const cite = (n: number) => {
    const s = sources.find((x) => x.n === n);
    if (s) onOpenSource(s);
  };
  return (
    <article className="space-y-4" aria-label={`Question: ${turn.question}`} data-testid="turn">
      <div className="flex justify-end">
        <p className="max-w-[85%] rounded-2xl rounded-br-md bg-accent-600 px-4 py-2.5 text-[15px] whitespace-pre-wrap text-white shadow-sm dark:bg-accent-600">
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
          {markdown ? <AnswerMarkdown text={markdown} onCite={cite} /> : null}
          {live && !turn.text ? (
            <div className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
              <Spinner label="Thinking" /> Thinking…
            </div>
          ) : null}
          {turn.status === 'error' || turn.status === 'stopped' ? (
            <div className="mt-2 space-y-2">
              {turn.status === 'error' ? (
                <ErrorNote>{turn.error ?? 'The analyst could not answer.'}</ErrorNote>
              ) : (
                <p className="text-sm text-zinc-600 dark:text-zinc-400">Stopped. The question was not answered.</p>
              )}
              {onRetry ? (
                <Button
                  size="sm"
                  variant="secondary"
                  onClick={() => onRetry(turn.question)}
                  icon={<RotateCcw className="size-3.5" aria-hidden />}
                >
                  Retry
                </Button>
              ) : null}
            </div>
          ) : null}
          {charted.length > 0 && !live ? (
            <ErrorBoundary label="The chart">
              <Suspense
                fallback={
                  <div className="mt-3 flex h-44 items-center justify-center rounded-lg border border-dashed border-zinc-200 dark:border-zinc-800">
                    <Spinner label="Loading chart" />
                  </div>
                }
              >
                {charted.map((m) => (
                  <MetricSeriesChart key={m.metric} metric={m} />
                ))}
              </Suspense>
            </ErrorBoundary>
          ) : null}
          {!live ? <SourcesList sources={sources} onOpen={onOpenSource} /> : null}
          {turn.status === 'done' && turn.sessionId && turn.turn !== undefined ? (
            <div className="flex flex-wrap items-start justify-between gap-2">
              <FeedbackBar sessionId={turn.sessionId} turn={turn.turn} initial={turn.feedback} />
              {latest && onRetry ? (
                <Button
                  size="sm"
                  variant="ghost"
                  className="mt-2"
                  onClick={() => onRetry(turn.question)}
                  icon={<RefreshCw className="size-3.5" aria-hidden />}
                >
                  Regenerate
                </Button>
              ) : null}
            </div>
          ) : null}
        </div>
      </div>
    </article>
  );
}
