import { Activity, ClipboardList, FileText, LogOut, Menu, MessageSquare, Network, X } from 'lucide-react';
import { type ReactNode, useCallback, useMemo, useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import { ErrorBoundary } from '../components/ui/ErrorBoundary.tsx';
import { fetchMe, useMe } from '../features/auth/api/me.ts';
import { Logo } from '../features/auth/components/LoginPage.tsx';
import {
  dismissQuestionnaire,
  getQuestionnaire,
  shouldOffer,
  snooze,
  snoozedUntil,
} from '../features/feedback/api/questionnaire.ts';
import { QuestionnaireDialog } from '../features/feedback/components/QuestionnaireDialog.tsx';
import { cn } from '../lib/cn.ts';
import { useAuth } from './auth.tsx';
import { ShellContext } from './shell-context.ts';

const NAV = [
  { to: '/chat', label: 'Chat', icon: MessageSquare },
  { to: '/documents', label: 'Documents', icon: FileText },
  { to: '/traces', label: 'Traces', icon: Activity },
  { to: '/graph', label: 'Graph', icon: Network },
] as const;

const navItem = ({ isActive }: { isActive: boolean }) =>
  cn(
    'flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium transition-colors',
    isActive
      ? 'bg-white text-zinc-900 shadow-sm ring-1 ring-zinc-200 dark:bg-zinc-800 dark:text-zinc-50 dark:ring-zinc-700'
      : 'text-zinc-600 hover:bg-zinc-200/60 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800/60 dark:hover:text-zinc-100',
  );

/** The partner's frame: sidebar navigation, the questionnaire, and the routed page. */
export function AppShell() {
  const { tenant, signOut } = useAuth();
  const me = useMe();
  const [menuOpen, setMenuOpen] = useState(false);
  const [questionnaire, setQuestionnaire] = useState<{ open: boolean; offered: boolean }>({
    open: false,
    offered: false,
  });
  const [prompt, setPrompt] = useState(false);

  const afterQuery = useCallback(() => {
    const id = tenant?.id;
    if (!id || Date.now() < snoozedUntil(id)) return;
    Promise.all([fetchMe(), getQuestionnaire()])
      .then(([profile, state]) => {
        if (shouldOffer(profile.query_count, state, snoozedUntil(id), Date.now())) setPrompt(true);
      })
      .catch(() => undefined);
  }, [tenant?.id]);

  const shell = useMemo(
    () => ({
      openQuestionnaire: () => {
        setPrompt(false);
        setQuestionnaire({ open: true, offered: prompt });
      },
      afterQuery,
      feedbackPrompt: prompt,
      snoozeFeedback: () => {
        setPrompt(false);
        if (tenant?.id) snooze(tenant.id, Date.now());
        void dismissQuestionnaire().catch(() => undefined);
      },
    }),
    [afterQuery, prompt, tenant?.id],
  );

  const name = me.data?.name ?? tenant?.name ?? '';

  const sidebar: ReactNode = (
    <div className="flex h-full flex-col">
      <div className="flex items-center gap-2.5 px-4 py-4">
        <Logo small />
        <span className="text-[15px] font-semibold tracking-tight">OpsOrchestra</span>
      </div>
      <nav aria-label="Main" className="flex-1 space-y-0.5 px-3 py-2">
        {NAV.map(({ to, label, icon: Icon }) => (
          <NavLink key={to} to={to} className={navItem} onClick={() => setMenuOpen(false)}>
            <Icon className="size-4 shrink-0" aria-hidden />
            {label}
          </NavLink>
        ))}
      </nav>
      <div className="space-y-1 border-t border-zinc-200 px-3 py-3 dark:border-zinc-800">
        <button
          type="button"
          onClick={() => {
            setMenuOpen(false);
            shell.openQuestionnaire();
          }}
          className="flex w-full items-center gap-3 rounded-lg px-3 py-2 text-left text-sm font-medium whitespace-nowrap text-zinc-600 hover:bg-zinc-200/60 hover:text-zinc-900 dark:text-zinc-400 dark:hover:bg-zinc-800/60 dark:hover:text-zinc-100"
        >
          <ClipboardList className="size-4" aria-hidden />
          Feedback questionnaire
        </button>
        <div className="flex items-center gap-2 rounded-lg px-3 py-2">
          <div
            className="flex size-7 shrink-0 items-center justify-center rounded-full bg-zinc-200 text-xs font-semibold text-zinc-700 dark:bg-zinc-700 dark:text-zinc-200"
            aria-hidden
          >
            {name.slice(0, 1).toUpperCase()}
          </div>
          <span className="min-w-0 flex-1 truncate text-sm font-medium" title={name} data-testid="tenant-name">
            {name}
          </span>
          <button
            type="button"
            onClick={() => signOut()}
            aria-label="Log out"
            title="Log out"
            className="rounded-md p-1.5 text-zinc-600 dark:text-zinc-400 hover:bg-zinc-200 hover:text-zinc-900 dark:hover:bg-zinc-800 dark:hover:text-zinc-100"
          >
            <LogOut className="size-4" aria-hidden />
          </button>
        </div>
      </div>
    </div>
  );

  return (
    <ShellContext.Provider value={shell}>
      <div className="flex h-dvh overflow-hidden">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2"
        >
          Skip to content
        </a>
        <aside className="hidden w-60 shrink-0 border-r border-zinc-200 bg-zinc-100/70 md:block dark:border-zinc-800 dark:bg-zinc-900/50">
          {sidebar}
        </aside>
        {menuOpen ? (
          <div className="fixed inset-0 z-40 md:hidden">
            <button
              type="button"
              aria-label="Close menu"
              className="absolute inset-0 bg-zinc-950/40"
              onClick={() => setMenuOpen(false)}
            />
            <aside className="relative h-full w-64 border-r border-zinc-200 bg-zinc-50 shadow-xl dark:border-zinc-800 dark:bg-zinc-900">
              {sidebar}
            </aside>
          </div>
        ) : null}
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="flex items-center gap-2 border-b border-zinc-200 px-3 py-2 md:hidden dark:border-zinc-800">
            <button
              type="button"
              aria-label={menuOpen ? 'Close menu' : 'Open menu'}
              aria-expanded={menuOpen}
              onClick={() => setMenuOpen((o) => !o)}
              className="rounded-md p-2 hover:bg-zinc-200 dark:hover:bg-zinc-800"
            >
              {menuOpen ? <X className="size-5" aria-hidden /> : <Menu className="size-5" aria-hidden />}
            </button>
            <Logo small />
            <span className="font-semibold">OpsOrchestra</span>
          </header>
          <main id="main" className="min-h-0 flex-1 overflow-y-auto">
            <ErrorBoundary label="This page">
              <Outlet />
            </ErrorBoundary>
          </main>
        </div>
      </div>
      <QuestionnaireDialog
        open={questionnaire.open}
        offered={questionnaire.offered}
        onClose={() => setQuestionnaire({ open: false, offered: false })}
        onNotNow={() => {
          if (tenant?.id) snooze(tenant.id, Date.now());
        }}
      />
    </ShellContext.Provider>
  );
}
