import { useQueryClient } from '@tanstack/react-query';
import { Mail, TriangleAlert, UserPlus, X } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import { Button, IconButton } from '../../../components/ui/Button.tsx';
import { Card } from '../../../components/ui/Card.tsx';
import { CopyButton } from '../../../components/ui/CopyButton.tsx';
import { Field, Input, Textarea } from '../../../components/ui/Field.tsx';
import { ErrorNote } from '../../../components/ui/Spinner.tsx';
import { ApiError, errorMessage } from '../../../lib/api-client.ts';
import type { TenantRecord, WelcomeEmail } from '../../../lib/api-types.ts';
import { createTenant, welcomeMailto } from '../api/admin.ts';

export function AddPartner({ onClose }: { onClose: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<{ tenant: TenantRecord; welcome_email: WelcomeEmail | null } | null>(null);
  /** The server found a partner with the same name or email: said plainly, created only on "Create anyway". */
  const [duplicate, setDuplicate] = useState<string | null>(null);

  const create = async (allowDuplicate: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const result = await createTenant({
        name: name.trim(),
        email: email.trim(),
        ...(notes.trim() ? { notes: notes.trim() } : {}),
        on_duplicate: allowDuplicate ? 'create' : 'refuse',
      });
      setDuplicate(null);
      setCreated(result);
      void queryClient.invalidateQueries({ queryKey: ['admin'] });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'duplicate_tenant') setDuplicate(err.message);
      else setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create(false);
  };

  return (
    <Card className="mb-8 p-6">
      <div className="mb-4 flex items-start justify-between gap-4">
        <div>
          <h2 className="text-base font-semibold">{created ? 'Partner created' : 'Add a design partner'}</h2>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {created
              ? 'Share the access key with the partner; the welcome email below has everything.'
              : 'A unique access key is generated for them.'}
          </p>
        </div>
        <IconButton label="Close" onClick={onClose}>
          <X className="size-4" aria-hidden />
        </IconButton>
      </div>
      {created ? (
        <div className="space-y-5">
          <div>
            <p className="mb-1.5 text-sm font-medium text-zinc-700 dark:text-zinc-300">
              Access key for {created.tenant.name}
            </p>
            <div className="flex flex-wrap items-center gap-2">
              <code
                className="rounded-lg border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-sm break-all dark:border-zinc-700 dark:bg-zinc-950"
                data-testid="new-access-key"
              >
                {created.tenant.access_key ?? created.tenant.key}
              </code>
              <CopyButton text={created.tenant.access_key ?? created.tenant.key} label="Copy key" size="md" />
            </div>
          </div>
          {created.welcome_email ? <WelcomeEmailBox to={created.tenant.email} email={created.welcome_email} /> : null}
          <Button
            variant="secondary"
            onClick={() => {
              setCreated(null);
              setName('');
              setEmail('');
              setNotes('');
            }}
            icon={<UserPlus className="size-4" aria-hidden />}
          >
            Add another
          </Button>
        </div>
      ) : (
        <form onSubmit={submit} className="grid gap-4 sm:grid-cols-2">
          <Field label="Company name">
            {(id) => (
              <Input
                id={id}
                required
                maxLength={120}
                value={name}
                onChange={(e) => {
                  setName(e.target.value);
                  setDuplicate(null);
                }}
                autoFocus
              />
            )}
          </Field>
          <Field label="Contact email">
            {(id) => (
              <Input
                id={id}
                type="email"
                required
                value={email}
                onChange={(e) => {
                  setEmail(e.target.value);
                  setDuplicate(null);
                }}
              />
            )}
          </Field>
          <div className="sm:col-span-2">
            <Field label="Notes (optional)">
              {(id) => (
                <Textarea id={id} rows={2} maxLength={2000} value={notes} onChange={(e) => setNotes(e.target.value)} />
              )}
            </Field>
          </div>
          {error ? (
            <div className="sm:col-span-2">
              <ErrorNote>{error}</ErrorNote>
            </div>
          ) : null}
          {duplicate ? (
            <div
              role="alert"
              className="flex flex-col gap-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 sm:col-span-2 dark:border-amber-800 dark:bg-amber-950/50 dark:text-amber-100"
              data-testid="duplicate-warning"
            >
              <p className="flex items-start gap-2">
                <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
                <span>
                  <strong className="font-semibold">This partner may already exist.</strong>{' '}
                  {duplicate.replace(/ Send "on_duplicate": "create" to create another one\.$/, '')} Check the list
                  before creating a second one.
                </span>
              </p>
              <div className="flex flex-wrap justify-end gap-2">
                <Button variant="secondary" size="sm" onClick={() => setDuplicate(null)}>
                  Change details
                </Button>
                <Button size="sm" onClick={() => void create(true)} disabled={busy}>
                  Create anyway
                </Button>
              </div>
            </div>
          ) : null}
          <div className="flex justify-end gap-2 sm:col-span-2">
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" disabled={busy} icon={<UserPlus className="size-4" aria-hidden />}>
              {busy ? 'Creating…' : 'Create partner'}
            </Button>
          </div>
        </form>
      )}
    </Card>
  );
}

export function WelcomeEmailBox({ to, email }: { to: string; email: WelcomeEmail }) {
  return (
    <div>
      <p className="mb-1.5 text-sm font-medium text-zinc-700 dark:text-zinc-300">Welcome email</p>
      <div className="rounded-lg border border-zinc-200 dark:border-zinc-700">
        <p className="border-b border-zinc-200 px-3 py-2 text-sm dark:border-zinc-700">
          <span className="text-zinc-600 dark:text-zinc-400">Subject: </span>
          {email.subject}
        </p>
        <pre
          className="max-h-64 overflow-auto px-3 py-2 font-sans text-sm whitespace-pre-wrap"
          data-testid="welcome-email-body"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box must be reachable by keyboard
          tabIndex={0}
        >
          {email.body}
        </pre>
      </div>
      <div className="mt-2 flex flex-wrap gap-2">
        <CopyButton text={`Subject: ${email.subject}\n\n${email.body}`} label="Copy email" />
        <a
          href={welcomeMailto(to, email)}
          className="inline-flex h-8 items-center gap-1.5 rounded-lg border border-zinc-300 bg-white px-2.5 text-[13px] font-medium shadow-sm hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
        >
          <Mail className="size-4" aria-hidden /> Open in mail app
        </a>
      </div>
    </div>
  );
}
