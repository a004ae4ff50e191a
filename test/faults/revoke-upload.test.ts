import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, expect, test } from 'vitest';
import { runCli } from '../cli/run-cli.ts';
import { multipart } from '../documents/fixtures.ts';
import { buildFaultApp, type FaultApp } from './app.ts';
import { tempFilesUnder } from './mounts.ts';

let t: FaultApp | undefined;
let root: string | undefined;
afterEach(async () => {
  await t?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test('an upload in progress when the CLI revokes the tenant: 401, nothing stored', async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'opsorch-revoke-'));
  t = await buildFaultApp(path.join(root, 'data'));
  const key = (await t.services.tenants.create({ name: 'Acme Corp', email: 'ops@acme.com' }, { via: 'cli' })).key;
  const rows = Array.from({ length: 2000 }, (_, i) => `2026-${String((i % 12) + 1).padStart(2, '0')},${i},${i * 2}`);
  const { payload, headers } = multipart([
    { filename: 'kpis.csv', content: `Month,MRR,Customers\n${rows.join('\n')}\n` },
  ]);

  // The body arrives in two halves; the operator revokes (a real CLI process) in between.
  const body = new PassThrough();
  const response = t.asTenant(key, { method: 'POST', url: '/api/documents?wait=true', payload: body, headers });
  body.write(payload.subarray(0, payload.length >> 1));
  await new Promise((r) => setTimeout(r, 100));
  const revoke = await runCli(['revoke-tenant', key, '--force'], {
    cwd: root,
    env: { DATA_DIR: t.dataDir },
  });
  expect(revoke.code, revoke.stderr).toBe(0);
  body.end(payload.subarray(payload.length >> 1));

  const res = await response;
  expect(res.statusCode, res.body).toBe(401);
  expect(res.json().error.code).toBe('access_key_revoked');
  // Nothing stored: no document record, no original, no temp file.
  const docsDir = path.join(t.dataDir, key, 'documents');
  const entries = fs.existsSync(docsDir) ? fs.readdirSync(docsDir).filter((n) => n !== '.incoming') : [];
  const index = entries.includes('index.json')
    ? (JSON.parse(fs.readFileSync(path.join(docsDir, 'index.json'), 'utf8')) as { documents?: unknown[] })
    : undefined;
  expect(index?.documents ?? []).toEqual([]);
  expect(entries.filter((n) => n.startsWith('doc_'))).toEqual([]);
  expect(tempFilesUnder(t.dataDir)).toEqual([]);
});
