import { z } from 'zod';
import { readQuestionnaireAnswers } from '../../../analyst/questionnaire.ts';
import { SessionStore } from '../../../analyst/sessions.ts';
import type { Clock } from '../../../lib/clock.ts';
import type { TenantScope } from '../../../store/paths.ts';

export const FeedbackSummarySchema = z.object({
  up: z.number(),
  down: z.number(),
  comments: z.array(
    z.object({
      rating: z.enum(['up', 'down']),
      comment: z.string(),
      session_id: z.string(),
      turn: z.number(),
      created_at: z.string(),
    }),
  ),
  questionnaire: z.record(z.string(), z.string()).nullable(),
});

export type FeedbackSummary = z.infer<typeof FeedbackSummarySchema>;

/**
 * What a partner told us, for the operator's tenant detail: thumbs up/down over every answer, the
 * comments (newest first) and the questionnaire answers. Read through the analyst's own stores.
 */
export async function feedbackSummary(scope: TenantScope, clock: Clock): Promise<FeedbackSummary> {
  const store = new SessionStore(clock);
  const out: FeedbackSummary = { up: 0, down: 0, comments: [], questionnaire: null };
  for (const summary of await store.list(scope)) {
    const session = await store.get(scope, summary.id);
    for (const turn of session?.turns ?? []) {
      const fb = turn.feedback;
      if (!fb) continue;
      if (fb.rating === 'up') out.up += 1;
      else out.down += 1;
      if (fb.comment) {
        out.comments.push({
          rating: fb.rating,
          comment: fb.comment,
          session_id: summary.id,
          turn: turn.turn,
          created_at: fb.at,
        });
      }
    }
  }
  out.comments.sort((a, b) => b.created_at.localeCompare(a.created_at));
  const answers = await readQuestionnaireAnswers(scope);
  out.questionnaire = answers
    ? Object.fromEntries(Object.entries(answers).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : null;
  return out;
}
