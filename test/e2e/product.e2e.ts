import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, CHROMIUM, launchChromium, ROOT, type RunningServer, SCREENSHOTS, startServer } from './harness.ts';

/**
 * What a partner and the operator see, judged as a person would in Chromium at 1440×900 and 390×844:
 * a trend answer is a real table; the churn chart shows the answer's 1.06% and nothing above 100%;
 * no tool or engine name in the transcript; steps survive a reload; axe-core finds nothing serious
 * or critical on login, chat, documents, traces, graph and admin; the phone admin fits the screen and
 * its revoke works; a duplicate partner is not created silently; the questionnaire never covers the
 * latest answer; a rotated key signs the partner out and the new one signs in.
 */
const ADMIN_SECRET = 'e2e-admin-secret-0123456789';
const CSV = fs.readFileSync(path.join(ROOT, 'test/fixtures/northwind/northwind_metrics_2024-2026.csv'));
const AXE = fs.readFileSync(path.join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8');
const TREND = 'How has our MRR trended over the last 6 months?';
const CHURN = 'What was logo churn in May 2026?';
/** Names the partner must never read: the tools, their call syntax, the engine. */
const INTERNALS =
  /get_metric|compute_metric|change_between|query_records|list_metrics|search_documents|query_table|get_benchmark|compare_to_benchmark|remember_fact|engine:|\bengine\b|\w+\(\w+:/i;

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core in the page (the contexts bypass the CSP only so the test can inject it); the serious and critical findings, described so a failure says what and where. */
async function axeFindings(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  const violations = (await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run: (ctx: Document, opts: object) => Promise<{ violations: unknown[] }> } }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations;
  })) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} — ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 5)
          .join(', ')}`,
    );
}

const hasChromium = fs.existsSync(CHROMIUM);

describe.skipIf(!hasChromium)('partner and operator screens', () => {
  let server: RunningServer;
  let browser: Browser;
  let partner: Page;
  let operator: Page;
  let key = '';
  let tenantId = '';
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
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(SCREENSHOTS, `product-${name}.png`), fullPage: false });
  const admin = (method: string, url: string, body?: unknown) =>
    fetch(`${server.url}${url}`, {
      method,
      headers: { 'x-admin-secret': ADMIN_SECRET, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
  const ask = async (question: string) => {
    const turns = await partner.getByTestId('turn').count();
    await partner.getByLabel('Ask a question').fill(question);
    await partner.getByLabel('Ask a question').press('Enter');
    await partner.getByText('Was this helpful?').nth(turns).waitFor({ timeout: 60_000 });
  };
  const expectAxeClean = async (page: Page, name: string) => {
    expect(await axeFindings(page), name).toEqual([]);
  };

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    buildWeb();
    server = await startServer({ ADMIN_SECRET });
    const created = (await (
      await admin('POST', '/api/admin/tenants', { name: 'Northwind Labs', email: 'ops@northwind.example' })
    ).json()) as { tenant: { key: string } };
    key = created.tenant.key;
    tenantId = key;
    for (const n of ['Globex', 'Initech'])
      await admin('POST', '/api/admin/tenants', { name: n, email: `ops@${n.toLowerCase()}.example` });
    const form = new FormData();
    form.append('file', new Blob([CSV], { type: 'text/csv' }), 'northwind_metrics.csv');
    const up = await fetch(`${server.url}/api/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    expect(up.status).toBe(201);
    browser = await launchChromium();
    partner = await (await browser.newContext({ viewport: DESKTOP, bypassCSP: true })).newPage();
    operator = await (await browser.newContext({ viewport: DESKTOP, bypassCSP: true })).newPage();
    partner.setDefaultTimeout(15_000);
    operator.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  step('login: no serious accessibility finding; signs in', async () => {
    await partner.goto(`${server.url}/login`);
    await partner.getByLabel('Access key', { exact: true }).waitFor();
    await expectAxeClean(partner, 'login');
    await partner.getByLabel('Access key', { exact: true }).fill(key);
    await partner.getByRole('button', { name: 'Sign in' }).click();
    await partner.waitForURL(/\/chat/);
    await expect(
      partner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count(),
    ).resolves.toBe(0);
  });

  step('a trend answer is a real table; the churn chart shows 1.06% and nothing above 100%', async () => {
    await partner.getByTestId('document-row').count(); // (documents load in the background)
    await ask(TREND);
    const table = partner.getByTestId('turn').last().locator('.prose-answer table');
    await table.waitFor();
    expect(await table.locator('th').allTextContents()).toEqual(['Period', 'Value']);
    expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(6);
    expect(await partner.getByTestId('turn').last().locator('.prose-answer').textContent()).not.toContain('|---');

    await ask(CHURN);
    const last = partner.getByTestId('turn').last();
    expect(await last.locator('.prose-answer').textContent()).toContain('1.06%');
    const chart = last.getByTestId('metric-chart');
    await chart.waitFor({ timeout: 30_000 });
    await chart.getByTestId('y-tick').first().waitFor();
    expect(await chart.getByTestId('chart-headline').textContent()).toContain('1.06%');
    const ticks = await chart.getByTestId('y-tick').allTextContents();
    expect(ticks.length).toBeGreaterThan(1);
    for (const tick of ticks) {
      expect(tick).toMatch(/^\d+(\.\d+)?%$/);
      expect(Number.parseFloat(tick)).toBeLessThanOrEqual(100);
    }
    expect(await chart.textContent()).not.toMatch(/10\d\.\d%|105\.9/);
    await shot(partner, 'chat-churn');
  });

  step('no tool or engine name in the transcript; the steps are in words and survive a reload', async () => {
    const transcript = partner.locator('main');
    await partner.getByTestId('steps').first().locator('summary').click();
    const before = await partner.getByTestId('steps').first().locator('li').allTextContents();
    expect(before.length).toBeGreaterThan(0);
    expect(before.join(' ')).toMatch(/Read MRR .*northwind_metrics\.csv/);
    expect(await transcript.textContent()).not.toMatch(INTERNALS);
    await partner.reload();
    await partner.getByText('Was this helpful?').nth(1).waitFor();
    expect(await partner.getByTestId('steps').count()).toBe(2);
    await partner.getByTestId('steps').first().locator('summary').click();
    expect(await partner.getByTestId('steps').first().locator('li').allTextContents()).toEqual(before);
    expect(await transcript.textContent()).not.toMatch(INTERNALS);
  });

  step('a source opens the cited cell beside the answer; chat has no serious accessibility finding', async () => {
    await partner.getByTestId('turn').last().getByTestId('citation-chip').first().click();
    const panel = partner.getByTestId('source-panel');
    await panel.waitFor();
    await panel.locator('td.font-semibold').first().waitFor();
    expect(await panel.locator('tr[data-cited="true"]').count()).toBe(1);
    await shot(partner, 'chat-source-panel');
    await expectAxeClean(partner, 'chat with source panel');
    await panel.getByRole('button', { name: 'Close source' }).click();
    await expectAxeClean(partner, 'chat');
    // Colours are checked as they end up, not halfway through a hover/colour transition.
    await partner.addStyleTag({ content: '*, *::before, *::after { transition: none !important; }' });
    await partner.emulateMedia({ colorScheme: 'dark' });
    await partner.waitForTimeout(300);
    await expectAxeClean(partner, 'chat (dark)');
    await partner.emulateMedia({ colorScheme: 'light' });
  });

  step('documents, traces and graph: no serious accessibility finding', async () => {
    for (const [link, ready] of [
      ['Documents', () => partner.getByTestId('document-row').first().waitFor()],
      [
        'Traces',
        async () => {
          await partner.getByRole('navigation', { name: 'Traced sessions' }).getByRole('link').first().click();
          const turn = partner.getByTestId('trace-turn').first();
          await turn.waitFor();
          // Folded by default; opened: nested spans on a waterfall and the answer rendered, not raw Markdown.
          expect(await turn.getAttribute('open')).toBeNull();
          await turn.locator('summary').first().click();
          await turn.getByTestId('trace-event').nth(1).waitFor();
          expect(await turn.locator('.prose-answer strong').count()).toBeGreaterThan(0);
          expect(await turn.locator('.prose-answer').textContent()).not.toContain('**');
          expect(await turn.textContent()).not.toContain('0 tokens');
        },
      ],
      [
        'Graph',
        async () => {
          // The metrics overview: a card per metric; churn in percent points as the answer said it.
          const churn = partner.getByTestId('metric-card').filter({ hasText: 'Logo churn' });
          await churn.waitFor({ timeout: 30_000 });
          expect(await churn.getByTestId('metric-card-value').textContent()).toMatch(/^\d\.\d+%$/);
          expect(await partner.getByTestId('metric-card').count()).toBeGreaterThanOrEqual(4);
        },
      ],
    ] as const) {
      await partner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link, exact: true }).click();
      await ready();
      await partner.waitForTimeout(500);
      await expectAxeClean(partner, link);
      await shot(partner, link.toLowerCase());
    }
  });

  step('the questionnaire is a gentle prompt after the fifth question, never a dialog over the answer', async () => {
    await partner.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Chat', exact: true }).click();
    await partner.getByRole('navigation', { name: 'Conversations' }).getByRole('link').first().click();
    await partner.getByText('Was this helpful?').nth(1).waitFor();
    for (const q of [
      'What is our current ARR?',
      'What was our MRR at the end of June 2026?',
      'How many customers did we have in June 2026?',
    ])
      await ask(q);
    await partner.getByTestId('feedback-prompt').waitFor({ timeout: 10_000 });
    expect(await partner.locator('dialog[open]').count()).toBe(0);
    const lastAnswer = await partner.getByTestId('turn').last().boundingBox();
    const prompt = await partner.getByTestId('feedback-prompt').boundingBox();
    expect(lastAnswer && prompt).toBeTruthy();
    await shot(partner, 'chat-feedback-prompt');
    // "Not now" is respected: more questions, no prompt, no dialog.
    await partner.getByTestId('feedback-prompt').getByRole('button', { name: 'Not now' }).first().click();
    await ask('What was our net new MRR in June 2026?');
    await partner.waitForTimeout(800);
    expect(await partner.getByTestId('feedback-prompt').count()).toBe(0);
    expect(await partner.locator('dialog[open]').count()).toBe(0);
  });

  step('admin (desktop): search, filter, masked keys; no serious accessibility finding', async () => {
    await operator.goto(`${server.url}/admin`);
    await operator.getByLabel('Admin secret').fill(ADMIN_SECRET);
    await operator.getByRole('button', { name: 'Open admin' }).click();
    await operator.getByText('Active Partners').waitFor();
    expect(await operator.locator('main').count()).toBe(1);
    expect(await operator.getByRole('heading', { level: 1 }).count()).toBe(1);
    await operator.getByTestId('tenant-row').nth(2).waitFor();
    expect(await operator.locator('main').textContent()).not.toContain(key);
    await operator.getByRole('button', { name: 'Reveal key of Northwind Labs' }).click();
    expect(await operator.locator('main').textContent()).toContain(key);
    await operator.getByRole('searchbox').fill('glob');
    expect(await operator.getByTestId('tenant-row').count()).toBe(1);
    await operator.getByRole('searchbox').fill('');
    await expectAxeClean(operator, 'admin');
    await shot(operator, 'admin-desktop');
  });

  step('admin: a duplicate partner is not created silently', async () => {
    await operator.getByRole('button', { name: 'Add Partner' }).first().click();
    await operator.getByLabel('Company name').fill('Globex');
    await operator.getByLabel('Contact email').fill('ops@globex.example');
    await operator.getByRole('button', { name: 'Create partner' }).click();
    const warning = operator.getByTestId('duplicate-warning');
    await warning.waitFor();
    expect(await warning.textContent()).toContain('already exists');
    await shot(operator, 'admin-duplicate');
    await expectAxeClean(operator, 'admin duplicate warning');
    const listed = (await (await admin('GET', '/api/admin/tenants')).json()) as { tenants: unknown[] };
    expect(listed.tenants).toHaveLength(3);
    await warning.getByRole('button', { name: 'Change details' }).click();
    await operator.getByRole('button', { name: 'Cancel' }).click();
  });

  step('admin: rotate key gives a new key on the same data; the old key is refused at once', async () => {
    await operator.getByRole('link', { name: 'Northwind Labs' }).click();
    await operator.getByRole('button', { name: 'Rotate key' }).click();
    const confirm = operator.getByRole('dialog', { name: 'Give this partner a new key?' });
    await confirm.getByRole('button', { name: 'Rotate key' }).click();
    const fresh = (await operator.getByTestId('new-access-key').textContent())?.trim() ?? '';
    expect(fresh).toMatch(/^northwind_labs_[A-Z0-9]{8}$/);
    expect(fresh).not.toBe(key);
    expect(await operator.getByTestId('welcome-email-body').textContent()).toContain(fresh);
    await expectAxeClean(operator, 'partner detail');
    await shot(operator, 'admin-rotated');
    // A question sent with the old key returns the partner to the login screen, and is not lost.
    const lost = 'What was our gross margin in June 2026?';
    await partner.getByLabel('Ask a question').fill(lost);
    await partner.getByLabel('Ask a question').press('Enter');
    await partner.waitForURL(/\/login$/);
    expect(await partner.getByTestId('kept-question').textContent()).toContain(lost);
    await partner.getByLabel('Access key', { exact: true }).fill(key);
    await partner.getByRole('button', { name: 'Sign in' }).click();
    await partner.getByText('That access key is not valid').waitFor();
    await partner.getByLabel('Access key', { exact: true }).fill(fresh);
    await partner.getByRole('button', { name: 'Sign in' }).click();
    await partner.waitForURL(/\/chat/);
    await partner.getByRole('navigation', { name: 'Conversations' }).getByRole('link').first().waitFor();
    expect(await partner.getByLabel('Ask a question').inputValue()).toBe(lost);
    key = fresh;
    await operator.getByRole('link', { name: 'All partners' }).click();
  });

  step('phone admin: no horizontal overflow; revoke works from a card', async () => {
    await operator.setViewportSize(PHONE);
    await operator.getByTestId('tenant-row').nth(2).waitFor();
    expect(await operator.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await expectAxeClean(operator, 'admin phone');
    await shot(operator, 'admin-phone');
    const revoke = operator.getByRole('button', { name: 'Revoke Initech' });
    const box = await revoke.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= PHONE.width).toBe(true);
    await revoke.click();
    const confirm = operator.getByRole('dialog', { name: "Revoke this partner's access?" });
    await confirm.waitFor();
    const dialogBox = await confirm.boundingBox();
    expect(dialogBox && dialogBox.x >= 0 && dialogBox.x + dialogBox.width <= PHONE.width).toBe(true);
    await shot(operator, 'admin-phone-revoke');
    await confirm.getByRole('button', { name: 'Revoke access' }).click();
    await operator.getByRole('button', { name: 'Revoke Initech' }).waitFor({ state: 'detached' });
    const all = (await (await admin('GET', '/api/admin/tenants?all=true')).json()) as {
      tenants: Array<{ name: string; status: string; key: string }>;
    };
    expect(all.tenants.find((t) => t.name === 'Initech')?.status).toBe('revoked');
    expect(all.tenants.find((t) => t.key === tenantId)?.status).toBe('active');
  });

  step('phone chat: no horizontal overflow, no serious accessibility finding', async () => {
    await partner.setViewportSize(PHONE);
    await partner.getByRole('navigation', { name: 'Conversations' }).count();
    await partner.goto(`${server.url}/chat`);
    await partner.getByRole('button', { name: 'Conversations' }).click();
    await partner.getByRole('navigation', { name: 'Conversations' }).getByRole('link').first().click();
    await partner.getByText('Was this helpful?').first().waitFor();
    expect(await partner.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await expectAxeClean(partner, 'chat phone');
    await shot(partner, 'chat-phone');
  });
});

describe.skipIf(!hasChromium)('a company whose documents are in euros', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    buildWeb();
    server = await startServer({ ADMIN_SECRET });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('reads its amounts in euros on the Graph page and in an answer’s chart, never in dollars', async () => {
    const created = (await (
      await fetch(`${server.url}/api/admin/tenants`, {
        method: 'POST',
        headers: { 'x-admin-secret': ADMIN_SECRET, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Lindgren Software', email: 'ops@lindgren.example' }),
      })
    ).json()) as { tenant: { key: string } };
    const key = created.tenant.key;
    const csv = [
      'Month,MRR,New MRR,Churned MRR,Customers',
      'Jan 2026,"€40,000","€3,000","€1,000",100',
      'Feb 2026,"€42,000","€3,400","€1,400",104',
      'Mar 2026,"€44,500","€3,600","€1,100",109',
    ].join('\n');
    const form = new FormData();
    form.append('file', new Blob([csv], { type: 'text/csv' }), 'umsatz_export.csv');
    const up = await fetch(`${server.url}/api/documents?wait=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    expect(up.status).toBe(201);

    const page = await (await browser.newContext({ viewport: DESKTOP })).newPage();
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Access key', { exact: true }).fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/chat/);

    await page.getByLabel('Ask a question').fill('What was our MRR in March 2026?');
    await page.getByLabel('Ask a question').press('Enter');
    await page.getByText('Was this helpful?').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('turn').last().textContent()).toContain('€44,500');
    const headline = page.getByTestId('chart-headline').first();
    await headline.waitFor();
    expect(await headline.textContent()).toContain('€44,500');
    for (const tick of await page.getByTestId('y-tick').allTextContents()) expect(tick).not.toContain('$');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Graph' }).click();
    const mrr = page.getByTestId('metric-card').filter({ hasText: 'MRR' }).first();
    await mrr.waitFor({ timeout: 30_000 });
    expect(await mrr.getByTestId('metric-card-value').textContent()).toBe('€44,500');
    expect(await mrr.textContent()).not.toContain('$');
    // The stage's bands are the benchmarks' (US dollars): said, not implied to be like for like.
    expect(await page.getByLabel('Metrics overview').textContent()).toContain(
      'Your amounts are in EUR; the benchmarks',
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'product-graph-euros.png') });
  });
});
