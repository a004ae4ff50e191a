import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWeb, CHROMIUM, launchChromium, ROOT, type RunningServer, SCREENSHOTS, startServer } from './harness.ts';

/** A server without ADMIN_SECRET: the admin view says plainly that admin is disabled here. */
describe.skipIf(!fs.existsSync(CHROMIUM))('admin view on a server without ADMIN_SECRET', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    if (!fs.existsSync(path.join(ROOT, 'dist/web/index.html'))) buildWeb();
    server = await startServer({ ADMIN_SECRET: '' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows "admin disabled" instead of a wrong-secret message', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.setDefaultTimeout(15_000);
    await page.goto(`${server.url}/admin`);
    await page.getByLabel('Admin secret').fill('any-secret-at-all-here');
    await page.getByRole('button', { name: 'Open admin' }).click();
    await page.getByText('The admin view is disabled on this server').waitFor();
    expect(await page.getByText('That admin secret is not correct.').count()).toBe(0);
    await page.screenshot({ path: path.join(SCREENSHOTS, '18-admin-disabled.png') });
  });
});
