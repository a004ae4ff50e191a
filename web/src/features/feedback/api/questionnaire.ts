import { api } from '../../../lib/api-client.ts';
import type { QuestionnaireAnswers } from '../../../lib/api-types.ts';
import { readItem, writeItem } from '../../../lib/storage.ts';

export interface QuestionnaireState {
  answers: QuestionnaireAnswers | null;
  offered: boolean;
}

export function getQuestionnaire() {
  return api<QuestionnaireState>('/api/questionnaire');
}

export function submitQuestionnaire(answers: QuestionnaireAnswers) {
  return api<QuestionnaireState>('/api/questionnaire', { method: 'POST', json: answers });
}

/** "Not now" on the offered questionnaire: the server stops offering it (it stays in the sidebar). */
export function dismissQuestionnaire() {
  return api<QuestionnaireState>('/api/questionnaire', { method: 'POST', json: { dismissed: true } });
}

/** The runbook's five feedback questions (the fifth has a "why" follow-up). */
export const QUESTIONS: { field: keyof QuestionnaireAnswers; label: string; hint?: string }[] = [
  { field: 'first_impression', label: 'What was your first impression of OpsOrchestra?' },
  { field: 'questions_and_help', label: 'What did you ask, and did the answers help?' },
  { field: 'uploaded', label: 'What did you upload?', hint: 'e.g. a metrics CSV, a board deck, a P&L' },
  { field: 'missing', label: 'What is missing, or what would make it more useful?' },
];

export const RECOMMEND_OPTIONS = ['Yes', 'Maybe', 'No'] as const;

/**
 * Offered once after the fifth query. The server says `offered` while it should be offered (5+ queries,
 * neither answered nor dismissed); the query count is a fallback, and a local flag keeps it to once per browser.
 */
export function shouldOffer(queryCount: number, state: QuestionnaireState, alreadyOfferedHere: boolean): boolean {
  return (state.offered || queryCount >= 5) && state.answers === null && !alreadyOfferedHere;
}

const offeredKey = (tenantId: string) => `oo.questionnaire_offered.${tenantId}`;

export function wasOffered(tenantId: string): boolean {
  return readItem('local', offeredKey(tenantId)) === '1';
}

export function markOffered(tenantId: string): void {
  writeItem('local', offeredKey(tenantId), '1');
}
