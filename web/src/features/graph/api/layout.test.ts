import { describe, expect, it } from 'vitest';
import { forceLayout } from './layout.ts';

const nodes = [
  { id: 'c', type: 'company' },
  ...Array.from({ length: 12 }, (_, i) => ({ id: `m${i}`, type: 'metric' })),
  ...Array.from({ length: 4 }, (_, i) => ({ id: `d${i}`, type: 'document' })),
  { id: 'b0', type: 'benchmark' },
];
const edges = [
  ...Array.from({ length: 12 }, (_, i) => ({ source: 'c', target: `m${i}` })),
  ...Array.from({ length: 12 }, (_, i) => ({ source: `m${i}`, target: `d${i % 4}` })),
  { source: 'm0', target: 'b0' },
  { source: 'm0', target: 'missing-node' },
];

describe('forceLayout', () => {
  it('places every node inside the canvas, deterministically', () => {
    const a = forceLayout(nodes, edges, { width: 800, height: 600, iterations: 120 });
    const b = forceLayout(nodes, edges, { width: 800, height: 600, iterations: 120 });
    expect(a.size).toBe(nodes.length);
    for (const [id, p] of a) {
      expect(p.x, id).toBeGreaterThanOrEqual(24);
      expect(p.x, id).toBeLessThanOrEqual(776);
      expect(p.y, id).toBeGreaterThanOrEqual(24);
      expect(p.y, id).toBeLessThanOrEqual(576);
      expect(b.get(id)).toEqual(p);
    }
  });

  it('keeps nodes apart and linked nodes closer than unlinked ones on average', () => {
    const pos = forceLayout(nodes, edges, { width: 800, height: 600, iterations: 200 });
    const list = [...pos.values()];
    let minDist = Number.POSITIVE_INFINITY;
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        minDist = Math.min(minDist, Math.hypot(list[i]!.x - list[j]!.x, list[i]!.y - list[j]!.y));
      }
    }
    expect(minDist).toBeGreaterThan(5);
    const dist = (s: string, t: string) => Math.hypot(pos.get(s)!.x - pos.get(t)!.x, pos.get(s)!.y - pos.get(t)!.y);
    const linked = edges.filter((e) => pos.has(e.target)).map((e) => dist(e.source, e.target));
    const unlinked = [dist('d0', 'd2'), dist('d1', 'd3'), dist('b0', 'd3')];
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean(linked)).toBeLessThan(mean(unlinked));
  });

  it('handles empty and single-node graphs', () => {
    expect(forceLayout([], [], { width: 100, height: 100 }).size).toBe(0);
    expect(forceLayout([{ id: 'x', type: 'company' }], [], { width: 100, height: 80 }).get('x')).toEqual({
      x: 50,
      y: 40,
    });
  });
});
