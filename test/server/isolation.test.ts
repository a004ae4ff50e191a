/**
 * The tenant-isolation harness. Two tenants, A (the owner of whatever is seeded) and B (the
 * intruder). Every tenant route is listed in PROBES; the harness tries each with B's key against
 * A's ids and with traversal-shaped ids, and expects 400/404 and never a byte of A's data.
 *
 * Adding a tenant route? Add a probe here (the "every tenant route has a probe" test fails until
 * you do). A probe whose URL has a parameter (`:id`, `:session_id`, …) needs `seed`, which creates
 * something owned by the given tenant through the services (as the route would) and returns the id
 * that goes in the parameter. A route that takes the id in its body (e.g. `{session_id}`) gets
 * `seed` too and puts the id in `payload(id)`: it is then tried like a route with a parameter.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { registeredRoutes } from '../../src/server/app.ts';
import { tenantScope } from '../../src/store/paths.ts';
import type { TenantRecord } from '../../src/tenants/types.ts';
import { appendTraceEvent } from '../../src/traces/store.ts';
import { buildTestApp, errorCode, type TestApp } from './helpers.ts';

type Method = 'GET' | 'POST' | 'DELETE' | 'PATCH' | 'PUT';

interface Probe {
  method: Method;
  /** The route's URL pattern exactly as registered, e.g. `/api/documents/:id`. */
  url: string;
  /** A query string to add (without `?`), e.g. `q=revenue`. */
  query?: string;
  /** For routes that take an id (URL parameter or body): creates an item owned by `owner`, returns its id. */
  seed?: (t: TestApp, owner: TenantRecord) => Promise<string>;
  /** A request body (JSON) for POST/PUT/PATCH, given the id in use. */
  payload?: (id: string) => InjectOptions['payload'];
  /** Whether this route answers 2xx for the owner with a valid id (default true). */
  ownerSucceeds?: boolean;
}

let seeded = 0;
/** A ready document owned by `owner` (unique bytes each time, so no dedupe across probes). */
async function seedDocument(t: TestApp, owner: TenantRecord): Promise<string> {
  const scope = tenantScope(t.dataDir, owner.key);
  seeded += 1;
  const content = Buffer.from(`# Revenue\n\nAlpha revenue note ${seeded}.\n`);
  const [doc] = await t.services.documents.upload(
    scope,
    (async function* () {
      yield { filename: 'alpha-note.md', stream: Readable.from([content]) };
    })(),
  );
  await t.services.documents.whenIdle(scope);
  return doc!.id;
}

/**
 * A conversation owned by `owner`, with one answered turn and its trace; the question names the
 * owner, so an answer to the intruder that shows it is a leak.
 */
async function seedSession(t: TestApp, owner: TenantRecord): Promise<string> {
  const scope = tenantScope(t.dataDir, owner.key);
  const { sessions } = t.services.analyst;
  const question = `What was ${owner.name} revenue in Q4?`;
  const session = await sessions.create(scope, question);
  await sessions.startTurn(scope, session.id, question, 'local');
  await sessions.finishTurn(scope, session.id, 1, { answer: `${owner.name} made 1.2M.` });
  await appendTraceEvent(scope, {
    ts: '2026-01-10T12:00:00Z',
    session_id: session.id,
    turn: 1,
    type: 'user_message',
    input: question,
  });
  return session.id;
}

/** Every tenant route. Later issues append their routes here. */
const PROBES: Probe[] = [
  { method: 'GET', url: '/api/me' },
  { method: 'GET', url: '/api/documents' },
  { method: 'POST', url: '/api/documents', ownerSucceeds: false },
  { method: 'GET', url: '/api/documents/:id', seed: seedDocument },
  { method: 'GET', url: '/api/documents/:id/file', seed: seedDocument },
  { method: 'DELETE', url: '/api/documents/:id', seed: seedDocument },
  { method: 'GET', url: '/api/search', query: 'q=revenue' },
  { method: 'GET', url: '/api/metrics' },
  { method: 'GET', url: '/api/metrics/overview' },
  { method: 'GET', url: '/api/graph' },
  { method: 'GET', url: '/api/benchmarks' },
  { method: 'GET', url: '/api/sessions' },
  { method: 'GET', url: '/api/traces' },
  { method: 'GET', url: '/api/questionnaire' },
  { method: 'POST', url: '/api/questionnaire', payload: () => ({ first_impression: 'fine' }) },
  { method: 'GET', url: '/api/sessions/:id', seed: seedSession },
  { method: 'PATCH', url: '/api/sessions/:id', seed: seedSession, payload: () => ({ title: 'Renamed' }) },
  { method: 'GET', url: '/api/traces/:session_id', seed: seedSession },
  {
    method: 'POST',
    url: '/api/feedback',
    seed: seedSession,
    payload: (id) => ({ session_id: id, turn: 1, rating: 'down', comment: 'probe' }),
  },
  {
    method: 'POST',
    url: '/api/chat',
    seed: seedSession,
    payload: (id) => ({ message: 'What was our revenue?', session_id: id }),
  },
];

/** Ids shaped to escape the tenant folder. `{A}` is replaced by tenant A's key, `{DATA}` by DATA_DIR. */
const TRAVERSAL_IDS = [
  '..',
  '..%2F..%2F_admin%2Ftenants.json',
  '%2e%2e%2f%2e%2e%2f_admin%2ftenants.json',
  '..%2F{A}',
  '..%5C..%5C{A}',
  '%2Fetc%2Fpasswd',
  '{DATA_ENC}',
  '%00',
  'doc%00..%2F{A}',
  '{A}',
  `${'a'.repeat(300)}`,
];

/** The public and admin trees (guarded elsewhere); everything else under /api is a tenant route. */
const PUBLIC_ROUTES = new Set(['GET /api/health', 'POST /api/auth/login']);
const isTenantRoute = (method: string, url: string) =>
  url.startsWith('/api/') && !url.startsWith('/api/admin/') && !PUBLIC_ROUTES.has(`${method} ${url}`);

let t: TestApp;
let a: TenantRecord;
let b: TenantRecord;
/** Strings that must never appear in an answer to B. */
let secretsOfA: string[];

beforeAll(async () => {
  t = await buildTestApp();
  a = await t.services.tenants.create(
    { name: 'Alpha Owner Corp', email: 'owner@alpha.example', notes: 'alpha-private-note' },
    { via: 'cli' },
  );
  b = await t.services.tenants.create({ name: 'Beta Intruder Inc', email: 'intruder@beta.example' }, { via: 'cli' });
  // A marker file in A's folder: if any route ever reads it for B, the content gives it away.
  await fs.promises.writeFile(path.join(t.dataDir, a.key, 'marker.txt'), 'ALPHA-PRIVATE-MARKER');
  secretsOfA = [
    a.key,
    'Alpha Owner Corp',
    'owner@alpha.example',
    'alpha-private-note',
    'ALPHA-PRIVATE-MARKER',
    'Alpha revenue note',
  ];
  // A has one of everything before B looks: list routes (documents, search, sessions, traces…) are
  // then tried while there is something of A's to leak.
  for (const seed of new Set(PROBES.flatMap((p) => (p.seed ? [p.seed] : [])))) await seed(t, a);
});

afterAll(async () => {
  await t?.close();
});

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const PARAM = /:[A-Za-z_]+/g;
const hasParam = (p: Probe) => /:[A-Za-z_]+/.test(p.url);
/** Probes tried with A's ids and traversal ids: a URL parameter, or an id in the body (`seed` given). */
const takesId = (p: Probe) => hasParam(p) || p.seed !== undefined;

/** The URL with every parameter set to `id`, plus the probe's query. */
function fill(url: string, id: string, query?: string): string {
  return `${url.replace(PARAM, id)}${query ? `?${query}` : ''}`;
}

/** `echoed`: what the intruder itself sent (an error message may quote it back; that is no leak). */
function expectNoLeak(raw: string, what: string, echoed = '') {
  let body = raw;
  for (const e of [echoed, safeDecode(echoed)].filter(Boolean)) body = body.replaceAll(e, '<echo>');
  for (const secret of secretsOfA) expect(body, `${what} leaked ${secret}`).not.toContain(secret);
  expect(body, `${what} leaked a file`).not.toMatch(/"version":\s*1,\s*"tenants"|root:x:0:0/);
}

describe('tenant isolation', () => {
  test('every tenant route has a probe, and every probe is a registered route', () => {
    const tenantRoutes = registeredRoutes(t.app).filter((r) => isTenantRoute(r.method, r.url));
    const probed = new Set(PROBES.map((p) => `${p.method} ${p.url}`));
    const registered = new Set(tenantRoutes.map((r) => `${r.method} ${r.url}`));
    const missing = [...registered].filter((k) => !probed.has(k));
    const stale = [...probed].filter((k) => !registered.has(k));
    expect(missing, 'tenant routes without a probe: add them to PROBES in test/server/isolation.test.ts').toEqual([]);
    expect(stale, 'probes that name no registered route').toEqual([]);
  });

  test('every tenant route refuses a request without a key', async () => {
    for (const r of registeredRoutes(t.app).filter((x) => isTenantRoute(x.method, x.url))) {
      const res = await t.app.inject({ method: r.method as Method, url: fill(r.url, 'anything_1') });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(401);
      expect(errorCode(res)).toBe('missing_access_key');
    }
  });

  test("routes without ids answer B with B's data only", async () => {
    for (const probe of PROBES.filter((p) => !takesId(p))) {
      const res = await t.asTenant(b.key, {
        method: probe.method,
        url: fill(probe.url, '', probe.query),
        payload: probe.payload?.(''),
      });
      expect(res.statusCode, `${probe.method} ${probe.url}`).toBeLessThan(500);
      expectNoLeak(res.body, `${probe.method} ${probe.url}`);
    }
    const me = await t.asTenant(b.key, { method: 'GET', url: '/api/me' });
    expect(me.json().tenant.id).toBe(b.key);
    // Positive controls: the same routes do show A its own data, so the checks above had something to find.
    const ownSessions = await t.asTenant(a.key, { method: 'GET', url: '/api/sessions' });
    expect(ownSessions.body).toContain('Alpha Owner Corp');
    const ownSearch = await t.asTenant(a.key, { method: 'GET', url: '/api/search?q=revenue' });
    expect(ownSearch.body).toContain('Alpha revenue note');
  });

  test("A's ids answer B with 404, exactly like ids that do not exist", async () => {
    for (const probe of PROBES.filter(takesId)) {
      const what = `${probe.method} ${probe.url}`;
      if (!probe.seed) throw new Error(`${what}: a probe with a URL parameter needs seed`);
      const id = await probe.seed(t, a);
      if (probe.ownerSucceeds !== false) {
        const own = await t.asTenant(a.key, {
          method: probe.method,
          url: fill(probe.url, id, probe.query),
          payload: probe.payload?.(id),
        });
        expect(own.statusCode, `${what} as the owner`).toBeLessThan(300);
      }
      const intruder = await t.asTenant(b.key, {
        method: probe.method,
        url: fill(probe.url, id, probe.query),
        payload: probe.payload?.(id),
      });
      expect(intruder.statusCode, `${what} as the intruder`).toBe(404);
      expectNoLeak(intruder.body, what);
      const fake = `${id.slice(0, -1)}${id.endsWith('x') ? 'y' : 'x'}`;
      const missing = await t.asTenant(b.key, {
        method: probe.method,
        url: fill(probe.url, fake, probe.query),
        payload: probe.payload?.(fake),
      });
      expect(missing.statusCode).toBe(404);
      expect(errorCode(intruder)).toBe(errorCode(missing));
    }
  });

  test('traversal-shaped ids (../, URL-encoded, absolute, NUL) → 400/404 and nothing of A', async () => {
    const dataEnc = encodeURIComponent(path.join(t.dataDir, a.key, 'marker.txt'));
    for (const probe of PROBES.filter(takesId)) {
      for (const raw of TRAVERSAL_IDS) {
        const id = raw.replaceAll('{A}', a.key).replaceAll('{DATA_ENC}', dataEnc);
        const what = `${probe.method} ${fill(probe.url, id, probe.query)}`;
        // In a body the id arrives as sent, so it is tried decoded (`../`, NUL) there.
        const res = await t.asTenant(b.key, {
          method: probe.method,
          url: fill(probe.url, id, probe.query),
          payload: probe.payload?.(safeDecode(id)),
        });
        expect([400, 404], what).toContain(res.statusCode);
        expectNoLeak(res.body, what, id);
      }
    }
    // The traversal set itself is exercised even before any route takes an id: the router and
    // the guard must not turn these into a way around the tenant tree.
    for (const raw of TRAVERSAL_IDS) {
      const id = raw.replaceAll('{A}', a.key).replaceAll('{DATA_ENC}', dataEnc);
      const res = await t.asTenant(b.key, { method: 'GET', url: `/api/me/${id}` });
      expect([400, 404]).toContain(res.statusCode);
      expectNoLeak(res.body, `/api/me/${id}`, id);
    }
  });
});
