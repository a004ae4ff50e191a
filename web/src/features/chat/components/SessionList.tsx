import { useQueryClient } from '@tanstack/react-query';
import { Check, MessageSquare, Pencil, Plus, X } from 'lucide-react';
import { useState } from 'react';
import { NavLink } from 'react-router';
import { Button, IconButton } from '../../../components/ui/Button.tsx';
import { Input } from '../../../components/ui/Field.tsx';
import { Spinner } from '../../../components/ui/Spinner.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import type { SessionSummary } from '../../../lib/api-types.ts';
import { cn } from '../../../lib/cn.ts';
import { formatRelative } from '../../../lib/format.ts';
import { renameSession, sessionsKey, useSessions } from '../api/sessions.ts';

export function SessionList({ onNew }: { onNew: () => void }) {
  const sessions = useSessions();
  return (
    <div className="flex h-full flex-col">
      <div className="p-3">
        <Button variant="secondary" className="w-full" onClick={onNew} icon={<Plus className="size-4" aria-hidden />}>
          New chat
        </Button>
      </div>
      <nav aria-label="Conversations" className="min-h-0 flex-1 overflow-y-auto px-2 pb-3">
        {sessions.isPending ? (
          <div className="flex justify-center py-4">
            <Spinner />
          </div>
        ) : sessions.data && sessions.data.length > 0 ? (
          <ul className="space-y-0.5">
            {sessions.data.map((s) => (
              <SessionItem key={s.id} session={s} />
            ))}
          </ul>
        ) : (
          <p className="px-2 py-4 text-xs text-zinc-600 dark:text-zinc-400">Your conversations will appear here.</p>
        )}
      </nav>
    </div>
  );
}

function SessionItem({ session }: { session: SessionSummary }) {
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(session.title);
  const [error, setError] = useState<string | null>(null);

  const save = async () => {
    const next = title.trim();
    if (!next || next === session.title) return setEditing(false);
    try {
      await renameSession(session.id, next);
      await queryClient.invalidateQueries({ queryKey: sessionsKey });
      setEditing(false);
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  if (editing) {
    return (
      <li className="px-1 py-1">
        <form
          className="flex items-center gap-1"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <Input
            aria-label="Conversation title"
            value={title}
            maxLength={120}
            onChange={(e) => setTitle(e.target.value)}
            onKeyDown={(e) => e.key === 'Escape' && setEditing(false)}
            className="h-8 py-1 text-[13px]"
            autoFocus
          />
          <IconButton label="Save title" type="submit">
            <Check className="size-4" aria-hidden />
          </IconButton>
          <IconButton label="Cancel rename" onClick={() => setEditing(false)}>
            <X className="size-4" aria-hidden />
          </IconButton>
        </form>
        {error ? <p className="px-1 text-xs text-red-600">{error}</p> : null}
      </li>
    );
  }
  return (
    <li className="group relative">
      <NavLink
        to={`/chat/${encodeURIComponent(session.id)}`}
        className={({ isActive }) =>
          cn(
            'flex items-start gap-2 rounded-lg px-2.5 py-2 pr-9 text-[13px] transition-colors',
            isActive
              ? 'bg-zinc-100 text-zinc-900 dark:bg-zinc-800 dark:text-zinc-50'
              : 'text-zinc-600 hover:bg-zinc-100/70 dark:text-zinc-400 dark:hover:bg-zinc-800/60',
          )
        }
      >
        <MessageSquare className="mt-0.5 size-3.5 shrink-0 opacity-60" aria-hidden />
        <span className="min-w-0">
          <span className="block truncate font-medium">{session.title || 'Untitled conversation'}</span>
          <span className="block text-[11px] text-zinc-600 dark:text-zinc-400">
            {formatRelative(session.updated_at)} · {session.turns} {session.turns === 1 ? 'question' : 'questions'}
          </span>
        </span>
      </NavLink>
      <IconButton
        label={`Rename ${session.title || 'conversation'}`}
        onClick={() => {
          setTitle(session.title);
          setEditing(true);
        }}
        className="absolute top-1.5 right-1 size-7 opacity-0 group-hover:opacity-100 focus-visible:opacity-100"
      >
        <Pencil className="size-3.5" aria-hidden />
      </IconButton>
    </li>
  );
}
