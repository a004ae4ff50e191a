import { Activity } from 'lucide-react';
import { NavLink, useParams } from 'react-router';
import { Card, EmptyState, PageHeader } from '../../../components/ui/Card.tsx';
import { ErrorNote, LoadingBlock } from '../../../components/ui/Spinner.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { cn } from '../../../lib/cn.ts';
import { formatRelative } from '../../../lib/format.ts';
import { useTraceSessions } from '../api/traces.ts';
import { TraceTimeline } from './TraceTimeline.tsx';

export function TracesPage() {
  const { sessionId } = useParams();
  const sessions = useTraceSessions();
  return (
    <div className="mx-auto max-w-6xl px-4 py-8 sm:px-8">
      <PageHeader
        title="Traces"
        description="Every step the analyst took: the plan, each tool call with its inputs and outputs, and the answer."
      />
      {sessions.isPending ? (
        <LoadingBlock />
      ) : sessions.isError ? (
        <ErrorNote>{errorMessage(sessions.error)}</ErrorNote>
      ) : sessions.data.length === 0 ? (
        <Card>
          <EmptyState icon={<Activity className="size-6" aria-hidden />} title="No traces yet">
            Ask a question in Chat; its decision trace appears here.
          </EmptyState>
        </Card>
      ) : (
        <div className="grid gap-6 lg:grid-cols-[18rem_1fr]">
          <nav aria-label="Traced sessions">
            <ul className="space-y-1">
              {sessions.data.map((s) => (
                <li key={s.session_id}>
                  <NavLink
                    to={`/traces/${encodeURIComponent(s.session_id)}`}
                    className={({ isActive }) =>
                      cn(
                        'block rounded-lg border px-3 py-2.5 text-sm transition-colors',
                        isActive
                          ? 'border-accent-300 bg-accent-50 dark:border-accent-800 dark:bg-accent-950/50'
                          : 'border-transparent hover:bg-white dark:hover:bg-zinc-900',
                      )
                    }
                  >
                    <span className="block truncate font-medium">{s.title || s.session_id}</span>
                    <span className="block text-xs text-zinc-600 dark:text-zinc-400">
                      {s.events} events · {formatRelative(s.last_at)}
                    </span>
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="min-w-0">
            {sessionId ? (
              <TraceTimeline sessionId={sessionId} />
            ) : (
              <Card>
                <EmptyState title="Pick a session">
                  Choose a conversation on the left to read its decision trace.
                </EmptyState>
              </Card>
            )}
          </div>
        </div>
      )}
    </div>
  );
}
