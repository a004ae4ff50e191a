import { ChevronRight, CircleAlert, CircleCheck, ListChecks, Loader } from 'lucide-react';
import type { Step } from '../../../lib/api-types.ts';
import { cn } from '../../../lib/cn.ts';
import { withKeys } from '../../../lib/keys.ts';

/**
 * How the answer was worked out, in the partner's words ("Read MRR for June 2026 from
 * northwind_metrics.csv"): plans and results. A call shows only while it runs; tool names and
 * arguments are left to the Traces view. Open while the answer is being worked out, folded after.
 */
export function visibleSteps(steps: Step[], live: boolean): Step[] {
  const shown = steps.filter((s) => s.type !== 'tool_call');
  const last = steps.at(-1);
  if (live && last?.type === 'tool_call') shown.push(last);
  return shown;
}

export function StepTimeline({ steps, live }: { steps: Step[]; live: boolean }) {
  const shown = visibleSteps(steps, live);
  if (shown.length === 0) return null;
  const results = shown.filter((s) => s.type === 'tool_result').length;
  return (
    <details
      open={live}
      className="group/steps mb-3 rounded-lg border border-zinc-200 bg-zinc-50/60 text-[13px] dark:border-zinc-800 dark:bg-zinc-900/60"
      data-testid="steps"
    >
      <summary className="flex cursor-pointer list-none items-center gap-2 px-3 py-2 text-zinc-700 select-none dark:text-zinc-300">
        <ChevronRight className="size-3.5 transition-transform group-open/steps:rotate-90" aria-hidden />
        <span className="font-medium">
          {live
            ? 'Working it out…'
            : `How this was worked out · ${results || shown.length} step${(results || shown.length) === 1 ? '' : 's'}`}
        </span>
      </summary>
      <ol className="space-y-1.5 border-t border-zinc-200 px-3 py-2 dark:border-zinc-800" aria-label="Steps">
        {withKeys(shown, (s) => `${s.type}:${s.summary}`).map(({ item: step, key }, i) => {
          const running = live && i === shown.length - 1 && step.type === 'tool_call';
          const failed = step.type === 'tool_result' && step.ok === false;
          const Icon = running ? Loader : step.type === 'plan' ? ListChecks : failed ? CircleAlert : CircleCheck;
          return (
            <li key={key} className="flex items-start gap-2">
              <Icon
                className={cn(
                  'mt-0.5 size-3.5 shrink-0',
                  failed
                    ? 'text-amber-600 dark:text-amber-400'
                    : step.type === 'tool_result'
                      ? 'text-emerald-600 dark:text-emerald-400'
                      : 'text-accent-600 dark:text-accent-400',
                  running && 'animate-spin',
                )}
                aria-hidden
              />
              <span className="min-w-0 text-zinc-700 dark:text-zinc-300">{step.summary || 'Checking your data'}</span>
            </li>
          );
        })}
      </ol>
    </details>
  );
}
