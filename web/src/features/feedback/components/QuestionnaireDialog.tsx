import { CircleCheck } from 'lucide-react';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { Button } from '../../../components/ui/Button.tsx';
import { Modal } from '../../../components/ui/ConfirmDialog.tsx';
import { Field, Textarea } from '../../../components/ui/Field.tsx';
import { ErrorNote, LoadingBlock } from '../../../components/ui/Spinner.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import type { QuestionnaireAnswers } from '../../../lib/api-types.ts';
import {
  dismissQuestionnaire,
  getQuestionnaire,
  QUESTIONS,
  RECOMMEND_OPTIONS,
  submitQuestionnaire,
} from '../api/questionnaire.ts';

const EMPTY: QuestionnaireAnswers = {
  first_impression: '',
  questions_and_help: '',
  uploaded: '',
  missing: '',
  recommend: '',
  recommend_why: '',
};

/** The short, optional five-question feedback form; prefilled with earlier answers. */
export function QuestionnaireDialog({
  open,
  offered,
  onClose,
  onNotNow,
}: {
  open: boolean;
  offered: boolean;
  onClose: () => void;
  /** "Not now" on an offered questionnaire: not offered again for a week. */
  onNotNow?: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [answers, setAnswers] = useState<QuestionnaireAnswers>(EMPTY);
  const [loading, setLoading] = useState(false);
  const [saving, setSaving] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      setDone(false);
      setError(null);
      setLoading(true);
      getQuestionnaire()
        .then((s) => setAnswers({ ...EMPTY, ...(s.answers ?? {}) }))
        .catch(() => undefined)
        .finally(() => setLoading(false));
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  const set = (field: keyof QuestionnaireAnswers, value: string) => setAnswers((a) => ({ ...a, [field]: value }));

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    setError(null);
    try {
      await submitQuestionnaire(answers);
      setDone(true);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal dialogRef={ref} title="Help shape OpsOrchestra" onClose={onClose} wide>
      {done ? (
        <div className="py-6 text-center">
          <CircleCheck className="mx-auto size-10 text-emerald-500" aria-hidden />
          <p className="mt-3 font-medium">Thank you — your answers go straight to the team.</p>
          <Button className="mt-5" onClick={onClose}>
            Close
          </Button>
        </div>
      ) : (
        <form onSubmit={submit} className="mt-1">
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            {offered ? "You've asked five questions — tell us how it's going. " : ''}Five short questions, all optional,
            about two minutes.
          </p>
          {loading ? (
            <LoadingBlock />
          ) : (
            <div className="mt-5 max-h-[60vh] space-y-4 overflow-y-auto pr-1">
              {QUESTIONS.map((q, i) => (
                <Field key={q.field} label={`${i + 1}. ${q.label}`} hint={q.hint}>
                  {(id, describedBy) => (
                    <Textarea
                      id={id}
                      aria-describedby={describedBy}
                      rows={2}
                      maxLength={4000}
                      value={answers[q.field]}
                      onChange={(e) => set(q.field, e.target.value)}
                    />
                  )}
                </Field>
              ))}
              <fieldset>
                <legend className="text-sm font-medium text-zinc-700 dark:text-zinc-300">
                  5. Would you recommend OpsOrchestra to another founder?
                </legend>
                <div className="mt-2 flex gap-2">
                  {RECOMMEND_OPTIONS.map((option) => (
                    <label
                      key={option}
                      className="inline-flex cursor-pointer items-center gap-2 rounded-lg border border-zinc-300 px-3 py-1.5 text-sm has-[:checked]:border-accent-500 has-[:checked]:bg-accent-50 dark:border-zinc-700 dark:has-[:checked]:bg-accent-950"
                    >
                      <input
                        type="radio"
                        name="recommend"
                        value={option}
                        checked={answers.recommend === option}
                        onChange={() => set('recommend', option)}
                        className="accent-accent-600"
                      />
                      {option}
                    </label>
                  ))}
                </div>
              </fieldset>
              <Field label="Why?">
                {(id) => (
                  <Textarea
                    id={id}
                    rows={2}
                    maxLength={4000}
                    value={answers.recommend_why}
                    onChange={(e) => set('recommend_why', e.target.value)}
                  />
                )}
              </Field>
            </div>
          )}
          {error ? (
            <div className="mt-3">
              <ErrorNote>{error}</ErrorNote>
            </div>
          ) : null}
          <div className="mt-6 flex justify-end gap-2">
            <Button
              variant="secondary"
              onClick={() => {
                if (offered) {
                  onNotNow?.();
                  void dismissQuestionnaire().catch(() => undefined);
                }
                onClose();
              }}
            >
              {offered ? 'Not now' : 'Cancel'}
            </Button>
            <Button type="submit" disabled={saving || loading}>
              {saving ? 'Sending…' : 'Send feedback'}
            </Button>
          </div>
        </form>
      )}
    </Modal>
  );
}
