import { useQueryClient } from '@tanstack/react-query';
import { Activity, LogOut, MessageSquare, Search, Trash2, UserPlus, Users } from 'lucide-react';
import { type ReactNode, useState } from 'react';
import { Link } from 'react-router';
import { Badge } from '../../../components/ui/Badge.tsx';
import { Button, IconButton } from '../../../components/ui/Button.tsx';
import { Card, EmptyState, PageHeader } from '../../../components/ui/Card.tsx';
import { ConfirmDialog } from '../../../components/ui/ConfirmDialog.tsx';
import { inputClass } from '../../../components/ui/Field.tsx';
import { ErrorNote } from '../../../components/ui/Spinner.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import type { AdminStats, TenantWithSignals } from '../../../lib/api-types.ts';
import { formatDate, formatNumber } from '../../../lib/format.ts';
import { useMediaQuery } from '../../../lib/use-media.ts';
import { filterTenants, maskKey, revokeTenant, SIGNAL_LABELS, type SortKey } from '../api/admin.ts';
import { AddPartner } from './AddPartner.tsx';
import { MaskedKey } from './MaskedKey.tsx';
import { SignalBadges } from './SignalBadges.tsx';

export function AdminDashboard({ stats, onLock }: { stats: AdminStats; onLock: () => void }) {
  const queryClient = useQueryClient();
  const wide = useMediaQuery('(min-width: 768px)');
  const [adding, setAdding] = useState(false);
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<'active' | 'revoked' | 'all'>('active');
  const [signal, setSignal] = useState('');
  const [sort, setSort] = useState<SortKey>('last_active');
  const [toRevoke, setToRevoke] = useState<TenantWithSignals | null>(null);
  const [revoking, setRevoking] = useState(false);
  const [revokeError, setRevokeError] = useState<string | null>(null);
  const tenants = filterTenants(stats.tenants, { search, status, signal, sort });
  const narrowed = search.trim() !== '' || signal !== '' || status !== 'active';

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

      <div className="grid grid-cols-3 gap-2 sm:gap-4">
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
        <div className="flex flex-col gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
          <div className="flex items-center justify-between gap-3">
            <h2 className="text-sm font-semibold">Partners</h2>
            <span className="text-xs text-zinc-600 dark:text-zinc-400" aria-live="polite">
              {tenants.length} of {stats.tenants.length}
            </span>
          </div>
          <div className="grid gap-2 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1fr]">
            <label className="relative block">
              <span className="sr-only">Search partners</span>
              <Search
                className="pointer-events-none absolute top-2.5 left-2.5 size-4 text-zinc-600 dark:text-zinc-400"
                aria-hidden
              />
              <input
                type="search"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
                placeholder="Search name, email or key"
                className={`${inputClass} pl-8`}
              />
            </label>
            <Select label="Status" value={status} onChange={(v) => setStatus(v as typeof status)}>
              <option value="active">Active</option>
              <option value="revoked">Revoked</option>
              <option value="all">All statuses</option>
            </Select>
            <Select label="Signal" value={signal} onChange={setSignal}>
              <option value="">Any signal</option>
              {Object.entries(SIGNAL_LABELS).map(([id, s]) => (
                <option key={id} value={id}>
                  {s.label}
                </option>
              ))}
              <option value="none">No signal</option>
            </Select>
            <Select label="Sort by" value={sort} onChange={(v) => setSort(v as SortKey)}>
              <option value="last_active">Last active</option>
              <option value="name">Name</option>
              <option value="queries">Most queries</option>
              <option value="created">Newest</option>
            </Select>
          </div>
        </div>
        {tenants.length === 0 ? (
          narrowed ? (
            <p className="px-4 py-8 text-center text-sm text-zinc-600 dark:text-zinc-400">
              No partner matches.{' '}
              <button
                type="button"
                className="font-medium text-accent-700 underline dark:text-accent-300"
                onClick={() => {
                  setSearch('');
                  setSignal('');
                  setStatus('active');
                }}
              >
                Clear the filters
              </button>
            </p>
          ) : (
            <EmptyState
              icon={<Users className="size-6" aria-hidden />}
              title="No partners yet"
              action={<Button onClick={() => setAdding(true)}>Add Partner</Button>}
            >
              Create the first design partner to get an access key and a welcome email.
            </EmptyState>
          )
        ) : wide ? (
          <PartnerTable tenants={tenants} onRevoke={setToRevoke} />
        ) : (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Design partners">
            {tenants.map((t) => (
              <PartnerCard key={t.key} t={t} onRevoke={setToRevoke} />
            ))}
          </ul>
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
          <strong className="font-medium break-words">{toRevoke?.name}</strong> (
          <span className="font-mono text-xs break-all">
            {toRevoke ? maskKey(toRevoke.access_key ?? toRevoke.key) : ''}
          </span>
          ) is signed out on their next action and cannot sign in again. Their data stays on disk.
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

function Select({
  label,
  value,
  onChange,
  children,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  children: ReactNode;
}) {
  return (
    <label className="block">
      <span className="sr-only">{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} className={inputClass} aria-label={label}>
        {children}
      </select>
    </label>
  );
}

const detailHref = (t: TenantWithSignals) => `/admin/tenants/${encodeURIComponent(t.key)}`;

function RevokeButton({ t, onRevoke }: { t: TenantWithSignals; onRevoke: (t: TenantWithSignals) => void }) {
  if (t.status !== 'active') return null;
  return (
    <IconButton label={`Revoke ${t.name}`} onClick={() => onRevoke(t)} className="size-10 hover:text-red-700 md:size-8">
      <Trash2 className="size-4" aria-hidden />
    </IconButton>
  );
}

function PartnerTable({
  tenants,
  onRevoke,
}: {
  tenants: TenantWithSignals[];
  onRevoke: (t: TenantWithSignals) => void;
}) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm">
        <caption className="sr-only">Design partners</caption>
        <thead className="bg-zinc-50 text-left text-xs font-medium tracking-wide text-zinc-600 uppercase dark:bg-zinc-900/60 dark:text-zinc-400">
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
                  to={detailHref(t)}
                  className="block truncate font-medium hover:text-accent-700 dark:hover:text-accent-300"
                >
                  {t.name}
                </Link>
                <span className="block truncate text-xs text-zinc-600 dark:text-zinc-400">{t.email}</span>
              </td>
              <td className="px-3 py-3 whitespace-nowrap">
                <MaskedKey value={t.access_key ?? t.key} name={t.name} />
              </td>
              <td className="px-3 py-3">
                <Badge tone={t.status === 'active' ? 'green' : 'neutral'}>{t.status}</Badge>
              </td>
              <td className="px-3 py-3 text-right tabular-nums" data-testid="tenant-queries">
                {formatNumber(t.query_count, 0)}
              </td>
              <td
                className="px-3 py-3 whitespace-nowrap text-zinc-700 dark:text-zinc-300"
                data-testid="tenant-last-active"
              >
                {formatDate(t.last_active)}
              </td>
              <td className="px-3 py-3">
                <SignalBadges signals={t.signals} />
              </td>
              <td className="px-3 py-3 text-right">
                <RevokeButton t={t} onRevoke={onRevoke} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Below 768 px: one card per partner, every field and the revoke control within the screen. */
function PartnerCard({ t, onRevoke }: { t: TenantWithSignals; onRevoke: (t: TenantWithSignals) => void }) {
  return (
    <li className="space-y-2 px-4 py-3" data-testid="tenant-row">
      <div className="flex items-start justify-between gap-2">
        <div className="min-w-0">
          <Link to={detailHref(t)} className="block font-medium break-words hover:text-accent-700">
            {t.name}
          </Link>
          <span className="block text-xs break-all text-zinc-600 dark:text-zinc-400">{t.email}</span>
        </div>
        <div className="flex shrink-0 items-center gap-1">
          <Badge tone={t.status === 'active' ? 'green' : 'neutral'}>{t.status}</Badge>
          <RevokeButton t={t} onRevoke={onRevoke} />
        </div>
      </div>
      <MaskedKey value={t.access_key ?? t.key} name={t.name} />
      <dl className="flex flex-wrap gap-x-4 gap-y-1 text-xs text-zinc-700 dark:text-zinc-300">
        <div className="flex gap-1">
          <dt className="text-zinc-600 dark:text-zinc-400">Queries</dt>
          <dd className="tabular-nums" data-testid="tenant-queries">
            {formatNumber(t.query_count, 0)}
          </dd>
        </div>
        <div className="flex gap-1">
          <dt className="text-zinc-600 dark:text-zinc-400">Last active</dt>
          <dd data-testid="tenant-last-active">{formatDate(t.last_active)}</dd>
        </div>
      </dl>
      <SignalBadges signals={t.signals} />
    </li>
  );
}

function StatCard({ label, value, icon }: { label: string; value: number; icon: ReactNode }) {
  return (
    <Card className="p-3 sm:p-5">
      <p className="flex items-center gap-2 text-xs text-zinc-600 sm:text-sm dark:text-zinc-400">
        <span className="hidden text-accent-600 sm:inline dark:text-accent-400">{icon}</span>
        {label}
      </p>
      <p
        className="mt-1 text-2xl font-semibold tracking-tight tabular-nums sm:mt-2 sm:text-3xl"
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
  // Each step counts partners that reached it and every step before (the server builds it so).
  const max = Math.max(1, funnel.created);
  return (
    <Card className="mt-4 p-5">
      <h2 className="mb-4 text-sm font-semibold">Activation funnel</h2>
      <ol className="grid grid-cols-2 gap-3 sm:grid-cols-5">
        {steps.map((s, i) => {
          const pct = Math.round((s.value / max) * 100);
          return (
            <li key={s.label}>
              <div className="flex items-baseline justify-between gap-2 text-xs text-zinc-600 dark:text-zinc-400">
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
