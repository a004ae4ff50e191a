import { ThumbsDown, ThumbsUp } from 'lucide-react';
import { useState } from 'react';
import { Button, IconButton } from '../../../components/ui/Button.tsx';
import { Textarea } from '../../../components/ui/Field.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import type { Feedback } from '../../../lib/api-types.ts';
import { cn } from '../../../lib/cn.ts';
import { sendFeedback } from '../api/sessions.ts';

/** Thumbs up/down on one answer, then an optional comment. */
export function FeedbackBar({
  sessionId,
  turn,
  initial,
}: {
  sessionId: string;
  turn: number;
  initial: Feedback | null;
}) {
  const [rating, setRating] = useState<'up' | 'down' | null>(initial?.rating ?? null);
  const [comment, setComment] = useState('');
  // The comment already sent: a later click on a thumb re-sends it, so it is never wiped on the server.
  const [sentComment, setSentComment] = useState(initial?.comment ?? '');
  const [stage, setStage] = useState<'idle' | 'comment' | 'sent'>(initial ? 'sent' : 'idle');
  const [error, setError] = useState<string | null>(null);

  const submit = async (next: 'up' | 'down', text?: string) => {
    setError(null);
    try {
      await sendFeedback({ session_id: sessionId, turn, rating: next, ...(text ? { comment: text } : {}) });
      return true;
    } catch (err) {
      setError(errorMessage(err));
      return false;
    }
  };

  const rate = async (next: 'up' | 'down') => {
    setRating(next);
    if (await submit(next, sentComment || undefined)) setStage(sentComment ? 'sent' : 'comment');
  };

  return (
    <div className="mt-3 text-xs text-zinc-600 dark:text-zinc-400">
      <div className="flex items-center gap-1">
        <span className="mr-1">Was this helpful?</span>
        <IconButton
          label="Helpful"
          aria-pressed={rating === 'up'}
          onClick={() => rate('up')}
          className={cn(
            'size-7',
            rating === 'up' && 'bg-emerald-50 text-emerald-600 dark:bg-emerald-950 dark:text-emerald-400',
          )}
        >
          <ThumbsUp className="size-3.5" aria-hidden />
        </IconButton>
        <IconButton
          label="Not helpful"
          aria-pressed={rating === 'down'}
          onClick={() => rate('down')}
          className={cn('size-7', rating === 'down' && 'bg-red-50 text-red-600 dark:bg-red-950 dark:text-red-400')}
        >
          <ThumbsDown className="size-3.5" aria-hidden />
        </IconButton>
        {stage === 'sent' ? <span className="ml-1">Thanks for the feedback.</span> : null}
        {error ? <span className="ml-1 text-red-600">{error}</span> : null}
      </div>
      {stage === 'comment' && rating ? (
        <form
          className="mt-2 flex max-w-lg flex-col gap-2 sm:flex-row sm:items-end"
          onSubmit={async (e) => {
            e.preventDefault();
            const text = comment.trim();
            if (!text) setStage('sent');
            else if (await submit(rating, text)) {
              setSentComment(text);
              setStage('sent');
            }
          }}
        >
          <Textarea
            aria-label="Feedback comment (optional)"
            placeholder={rating === 'up' ? 'What was useful? (optional)' : 'What was wrong or missing? (optional)'}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            className="min-h-10 text-xs"
            rows={2}
          />
          <div className="flex gap-1.5">
            <Button size="sm" type="submit">
              Send comment
            </Button>
            <Button size="sm" variant="ghost" onClick={() => setStage('sent')}>
              Skip
            </Button>
          </div>
        </form>
      ) : null}
    </div>
  );
}
