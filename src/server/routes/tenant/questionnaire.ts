import { z } from 'zod';
import { getQuestionnaire, saveQuestionnaire } from '../../../analyst/questionnaire.ts';
import type { RoutePlugin } from '../../types.ts';

const answer = z.string().max(4000).optional();
const Answers = z.object({
  first_impression: answer,
  questions_and_help: answer,
  uploaded: answer,
  missing: answer,
  recommend: answer,
  recommend_why: answer,
});
const Body = Answers.extend({ dismissed: z.boolean().optional() }).strict();
const Response = z.object({ answers: Answers.nullable(), offered: z.boolean() });

/**
 * The five feedback questions (issue 7). `offered` is true once the tenant has asked 5 questions and
 * has neither answered nor dismissed; `{dismissed: true}` stops the offer without answering.
 */
export const questionnaireRoutes: RoutePlugin = async (app, { services }) => {
  app.get('/api/questionnaire', { schema: { response: { 200: Response } } }, async (request) => {
    const state = await getQuestionnaire(request.scope, request.tenant);
    return { answers: state.answers, offered: state.offered };
  });

  app.post('/api/questionnaire', { schema: { body: Body, response: { 200: Response } } }, async (request) => {
    const { dismissed, ...answers } = request.body;
    const state = await saveQuestionnaire(request.scope, request.tenant, services.clock, { answers, dismissed });
    return { answers: state.answers, offered: state.offered };
  });
};
