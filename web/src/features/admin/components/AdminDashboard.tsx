import { useQueryClient } from '@tanstack/react-query';
import { Activity, LogOut, MessageSquare, Trash2, UserPlus, Users } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { Badge } from '../../../components/ui/Badge.tsx';
import { Button, IconButton } from '../../../components/ui/Button.tsx';
import { Card, EmptyState, PageHeader } from '../../../components/ui/Card.tsx';
import { ConfirmDialog } from '../../../components/ui/ConfirmDialog.tsx';
import { ErrorNote, LoadingBlock } from '../../../components/ui/Spinner.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import type { AdminStats, TenantWithSignals } from '../../../lib/api-types.ts';
import { formatDate, formatNumber } from '../../../lib/format.ts';
import { revokeTenant, useAllTenants } from '../api/admin.ts';
import { AddPartner } from './AddPartner.tsx';
import { SignalBadges } from './SignalBadges.tsx';

export function AdminDashboard({ stats, onLock }: { stats: AdminStats; onLock: () => void }) {
  const queryClient = useQueryClient();
  const [adding, setAdding] = useState(false);
  const [showRevoked, setShowRevoked] = useState(false);
  const [toRevoke, setToRevoke] = useState<TenantWithSignals | null>(null);
  const [revoking, setRevoking] = useState(false);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const all = useAllTenants(showRevoked);
  const tenants = showRevoked ? (all.data ?? []) : stats.tenants.filter((t) => t.status === 'active');

  const confirmRevoke = async () => {
    if (!toRevoke) return;
    setRevoking(true);
    setRevokeError(null);
    try {
      await revokeTenant(toRevoke.key);
      setToRevoke(null);
      await queryClient.invalidateQueries({ queryKey: ['admin'] });
    } catch (err) {
      setRevokeError(errorMessage(err));
    } finally {
      setRevoking(false);
    }
  };

  return (
    <div className="mx-auto max-w-7xl px-4 py-8 sm:px-8">
      <PageHeader
        title="Admin"
        description="Design partners, engagement and feedback."
        actions={
          <>
            <Button variant="ghost" size="sm" onClick={onLock} icon={<LogOut className="size-4" aria-hidden />}>
              Lock admin
            </Button>
            <Button onClick={() => setAdding(true)} icon={<UserPlus className="size-4" aria-hidden />}>
              Add Partner
            </Button>
          </>
        }
      />
      {adding ? <AddPartner onClose={() => setAdding(false)} /> : null}

      <div className="grid gap-4 sm:grid-cols-3">
        <StatCard
          label="Active Partners"
          value={stats.active_partners}
          icon={<Users className="size-4" aria-hidden />}
        />
        <StatCard
          label="Total Queries"
          value={stats.total_queries}
          icon={<MessageSquare className="size-4" aria-hidden />}
        />
        <StatCard
          label="Have Logged In"
          value={stats.have_logged_in}
          icon={<Activity className="size-4" aria-hidden />}
        />
      </div>

      <Funnel funnel={stats.funnel} />

      <Card className="mt-8 overflow-hidden">
        <div className="flex flex-wrap items-center justify-between gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
          <h2 className="text-sm font-semibold">Partners</h2>
          <label className="flex items-center gap-2 text-sm text-zinc-600 dark:text-zinc-400">
            <input
              type="checkbox"
              checked={showRevoked}
              onChange={(e) => setShowRevoked(e.target.checked)}
              className="size-4 accent-accent-600"
            />
            Show revoked
          </label>
        </div>
        {showRevoked && all.isPending ? (
          <LoadingBlock />
        ) : showRevoked && all.isError ? (
          <div className="p-4">
            <ErrorNote>{errorMessage(all.error)}</ErrorNote>
          </div>
        ) : tenants.length === 0 ? (
          <EmptyState
            icon={<Users className="size-6" aria-hidden />}
            title="No partners yet"
            action={<Button onClick={() => setAdding(true)}>Add Partner</Button>}
          >
            Create the first design partner to get an access key and a welcome email.
          </EmptyState>
        ) : (
          <div className="overflow-x-auto">
            <table className="w-full text-sm">
              <caption className="sr-only">Design partners</caption>
              <thead className="bg-zinc-50 text-left text-xs font-medium tracking-wide text-zinc-500 uppercase dark:bg-zinc-900/60">
                <tr>
                  <th scope="col" className="px-4 py-2.5">
                    Partner
                  </th>
                  <th scope="col" className="px-3 py-2.5">
                    Key
                  </th>
                  <th scope="col" className="px-3 py-2.5">
                    Status
                  </th>
                  <th scope="col" className="px-3 py-2.5 text-right">
                    Queries
                  </th>
                  <th scope="col" className="px-3 py-2.5">
                    Last active
                  </th>
                  <th scope="col" className="px-3 py-2.5">
                    Signals &amp; suggested action
                  </th>
                  <th scope="col" className="px-3 py-2.5">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {tenants.map((t) => (
                  <tr
                    key={t.key}
                    className="align-top hover:bg-zinc-50/70 dark:hover:bg-zinc-800/40"
                    data-testid="tenant-row"
                  >
                    <td className="max-w-56 px-4 py-3">
                      <Link
                        to={`/admin/tenants/${encodeURIComponent(t.key)}`}
                        className="block truncate font-medium hover:text-accent-600 dark:hover:text-accent-400"
                      >
                        {t.name}
                      </Link>
                      <span className="block truncate text-xs text-zinc-500">{t.email}</span>
                    </td>
                    <td className="px-3 py-3 font-mono text-xs whitespace-nowrap text-zinc-600 dark:text-zinc-400">
                      {t.key}
                    </td>
                    <td className="px-3 py-3">
                      <Badge tone={t.status === 'active' ? 'green' : 'neutral'}>{t.status}</Badge>
                    </td>
                    <td className="px-3 py-3 text-right tabular-nums" data-testid="tenant-queries">
                      {formatNumber(t.query_count, 0)}
                    </td>
                    <td
                      className="px-3 py-3 whitespace-nowrap text-zinc-600 dark:text-zinc-400"
                      data-testid="tenant-last-active"
                    >
                      {formatDate(t.last_active)}
                    </td>
                    <td className="px-3 py-3">
                      <SignalBadges signals={t.signals} />
                    </td>
                    <td className="px-3 py-3 text-right">
                      {t.status === 'active' ? (
                        <IconButton
                          label={`Revoke ${t.name}`}
                          onClick={() => setToRevoke(t)}
                          className="hover:text-red-600"
                        >
                          <Trash2 className="size-4" aria-hidden />
                        </IconButton>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>

      <ConfirmDialog
        open={toRevoke !== null}
        title="Revoke this partner's access?"
        confirmLabel={revoking ? 'Revoking…' : 'Revoke access'}
        danger
        busy={revoking}
        onConfirm={confirmRevoke}
        onCancel={() => {
          setToRevoke(null);
          setRevokeError(null);
        }}
      >
        <p>
          <strong className="font-medium break-all">{toRevoke?.name}</strong> (
          <span className="font-mono text-xs">{toRevoke?.key}</span>) is signed out on their next action and cannot sign
          in again. Their data stays on disk.
        </p>
        {revokeError ? (
          <div className="mt-3">
            <ErrorNote>{revokeError}</ErrorNote>
          </div>
        ) : null}
      </ConfirmDialog>
    </div>
  );
}

function StatCard({ label, value, icon }: { label: string; value: number; icon: ReactNode }) {
  return (
    <Card className="p-5">
      <p className="flex items-center gap-2 text-sm text-zinc-500">
        <span className="text-accent-600 dark:text-accent-400">{icon}</span>
        {label}
      </p>
      <p
        className="mt-2 text-3xl font-semibold tracking-tight tabular-nums"
        data-testid={`stat-${label.toLowerCase().replace(/ /g, '-')}`}
      >
        {formatNumber(value, 0)}
      </p>
    </Card>
  );
}

function Funnel({ funnel }: { funnel: AdminStats['funnel'] }) {
  const steps = [
    { label: 'Created', value: funnel.created },
    { label: 'Logged in', value: funnel.logged_in },
    { label: 'Uploaded', value: funnel.uploaded },
    { label: 'Asked', value: funnel.asked },
    { label: 'Active this week', value: funnel.active_this_week },
  ];
  const max = Math.max(1, funnel.created);
  return (
    <Card className="mt-4 p-5">
      <h2 className="mb-4 text-sm font-semibold">Activation funnel</h2>
      <ol className="grid gap-3 sm:grid-cols-5">
        {steps.map((s, i) => {
          const pct = Math.round((s.value / max) * 100);
          return (
            <li key={s.label}>
              <div className="flex items-baseline justify-between gap-2 text-xs text-zinc-500">
                <span>
                  {i + 1}. {s.label}
                </span>
                <span>{pct}%</span>
              </div>
              <p className="mt-1 text-xl font-semibold tabular-nums">{s.value}</p>
              <div className="mt-2 h-2 overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800" aria-hidden>
                <div
                  className="h-full rounded-full bg-accent-500"
                  style={{ width: `${pct}%`, opacity: 1 - i * 0.12 }}
                />
              </div>
            </li>
          );
        })}
      </ol>
    </Card>
  );
}
