import { accessKeyOf } from './keys.ts';
import type { TenantRecord } from './types.ts';

export const WELCOME_SUBJECT = 'Your OpsOrchestra Access Key';

export interface WelcomeEmail {
  to: string;
  subject: string;
  body: string;
}

/** The runbook's welcome email: the key, where to log in, and what to try first. */
export function welcomeEmail(
  tenant: Pick<TenantRecord, 'key' | 'name' | 'email' | 'access_key'>,
  publicAppUrl: string,
): WelcomeEmail {
  const rotated = tenant.access_key !== undefined && tenant.access_key !== tenant.key;
  const body = [
    `Hi ${tenant.name} team,`,
    '',
    'Welcome to the OpsOrchestra design partner program, and thank you for helping us shape it.',
    '',
    rotated ? 'Your new access key (it replaces the previous one, which no longer works):' : 'Your access key:',
    '',
    `    ${accessKeyOf(tenant)}`,
    '',
    'Getting started:',
    `1. Open ${publicAppUrl}`,
    '2. Enter your access key to log in.',
    '3. Upload a few documents: a metrics export, a board update, a P&L spreadsheet',
    '   (PDF, DOCX, XLSX, CSV, Markdown or plain text).',
    '4. Ask a question, for example: "What was our net revenue retention last quarter,',
    '   and is it good for our stage?"',
    '',
    'Every answer shows the numbers it used and where they came from, and your data is kept',
    "separate from every other partner's.",
    '',
    'Please keep the key confidential: it is your login. If you think it has been shared by',
    'mistake, reply to this email and we will issue a new one.',
    '',
    'We will check in with you in a few days. Reply any time with questions or feedback.',
    '',
    'Best regards,',
    'The OpsOrchestra team',
  ].join('\n');
  return { to: tenant.email, subject: WELCOME_SUBJECT, body: `${body}\n` };
}
