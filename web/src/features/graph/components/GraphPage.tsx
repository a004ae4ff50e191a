import { Network, RotateCcw, ZoomIn, ZoomOut } from 'lucide-react';
import { useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { IconButton } from '../../../components/ui/Button.tsx';
import { Card, EmptyState, PageHeader } from '../../../components/ui/Card.tsx';
import { ErrorNote, LoadingBlock } from '../../../components/ui/Spinner.tsx';
import { errorMessage } from '../../../lib/api-client.ts';
import type { GraphEdge, GraphNode, GraphNodeType } from '../../../lib/api-types.ts';
import { cn } from '../../../lib/cn.ts';
import { useGraph } from '../api/graph.ts';
import { forceLayout } from '../api/layout.ts';
import { MetricsOverview } from './MetricsOverview.tsx';

const WIDTH = 900;
const HEIGHT = 620;

const TYPES: { type: GraphNodeType; label: string; color: string; r: number }[] = [
  { type: 'company', label: 'Company', color: '#4f46e5', r: 14 },
  { type: 'metric', label: 'Metrics', color: '#0ea5e9', r: 9 },
  { type: 'document', label: 'Documents', color: '#10b981', r: 9 },
  { type: 'fact', label: 'Facts', color: '#a855f7', r: 6 },
  { type: 'benchmark', label: 'Benchmarks', color: '#f59e0b', r: 8 },
];

function style(type: string) {
  return TYPES.find((t) => t.type === type) ?? { type, label: type, color: '#71717a', r: 7 };
}

/**
 * Lazy-loaded. First the metrics overview (each metric against the benchmarks for the partner's
 * stage); the network of metrics, documents, facts and benchmarks is a second tab.
 */
export default function GraphPage() {
  const [tab, setTab] = useState<'metrics' | 'network'>('metrics');
  const tabClass = (on: boolean) =>
    cn(
      'rounded-md px-3 py-1.5 text-sm font-medium',
      on
        ? 'bg-white text-zinc-900 shadow-sm ring-1 ring-zinc-200 dark:bg-zinc-800 dark:text-zinc-50 dark:ring-zinc-700'
        : 'text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100',
    );
  return (
    <div className="mx-auto max-w-7xl px-4 py-8 sm:px-8">
      <PageHeader
        title="Graph"
        description="Your metrics against the published benchmarks for your stage; the network links them to their documents and sources."
      />
      <div
        role="tablist"
        aria-label="Views"
        className="mb-5 inline-flex gap-1 rounded-lg bg-zinc-100 p-1 dark:bg-zinc-900"
      >
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'metrics'}
          className={tabClass(tab === 'metrics')}
          onClick={() => setTab('metrics')}
        >
          Overview
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={tab === 'network'}
          className={tabClass(tab === 'network')}
          onClick={() => setTab('network')}
        >
          Network
        </button>
      </div>
      <div role="tabpanel" aria-label={tab === 'metrics' ? 'Overview' : 'Network'}>
        {tab === 'metrics' ? <MetricsOverview /> : <NetworkTab />}
      </div>
    </div>
  );
}

function NetworkTab() {
  const graph = useGraph();
  return (
    <>
      {graph.isPending ? (
        <LoadingBlock />
      ) : graph.isError ? (
        <ErrorNote>{errorMessage(graph.error)}</ErrorNote>
      ) : graph.data.nodes.length === 0 ? (
        <Card>
          <EmptyState icon={<Network className="size-6" aria-hidden />} title="Your graph is empty">
            Upload a document with metrics and the graph fills in.
          </EmptyState>
        </Card>
      ) : (
        <GraphView nodes={graph.data.nodes} edges={graph.data.edges} />
      )}
    </>
  );
}

function GraphView({ nodes, edges }: { nodes: GraphNode[]; edges: GraphEdge[] }) {
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const [hover, setHover] = useState<string | null>(null);
  const [view, setView] = useState({ x: 0, y: 0, k: 1 });
  const drag = useRef<{ x: number; y: number; vx: number; vy: number } | null>(null);
  const svgRef = useRef<SVGSVGElement>(null);

  const visibleNodes = useMemo(() => nodes.filter((n) => !hidden.has(n.type)), [nodes, hidden]);
  const visibleIds = useMemo(() => new Set(visibleNodes.map((n) => n.id)), [visibleNodes]);
  const visibleEdges = useMemo(
    () => edges.filter((e) => visibleIds.has(e.source) && visibleIds.has(e.target)),
    [edges, visibleIds],
  );
  const positions = useMemo(
    () => forceLayout(visibleNodes, visibleEdges, { width: WIDTH, height: HEIGHT }),
    [visibleNodes, visibleEdges],
  );

  const focus = hover ?? selected;
  const neighbours = useMemo(() => {
    const set = new Set<string>();
    if (!focus) return set;
    for (const e of visibleEdges) {
      if (e.source === focus) set.add(e.target);
      if (e.target === focus) set.add(e.source);
    }
    return set;
  }, [focus, visibleEdges]);

  const selectedNode = nodes.find((n) => n.id === selected) ?? null;
  const counts = useMemo(() => {
    const m = new Map<string, number>();
    for (const n of nodes) m.set(n.type, (m.get(n.type) ?? 0) + 1);
    return m;
  }, [nodes]);

  const zoom = (factor: number) => setView((v) => ({ ...v, k: Math.min(4, Math.max(0.3, v.k * factor)) }));

  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_20rem]">
      <Card className="relative overflow-hidden">
        <div className="flex flex-wrap items-center gap-1.5 border-b border-zinc-100 px-3 py-2 dark:border-zinc-800">
          {TYPES.filter((t) => counts.has(t.type)).map((t) => {
            const on = !hidden.has(t.type);
            return (
              <button
                key={t.type}
                type="button"
                aria-pressed={on}
                onClick={() =>
                  setHidden((h) => {
                    const next = new Set(h);
                    if (on) next.add(t.type);
                    else next.delete(t.type);
                    return next;
                  })
                }
                className={cn(
                  'inline-flex items-center gap-1.5 rounded-full border px-2.5 py-1 text-xs transition-opacity',
                  on
                    ? 'border-zinc-200 dark:border-zinc-700'
                    : 'border-dashed border-zinc-300 opacity-50 dark:border-zinc-700',
                )}
              >
                <span className="size-2.5 rounded-full" style={{ background: t.color }} aria-hidden />
                {t.label} <span className="text-zinc-600 dark:text-zinc-400">{counts.get(t.type)}</span>
              </button>
            );
          })}
          <div className="ml-auto flex items-center gap-0.5">
            <IconButton label="Zoom in" onClick={() => zoom(1.25)}>
              <ZoomIn className="size-4" aria-hidden />
            </IconButton>
            <IconButton label="Zoom out" onClick={() => zoom(0.8)}>
              <ZoomOut className="size-4" aria-hidden />
            </IconButton>
            <IconButton label="Reset view" onClick={() => setView({ x: 0, y: 0, k: 1 })}>
              <RotateCcw className="size-4" aria-hidden />
            </IconButton>
          </div>
        </div>
        <svg
          ref={svgRef}
          viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
          className="block h-[min(62vh,620px)] w-full cursor-grab touch-none select-none active:cursor-grabbing"
          role="application"
          aria-label="Knowledge graph: Tab to move between nodes, Enter to select, Escape to clear"
          onPointerDown={(e) => {
            if ((e.target as Element).closest('[data-node]')) return;
            drag.current = { x: e.clientX, y: e.clientY, vx: view.x, vy: view.y };
            (e.currentTarget as SVGSVGElement).setPointerCapture(e.pointerId);
          }}
          onPointerMove={(e) => {
            const d = drag.current;
            const svg = svgRef.current;
            if (!d || !svg) return;
            const scale = WIDTH / svg.getBoundingClientRect().width;
            setView((v) => ({ ...v, x: d.vx + (e.clientX - d.x) * scale, y: d.vy + (e.clientY - d.y) * scale }));
          }}
          onPointerUp={() => {
            drag.current = null;
          }}
          onWheel={(e) => zoom(e.deltaY < 0 ? 1.1 : 0.9)}
          onClick={(e) => {
            if (!(e.target as Element).closest('[data-node]')) setSelected(null);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setSelected(null);
          }}
        >
          <g
            transform={`translate(${view.x + (WIDTH / 2) * (1 - view.k)} ${view.y + (HEIGHT / 2) * (1 - view.k)}) scale(${view.k})`}
          >
            {visibleEdges.map((e, i) => {
              const a = positions.get(e.source);
              const b = positions.get(e.target);
              if (!a || !b) return null;
              const lit = focus !== null && (e.source === focus || e.target === focus);
              return (
                <line
                  // biome-ignore lint/suspicious/noArrayIndexKey: parallel edges may share endpoints
                  key={i}
                  x1={a.x}
                  y1={a.y}
                  x2={b.x}
                  y2={b.y}
                  stroke={lit ? '#6366f1' : 'currentColor'}
                  strokeOpacity={lit ? 0.9 : focus ? 0.06 : 0.18}
                  strokeWidth={lit ? 1.6 : 1}
                />
              );
            })}
            {visibleNodes.map((n) => {
              const p = positions.get(n.id);
              if (!p) return null;
              const s = style(n.type);
              const dim = focus !== null && n.id !== focus && !neighbours.has(n.id);
              const isSel = n.id === selected;
              return (
                // biome-ignore lint/a11y/useSemanticElements: SVG has no <button>; the node group is made keyboard-operable instead
                <g
                  key={n.id}
                  data-node
                  transform={`translate(${p.x} ${p.y})`}
                  tabIndex={0}
                  role="button"
                  aria-label={`${s.label}: ${n.label}`}
                  aria-pressed={isSel}
                  className="cursor-pointer outline-none focus-visible:[&>circle]:stroke-accent-500"
                  opacity={dim ? 0.25 : 1}
                  onClick={() => setSelected(n.id)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter' || e.key === ' ') {
                      e.preventDefault();
                      setSelected(n.id);
                    }
                  }}
                  onPointerEnter={() => setHover(n.id)}
                  onPointerLeave={() => setHover(null)}
                  onFocus={() => setHover(n.id)}
                  onBlur={() => setHover(null)}
                >
                  <circle
                    r={s.r + (isSel ? 3 : 0)}
                    fill={s.color}
                    stroke={isSel ? '#1e1b4b' : 'white'}
                    strokeWidth={isSel ? 2.5 : 1.5}
                  />
                  {(n.type !== 'fact' && n.type !== 'benchmark') || focus === n.id || neighbours.has(n.id) ? (
                    <text
                      y={s.r + 12}
                      textAnchor="middle"
                      className="fill-zinc-700 text-[11px] dark:fill-zinc-300"
                      style={{ paintOrder: 'stroke', stroke: 'var(--label-halo, white)', strokeWidth: 3 }}
                    >
                      {n.label.length > 28 ? `${n.label.slice(0, 27)}…` : n.label}
                    </text>
                  ) : null}
                </g>
              );
            })}
          </g>
        </svg>
      </Card>
      <DetailsPanel node={selectedNode} nodes={nodes} edges={edges} onSelect={setSelected} />
    </div>
  );
}

/** A value in words: numbers grouped, lists counted, objects as "key: value" pairs — never raw JSON. */
function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  if (typeof value === 'string' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value))
    return value.length <= 4 && value.every((v) => typeof v !== 'object') ? value.join(', ') : `${value.length} values`;
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined && typeof v !== 'object')
      .map(
        ([k, v]) =>
          `${k.replace(/_/g, ' ')}: ${typeof v === 'number' ? v.toLocaleString('en-US', { maximumFractionDigits: 2 }) : String(v)}`,
      )
      .join(' · ');
  }
  return String(value);
}

function DetailsPanel({
  node,
  nodes,
  edges,
  onSelect,
}: {
  node: GraphNode | null;
  nodes: GraphNode[];
  edges: GraphEdge[];
  onSelect: (id: string) => void;
}) {
  if (!node) {
    return (
      <Card className="p-5 text-sm text-zinc-600 dark:text-zinc-400">
        <h2 className="mb-1 font-semibold text-zinc-800 dark:text-zinc-200">Details</h2>
        Select a node to see its values, sources and connections. Drag to pan, scroll to zoom; Tab moves between nodes.
      </Card>
    );
  }
  const s = style(node.type);
  const links = edges
    .filter((e) => e.source === node.id || e.target === node.id)
    .map((e) => ({ type: e.type, other: nodes.find((n) => n.id === (e.source === node.id ? e.target : e.source)) }))
    .filter((l): l is { type: string; other: GraphNode } => l.other !== undefined);
  const data = Object.entries(node.data ?? {}).filter(([, v]) => !(Array.isArray(v) && v.length > 12));
  const documentId =
    node.type === 'document'
      ? typeof node.data?.document_id === 'string'
        ? node.data.document_id
        : node.id.replace(/^doc(ument)?:/, '')
      : null;
  return (
    <Card className="max-h-[min(70vh,680px)] overflow-y-auto p-5" aria-live="polite">
      <p className="flex items-center gap-1.5 text-xs font-medium tracking-wide text-zinc-600 dark:text-zinc-400 uppercase">
        <span className="size-2.5 rounded-full" style={{ background: s.color }} aria-hidden />{' '}
        {s.label.replace(/s$/, '')}
      </p>
      <h2 className="mt-1 text-base font-semibold break-words">{node.label}</h2>
      {documentId ? (
        <Link
          to={`/documents/${encodeURIComponent(documentId)}`}
          className="mt-1 inline-block text-sm text-accent-600 hover:underline dark:text-accent-400"
        >
          Open document
        </Link>
      ) : null}
      {data.length > 0 ? (
        <dl className="mt-4 space-y-2 text-sm">
          {data.map(([k, v]) => (
            <div key={k}>
              <dt className="text-xs text-zinc-600 dark:text-zinc-400">{k.replace(/_/g, ' ')}</dt>
              <dd className="break-words">{formatValue(v)}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {links.length > 0 ? (
        <>
          <h3 className="mt-5 mb-2 text-xs font-semibold tracking-wide text-zinc-600 dark:text-zinc-400 uppercase">
            Connections ({links.length})
          </h3>
          <ul className="space-y-1">
            {links.slice(0, 40).map((l, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the same neighbour may appear via two edge types
              <li key={i}>
                <button
                  type="button"
                  onClick={() => onSelect(l.other.id)}
                  className="flex w-full items-center gap-2 rounded-md px-2 py-1 text-left text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800"
                >
                  <span
                    className="size-2 shrink-0 rounded-full"
                    style={{ background: style(l.other.type).color }}
                    aria-hidden
                  />
                  <span className="truncate">{l.other.label}</span>
                  <span className="ml-auto shrink-0 text-[11px] text-zinc-600 dark:text-zinc-400">
                    {l.type.replace(/_/g, ' ')}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Card>
  );
}
