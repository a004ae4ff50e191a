import { Eye, EyeOff, KeyRound, Shield } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Link, Navigate, useNavigate } from 'react-router';
import { useAuth } from '../../../app/auth.tsx';
import { Button } from '../../../components/ui/Button.tsx';
import { Field, Input } from '../../../components/ui/Field.tsx';
import { ErrorNote } from '../../../components/ui/Spinner.tsx';
import { normalizeAccessKey } from '../../../lib/access-key.ts';
import { errorMessage } from '../../../lib/api-client.ts';
import { takeLogoutReason } from '../../../lib/session.ts';
import { readItem } from '../../../lib/storage.ts';
import { login } from '../api/login.ts';

export function LoginPage() {
  const { tenant, signIn } = useAuth();
  const navigate = useNavigate();
  const [key, setKey] = useState('');
  const [show, setShow] = useState(false);
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  // Read once: the reason we were sent here (revoked key, expired session).
  const [error, setError] = useState<string | null>(() => takeLogoutReason());
  // A question that was not sent when the key stopped working is kept for after signing in.
  const [draft] = useState(() => readItem('session', 'oo.chat_draft'));

  if (tenant) return <Navigate to="/chat" replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const accessKey = normalizeAccessKey(key);
    setKey(accessKey);
    if (!accessKey) {
      setError('Enter the access key from your welcome email.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await login(accessKey);
      signIn(accessKey, result.tenant, remember);
      navigate('/chat', { replace: true });
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="flex min-h-dvh items-center justify-center bg-gradient-to-b from-zinc-50 to-zinc-100 px-4 py-10 dark:from-zinc-950 dark:to-zinc-900">
      <div className="w-full max-w-sm">
        <div className="mb-8 flex flex-col items-center text-center">
          <Logo />
          <h1 className="mt-4 text-2xl font-semibold tracking-tight">Welcome to OpsOrchestra</h1>
          <p className="mt-1 text-sm text-balance text-zinc-600 dark:text-zinc-400">
            Your AI operations analyst. Sign in with your access key.
          </p>
        </div>
        <form
          onSubmit={submit}
          className="space-y-5 rounded-2xl border border-zinc-200 bg-white p-6 shadow-sm dark:border-zinc-800 dark:bg-zinc-900"
          noValidate
        >
          {error ? <ErrorNote>{error}</ErrorNote> : null}
          {draft ? (
            <p
              className="rounded-lg bg-zinc-100 px-3 py-2 text-sm text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
              data-testid="kept-question"
            >
              Your unsent question is kept: “{draft.length > 80 ? `${draft.slice(0, 80)}…` : draft}”. It will be in the
              box after you sign in.
            </p>
          ) : null}
          <Field label="Access key" hint="It looks like acme_corp_A1B2C3D4 and is in your welcome email.">
            {(id, describedBy) => (
              <div className="relative">
                <Input
                  id={id}
                  aria-describedby={describedBy}
                  type={show ? 'text' : 'password'}
                  autoComplete="current-password"
                  autoCapitalize="off"
                  autoCorrect="off"
                  spellCheck={false}
                  value={key}
                  onChange={(e) => setKey(e.target.value)}
                  onPaste={(e) => {
                    e.preventDefault();
                    setKey(normalizeAccessKey(e.clipboardData.getData('text')));
                  }}
                  className="pr-10 font-mono"
                  autoFocus
                />
                <button
                  type="button"
                  onClick={() => setShow((s) => !s)}
                  aria-label={show ? 'Hide access key' : 'Show access key'}
                  aria-pressed={show}
                  className="absolute inset-y-0 right-0 flex w-10 items-center justify-center rounded-r-lg text-zinc-600 dark:text-zinc-400 hover:text-zinc-800 dark:hover:text-zinc-200"
                >
                  {show ? <EyeOff className="size-4" aria-hidden /> : <Eye className="size-4" aria-hidden />}
                </button>
              </div>
            )}
          </Field>
          <label className="flex items-center gap-2 text-sm text-zinc-700 dark:text-zinc-300">
            <input
              type="checkbox"
              checked={remember}
              onChange={(e) => setRemember(e.target.checked)}
              className="size-4 rounded border-zinc-300 accent-accent-600"
            />
            Remember me on this device
          </label>
          <Button type="submit" className="w-full" disabled={busy} icon={<KeyRound className="size-4" aria-hidden />}>
            {busy ? 'Signing in…' : 'Sign in'}
          </Button>
        </form>
        <p className="mt-6 text-center text-xs text-zinc-600 dark:text-zinc-400">
          <Link to="/admin" className="inline-flex items-center gap-1 hover:text-zinc-800 dark:hover:text-zinc-200">
            <Shield className="size-3.5" aria-hidden /> Operator admin
          </Link>
        </p>
      </div>
    </main>
  );
}

export function Logo({ small }: { small?: boolean }) {
  return (
    <div
      className={`flex items-center justify-center rounded-xl bg-accent-600 text-white shadow-sm ${small ? 'size-8' : 'size-11'}`}
      aria-hidden
    >
      <svg viewBox="0 0 32 32" className={small ? 'size-5' : 'size-7'} fill="none">
        <title>OpsOrchestra</title>
        <path
          d="M7 22l6-7 5 5 7-10"
          stroke="currentColor"
          strokeWidth="2.6"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
    </div>
  );
}
