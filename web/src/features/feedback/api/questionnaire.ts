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

/** "Not now" is respected for a week. */
export const SNOOZE_MS = 7 * 86_400_000;

/**
 * Whether to show the gentle feedback prompt (a card above the composer, never a dialog over an
 * answer): after the fifth question, while unanswered, and not within a week of "Not now".
 */
export function shouldOffer(queryCount: number, state: QuestionnaireState, snoozedUntil: number, now: number): boolean {
  return state.answers === null && (state.offered || queryCount >= 5) && now >= snoozedUntil;
}

const snoozeKey = (tenantId: string) => `oo.questionnaire_snoozed_until.${tenantId}`;

export function snoozedUntil(tenantId: string): number {
  const v = Number(readItem('local', snoozeKey(tenantId)));
  return Number.isFinite(v) ? v : 0;
}

/** "Not now": no prompt for a week (kept in this browser; the server is told too). */
export function snooze(tenantId: string, now: number): void {
  writeItem('local', snoozeKey(tenantId), String(now + SNOOZE_MS));
}
