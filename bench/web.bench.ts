/**
 * Web bundle sizes (issue 7): builds the app, then measures the gzipped JavaScript the first page
 * load needs (the entry chunk and what it imports statically from index.html) against the lazy chunks.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { BenchRow } from './types.ts';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist', 'web');

export default async function webBench(): Promise<BenchRow[]> {
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'error'], {
    cwd: root,
    stdio: 'inherit',
  });
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const initial = new Set(
    [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!).filter(Boolean),
  );
  const gz = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(dist, file))).length / 1024;
  const assets = fs.readdirSync(path.join(dist, 'assets')).map((f) => `assets/${f}`);
  const initialJs = [...initial].filter((f) => f.endsWith('.js')).reduce((sum, f) => sum + gz(f), 0);
  const initialCss = [...initial].filter((f) => f.endsWith('.css')).reduce((sum, f) => sum + gz(f), 0);
  const lazyJs = assets.filter((f) => f.endsWith('.js') && !initial.has(f));
  return [
    {
      name: 'initial JavaScript (gzip)',
      value: initialJs,
      unit: 'KB',
      goal: '≤ 200 KB',
      pass: initialJs <= 200,
    },
    { name: 'initial CSS (gzip)', value: initialCss, unit: 'KB' },
    ...lazyJs.map((f) => ({
      name: `lazy chunk ${path.basename(f).replace(/-[\w-]+\.js$/, '')} (gzip)`,
      value: gz(f),
      unit: 'KB',
    })),
  ];
}
