import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, CHROMIUM, launchChromium, ROOT, type RunningServer, SCREENSHOTS, startServer } from './harness.ts';

/**
 * The operator's runbook, end to end in a real browser against the real server: create a partner in
 * the admin view → the partner signs in → uploads a CSV → asks a metric question (streamed answer,
 * citation, chart) → reads the trace → the operator sees the usage → revokes → the partner is sent
 * back to the login screen saying so. Script/HTML payloads in a tenant name, a file name, a question
 * and a questionnaire answer must render as text.
 */
const ADMIN_SECRET = 'e2e-admin-secret-0123456789';
const XSS_NAME = 'Acme <img src=x onerror="window.__xss=1;alert(1)"> Corp';
const XSS_FILE = 'metrics<img src=x onerror=alert(2)>.csv';
const XSS_ANSWER = '<script>window.__xss=3;alert(3)</script><img src=x onerror="alert(4)">';
const CSV = fs.readFileSync(path.join(ROOT, 'test/fixtures/northwind/northwind_metrics_2024-2026.csv'));
const BOARD_MD = fs.readFileSync(path.join(ROOT, 'test/fixtures/northwind/northwind_board_update_q2_2026.md'));
const QUESTION = 'What was our net revenue retention last quarter, and is it good for our stage?';

const hasChromium = fs.existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('runbook in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  let operatorCtx: BrowserContext;
  let partnerCtx: BrowserContext;
  let operator: Page;
  let partner: Page;
  let accessKey = '';
  const dialogs: string[] = [];

  /** The steps build on each other: after a failure the rest fail at once instead of timing out. */
  let failedStep: string | null = null;
  const step = (name: string, fn: () => Promise<void>) =>
    it(name, async () => {
      if (failedStep) throw new Error(`not run: an earlier step failed (${failedStep})`);
      try {
        await fn();
      } catch (err) {
        failedStep = name;
        throw err;
      }
    });

  const nav = (page: Page, name: string) =>
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });

  /** No payload may have run: no alert dialogs, no marker set on window. */
  const expectInert = async (page: Page) => {
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss ?? null)).toBeNull();
  };

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    buildWeb();
    server = await startServer({ ADMIN_SECRET });
    browser = await launchChromium();
    const viewport = { width: 1280, height: 800 };
    operatorCtx = await browser.newContext({ viewport, permissions: ['clipboard-read', 'clipboard-write'] });
    partnerCtx = await browser.newContext({ viewport });
    operator = await operatorCtx.newPage();
    partner = await partnerCtx.newPage();
    operator.setDefaultTimeout(15_000);
    partner.setDefaultTimeout(15_000);
    for (const page of [operator, partner]) {
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  step('operator: a wrong admin secret is refused plainly, the right one opens the dashboard', async () => {
    await operator.goto(`${server.url}/admin`);
    await operator.getByLabel('Admin secret').fill('not-the-secret-at-all');
    await operator.getByRole('button', { name: 'Open admin' }).click();
    await operator.getByText('That admin secret is not correct.').waitFor();
    await shot(operator, '01-admin-secret-wrong');
    await operator.getByLabel('Admin secret').fill(ADMIN_SECRET);
    await operator.getByRole('button', { name: 'Open admin' }).click();
    await operator.getByText('Active Partners').waitFor();
    await expect(operator.getByText('Have Logged In')).toBeTruthy();
    await shot(operator, '02-admin-dashboard-empty');
  });

  step('operator: Add Partner gives a key with a copy button and the welcome email', async () => {
    await operator.getByRole('button', { name: 'Add Partner' }).first().click();
    await operator.getByLabel('Company name').fill(XSS_NAME);
    await operator.getByLabel('Contact email').fill('ops@acme.example');
    await operator.getByLabel('Notes (optional)').fill('Series A, 40 people');
    await operator.getByRole('button', { name: 'Create partner' }).click();
    const keyEl = operator.getByTestId('new-access-key');
    await keyEl.waitFor();
    accessKey = (await keyEl.textContent())?.trim() ?? '';
    expect(accessKey).toMatch(/^[a-z0-9_]+_[A-Z0-9]{8}$/);
    await operator.getByRole('button', { name: 'Copy key' }).click();
    expect(await operator.evaluate(() => navigator.clipboard.readText())).toBe(accessKey);
    const body = await operator.getByTestId('welcome-email-body').textContent();
    expect(body).toContain(accessKey);
    expect(body).toContain(server.url);
    await shot(operator, '03-admin-partner-created');
    await expectInert(operator);
  });

  step('partner: an invalid key is refused; the real key (pasted with spaces) signs in', async () => {
    await partner.goto(server.url);
    await partner.waitForURL(/\/login$/);
    await partner.getByLabel('Access key', { exact: true }).fill('nobody_ABCDEFGH');
    await partner.getByRole('button', { name: 'Sign in' }).click();
    await partner.getByText('That access key is not valid').waitFor();
    await shot(partner, '04-login-invalid');
    expect(await partner.getByLabel('Access key', { exact: true }).getAttribute('type')).toBe('password');
    await partner.getByRole('button', { name: 'Show access key' }).click();
    expect(await partner.getByLabel('Access key', { exact: true }).getAttribute('type')).toBe('text');
    await partner.getByLabel('Access key', { exact: true }).fill(`  ${accessKey}\n`);
    await partner.getByRole('button', { name: 'Sign in' }).click();
    await partner.waitForURL(/\/chat/);
    await partner.getByTestId('tenant-name').filter({ hasText: 'Acme <img' }).waitFor();
    await partner.getByText('Start by uploading your numbers').waitFor();
    await shot(partner, '05-chat-empty');
    await expectInert(partner);
  });

  step('partner: uploads a CSV, sees it progress, then ready with metrics', async () => {
    await nav(partner, 'Documents').click();
    await partner.getByTestId('file-input').setInputFiles({ name: XSS_FILE, mimeType: 'text/csv', buffer: CSV });
    await partner.getByTestId('upload-item').first().waitFor();
    await partner.getByTestId('document-row').filter({ hasText: 'Ready' }).first().waitFor({ timeout: 60_000 });
    const row = partner.getByTestId('document-row').first();
    // Shown as text: verbatim, or with the server's file-name sanitising (`<` → `_`).
    expect(await row.textContent()).toMatch(/metrics.img src=x onerror=alert\(2\)./);
    await shot(partner, '06-documents-ready');
    await expectInert(partner);
  });

  step('partner: asks a metric question and sees a streamed answer with a citation and a chart', async () => {
    await nav(partner, 'Chat').click();
    await partner.getByRole('list', { name: 'Suggested questions' }).waitFor();
    await shot(partner, '07-chat-suggestions');
    // The suggestion comes from the uploaded series (expansion/churned MRR → retention).
    await partner.getByRole('list', { name: 'Suggested questions' }).getByRole('button', { name: QUESTION }).click();
    await partner.waitForURL(/\/chat\/.+/);
    await partner.getByTestId('citation-chip').first().waitFor({ timeout: 60_000 });
    await partner.getByTestId('metric-chart').first().waitFor({ timeout: 30_000 });
    await partner.getByRole('button', { name: 'Helpful', exact: true }).click();
    await partner.getByLabel('Feedback comment (optional)').fill('Clear, with the source. <b>nice</b>');
    await partner.getByRole('button', { name: 'Send comment' }).click();
    await partner.getByText('Thanks for the feedback.').waitFor();
    await shot(partner, '08-chat-answer');
    // A question carrying markup is echoed as text.
    await partner.getByLabel('Ask a question').fill(`${XSS_ANSWER} what is our current ARR?`);
    await partner.getByLabel('Ask a question').press('Enter');
    await partner.getByText('what is our current ARR?').first().waitFor();
    await partner.getByText('Was this helpful?').nth(1).waitFor({ timeout: 60_000 });
    // Dark mode follows the system; the reload also shows the conversation as the server kept it.
    await partner.emulateMedia({ colorScheme: 'dark' });
    await partner.reload();
    await partner.getByText('Was this helpful?').nth(1).waitFor();
    await shot(partner, '08b-chat-answer-dark');
    await partner.emulateMedia({ colorScheme: 'light' });
    await partner.reload();
    await partner.getByText('Was this helpful?').nth(1).waitFor();
    await expectInert(partner);
  });

  step('partner: a citation opens the cited cell beside the answer, then the document at its locator', async () => {
    await partner.getByTestId('citation-chip').first().click();
    await partner.getByTestId('source-panel').waitFor();
    await partner.getByTestId('source-panel').getByRole('link', { name: 'Open document' }).click();
    await partner.waitForURL(/\/documents\/[^/?]+\?locator=/);
    await partner.getByText('Cited location:').waitFor();
    await shot(partner, '09-document-detail');
  });

  step('partner: the trace shows the question, the tool calls and the answer', async () => {
    await nav(partner, 'Traces').click();
    await partner.getByRole('navigation', { name: 'Traced sessions' }).getByRole('link').first().click();
    // Turns are folded; opened, a waterfall of spans whose rows open to their input and output.
    await partner.getByTestId('trace-turn').first().locator('summary').first().click();
    await partner.getByTestId('trace-event').first().waitFor();
    expect(await partner.getByText('Tool call').count()).toBeGreaterThan(0);
    await partner.getByTestId('trace-event').locator('details').first().locator('summary').click();
    await partner.getByText('Input').first().waitFor();
    await shot(partner, '10-trace');
  });

  step('partner: the graph view loads (lazily) and shows details for a node', async () => {
    await nav(partner, 'Graph').click();
    // First the metrics overview; the network is the second tab.
    await partner.getByTestId('metric-card').first().waitFor({ timeout: 30_000 });
    await partner.getByRole('tab', { name: 'Network' }).click();
    await partner.getByRole('application', { name: /Knowledge graph/ }).waitFor({ timeout: 30_000 });
    await partner.locator('[data-node]').first().click();
    await shot(partner, '11-graph');
  });

  step(
    'partner: the questionnaire is offered after the fifth question; answers render inert for the operator',
    async () => {
      await nav(partner, 'Chat').click();
      for (const [i, q] of [
        'What is our current ARR?',
        'What was our MRR at the end of June 2026?',
        'What was logo churn in May 2026?',
      ].entries()) {
        await partner.getByLabel('Ask a question').fill(q);
        await partner.getByLabel('Ask a question').press('Enter');
        if (i < 2) await partner.getByText('Was this helpful?').nth(i).waitFor({ timeout: 60_000 });
      }
      // Offered as a gentle prompt above the composer (never a dialog over the answer), opened on request.
      await partner.getByTestId('feedback-prompt').waitFor({ timeout: 60_000 });
      expect(await partner.locator('dialog[open]').count()).toBe(0);
      await partner.getByRole('button', { name: 'Give feedback' }).click();
      const dialog = partner.getByRole('dialog', { name: 'Help shape OpsOrchestra' });
      await dialog.getByText("You've asked five questions").waitFor({ timeout: 60_000 });
      await dialog.getByLabel('1. What was your first impression of OpsOrchestra?').fill(XSS_ANSWER);
      await dialog.getByLabel('Yes').check();
      await dialog.getByLabel('Why?').fill('Saves our finance lead hours.');
      await shot(partner, '12-questionnaire');
      await dialog.getByRole('button', { name: 'Send feedback' }).click();
      await dialog.getByText('Thank you').waitFor();
      await dialog.getByRole('button', { name: 'Close' }).click();
      // Openable any time from the sidebar, with the answers kept.
      await partner.getByRole('button', { name: 'Feedback questionnaire' }).click();
      await dialog.getByLabel('Why?').waitFor();
      expect(await dialog.getByLabel('Why?').inputValue()).toBe('Saves our finance lead hours.');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await partner.setViewportSize({ width: 420, height: 860 });
      await partner.getByRole('button', { name: 'Open menu' }).click();
      await shot(partner, '12b-narrow-menu');
      await nav(partner, 'Documents').click();
      await shot(partner, '12c-narrow-documents');
      await partner.setViewportSize({ width: 1280, height: 800 });
    },
  );

  step('partner: renames a conversation; uploads a Markdown file and deletes it after confirming', async () => {
    await nav(partner, 'Chat').click();
    const conversations = partner.getByRole('navigation', { name: 'Conversations' });
    await conversations
      .getByRole('button', { name: /^Rename / })
      .first()
      .click();
    await partner.getByLabel('Conversation title').fill('Q2 retention review');
    await partner.getByLabel('Conversation title').press('Enter');
    await conversations.getByText('Q2 retention review').waitFor();

    await nav(partner, 'Documents').click();
    await partner
      .getByTestId('file-input')
      .setInputFiles({ name: 'board_update.md', mimeType: 'text/markdown', buffer: BOARD_MD });
    const mdRow = partner.getByTestId('document-row').filter({ hasText: 'board_update.md' });
    await mdRow.filter({ hasText: 'Ready' }).waitFor({ timeout: 60_000 });
    await mdRow.getByRole('button', { name: 'Delete board_update.md' }).click();
    const confirm = partner.getByRole('dialog', { name: 'Delete this document?' });
    await confirm.getByRole('button', { name: 'Delete document' }).click();
    await mdRow.waitFor({ state: 'detached' });
    expect(await partner.getByTestId('document-row').count()).toBe(1);
  });

  step('operator: sees the query count, last active, and the partner detail', async () => {
    await operator.reload();
    // Keys are masked in the list: the partner's row is found by name.
    const row = operator.getByTestId('tenant-row').filter({ hasText: 'Acme <img' });
    await row.waitFor();
    expect(await row.textContent()).not.toContain(accessKey);
    expect(Number(await row.getByTestId('tenant-queries').textContent())).toBeGreaterThanOrEqual(1);
    expect(await row.getByTestId('tenant-last-active').textContent()).not.toBe('never');
    await shot(operator, '13-admin-usage');
    await row.getByRole('link').first().click();
    await operator.getByText('Queries per day (last 30 days)').waitFor();
    await operator
      .getByText(/window\.__xss=3/)
      .first()
      .waitFor({ timeout: 5000 })
      .catch(() => undefined);
    await shot(operator, '14-admin-partner-detail');
    await expectInert(operator);
    await operator.getByRole('link', { name: 'All partners' }).click();
  });

  step('operator: trash → confirm → revoked; the partner is returned to login saying so', async () => {
    const row = operator.getByTestId('tenant-row').filter({ hasText: 'Acme <img' });
    await row.getByRole('button', { name: /^Revoke / }).click();
    const confirm = operator.getByRole('dialog', { name: "Revoke this partner's access?" });
    await confirm.waitFor();
    await shot(operator, '15-admin-revoke-confirm');
    await confirm.getByRole('button', { name: 'Revoke access' }).click();
    await row.waitFor({ state: 'detached' });
    await operator.getByLabel('Status').selectOption('revoked');
    await operator.getByTestId('tenant-row').filter({ hasText: 'revoked' }).first().waitFor();
    await shot(operator, '16-admin-revoked');

    await nav(partner, 'Traces').click();
    await partner.waitForURL(/\/login$/);
    await partner.getByText('This access key has been revoked').waitFor();
    await shot(partner, '17-login-revoked');
    await expectInert(partner);
  });
});
