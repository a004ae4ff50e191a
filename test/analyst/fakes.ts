import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TableRef, ToolPorts } from '../../src/analyst/tools/ports.ts';
import type { RecordList } from '../../src/documents/records/types.ts';
import type { ParsedTable } from '../../src/documents/types.ts';
import type { PeriodSpec } from '../../src/graph/engine/periods.ts';
import { type TenantScope, tenantScope } from '../../src/store/paths.ts';
import { newTenantRecord, type TenantRecord } from '../../src/tenants/types.ts';

/** The fakes look periods up by id; an object spec is named by its JSON. */
const idOf = (p: PeriodSpec | undefined) => (p === undefined ? '' : typeof p === 'string' ? p : JSON.stringify(p));

/** A temp data dir, removed by `cleanup`. */
export async function tempDir(prefix = 'opsorch-analyst-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => fs.promises.rm(dir, { recursive: true, force: true }) };
}

export function fakeTenant(key: string, name = 'Acme'): TenantRecord {
  return newTenantRecord({ key, name, email: 'ops@example.com', notes: '' }, '2026-01-01T00:00:00Z');
}

export function scopeOf(dataDir: string, key: string): TenantScope {
  return tenantScope(dataDir, key);
}

export interface FakeTenantData {
  passages?: Array<{ document_id: string; document_name: string; locator: string; text: string }>;
  tables?: TableRef[];
  records?: RecordList[];
  mrr?: Array<[string, number]>;
}

/**
 * Documents and graph held in memory per tenant id, searched the way the real index would be: only
 * within the scope the tool context carries.
 */
export function fakePorts(byTenant: Record<string, FakeTenantData>): ToolPorts & { facts: unknown[] } {
  const facts: unknown[] = [];
  const data = (scope: TenantScope) => byTenant[scope.tenantId] ?? {};
  const source = { document_id: 'doc_metrics01', document_name: 'metrics.csv', locator: 'row 2, column "mrr"' };
  return {
    facts,
    documents: {
      async search(scope, query, limit) {
        const words = query.toLowerCase().split(/\W+/).filter(Boolean);
        return (data(scope).passages ?? [])
          .map((p) => ({ p, score: words.filter((w) => p.text.toLowerCase().includes(w)).length }))
          .filter((x) => x.score > 0)
          .sort((a, b) => b.score - a.score)
          .slice(0, limit)
          .map(({ p, score }) => ({
            document_id: p.document_id,
            document_name: p.document_name,
            locator: p.locator,
            snippet: p.text,
            score,
          }));
      },
      async passages(scope, id) {
        return (data(scope).passages ?? [])
          .filter((p) => p.document_id === id)
          .map((p) => ({ locator: p.locator, text: p.text }));
      },
      async list(scope) {
        const names = new Map((data(scope).passages ?? []).map((p) => [p.document_id, p.document_name]));
        return [...names].map(([id, name]) => ({ id, name, status: 'ready', metrics: [] }));
      },
      async records(scope) {
        return data(scope).records ?? [];
      },
      async tables(scope) {
        return data(scope).tables ?? [];
      },
    },
    graph: {
      async listMetrics(scope) {
        const mrr = data(scope).mrr ?? [];
        return mrr.length
          ? [{ metric: 'mrr', name: 'MRR', unit: 'currency', kind: 'component', periods: mrr.map(([p]) => p) }]
          : [];
      },
      async series(scope, metric) {
        const mrr = data(scope).mrr ?? [];
        if (metric !== 'mrr' || mrr.length === 0) return undefined;
        return {
          metric,
          name: 'MRR',
          unit: 'currency',
          series: mrr.map(([period, value]) => ({ period, value, source })),
        };
      },
      async valueIn(scope, metric, spec) {
        const period = idOf(spec);
        const point = (data(scope).mrr ?? []).find(([p]) => p === period);
        return {
          metric,
          name: 'MRR',
          unit: 'currency',
          period,
          value: point ? point[1] : null,
          sources: point ? [source] : [],
          ...(point ? {} : { missing: [`${metric} for ${period}`] }),
        };
      },
      async computeMetric(scope, metric, period) {
        const mrr = data(scope).mrr ?? [];
        const last = mrr.at(-1);
        if (metric !== 'arr' || !last) {
          return {
            metric,
            name: metric,
            unit: 'currency',
            period: idOf(period),
            value: null,
            missing: ['mrr'],
            sources: [],
          };
        }
        return {
          metric: 'arr',
          name: 'ARR',
          unit: 'currency',
          period: period === undefined ? last[0] : idOf(period),
          value: last[1] * 12,
          formula: 'MRR x 12',
          inputs: [{ metric: 'mrr', period: last[0], value: last[1], source }],
          sources: [source],
        };
      },
      async benchmarks(metric) {
        return [
          {
            metric,
            stat: 'median',
            value: 1.04,
            segment: 'private SaaS',
            source: { publisher: 'KeyBanc', report: 'SaaS Survey', year: 2025, url: 'https://example.com/kbcm' },
            verified: true,
          },
        ];
      },
      async compare(_scope, metric, opts) {
        return {
          metric,
          name: metric.toUpperCase(),
          unit: 'percent',
          value: opts.value ?? 1.1,
          period: opts.period === undefined ? '2026-Q2' : idOf(opts.period),
          position: 'above_median',
          summary: 'above the median (104%)',
          band: { median: 1.04, label: 'private SaaS' },
          figures: await this.benchmarks(metric),
        };
      },
      async rememberFact(scope, fact, src) {
        const stored = {
          id: `fact_${facts.length + 1}`,
          ...fact,
          source: src,
          created_at: '2026-01-01T00:00:00Z',
          tenant: scope.tenantId,
        };
        facts.push(stored);
        return stored;
      },
    },
  };
}

/** A wide P&L table (periods across, line items down) as the documents service would type it. */
export function widePnl(documentId = 'doc_pnl000001'): TableRef {
  const table: ParsedTable = {
    locator: 'P&L!A1:D4',
    sheet: 'P&L',
    header: ['Line item', 'Jul 2025', 'Aug 2025', 'Sep 2025'],
    rows: [
      ['Revenue', 100000, 110000, 120000],
      ['AWS hosting', 8000, 8500, 9100],
      ['Salaries', 50000, 50000, 52000],
    ],
    columnTypes: ['text', 'currency', 'currency', 'currency'],
    orientation: 'wide',
    cells: { sheet: 'P&L', firstColumn: 1, rowNumbers: [2, 3, 4] },
  };
  return { document_id: documentId, document_name: 'pnl.xlsx', table };
}
