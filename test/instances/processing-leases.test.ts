import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DocumentRecord } from '../../src/documents/types.ts';
import { bigText } from '../documents/server-process.ts';
import { DATABASE_URL, hasPostgres, type TestDatabase, testDatabase } from '../storage/pg-helpers.ts';
import {
  ADMIN_SECRET,
  createTenant,
  disposeInstances,
  type ServerProcess,
  startServer,
  uploadFile,
} from './servers.ts';

/**
 * Processing recovery across instances (PostgreSQL): the instance that records an upload holds a
 * lease on reading it, renewed while it works; killed (SIGKILL), its lease runs out and another
 * instance's sweep takes the document over. A document whose readers were killed twice is marked
 * failed `processing_interrupted`, as in file mode, instead of being read for ever.
 */
const LEASE_S = 2;
let tmp: string;
let database: TestDatabase;
let env: Record<string, string>;
let key: string;
let n = 0;

interface Row {
  record: DocumentRecord;
  lease_owner: string | null;
}

function start(): { server: ServerProcess; port: Promise<number> } {
  const server = startServer(tmp, { ...env, DATA_DIR: path.join(tmp, `d${n++}`) });
  return { server, port: server.listening };
}

async function upload(port: number, name: string, content: string): Promise<DocumentRecord> {
  const { status, body } = await uploadFile(port, key, name, content);
  expect(status).toBe(201);
  return body.documents?.[0] as DocumentRecord;
}

async function row(id: string): Promise<Row> {
  const db = database.open();
  const { rows } = await db.query<Row>(`SELECT record, lease_owner FROM ${db.t('documents')} WHERE id = $1`, [id]);
  return rows[0] as Row;
}

/** Polls the database until `until` holds (or fails after `ms`). */
async function waitFor(id: string, until: (r: Row) => boolean, ms: number): Promise<Row> {
  const end = Date.now() + ms;
  for (;;) {
    const r = await row(id);
    if (until(r)) return r;
    if (Date.now() > end) throw new Error(`timed out; last: ${JSON.stringify({ ...r.record, lease: r.lease_owner })}`);
    await new Promise((res) => setTimeout(res, 50));
  }
}

const ownedBy = (server: ServerProcess) => (r: Row) => r.lease_owner?.split(':')[1] === String(server.proc.pid);

async function kill(server: ServerProcess): Promise<void> {
  server.proc.kill('SIGKILL');
  await server.exited;
}

beforeAll(async () => {
  if (!hasPostgres) return;
  tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-lease-'));
  database = testDatabase();
  // Reading is slow on a loaded machine: the parse time-box must not be what ends these documents.
  env = {
    DATABASE_URL,
    DATABASE_SCHEMA: database.schema,
    ADMIN_SECRET,
    PROCESSING_LEASE_S: String(LEASE_S),
    PARSE_TIMEOUT_S: '600',
  };
  const first = start();
  key = await createTenant(await first.port, 'Lease Corp', 'ops@lease.example');
  await first.server.stop();
}, 60_000);

afterAll(() => disposeInstances(database, tmp));

describe.skipIf(!hasPostgres)('processing leases across instances', () => {
  test('an instance killed while reading a document: the other one takes it over and completes it', async () => {
    const a = start();
    const b = start();
    const [portA, portB] = [await a.port, await b.port];
    const doc = await upload(portA, 'big-notes.txt', bigText(12 * 1024 * 1024, 3));
    await kill(a.server);
    // Precondition: killed while the document was A's to read.
    const left = await row(doc.id);
    expect([left.record.status, ownedBy(a.server)(left)]).toEqual(['processing', true]);

    const done = await waitFor(doc.id, (r) => r.record.status !== 'processing', 90_000);
    expect(done.record.status).toBe('ready');
    // Read once more, by B (one attempt more than A's), and its lease is gone with the `processing` state.
    expect(done.record.attempts).toBe(2);
    expect(done.lease_owner).toBeNull();
    const search = await fetch(`http://127.0.0.1:${portB}/api/search?q=renewal%20forecast`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const hits = ((await search.json()) as { results: Array<{ document_id: string }> }).results;
    expect(hits.map((h) => h.document_id)).toContain(doc.id);
    await b.server.stop();
  }, 150_000);

  test('a document read for longer than the lease stays with its reader: no other instance reads it too', async () => {
    const a = start();
    const b = start();
    const portA = await a.port;
    await b.port;
    const t0 = Date.now();
    const doc = await upload(portA, 'long-notes.txt', bigText(22 * 1024 * 1024, 5));
    const owners = new Set<string | null>();
    const done = await waitFor(
      doc.id,
      (r) => {
        if (r.record.status === 'processing') owners.add(r.lease_owner);
        return r.record.status !== 'processing';
      },
      120_000,
    );
    const tookMs = Date.now() - t0;
    // Precondition: reading took several leases' time (else this proves nothing).
    expect(tookMs).toBeGreaterThan(2 * LEASE_S * 1000);
    expect(done.record.status).toBe('ready');
    expect(done.record.attempts).toBe(1);
    expect([...owners].every((o) => o !== null && ownedBy(a.server)({ record: done.record, lease_owner: o }))).toBe(
      true,
    );
    await Promise.all([a.server.stop(), b.server.stop()]);
  }, 180_000);

  test('a document whose readers are killed twice ends failed processing_interrupted, not read for ever', async () => {
    const a = start();
    const doc = await upload(await a.port, 'poison.txt', bigText(16 * 1024 * 1024, 7));
    await kill(a.server);
    // The second reader takes it over (attempt 2) … and is killed too.
    const b = start();
    await b.port;
    const taken = await waitFor(doc.id, ownedBy(b.server), 30_000);
    expect([taken.record.status, taken.record.attempts]).toEqual(['processing', 2]);
    await kill(b.server);
    // Two more instances: neither starts it a third time; one of them marks it failed.
    const c = start();
    const d = start();
    const [portC] = [await c.port, await d.port];
    const failed = await waitFor(doc.id, (r) => r.record.status !== 'processing', 30_000);
    expect([failed.record.status, failed.record.error?.code, failed.record.attempts]).toEqual([
      'failed',
      'processing_interrupted',
      2,
    ]);
    expect(failed.lease_owner).toBeNull();
    // It stays so, and the partner sees why.
    await new Promise((r) => setTimeout(r, (LEASE_S + 1) * 1000));
    const listed = await fetch(`http://127.0.0.1:${portC}/api/documents/${doc.id}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const body = (await listed.json()) as { document: DocumentRecord };
    expect([body.document.status, body.document.error?.code]).toEqual(['failed', 'processing_interrupted']);
  }, 150_000);
});
