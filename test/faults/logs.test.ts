import { Writable } from 'node:stream';
import { expect, test } from 'vitest';
import { createLogger } from '../../src/server/logger.ts';

test('no access key is written whole: error messages, stacks and free text are redacted too', () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = createLogger('info', stream);
  const key = 'acme_corp_A1B2C3D4';
  const err = Object.assign(new Error(`EACCES: permission denied, open '/srv/data/${key}/graph_state.json'`), {
    code: 'EACCES',
    path: `/srv/data/${key}/graph_state.json`,
  });
  log.error({ err }, 'request failed');
  log.warn({ detail: `tenant ${key} wrote ${key}/sessions/x.json` }, `about ${key}`);
  log.info(`plain ${key}`);
  const out = lines.join('');
  expect(lines.length).toBe(3);
  expect(out).not.toContain(key);
  expect(out).not.toContain('A1B2C3D4');
  expect(out).toContain('acme_corp_********/graph_state.json');
  // The stack is there (for the operator), redacted.
  expect(JSON.parse(lines[0]!).err.stack).toContain('acme_corp_********');
});
