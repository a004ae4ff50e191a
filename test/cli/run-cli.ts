import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach } from 'vitest';

export const root = path.resolve(import.meta.dirname, '../..');
const tsxLoader = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;
const main = path.join(root, 'src/cli/main.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the admin CLI as a real process (what `npm run admin --` runs), in `cwd` with only the given
 * environment (plus PATH/HOME), stdin a pipe fed with `input` — so never a terminal.
 */
export function runCli(args: string[], opts: { cwd: string; env?: Record<string, string>; input?: string }) {
  return new Promise<CliResult>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', tsxLoader, main, ...args], {
      cwd: opts.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-cli-'));
  return { dir, cleanup: () => fs.promises.rm(dir, { recursive: true, force: true }) };
}

/**
 * For a test file of CLI runs: each test gets a fresh temp working directory (DATA_DIR=data, a fixed
 * now), removed after it. `cli` runs the CLI there with extra environment and stdin.
 */
export function cliSandbox() {
  let dir = '';
  let cleanup: () => Promise<void> = async () => undefined;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
  });
  afterEach(() => cleanup());
  const env = { DATA_DIR: 'data', OPSORCHESTRA_FIXED_NOW: '2026-01-02T15:30:00Z' };
  const dataDir = () => path.join(dir, 'data');
  return {
    cwd: () => dir,
    dataDir,
    registry: () => path.join(dataDir(), '_admin', 'tenants.json'),
    cli: (args: string[], extra: Record<string, string> = {}, input?: string) =>
      runCli(args, { cwd: dir, env: { ...env, ...extra }, input }),
  };
}
