#!/usr/bin/env node
/**
 * `npm start`: builds the web app when its build is missing or older than its sources, then runs the
 * server (`node --import tsx src/server/main.ts`; tsx is a runtime dependency, so a fresh
 * `npm install && npm start` needs no other step). Signals are forwarded and the exit code kept.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const viteConfig = path.join(root, 'web', 'vite.config.ts');
const builtIndex = path.join(root, 'dist', 'web', 'index.html');

/** Newest modification time (ms) of a file or of any file below a folder; 0 when absent. */
function newest(target) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = 0;
  for (const entry of fs.readdirSync(target)) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    max = Math.max(max, newest(path.join(target, entry)));
  }
  return max;
}

function buildWebIfStale() {
  if (!fs.existsSync(viteConfig)) {
    process.stderr.write('start: web/vite.config.ts not found; serving the API without the web app.\n');
    return;
  }
  const sources = Math.max(
    newest(path.join(root, 'web', 'src')),
    newest(path.join(root, 'web', 'index.html')),
    newest(viteConfig),
  );
  const built = newest(builtIndex);
  if (built > 0 && built >= sources) return;
  process.stderr.write(`start: ${built ? 'web app sources changed' : 'web app not built yet'}; building it …\n`);
  const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', viteConfig], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    process.stderr.write('start: the web app build failed (see above); fix it or run `npm run build`.\n');
    process.exit(1);
  }
}

buildWebIfStale();

// tsx resolved from this project (not from the working directory, which may be elsewhere).
const child = spawn(
  process.execPath,
  ['--import', import.meta.resolve('tsx'), path.join(root, 'src', 'server', 'main.ts')],
  {
    stdio: 'inherit',
  },
);
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill(signal);
  });
}
child.on('exit', (code, signal) => {
  process.exit(code ?? (signal ? 128 + (signal === 'SIGINT' ? 2 : 15) : 1));
});
