/**
 * Runs many admin CLI commands in ONE process (starting the CLI costs about a second each): the same
 * `run(argv)` that `npm run admin --` calls, with stdout and stderr captured per command. Used by
 * test/docs/docs.test.ts to run the commands the docs show, in order.
 *
 * Input (argv[2], a JSON file): `{cwd, runs: [{dataDir, commands: [{env, args}]}]}`. Within a run,
 * the key printed by each `create-tenant` replaces the example key of the same name in later
 * commands. Output (stdout): `[{args, code, stdout, stderr}][]`, one list per run.
 */
import fs from 'node:fs';
import { run } from '../../src/cli/program.ts';
import { substituteKeys } from './doc-commands.ts';

interface Input {
  cwd: string;
  runs: Array<{ dataDir: string; commands: Array<{ env: Record<string, string>; args: string[] }> }>;
}

export interface BatchResult {
  args: string[];
  code: number;
  stdout: string;
  stderr: string;
}

const input = JSON.parse(fs.readFileSync(process.argv[2] as string, 'utf8')) as Input;
process.chdir(input.cwd);

const realStdout = process.stdout.write.bind(process.stdout);
const realStderr = process.stderr.write.bind(process.stderr);
let out = '';
let err = '';
const capture = (sink: 'out' | 'err') =>
  ((chunk: string | Uint8Array) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (sink === 'out') out += text;
    else err += text;
    return true;
  }) as typeof process.stdout.write;

const results: BatchResult[][] = [];
for (const { dataDir, commands } of input.runs) {
  const created = new Map<string, string>();
  const runResults: BatchResult[] = [];
  for (const command of commands) {
    const args = substituteKeys(command.args, created);
    const saved = { ...process.env };
    Object.assign(process.env, command.env, { DATA_DIR: dataDir });
    out = '';
    err = '';
    process.stdout.write = capture('out');
    process.stderr.write = capture('err');
    let code: number;
    try {
      code = await run(['node', 'admin', ...args]);
    } finally {
      process.stdout.write = realStdout;
      process.stderr.write = realStderr;
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    }
    const key = /^Access Key: (\S+)$/m.exec(out)?.[1];
    if (args[0] === 'create-tenant' && key) created.set(key.slice(0, -9), key);
    runResults.push({ args, code, stdout: out, stderr: err });
  }
  results.push(runResults);
}
realStdout(`${JSON.stringify(results)}\n`);
