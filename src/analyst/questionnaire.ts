import { type Clock, isoSeconds } from '../lib/clock.ts';
import { readJson, writeJsonAtomic } from '../store/atomic.ts';
import type { TenantScope } from '../store/paths.ts';
import type { TenantRecord } from '../tenants/types.ts';

/**
 * The runbook's five feedback questions (issue 7), stored in the tenant's folder as
 * `questionnaire.json`. It is offered once the tenant has asked 5 questions, until answered or dismissed.
 */
export const QUESTIONNAIRE_FILE = 'questionnaire.json';
export const OFFER_AFTER_QUERIES = 5;

export interface QuestionnaireAnswers {
  first_impression?: string;
  questions_and_help?: string;
  uploaded?: string;
  missing?: string;
  recommend?: string;
  recommend_why?: string;
}

interface Stored {
  answers: QuestionnaireAnswers | null;
  answered_at: string | null;
  dismissed_at: string | null;
}

export interface QuestionnaireState {
  answers: QuestionnaireAnswers | null;
  answered_at: string | null;
  offered: boolean;
}

const EMPTY: Stored = { answers: null, answered_at: null, dismissed_at: null };

/** The file `questionnaire.json` in the tenant folder, or a `questionnaire` row in PostgreSQL. */
async function load(scope: TenantScope): Promise<Stored> {
  if (scope.db) {
    const { rows } = await scope.db.query<{ data: Stored }>(
      `SELECT data FROM ${scope.db.t('questionnaire')} WHERE tenant_id = $1`,
      [scope.tenantId],
    );
    return rows[0]?.data ?? { ...EMPTY };
  }
  return (await readJson<Stored>(scope.file(QUESTIONNAIRE_FILE))) ?? { ...EMPTY };
}

async function store(scope: TenantScope, stored: Stored): Promise<void> {
  if (scope.db) {
    await scope.db.query(
      `INSERT INTO ${scope.db.t('questionnaire')} (tenant_id, data) VALUES ($1, $2)
       ON CONFLICT (tenant_id) DO UPDATE SET data = EXCLUDED.data`,
      [scope.tenantId, JSON.stringify(stored)],
    );
    return;
  }
  await writeJsonAtomic(scope.file(QUESTIONNAIRE_FILE), stored);
}

function state(stored: Stored, tenant: TenantRecord): QuestionnaireState {
  return {
    answers: stored.answers,
    answered_at: stored.answered_at,
    offered: tenant.query_count >= OFFER_AFTER_QUERIES && !stored.answers && !stored.dismissed_at,
  };
}

export async function getQuestionnaire(scope: TenantScope, tenant: TenantRecord): Promise<QuestionnaireState> {
  return state(await load(scope), tenant);
}

/** Saves answers (replacing earlier ones), or records a dismissal so it is not offered again. */
export async function saveQuestionnaire(
  scope: TenantScope,
  tenant: TenantRecord,
  clock: Clock,
  input: { answers?: QuestionnaireAnswers; dismissed?: boolean },
): Promise<QuestionnaireState> {
  const stored = await load(scope);
  const now = isoSeconds(clock.now());
  const answers = Object.fromEntries(
    Object.entries(input.answers ?? {}).filter(([, v]) => typeof v === 'string' && v.trim() !== ''),
  ) as QuestionnaireAnswers;
  if (Object.keys(answers).length > 0) {
    stored.answers = answers;
    stored.answered_at = now;
  }
  if (input.dismissed) stored.dismissed_at ??= now;
  await store(scope, stored);
  return state(stored, tenant);
}

/** For the operator's view of a tenant (admin detail). */
export async function readQuestionnaireAnswers(scope: TenantScope): Promise<QuestionnaireAnswers | null> {
  return (await load(scope)).answers;
}
