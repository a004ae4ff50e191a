import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const MAIN = path.join(ROOT, 'src', 'server', 'main.ts');
const TSX = import.meta.resolve('tsx');

export interface ServerProcess {
  proc: ChildProcess;
  exited: Promise<number | null>;
  /** The port once it listens (rejects when it exits first). */
  listening: Promise<number>;
  err(): string;
  out(): string;
  stop(): Promise<void>;
}

const running = new Set<ServerProcess>();

/** The real server process (`src/server/main.ts`) with only the given environment, in `cwd`. */
export function startServer(cwd: string, env: Record<string, string>): ServerProcess {
  const proc = spawn(process.execPath, ['--import', TSX, MAIN], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout?.on('data', (d) => {
    stdout += String(d);
  });
  proc.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
  const listening = new Promise<number>((resolve, reject) => {
    proc.stdout?.on('data', () => {
      const match = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
      if (match) resolve(Number(match[1]));
    });
    void exited.then(() => reject(new Error(`server exited: ${stderr}`)));
  });
  listening.catch(() => undefined);
  const server: ServerProcess = {
    proc,
    exited,
    listening,
    err: () => stderr,
    out: () => stdout,
    async stop() {
      running.delete(server);
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const timer = setTimeout(() => proc.kill('SIGKILL'), 8000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
  running.add(server);
  return server;
}

/** Stops every server a test started (afterEach). */
export async function stopAll(): Promise<void> {
  await Promise.all([...running].map((s) => s.stop()));
}
