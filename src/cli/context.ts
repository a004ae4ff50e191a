import path from 'node:path';
import readline from 'node:readline/promises';
import { type Config, loadConfig } from '../config.ts';
import { type Clock, fixedClock, systemClock } from '../lib/clock.ts';
import { cryptoSuffix, type SuffixSource } from '../tenants/keys.ts';
import { createTenantService, type TenantService } from '../tenants/service.ts';
import type { Origin, TenantRecord } from '../tenants/types.ts';

/** A refusal or "not found" the CLI reports on one stderr line with its exit status. */
export class CliExit extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliExit';
  }
}

export interface CliContext {
  config: Config;
  service: TenantService;
  clock: Clock;
  origin: Origin;
  /** Print lines (human output) on stdout. */
  print(lines: string | string[]): void;
  /** Print one JSON document on stdout (`--json`). */
  printJson(value: unknown): void;
  /** A note for a person on stderr (never mixed into `--json` output). */
  note(line: string): void;
  /** Whether a person can answer a question (stdin is a terminal; the question goes to stderr). */
  interactive: boolean;
  /** Ask a `[y/N]` question; true only for `y`/`yes`. */
  confirm(question: string): Promise<boolean>;
  /** A path for people: relative to the working directory when it lies inside it. */
  displayPath(p: string): string;
}

/** The tenant a command names (its id or current access key); none → exit 1 with one line. */
export async function tenantOrExit(c: CliContext, key: string): Promise<TenantRecord> {
  const t = await c.service.get(key);
  if (!t) throw new CliExit(1, `No tenant with key ${key}.`);
  return t;
}

/**
 * A destructive command goes on only when `--force` is given or a person answers yes to `question`;
 * without a terminal it refuses ("refusing to <what> without confirmation"), a no cancels.
 */
export async function confirmedOrExit(c: CliContext, force: boolean | undefined, what: string, question: string) {
  if (force) return;
  if (!c.interactive) throw new CliExit(1, `Not a terminal: refusing to ${what} without confirmation; pass --force.`);
  if (!(await c.confirm(question))) throw new CliExit(1, 'Cancelled; nothing changed.');
}

/**
 * Test seams, read only here and only by the CLI (documented in docs/cli.md):
 * - `OPSORCHESTRA_FIXED_NOW`: an ISO time the CLI's clock is frozen at (exact output in tests);
 * - `OPSORCHESTRA_KEY_SUFFIXES`: comma-separated 8-character suffixes used in order for new keys
 *   before falling back to the CSPRNG (a fixed key, or a forced collision);
 * - `OPSORCHESTRA_ASSUME_TTY=1`: treat stdin as a terminal so the `[y/N]` prompt can be answered
 *   through a pipe.
 */
function testSeams(env: NodeJS.ProcessEnv): { clock: Clock; suffix: SuffixSource; assumeTty: boolean } {
  const now = env.OPSORCHESTRA_FIXED_NOW?.trim();
  const clock = now ? fixedClock(now) : systemClock;
  const scripted = (env.OPSORCHESTRA_KEY_SUFFIXES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const suffix: SuffixSource = () => scripted.shift() ?? cryptoSuffix();
  return { clock, suffix, assumeTty: env.OPSORCHESTRA_ASSUME_TTY === '1' };
}

export function createContext(): CliContext {
  const config = loadConfig();
  const seams = testSeams(process.env);
  const service = createTenantService({
    dataDir: config.dataDir,
    clock: seams.clock,
    suffix: seams.suffix,
    databaseUrl: config.databaseUrl,
    databaseSchema: config.databaseSchema,
  });
  const interactive = seams.assumeTty || Boolean(process.stdin.isTTY);
  return {
    config,
    service,
    clock: seams.clock,
    origin: { via: 'cli' },
    print(lines) {
      const text = Array.isArray(lines) ? lines.join('\n') : lines;
      process.stdout.write(`${text}\n`);
    },
    printJson(value) {
      process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    note(line) {
      process.stderr.write(`${line}\n`);
    },
    interactive,
    async confirm(question) {
      const rl = readline.createInterface({ input: process.stdin, output: process.stderr, terminal: false });
      try {
        process.stderr.write(`${question} `);
        const answer = await new Promise<string>((resolve) => {
          rl.once('line', resolve);
          rl.once('close', () => resolve(''));
        });
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        rl.close();
      }
    },
    displayPath(p) {
      const rel = path.relative(process.cwd(), p);
      return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p;
    },
  };
}
