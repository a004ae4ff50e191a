import { useQueryClient } from '@tanstack/react-query';
import { ArrowLeft, KeyRound, Mail, Pencil, ThumbsDown, ThumbsUp, X } from 'lucide-react';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { Badge } from '../../../components/ui/Badge.tsx';
import { Button, IconButton } from '../../../components/ui/Button.tsx';
import { Card } from '../../../components/ui/Card.tsx';
import { ConfirmDialog } from '../../../components/ui/ConfirmDialog.tsx';
import { CopyButton } from '../../../components/ui/CopyButton.tsx';
import { Field, Input, Textarea } from '../../../components/ui/Field.tsx';
import { ErrorNote, LoadingBlock } from '../../../components/ui/Spinner.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import type { FeedbackComment, TenantDetail, TenantRecord, WelcomeEmail } from '../../../lib/api-types.ts';
import { formatBytes, formatDate, formatDateTime, formatNumber } from '../../../lib/format.ts';
import { editTenant, getWelcomeEmail, rotateKey, usageByDay, useTenantDetail, welcomeMailto } from '../api/admin.ts';
import { AdminAuthError } from '../api/admin-client.ts';
import { WelcomeEmailBox } from './AddPartner.tsx';
import { MaskedKey } from './MaskedKey.tsx';
import { SignalBadges } from './SignalBadges.tsx';

const QUESTION_LABELS: Record<string, string> = {
  first_impression: 'First impression',
  questions_and_help: 'What they asked, and whether it helped',
  uploaded: 'What they uploaded',
  missing: 'What is missing',
  recommend: 'Would recommend',
  recommend_why: 'Why',
};

export function PartnerDetailPage({ onAuthError }: { onAuthError: (message: string) => void }) {
  const { key } = useParams();
  const detail = useTenantDetail(key);

  useEffect(() => {
    if (detail.error instanceof AdminAuthError) onAuthError(detail.error.message);
  }, [detail.error, onAuthError]);

  return (
    <div className="mx-auto max-w-6xl px-4 py-8 sm:px-8">
      <Link
        to="/admin"
        className="mb-4 inline-flex items-center gap-1 text-sm text-zinc-600 dark:text-zinc-400 hover:text-zinc-900 dark:hover:text-zinc-100"
      >
        <ArrowLeft className="size-4" aria-hidden /> All partners
      </Link>
      {detail.isPending ? (
        <LoadingBlock />
      ) : detail.isError ? (
        <ErrorNote>{errorMessage(detail.error)}</ErrorNote>
      ) : (
        <Detail detail={detail.data} />
      )}
    </div>
  );
}

function Detail({ detail }: { detail: TenantDetail }) {
  const queryClient = useQueryClient();
  const t = detail.tenant;
  const [editing, setEditing] = useState(false);
  const [confirmRotate, setConfirmRotate] = useState(false);
  const [rotating, setRotating] = useState(false);
  const [rotateError, setRotateError] = useState<string | null>(null);
  const [rotated, setRotated] = useState<{ access_key: string; welcome_email: WelcomeEmail } | null>(null);

  const rotate = async () => {
    setRotating(true);
    setRotateError(null);
    try {
      const r = await rotateKey(t.key);
      setRotated({ access_key: r.access_key, welcome_email: r.welcome_email });
      setConfirmRotate(false);
      void queryClient.invalidateQueries({ queryKey: ['admin'] });
    } catch (err) {
      setRotateError(errorMessage(err));
    } finally {
      setRotating(false);
    }
  };
  const feedback = detail.feedback ?? { up: 0, down: 0, comments: [], questionnaire: null };
  const disk = detail.disk ?? { documents: 0, sessions: 0, bytes: 0 };
  const usage = usageByDay(t.queries_by_day ?? {}, new Date(), 30);
  const peak = Math.max(1, ...usage.map((u) => u.count));
  const q = feedback.questionnaire;
  const [email, setEmail] = useState<WelcomeEmail | null>(null);

  return (
    <>
      <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-xl font-semibold tracking-tight break-words">{t.name}</h1>
          <p className="mt-1 flex flex-wrap items-center gap-2 text-sm text-zinc-600 dark:text-zinc-600 dark:text-zinc-400">
            <span className="break-all">{t.email}</span>
            <MaskedKey value={t.access_key ?? t.key} name={t.name} />
            <Badge tone={t.status === 'active' ? 'green' : 'neutral'}>{t.status}</Badge>
          </p>
          {t.key_rotated_at ? (
            <p className="mt-1 text-xs text-zinc-600 dark:text-zinc-600 dark:text-zinc-400">
              Key rotated {formatDateTime(t.key_rotated_at)}
            </p>
          ) : null}
          {t.notes ? (
            <p className="mt-2 max-w-2xl text-sm whitespace-pre-wrap text-zinc-600 dark:text-zinc-600 dark:text-zinc-400">
              {t.notes}
            </p>
          ) : null}
        </div>
        <div className="flex flex-wrap gap-2">
          <Button variant="secondary" onClick={() => setEditing(true)} icon={<Pencil className="size-4" aria-hidden />}>
            Edit partner
          </Button>
          {t.status === 'active' ? (
            <>
              <Button
                variant="secondary"
                onClick={() => setConfirmRotate(true)}
                icon={<KeyRound className="size-4" aria-hidden />}
              >
                Rotate key
              </Button>
              <Button
                variant="secondary"
                onClick={() =>
                  void getWelcomeEmail(t.key)
                    .then(setEmail)
                    .catch(() => undefined)
                }
                icon={<Mail className="size-4" aria-hidden />}
              >
                Welcome email
              </Button>
            </>
          ) : null}
        </div>
      </div>

      {editing ? <EditPartner tenant={t} onClose={() => setEditing(false)} /> : null}

      {rotated ? (
        <Card className="mb-6 space-y-4 border-amber-300 p-5 dark:border-amber-800" data-testid="rotated-key">
          <div>
            <h2 className="text-base font-semibold">New access key for {t.name}</h2>
            <p className="text-sm text-zinc-600 dark:text-zinc-600 dark:text-zinc-400">
              The previous key stopped working just now. Same data, same conversations. Send the partner the new welcome
              email.
            </p>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <code
              className="rounded-lg border border-zinc-200 bg-zinc-50 px-3 py-2 font-mono text-sm break-all dark:border-zinc-700 dark:bg-zinc-950"
              data-testid="new-access-key"
            >
              {rotated.access_key}
            </code>
            <CopyButton text={rotated.access_key} label="Copy key" size="md" />
          </div>
          <WelcomeEmailBox to={t.email} email={rotated.welcome_email} />
        </Card>
      ) : null}

      <ConfirmDialog
        open={confirmRotate}
        title="Give this partner a new key?"
        confirmLabel={rotating ? 'Rotating…' : 'Rotate key'}
        danger
        busy={rotating}
        onConfirm={() => void rotate()}
        onCancel={() => {
          setConfirmRotate(false);
          setRotateError(null);
        }}
      >
        <p>
          <strong className="font-medium break-words">{t.name}</strong> gets a new access key. The current key stops
          working at once (anyone signed in with it is signed out); their documents and conversations stay.
        </p>
        {rotateError ? (
          <div className="mt-3">
            <ErrorNote>{rotateError}</ErrorNote>
          </div>
        ) : null}
      </ConfirmDialog>

      {email ? (
        <Card className="mb-6 p-4">
          <p className="text-sm">
            <span className="text-zinc-600 dark:text-zinc-600 dark:text-zinc-400">Subject: </span>
            {email.subject}
          </p>
          <pre
            className="mt-2 max-h-56 overflow-auto font-sans text-sm whitespace-pre-wrap"
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling box must be reachable by keyboard
            tabIndex={0}
          >
            {email.body}
          </pre>
          <div className="mt-3 flex gap-2">
            <CopyButton text={`Subject: ${email.subject}\n\n${email.body}`} label="Copy email" />
            <a
              href={welcomeMailto(t.email, email)}
              className="inline-flex h-8 items-center gap-1.5 rounded-lg border border-zinc-300 px-2.5 text-[13px] font-medium dark:border-zinc-700"
            >
              <Mail className="size-4" aria-hidden /> Open in mail app
            </a>
          </div>
        </Card>
      ) : null}

      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Fact label="Queries" value={formatNumber(t.query_count, 0)} />
        <Fact label="Last active" value={formatDate(t.last_active)} />
        <Fact label="Logins" value={`${t.login_count} · last ${formatDate(t.last_login_at)}`} />
        <Fact
          label="Data on disk"
          value={`${disk.documents} docs · ${disk.sessions} sessions · ${formatBytes(disk.bytes)}`}
        />
        {detail.storage ? (
          <Fact
            label="Storage quota"
            value={
              detail.storage.quota_bytes > 0
                ? `${formatBytes(detail.storage.stored_bytes)} of ${formatBytes(detail.storage.quota_bytes)}`
                : `${formatBytes(detail.storage.stored_bytes)} · no quota`
            }
          />
        ) : null}
      </div>

      <div className="mt-6 grid gap-4 lg:grid-cols-[2fr_1fr]">
        <Card className="p-5">
          <h2 className="mb-4 text-sm font-semibold">Queries per day (last 30 days)</h2>
          <div className="flex h-32 items-end gap-[3px]" role="img" aria-label={`Queries per day, peak ${peak}`}>
            {usage.map((u) => (
              <div key={u.date} className="group relative flex h-full flex-1 items-end">
                <div
                  className="w-full rounded-t-sm bg-accent-500/80 transition-colors group-hover:bg-accent-600"
                  style={{
                    height: `${u.count === 0 ? 2 : Math.max(6, (u.count / peak) * 100)}%`,
                    opacity: u.count === 0 ? 0.25 : 1,
                  }}
                  title={`${u.date}: ${u.count}`}
                />
              </div>
            ))}
          </div>
          <div className="mt-1 flex justify-between text-[11px] text-zinc-600 dark:text-zinc-400">
            <span>{usage[0]?.date}</span>
            <span>{usage[usage.length - 1]?.date}</span>
          </div>
          <p className="mt-3 text-xs text-zinc-600 dark:text-zinc-600 dark:text-zinc-400">
            Tokens used: {formatNumber(t.tokens.input + t.tokens.output, 0)} · created {formatDateTime(t.created_at)}
          </p>
        </Card>
        <Card className="p-5">
          <h2 className="mb-3 text-sm font-semibold">Engagement signals</h2>
          {detail.signals.length > 0 ? (
            <SignalBadges signals={detail.signals} />
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-600 dark:text-zinc-400">
              No signals: nothing needs attention.
            </p>
          )}
        </Card>
      </div>

      <div className="mt-6 grid gap-4 lg:grid-cols-2">
        <Card className="p-5">
          <h2 className="mb-3 flex items-center gap-4 text-sm font-semibold">
            Answer feedback
            <span className="inline-flex items-center gap-1 font-normal text-emerald-600">
              <ThumbsUp className="size-4" aria-hidden /> {feedback.up}
            </span>
            <span className="inline-flex items-center gap-1 font-normal text-red-600">
              <ThumbsDown className="size-4" aria-hidden /> {feedback.down}
            </span>
          </h2>
          {feedback.comments.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-600 dark:text-zinc-400">No comments yet.</p>
          ) : (
            <ul className="space-y-2">
              {feedback.comments.map((c, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: comments have no id
                <CommentItem key={i} comment={c} />
              ))}
            </ul>
          )}
        </Card>
        <Card className="p-5">
          <h2 className="mb-3 text-sm font-semibold">Questionnaire</h2>
          {q ? (
            <dl className="space-y-3 text-sm">
              {Object.entries(QUESTION_LABELS).map(([field, label]) => {
                const value = (q as Record<string, unknown>)[field];
                return typeof value === 'string' && value ? (
                  <div key={field}>
                    <dt className="text-xs text-zinc-600 dark:text-zinc-600 dark:text-zinc-400">{label}</dt>
                    <dd className="whitespace-pre-wrap" data-testid={`answer-${field}`}>
                      {value}
                    </dd>
                  </div>
                ) : null;
              })}
              {q.submitted_at ? (
                <p className="text-xs text-zinc-600 dark:text-zinc-400">Submitted {formatDateTime(q.submitted_at)}</p>
              ) : null}
            </dl>
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-600 dark:text-zinc-400">Not answered yet.</p>
          )}
        </Card>
      </div>
    </>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <Card className="p-4">
      <p className="text-xs text-zinc-600 dark:text-zinc-600 dark:text-zinc-400">{label}</p>
      <p className="mt-1 text-sm font-medium">{value}</p>
    </Card>
  );
}

function CommentItem({ comment }: { comment: FeedbackComment | string }) {
  if (typeof comment === 'string')
    return <li className="rounded-lg bg-zinc-50 px-3 py-2 text-sm dark:bg-zinc-950">{comment}</li>;
  return (
    <li className="rounded-lg bg-zinc-50 px-3 py-2 text-sm dark:bg-zinc-950">
      <div className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-600 dark:text-zinc-400">
        {comment.rating === 'up' ? <ThumbsUp className="size-3.5 text-emerald-600" aria-label="Helpful" /> : null}
        {comment.rating === 'down' ? <ThumbsDown className="size-3.5 text-red-600" aria-label="Not helpful" /> : null}
        {comment.ts || comment.created_at ? <span>{formatDateTime(comment.ts ?? comment.created_at)}</span> : null}
      </div>
      {comment.comment ? <p className="mt-1 whitespace-pre-wrap">{comment.comment}</p> : null}
    </li>
  );
}

/** Correct a partner's name, email or notes (the key and data stay). */
function EditPartner({ tenant, onClose }: { tenant: TenantRecord; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState(tenant.name);
  const [email, setEmail] = useState(tenant.email);
  const [notes, setNotes] = useState(tenant.notes);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await editTenant(tenant.key, { name: name.trim(), email: email.trim(), notes });
      await queryClient.invalidateQueries({ queryKey: ['admin'] });
      onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className="mb-6 p-5">
      <div className="mb-4 flex items-start justify-between gap-4">
        <h2 className="text-base font-semibold">Edit partner</h2>
        <IconButton label="Close" onClick={onClose}>
          <X className="size-4" aria-hidden />
        </IconButton>
      </div>
      <form onSubmit={submit} className="grid gap-4 sm:grid-cols-2">
        <Field label="Company name">
          {(id) => <Input id={id} required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />}
        </Field>
        <Field label="Contact email">
          {(id) => <Input id={id} type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />}
        </Field>
        <div className="sm:col-span-2">
          <Field label="Notes">
            {(id) => (
              <Textarea id={id} rows={3} maxLength={2000} value={notes} onChange={(e) => setNotes(e.target.value)} />
            )}
          </Field>
        </div>
        {error ? (
          <div className="sm:col-span-2">
            <ErrorNote>{error}</ErrorNote>
          </div>
        ) : null}
        <div className="flex justify-end gap-2 sm:col-span-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" disabled={busy}>
            {busy ? 'Saving…' : 'Save changes'}
          </Button>
        </div>
      </form>
    </Card>
  );
}
