import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildTestApp, errorCode, type TestApp } from './helpers.ts';

let t: TestApp;
let web: string;

beforeEach(async () => {
  // A fake Vite build with a secret-looking dotfile and a parent folder holding an .env and sources.
  const project = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-web-'));
  web = path.join(project, 'dist', 'web');
  await fs.promises.mkdir(path.join(web, 'assets'), { recursive: true });
  await fs.promises.writeFile(path.join(web, 'index.html'), '<!doctype html><div id="root">SPA</div>');
  await fs.promises.writeFile(path.join(web, 'assets', 'app-abc123.js'), 'console.log("app")');
  await fs.promises.writeFile(path.join(web, '.env'), 'ADMIN_SECRET=leaked-from-web');
  await fs.promises.writeFile(path.join(project, '.env'), 'ADMIN_SECRET=leaked-from-project');
  await fs.promises.mkdir(path.join(project, 'src'));
  await fs.promises.writeFile(path.join(project, 'src', 'main.ts'), 'export const source = 1;');
});

afterEach(async () => {
  await t?.close();
  await fs.promises.rm(path.dirname(path.dirname(web)), { recursive: true, force: true });
});

describe('static SPA', () => {
  test('serves the build, hashed assets cached, client routes fall back to index.html', async () => {
    t = await buildTestApp({ webDir: web });
    const index = await t.app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('SPA');
    expect(index.headers['content-security-policy']).toContain("default-src 'self'");

    const asset = await t.app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');

    for (const url of ['/chat', '/documents/doc_123', '/admin?tab=stats']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body).toContain('SPA');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  test('never serves dotfiles, .env, sources or DATA_DIR; unknown /api stays JSON 404', async () => {
    t = await buildTestApp({ webDir: web });
    const acme = await t.createTenant('Acme Corp');
    const urls = [
      '/.env',
      '/../.env',
      '/%2e%2e/.env',
      '/..%2f.env',
      '/%2e%2e%2f%2e%2e%2fsrc/main.ts',
      '/../src/main.ts',
      `/../../${path.basename(t.dataDir)}/_admin/tenants.json`,
      `/${encodeURIComponent(path.join(t.dataDir, '_admin', 'tenants.json'))}`,
    ];
    for (const url of urls) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.body, url).not.toContain('leaked');
      expect(res.body, url).not.toContain('export const source');
      expect(res.body, url).not.toContain(acme.key);
    }
    const api = await t.app.inject({ method: 'GET', url: '/api/unknown' });
    expect(api.statusCode).toBe(404);
    expect(errorCode(api)).toBe('not_found');
  });

  test('refuses to serve a web folder that contains DATA_DIR', async () => {
    t = await buildTestApp({ webDir: web, env: { DATA_DIR: path.join(web, 'data') } });
    const acme = await t.createTenant('Acme Corp');
    const res = await t.app.inject({ method: 'GET', url: '/data/_admin/tenants.json' });
    expect(res.body).not.toContain(acme.key);
    expect(res.statusCode).toBe(404);
  });

  test('without a build, / explains how to build and the API still works', async () => {
    t = await buildTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('npm run build');
    expect((await t.app.inject({ method: 'GET', url: '/chat' })).statusCode).toBe(404);
  });
});
