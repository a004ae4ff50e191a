import { z } from 'zod';
import { readQuestionnaireAnswers } from '../../../analyst/questionnaire.ts';
import type { TenantScope } from '../../../store/paths.ts';
import type { Services } from '../../services.ts';

export const FeedbackSummarySchema = z.object({
  up: z.number(),
  down: z.number(),
  comments: z.array(
    z.object({
      rating: z.string(),
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
 * What a partner told us, for the operator's tenant detail: thumbs up/down over every answer and the
 * comments (from the analyst's sessions), newest first, and the questionnaire answers.
 */
export async function feedbackSummary(services: Services, scope: TenantScope): Promise<FeedbackSummary> {
  const { up, down, comments } = await services.analyst.feedbackSummary(scope);
  const answers = await readQuestionnaireAnswers(scope);
  return {
    up,
    down,
    comments: comments
      .map((c) => ({ rating: c.rating, comment: c.comment, session_id: c.session_id, turn: c.turn, created_at: c.at }))
      .sort((a, b) => b.created_at.localeCompare(a.created_at)),
    questionnaire: answers
      ? Object.fromEntries(Object.entries(answers).filter((e): e is [string, string] => typeof e[1] === 'string'))
      : null,
  };
}
