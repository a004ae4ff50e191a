import { Badge } from '../../../components/ui/Badge.tsx';
import type { Signal } from '../../../lib/api-types.ts';
import { SIGNAL_LABELS } from '../api/admin.ts';

export function SignalBadges({ signals, withActions }: { signals: Signal[]; withActions?: boolean }) {
  if (signals.length === 0) return <span className="text-xs text-zinc-600 dark:text-zinc-400">—</span>;
  return (
    <ul className="flex flex-col gap-1">
      {signals.map((s) => {
        const meta = SIGNAL_LABELS[s.signal] ?? { label: s.signal.replace(/_/g, ' '), tone: 'neutral' as const };
        return (
          <li key={s.signal} className="flex flex-wrap items-center gap-x-2 gap-y-0.5">
            <Badge tone={meta.tone} title={s.action}>
              {meta.label}
            </Badge>
            {withActions !== false ? (
              <span className="text-xs text-zinc-600 dark:text-zinc-400">→ {s.action}</span>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
