import { ChevronRight, CircleCheck, ListChecks, Wrench } from 'lucide-react';
import type { Step } from '../../../lib/api-types.ts';
import { cn } from '../../../lib/cn.ts';
import { withKeys } from '../../../lib/keys.ts';

const icons = { plan: ListChecks, tool_call: Wrench, tool_result: CircleCheck } as const;

/** The analyst's steps as they stream in: a compact, collapsible timeline. */
export function StepTimeline({ steps, live }: { steps: Step[]; live: boolean }) {
  if (steps.length === 0) return null;
  return (
    <details
      open={live}
      className="group/steps mb-3 rounded-lg border border-zinc-200 bg-zinc-50/60 text-[13px] dark:border-zinc-800 dark:bg-zinc-900/60"
    >
      <summary className="flex cursor-pointer list-none items-center gap-2 px-3 py-2 text-zinc-600 select-none dark:text-zinc-400">
        <ChevronRight className="size-3.5 transition-transform group-open/steps:rotate-90" aria-hidden />
        <span className="font-medium">
          {live ? 'Working…' : `${steps.length} step${steps.length === 1 ? '' : 's'}`}
        </span>
        {!live ? (
          <span className="truncate text-zinc-400">
            {steps
              .map((s) => s.name ?? s.type)
              .filter(unique)
              .join(' · ')}
          </span>
        ) : null}
      </summary>
      <ol className="space-y-1.5 border-t border-zinc-200 px-3 py-2 dark:border-zinc-800" aria-label="Analyst steps">
        {withKeys(steps, (s) => `${s.type}:${s.name ?? ''}:${s.summary}`).map(({ item: step, key }, i) => {
          const Icon = icons[step.type];
          const last = i === steps.length - 1;
          return (
            <li key={key} className="flex items-start gap-2">
              <Icon
                className={cn(
                  'mt-0.5 size-3.5 shrink-0',
                  step.type === 'tool_result'
                    ? 'text-emerald-600 dark:text-emerald-400'
                    : 'text-accent-600 dark:text-accent-400',
                  live && last && 'animate-pulse',
                )}
                aria-hidden
              />
              <div className="min-w-0">
                {step.name ? (
                  <span className="mr-1.5 font-mono text-[12px] text-zinc-800 dark:text-zinc-200">{step.name}</span>
                ) : null}
                <span className="text-zinc-600 dark:text-zinc-400">{step.summary || stepLabel(step.type)}</span>
              </div>
            </li>
          );
        })}
      </ol>
    </details>
  );
}

function stepLabel(type: Step['type']): string {
  return type === 'plan' ? 'Planning' : type === 'tool_call' ? 'Calling a tool' : 'Tool finished';
}

function unique(value: string, index: number, all: string[]): boolean {
  return all.indexOf(value) === index;
}
