import { MessageSquareHeart, X } from 'lucide-react';
import { useShell } from '../../../app/shell-context.ts';
import { Button, IconButton } from '../../../components/ui/Button.tsx';

/**
 * The questionnaire's invitation: a small card above the composer after the fifth question. It
 * never covers an answer and never takes focus; "Not now" keeps it away for a week.
 */
export function FeedbackPrompt() {
  const shell = useShell();
  if (!shell.feedbackPrompt) return null;
  return (
    <section
      aria-label="Feedback invitation"
      className="mb-2 flex items-center gap-3 rounded-xl border border-accent-200 bg-accent-50/70 px-3 py-2 text-sm dark:border-accent-800 dark:bg-accent-950/60"
      data-testid="feedback-prompt"
    >
      <MessageSquareHeart className="size-4 shrink-0 text-accent-700 dark:text-accent-300" aria-hidden />
      <p className="min-w-0 flex-1 text-zinc-800 dark:text-zinc-200">
        You've asked five questions. Two minutes to tell us how it's going?
      </p>
      <Button size="sm" onClick={shell.openQuestionnaire}>
        Give feedback
      </Button>
      <Button size="sm" variant="ghost" onClick={shell.snoozeFeedback} className="hidden sm:inline-flex">
        Not now
      </Button>
      <IconButton label="Not now" onClick={shell.snoozeFeedback} className="sm:hidden">
        <X className="size-4" aria-hidden />
      </IconButton>
    </section>
  );
}
