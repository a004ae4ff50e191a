import { useQuery, useQueryClient } from '@tanstack/react-query';
import { FileUp, Lightbulb, PanelLeft } from 'lucide-react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useShell } from '../../../app/shell-context.ts';
import { Button } from '../../../components/ui/Button.tsx';
import { EmptyState } from '../../../components/ui/Card.tsx';
import { ErrorNote, LoadingBlock } from '../../../components/ui/Spinner.tsx';
import { api, errorMessage } from '../../../lib/api-client.ts';
import type { DocumentRecord, Turn } from '../../../lib/api-types.ts';
import { cn } from '../../../lib/cn.ts';
import { readItem, removeItem, writeItem } from '../../../lib/storage.ts';
import { FeedbackPrompt } from '../../feedback/components/FeedbackPrompt.tsx';
import { GENERIC_QUESTIONS, suggestQuestions, useTenantMetrics } from '../api/metrics.ts';
import { sessionsKey, useSession } from '../api/sessions.ts';
import { streamChat } from '../api/stream-chat.ts';
import { Composer } from './Composer.tsx';
import { SessionList } from './SessionList.tsx';
import { SourcePanel } from './SourcePanel.tsx';
import type { NumberedSource } from './sources.ts';
import { TurnView, type TurnViewModel } from './TurnView.tsx';

let localCounter = 0;

/** No event from the server for this long: the turn is given up (Stop), with Retry offered. */
const STALL_MS = 120_000;
const DRAFT = 'oo.chat_draft';

function fromServer(sessionId: string, t: Turn): TurnViewModel {
  const pending = !t.error && !t.answer && !t.completed_at;
  return {
    key: `${sessionId}:${t.turn}`,
    sessionId,
    turn: t.turn,
    question: t.question,
    text: t.answer,
    steps: (t.steps ?? []).map((s) => ({ ...s })),
    citations: t.citations ?? [],
    metrics: t.metrics ?? [],
    status: t.error ? (t.error.code === 'turn_cancelled' ? 'stopped' : 'error') : pending ? 'error' : 'done',
    error: t.error?.message ?? (pending ? 'This question was not answered. Try again.' : undefined),
    feedback: t.feedback ?? null,
  };
}

export function ChatPage() {
  const { sessionId } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const shell = useShell();
  const session = useSession(sessionId);
  const [local, setLocal] = useState<TurnViewModel[]>([]);
  const [showSessions, setShowSessions] = useState(false);
  const [draft, setDraftState] = useState(() => readItem('session', DRAFT) ?? '');
  const [openSource, setOpenSource] = useState<(NumberedSource & { kind: 'document' }) | null>(null);
  const setDraft = (text: string) => {
    setDraftState(text);
    if (text) writeItem('session', DRAFT, text);
    else removeItem('session', DRAFT);
  };
  const bottomRef = useRef<HTMLDivElement>(null);
  const abortRef = useRef<AbortController | null>(null);

  useEffect(() => () => abortRef.current?.abort(), []);

  const streaming = local.some((t) => t.status === 'streaming');

  const turns = useMemo(() => {
    const mine = local.filter((t) => t.sessionId === sessionId);
    const localNumbers = new Set(mine.map((t) => t.turn));
    const server =
      sessionId && session.data
        ? session.data.turns.filter((t) => !localNumbers.has(t.turn)).map((t) => fromServer(sessionId, t))
        : [];
    return [...server, ...mine];
  }, [local, session.data, sessionId]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: scroll whenever the conversation grows
  useEffect(() => {
    bottomRef.current?.scrollIntoView({ block: 'end' });
  }, [turns]);

  const update = (key: string, patch: (t: TurnViewModel) => TurnViewModel) =>
    setLocal((all) => all.map((t) => (t.key === key ? patch(t) : t)));

  const send = async (message: string) => {
    // The question stays in storage until the server has it: a failure puts it back in the box, and a
    // return to the login screen (a revoked or rotated key) keeps it for after signing in.
    writeItem('session', DRAFT, message);
    const key = `local-${++localCounter}`;
    setLocal((all) => [
      ...all,
      {
        key,
        sessionId,
        question: message,
        text: '',
        steps: [],
        citations: [],
        metrics: [],
        status: 'streaming',
        feedback: null,
      },
    ]);
    const controller = new AbortController();
    abortRef.current = controller;
    let stalled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const alive = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = true;
        controller.abort();
      }, STALL_MS);
    };
    alive();
    let received = false;
    try {
      await streamChat(
        { message, ...(sessionId ? { session_id: sessionId } : {}) },
        {
          onSession: ({ session_id, turn }) => {
            alive();
            received = true;
            removeItem('session', DRAFT);
            update(key, (t) => ({ ...t, sessionId: session_id, turn }));
            if (session_id !== sessionId) navigate(`/chat/${encodeURIComponent(session_id)}`, { replace: !sessionId });
          },
          onStep: (step) => {
            alive();
            update(key, (t) => ({ ...t, steps: [...t.steps, step] }));
          },
          onDelta: (text) => {
            alive();
            update(key, (t) => ({ ...t, text: t.text + text }));
          },
          onAnswer: (a) =>
            update(key, (t) => ({
              ...t,
              sessionId: a.session_id || t.sessionId,
              turn: a.turn || t.turn,
              text: a.answer || t.text,
              citations: a.citations,
              metrics: a.metrics,
            })),
        },
        controller.signal,
      );
      update(key, (t) => ({ ...t, status: 'done' }));
      shell.afterQuery();
    } catch (err) {
      if (controller.signal.aborted) {
        update(key, (t) =>
          stalled
            ? { ...t, status: 'error', error: 'The analyst took too long to answer. Try again.' }
            : { ...t, status: 'stopped' },
        );
        return;
      }
      update(key, (t) => ({ ...t, status: 'error', error: errorMessage(err) }));
      // Not sent at all: the question goes back in the box (unless the partner typed a new one).
      if (!received) setDraftState((d) => d || message);
    } finally {
      clearTimeout(timer);
      if (abortRef.current === controller) abortRef.current = null;
      void queryClient.invalidateQueries({ queryKey: sessionsKey });
    }
  };

  const stop = () => abortRef.current?.abort();

  const newChat = () => {
    setShowSessions(false);
    navigate('/chat');
  };

  const lastKey = turns.at(-1)?.key;
  const title = session.data?.session.title;

  return (
    <div className="flex h-full min-h-0">
      <aside
        className={cn(
          'w-64 shrink-0 border-r border-zinc-200 bg-white/60 dark:border-zinc-800 dark:bg-zinc-900/40',
          showSessions ? 'block' : 'hidden lg:block',
        )}
      >
        <SessionList onNew={newChat} />
      </aside>
      <section className="flex min-w-0 flex-1 flex-col" aria-labelledby="chat-title">
        <h1 id="chat-title" className="sr-only">
          {title ? `Chat: ${title}` : 'Chat'}
        </h1>
        <div className="flex items-center gap-2 border-b border-zinc-200 px-4 py-2 lg:hidden dark:border-zinc-800">
          <Button
            variant="ghost"
            size="sm"
            onClick={() => setShowSessions((s) => !s)}
            icon={<PanelLeft className="size-4" aria-hidden />}
          >
            Conversations
          </Button>
        </div>
        <div className="min-h-0 flex-1 overflow-y-auto">
          <div className="mx-auto w-full max-w-3xl space-y-8 px-4 py-6 sm:px-6">
            {sessionId && session.isPending ? <LoadingBlock label="Loading conversation…" /> : null}
            {session.isError ? <ErrorNote>{errorMessage(session.error)}</ErrorNote> : null}
            {turns.length === 0 && !(sessionId && session.isPending) ? (
              <ChatEmptyState onPick={(q) => void send(q)} />
            ) : null}
            {turns.map((t) => (
              <TurnView
                key={t.key}
                turn={t}
                latest={t.key === lastKey}
                onOpenSource={(src) => {
                  if (src.kind === 'document') setOpenSource(src);
                }}
                onRetry={streaming ? undefined : (q) => void send(q)}
              />
            ))}
            <div ref={bottomRef} />
          </div>
        </div>
        <div className="border-t border-zinc-200 bg-zinc-50/80 px-4 py-3 backdrop-blur sm:px-6 dark:border-zinc-800 dark:bg-zinc-950/80">
          <div className="mx-auto max-w-3xl">
            <FeedbackPrompt />
            <Composer
              busy={streaming}
              value={draft}
              onChange={setDraft}
              onSend={(q) => {
                setDraftState('');
                void send(q);
              }}
              onStop={stop}
            />
            <p className="mt-1.5 text-center text-[11px] text-zinc-600 dark:text-zinc-400">
              Answers come from your documents and sourced benchmarks. Check the cited sources.
            </p>
          </div>
        </div>
      </section>
      {openSource ? (
        <SourcePanel key={openSource.n + openSource.detail} source={openSource} onClose={() => setOpenSource(null)} />
      ) : null}
    </div>
  );
}

function ChatEmptyState({ onPick }: { onPick: (q: string) => void }) {
  const metrics = useTenantMetrics();
  const documents = useQuery({
    queryKey: ['documents'],
    queryFn: ({ signal }) => api<{ documents: DocumentRecord[] }>('/api/documents', { signal }),
  });
  if (metrics.isPending || documents.isPending) return <LoadingBlock />;
  const docCount = documents.data?.documents.length ?? 0;
  if (docCount === 0) {
    return (
      <EmptyState
        icon={<FileUp className="size-6" aria-hidden />}
        title="Start by uploading your numbers"
        action={
          <Link
            to="/documents"
            className="inline-flex h-10 items-center gap-2 rounded-lg bg-accent-600 px-4 text-sm font-medium text-white shadow-sm hover:bg-accent-700"
          >
            <FileUp className="size-4" aria-hidden /> Upload documents
          </Link>
        }
      >
        Upload a metrics export, a board update or a P&amp;L (CSV, XLSX, PDF, DOCX, Markdown). Then ask about NRR, burn
        multiple, CAC payback — with sources and benchmarks for your stage.
      </EmptyState>
    );
  }
  const suggestions = suggestQuestions(metrics.data ?? []);
  const list = suggestions.length > 0 ? suggestions : GENERIC_QUESTIONS;
  return (
    <div className="py-10">
      <EmptyState icon={<Lightbulb className="size-6" aria-hidden />} title="What would you like to know?">
        {suggestions.length > 0
          ? 'Suggested from the metrics in your documents:'
          : 'Your documents are in. A few ways to start:'}
      </EmptyState>
      <ul className="mx-auto -mt-6 grid max-w-2xl gap-2 sm:grid-cols-2" aria-label="Suggested questions">
        {list.map((q) => (
          <li key={q}>
            <button
              type="button"
              onClick={() => onPick(q)}
              className="h-full w-full rounded-xl border border-zinc-200 bg-white p-3 text-left text-sm text-zinc-700 shadow-xs transition-colors hover:border-accent-300 hover:bg-accent-50/50 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:border-accent-800 dark:hover:bg-accent-950/40"
            >
              {q}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
