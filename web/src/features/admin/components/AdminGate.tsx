import { Shield } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Button } from '../../../components/ui/Button.tsx';
import { Field, Input } from '../../../components/ui/Field.tsx';
import { ErrorNote } from '../../../components/ui/Spinner.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import type { AdminStats } from '../../../lib/api-types.ts';
import { adminApi, setAdminSecret } from '../api/admin-client.ts';

/** Asks for ADMIN_SECRET and checks it against the server before keeping it (session only). */
export function AdminGate({ initialError, onUnlocked }: { initialError: string | null; onUnlocked: () => void }) {
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(initialError);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = secret.trim();
    if (!value) return setError('Enter the admin secret.');
    setBusy(true);
    setError(null);
    try {
      await adminApi<AdminStats>('/api/admin/stats', { secret: value });
      setAdminSecret(value);
      onUnlocked();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="flex min-h-[70vh] items-center justify-center px-4">
      <form
        onSubmit={submit}
        className="w-full max-w-sm space-y-5 rounded-2xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
      >
        <div className="flex items-center gap-3">
          <div className="flex size-10 items-center justify-center rounded-full bg-accent-50 text-accent-600 dark:bg-accent-950 dark:text-accent-400">
            <Shield className="size-5" aria-hidden />
          </div>
          <div>
            <h1 className="text-lg font-semibold">Operator admin</h1>
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Partners, usage and feedback.</p>
          </div>
        </div>
        {error ? <ErrorNote>{error}</ErrorNote> : null}
        <Field label="Admin secret" hint="The server's ADMIN_SECRET. Kept only until you close this tab.">
          {(id, describedBy) => (
            <Input
              id={id}
              aria-describedby={describedBy}
              type="password"
              autoComplete="off"
              value={secret}
              onChange={(e) => setSecret(e.target.value)}
              autoFocus
            />
          )}
        </Field>
        <Button type="submit" className="w-full" disabled={busy}>
          {busy ? 'Checking…' : 'Open admin'}
        </Button>
      </form>
    </div>
  );
}
