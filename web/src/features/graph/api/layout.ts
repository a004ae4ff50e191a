/**
 * A small deterministic force layout (no graph library is installed, and the graphs here are small):
 * nodes start on rings by type, then repel each other, edges pull like springs, and a weak gravity keeps
 * the picture centred. Same input → same picture, so it can be tested.
 */
export interface LayoutNode {
  id: string;
  type: string;
}

export interface LayoutEdge {
  source: string;
  target: string;
}

export interface Point {
  x: number;
  y: number;
}

const RING: Record<string, number> = { company: 0, metric: 0.45, document: 0.8, fact: 0.95, benchmark: 1 };

export function forceLayout(
  nodes: LayoutNode[],
  edges: LayoutEdge[],
  options: { width: number; height: number; iterations?: number } = { width: 800, height: 600 },
): Map<string, Point> {
  const { width, height } = options;
  const iterations = options.iterations ?? 300;
  const cx = width / 2;
  const cy = height / 2;
  const radius = Math.min(width, height) * 0.42;
  const n = nodes.length;
  const pos: Point[] = [];
  const index = new Map<string, number>();

  // Initial placement: each type on its own ring, spread by angle; a golden-angle offset avoids overlaps.
  const byType = new Map<string, number>();
  nodes.forEach((node, i) => {
    index.set(node.id, i);
    const k = byType.get(node.type) ?? 0;
    byType.set(node.type, k + 1);
    const ring = (RING[node.type] ?? 0.7) * radius;
    const angle = k * 2.399963 + (RING[node.type] ?? 0.7) * 3;
    pos.push({ x: cx + ring * Math.cos(angle), y: cy + ring * Math.sin(angle) });
  });
  if (n <= 1) {
    if (pos[0]) pos[0] = { x: cx, y: cy };
    return new Map(nodes.map((node, i) => [node.id, pos[i] ?? { x: cx, y: cy }]));
  }

  const links = edges
    .map((e) => [index.get(e.source), index.get(e.target)] as const)
    .filter((l): l is readonly [number, number] => l[0] !== undefined && l[1] !== undefined && l[0] !== l[1]);

  const ideal = Math.max(40, Math.sqrt((width * height) / n) * 0.9);
  let temperature = Math.min(width, height) / 10;
  const cooling = temperature / (iterations + 1);

  for (let it = 0; it < iterations; it++) {
    const disp = pos.map(() => ({ x: 0, y: 0 }));
    for (let i = 0; i < n; i++) {
      const a = pos[i]!;
      for (let j = i + 1; j < n; j++) {
        const b = pos[j]!;
        let dx = a.x - b.x;
        let dy = a.y - b.y;
        let dist = Math.hypot(dx, dy);
        if (dist < 0.01) {
          // Coincident nodes: nudge apart deterministically.
          dx = ((i * 7 + j * 13) % 11) - 5 || 1;
          dy = ((i * 5 + j * 3) % 7) - 3 || 1;
          dist = Math.hypot(dx, dy);
        }
        const force = (ideal * ideal) / dist;
        const fx = (dx / dist) * force;
        const fy = (dy / dist) * force;
        disp[i]!.x += fx;
        disp[i]!.y += fy;
        disp[j]!.x -= fx;
        disp[j]!.y -= fy;
      }
    }
    for (const [s, t] of links) {
      const a = pos[s]!;
      const b = pos[t]!;
      const dx = a.x - b.x;
      const dy = a.y - b.y;
      const dist = Math.max(Math.hypot(dx, dy), 0.01);
      const force = (dist * dist) / ideal;
      const fx = (dx / dist) * force;
      const fy = (dy / dist) * force;
      disp[s]!.x -= fx;
      disp[s]!.y -= fy;
      disp[t]!.x += fx;
      disp[t]!.y += fy;
    }
    for (let i = 0; i < n; i++) {
      const p = pos[i]!;
      const d = disp[i]!;
      d.x += (cx - p.x) * 0.02 * (ideal / 10);
      d.y += (cy - p.y) * 0.02 * (ideal / 10);
      const len = Math.max(Math.hypot(d.x, d.y), 0.01);
      const step = Math.min(len, temperature);
      p.x = clamp(p.x + (d.x / len) * step, 24, width - 24);
      p.y = clamp(p.y + (d.y / len) * step, 24, height - 24);
    }
    temperature = Math.max(temperature - cooling, 0.5);
  }
  return new Map(nodes.map((node, i) => [node.id, pos[i]!]));
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
