import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { ArrowLeft } from 'lucide-react';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Link, Navigate, Route, Routes } from 'react-router';
import { LoadingBlock } from '../components/ui/Spinner.tsx';
import { AdminPage } from '../features/admin/components/AdminPage.tsx';
import { LoginPage, Logo } from '../features/auth/components/LoginPage.tsx';
import { ChatPage } from '../features/chat/components/ChatPage.tsx';
import { DocumentDetailPage } from '../features/documents/components/DocumentDetailPage.tsx';
import { DocumentsPage } from '../features/documents/components/DocumentsPage.tsx';
import { TracesPage } from '../features/traces/components/TracesPage.tsx';
import { ApiError } from '../lib/api-client.ts';
import { AppShell } from './AppShell.tsx';
import { AuthProvider, useAuth } from './auth.tsx';
import { ServerRecovery } from './ServerRecovery.tsx';

// The graph view (and its layout code) loads only when opened.
const GraphPage = lazy(() => import('../features/graph/components/GraphPage.tsx'));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // A 4xx will not get better by retrying; a network blip might.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      refetchOnWindowFocus: false,
    },
  },
});

function Protected() {
  const { tenant } = useAuth();
  return tenant ? <AppShell /> : <Navigate to="/login" replace />;
}

/** The admin view works with or without a partner signed in (the operator is not a partner). */
function AdminRoute() {
  const { tenant } = useAuth();
  return (
    <div className="min-h-dvh">
      <header className="flex items-center justify-between gap-2 border-b border-zinc-200 bg-white/70 px-4 py-3 backdrop-blur dark:border-zinc-800 dark:bg-zinc-900/60">
        <div className="flex items-center gap-2.5">
          <Logo small />
          <span className="font-semibold tracking-tight">OpsOrchestra</span>
          <span className="rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-medium text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300">
            Admin
          </span>
        </div>
        <Link
          to={tenant ? '/chat' : '/login'}
          className="inline-flex items-center gap-1 text-sm text-zinc-600 dark:text-zinc-400 hover:text-zinc-900 dark:hover:text-zinc-100"
        >
          <ArrowLeft className="size-4" aria-hidden /> {tenant ? 'Back to the app' : 'Partner sign in'}
        </Link>
      </header>
      <main id="main">
        <AdminPage />
      </main>
    </div>
  );
}

function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      {/* The operator's view stands apart from the partner's app (no partner menu links to it). */}
      <Route path="/admin/*" element={<AdminRoute />} />
      <Route element={<Protected />}>
        <Route index element={<Navigate to="/chat" replace />} />
        <Route path="/chat/:sessionId?" element={<ChatPage />} />
        <Route path="/documents" element={<DocumentsPage />} />
        <Route path="/documents/:id" element={<DocumentDetailPage />} />
        <Route path="/traces/:sessionId?" element={<TracesPage />} />
        <Route
          path="/graph"
          element={
            <Suspense fallback={<LoadingBlock label="Loading graph…" />}>
              <GraphPage />
            </Suspense>
          }
        />
        <Route path="*" element={<Navigate to="/chat" replace />} />
      </Route>
    </Routes>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <AuthProvider>
          <ServerRecovery />
          <AppRoutes />
        </AuthProvider>
      </BrowserRouter>
    </QueryClientProvider>
  );
}
