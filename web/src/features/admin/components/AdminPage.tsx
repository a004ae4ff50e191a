import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import { Route, Routes } from 'react-router';
import { ErrorNote, LoadingBlock } from '../../../components/ui/Spinner.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import { useAdminStats } from '../api/admin.ts';
import { AdminAuthError, clearAdminSecret, getAdminSecret } from '../api/admin-client.ts';
import { AdminDashboard } from './AdminDashboard.tsx';
import { AdminGate } from './AdminGate.tsx';
import { PartnerDetailPage } from './PartnerDetailPage.tsx';

/** The operator's area: asks for the secret, then the dashboard and partner details. */
export function AdminPage() {
  const queryClient = useQueryClient();
  const [unlocked, setUnlocked] = useState(() => Boolean(getAdminSecret()));
  const [gateError, setGateError] = useState<string | null>(null);
  const stats = useAdminStats(unlocked);

  const lock = useCallback(
    (message: string | null) => {
      clearAdminSecret();
      queryClient.removeQueries({ queryKey: ['admin'] });
      setGateError(message);
      setUnlocked(false);
    },
    [queryClient],
  );

  // A wrong/expired secret or a disabled admin API sends the operator back to the prompt, saying why.
  useEffect(() => {
    if (stats.error instanceof AdminAuthError) lock(stats.error.message);
  }, [stats.error, lock]);

  if (!unlocked) {
    return (
      <AdminGate
        initialError={gateError}
        onUnlocked={() => {
          setGateError(null);
          setUnlocked(true);
        }}
      />
    );
  }
  if (stats.isPending) return <LoadingBlock label="Loading partners…" />;
  if (stats.isError) {
    return (
      <div className="p-8">
        <ErrorNote>{errorMessage(stats.error)}</ErrorNote>
      </div>
    );
  }
  return (
    <Routes>
      <Route index element={<AdminDashboard stats={stats.data} onLock={() => lock(null)} />} />
      <Route path="tenants/:key" element={<PartnerDetailPage onAuthError={lock} />} />
    </Routes>
  );
}
