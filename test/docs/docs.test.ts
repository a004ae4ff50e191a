import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.ts';
import type { BatchResult } from './cli-batch.ts';
import { adminCommands, type DocCommand, nameSlug, npmRunScripts, plainBlocks, shellWords } from './doc-commands.ts';

/**
 * The docs stay true (STYLE.md §12): the admin commands that README.md and docs/operator-guide.md show
 * are run, in the order shown, against a fresh data directory each, and must succeed; every
 * `npm run X` names a script; every configuration variable is documented and read; links resolve.
 */
const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const readme = read('README.md');
const guide = read('docs/operator-guide.md');
const architecture = read('docs/architecture.md');
const packageJson = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
const envExample = read('.env.example');
const configSource = read('src/config.ts');

const run = promisify(execFile);
const tsxLoader = pathToFileURL(path.join(root, 'node_modules/tsx/dist/loader.mjs')).href;

/** A documented `revoke-tenant` / `purge-tenant` without `--force` asks first: answer it with `--force`. */
function forScript(command: DocCommand): DocCommand {
  const confirms = ['revoke-tenant', 'purge-tenant'].includes(command.args[0] ?? '');
  return confirms && !command.args.includes('--force') ? { ...command, args: [...command.args, '--force'] } : command;
}

/**
 * The guide's examples: partners created 2026-01-02T15:30:00Z with the example key of their name (the
 * CLI's test seams, docs/cli.md), every other command run on 2026-01-06T09:00:00Z.
 */
function withExampleKeyAndTime(command: DocCommand): DocCommand {
  if (command.args[0] !== 'create-tenant') {
    return { ...command, env: { ...command.env, OPSORCHESTRA_FIXED_NOW: '2026-01-06T09:00:00Z' } };
  }
  const slug = nameSlug(command.args[command.args.indexOf('--name') + 1] ?? '');
  const example = new RegExp(`\\b${slug}_([A-Z0-9]{8})\\b`).exec(guide)?.[1];
  return {
    ...command,
    env: {
      ...command.env,
      OPSORCHESTRA_FIXED_NOW: '2026-01-02T15:30:00Z',
      ...(example ? { OPSORCHESTRA_KEY_SUFFIXES: example } : {}),
    },
  };
}

describe('the admin commands the docs show', () => {
  const readmeCommands = adminCommands(readme);
  const guideCommands = adminCommands(guide);
  let work: string;
  let results: BatchResult[][];

  beforeAll(async () => {
    work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'opsorch-docs-'));
    const input = {
      cwd: work,
      runs: [
        { dataDir: path.join(work, 'readme-data'), commands: readmeCommands.map(forScript) },
        { dataDir: path.join(work, 'guide-data'), commands: guideCommands.map(forScript) },
        // The guide's shown output, reproduced: its example keys and times, data in `.agent` as by default.
        { dataDir: path.join(work, '.agent'), commands: guideCommands.map(forScript).map(withExampleKeyAndTime) },
      ],
    };
    const inputFile = path.join(work, 'input.json');
    await fs.promises.writeFile(inputFile, JSON.stringify(input));
    // Only PATH and HOME from this environment: no ADMIN_SECRET, DATABASE_URL, VALID_TENANT_KEYS leak in.
    const { stdout } = await run(
      process.execPath,
      ['--import', tsxLoader, path.join(import.meta.dirname, 'cli-batch.ts'), inputFile],
      { cwd: work, env: { PATH: process.env.PATH ?? '', HOME: work }, maxBuffer: 32 * 1024 * 1024 },
    );
    results = JSON.parse(stdout) as BatchResult[][];
  });

  afterAll(async () => {
    if (work) await fs.promises.rm(work, { recursive: true, force: true });
  });

  it('finds the runbook sequence in the operator guide', () => {
    const shown = guideCommands.map((c) => c.args[0]);
    const order = [
      'create-tenant',
      'welcome-email',
      'list-tenants',
      'show-tenant',
      'followups',
      'revoke-tenant',
      'export-tenant',
      'purge-tenant',
      'import-legacy-keys',
    ];
    let at = -1;
    for (const command of order) {
      const next = shown.indexOf(command, at + 1);
      expect(next, `${command} after the previous step`).toBeGreaterThan(at);
      at = next;
    }
  });

  it('the operator guide shows every command of the CLI', () => {
    const shown = new Set(guideCommands.map((c) => c.args[0]));
    for (const c of buildProgram().program.commands) expect(shown.has(c.name()), c.name()).toBe(true);
  });

  it('every README command succeeds on a fresh data directory', () => {
    expect(readmeCommands.length).toBeGreaterThanOrEqual(2);
    for (const r of results[0] ?? [])
      expect({ args: r.args, code: r.code, stderr: r.stderr }).toEqual({ args: r.args, code: 0, stderr: '' });
    expect(results[0]?.[0]?.stdout).toContain('TENANT CREATED SUCCESSFULLY');
    expect(results[0]?.at(-1)?.stdout).toMatch(/Total: 1 tenant\(s\)/);
  });

  it('every operator-guide command succeeds, in order, with the keys it created', () => {
    const guideResults = results[1] ?? [];
    expect(guideResults).toHaveLength(guideCommands.length);
    for (const r of guideResults) {
      expect({ args: r.args, code: r.code }, `${r.args.join(' ')}\n${r.stderr}`).toEqual({ args: r.args, code: 0 });
    }
    const created = guideResults.filter((r) => r.args[0] === 'create-tenant');
    expect(created.length).toBeGreaterThanOrEqual(2);
    const keys = created.map((r) => /^Access Key: (\S+)$/m.exec(r.stdout)?.[1]);
    // The example keys were replaced: later commands name the created keys, not the docs' examples.
    const used = guideResults.filter((r) => r.args[0] !== 'create-tenant').flatMap((r) => r.args);
    expect(used).not.toContain('acme_corp_A1B2C3D4');
    expect(used).not.toContain('beta_inc_E5F6G7H8');
    for (const key of keys) expect(used, String(key)).toContain(key);
  });

  it('prints what the guide shows, character for character', () => {
    const outputs = (results[2] ?? []).map((r) => r.stdout.trimEnd());
    expect(results[2]?.every((r) => r.code === 0)).toBe(true);
    const head = (text: string) => text.split('\n').slice(0, 2).join('\n');
    let compared = 0;
    for (const block of plainBlocks(guide)) {
      const candidates = outputs.filter((o) => head(o) === head(block));
      if (candidates.length === 0) continue; // not CLI output (the audit log, an error message)
      expect(candidates, block).toContain(block.trimEnd());
      compared += 1;
    }
    // create-tenant, followups, revoke-tenant, purge-tenant, import-legacy-keys
    expect(compared).toBeGreaterThanOrEqual(5);
  });

  it('leaves the data directory the guide describes', () => {
    const guideResults = results[1] ?? [];
    const dataDir = path.join(work, 'guide-data');
    const purged = guideResults.find((r) => r.args[0] === 'purge-tenant')?.args[1] as string;
    const kept = guideResults.find((r) => r.args[0] === 'show-tenant')?.args[1] as string;
    expect(fs.existsSync(path.join(dataDir, purged))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, kept, 'traces'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, kept, 'documents'))).toBe(true);
    for (const file of ['_admin/tenants.json', '_admin/tenants.json.bak', '_admin/audit.jsonl']) {
      expect(fs.existsSync(path.join(dataDir, file)), file).toBe(true);
    }
    const audit = fs
      .readFileSync(path.join(dataDir, '_admin/audit.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { action: string }).action);
    expect(new Set(audit)).toEqual(new Set(['create', 'edit', 'rotate_key', 'revoke', 'export', 'purge', 'import']));
    const exportArgs = guideResults.find((r) => r.args[0] === 'export-tenant')?.args ?? [];
    const out = exportArgs[exportArgs.indexOf('--out') + 1] as string;
    expect(fs.statSync(path.join(work, out)).size).toBeGreaterThan(0);
  });
});

describe('what the docs name exists', () => {
  const docs = { 'README.md': readme, 'docs/operator-guide.md': guide, 'docs/architecture.md': architecture };

  it('every `npm run X` names a script of package.json', () => {
    for (const [file, text] of Object.entries(docs)) {
      for (const script of npmRunScripts(text))
        expect(packageJson.scripts, `${file}: npm run ${script}`).toHaveProperty(script);
    }
    expect(packageJson.scripts).toHaveProperty('start');
    expect(packageJson.scripts).toHaveProperty('test');
  });

  it('every admin command and option the docs mention exists', () => {
    const { program } = buildProgram();
    for (const [file, text] of Object.entries(docs)) {
      for (const m of text.matchAll(/npm run (?:-s )?admin -- ([a-z-]+)([^\n`|]*)/g)) {
        const name = m[1] as string;
        if (name === 'command') continue; // the synopsis `<command>`
        const cmd = program.commands.find((c) => c.name() === name);
        expect(cmd, `${file}: ${name}`).toBeDefined();
        for (const option of shellWords((m[2] ?? '').replace(/[<>[\]…]/g, ' ')).filter((w) => w.startsWith('--'))) {
          expect(
            cmd?.options.some((o) => o.long === option),
            `${file}: ${name} ${option}`,
          ).toBe(true);
        }
      }
    }
  });

  it('the README command table lists every CLI command with its options', () => {
    const { program } = buildProgram();
    for (const c of program.commands) {
      const row = readme.split('\n').find((l) => l.startsWith(`| \`${c.name()}`));
      expect(row, c.name()).toBeDefined();
      for (const o of c.options)
        if (o.long && o.long !== '--json') expect(row, `${c.name()} ${o.long}`).toContain(o.long);
    }
  });

  it('every variable of .env.example is in the README table and read by src/config.ts', () => {
    const vars = [...envExample.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1] as string);
    expect(vars.length).toBeGreaterThan(10);
    for (const name of vars) {
      expect(readme, `README row for ${name}`).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'));
      expect(configSource, `src/config.ts reads ${name}`).toContain(`get('${name}')`);
    }
  });

  it('every variable src/config.ts reads is in the README table', () => {
    const read = [...configSource.matchAll(/get\('([A-Z][A-Z0-9_]*)'\)/g)].map((m) => m[1] as string);
    expect(read.length).toBeGreaterThan(10);
    for (const name of read) expect(readme, name).toMatch(new RegExp(`^\\| \`${name}\` +\\|`, 'm'));
  });

  it('the bench results path the README names is where npm run bench writes', () => {
    expect(readme).toContain('bench/results/latest.json');
    expect(read('bench/run.ts')).toContain("'results', 'latest.json'");
  });

  it('the deploy section matches railway.json and the Dockerfile', () => {
    const railway = JSON.parse(read('railway.json')) as {
      build: { builder: string };
      deploy: { startCommand: string; healthcheckPath: string };
    };
    expect(railway.build.builder).toBe('DOCKERFILE');
    expect(readme).toContain(railway.deploy.startCommand);
    expect(readme).toContain(railway.deploy.healthcheckPath);
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/DATA_DIR=\/data/);
    expect(dockerfile).toMatch(/HEALTHCHECK[\s\S]*\/api\/health/);
    expect(readme).toContain('-v opsorchestra-data:/data');
  });

  it('every relative link resolves, anchors included', () => {
    const docFiles = ['README.md', 'docs/operator-guide.md', 'docs/architecture.md'];
    for (const file of docFiles) {
      const text = read(file);
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1] as string;
        if (/^[a-z]+:/.test(target)) continue; // http(s), mailto
        const [rel, anchor] = target.split('#') as [string, string | undefined];
        const resolved = rel ? path.join(path.dirname(path.join(root, file)), rel) : path.join(root, file);
        expect(fs.existsSync(resolved), `${file}: ${target}`).toBe(true);
        if (anchor && resolved.endsWith('.md')) {
          expect(headingSlugs(fs.readFileSync(resolved, 'utf8')), `${file}: ${target}`).toContain(anchor);
        }
      }
    }
  });
});

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function headingSlugs(markdown: string): string[] {
  let inCode = false;
  const slugs: string[] = [];
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inCode = !inCode;
    const m = !inCode && /^#{1,6}\s+(.*)$/.exec(line);
    if (m)
      slugs.push(
        (m[1] as string)
          .toLowerCase()
          .replace(/[^\p{L}\p{N}\s_-]/gu, '')
          .replace(/\s/g, '-'),
      );
  }
  return slugs;
}
