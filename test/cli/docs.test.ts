import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.ts';

const doc = fs.readFileSync(path.resolve(import.meta.dirname, '../../docs/cli.md'), 'utf8');

describe('docs/cli.md stays true', () => {
  const { program } = buildProgram();
  const shown = [...doc.matchAll(/npm run (?:-s )?admin -- ([a-z-]+)([^\n`]*)/g)].map((m) => ({
    command: m[1] ?? '',
    options: [...(m[2] ?? '').matchAll(/--[a-z-]+/g)].map((o) => o[0]),
  }));

  it('documents every command', () => {
    const documented = new Set(shown.map((s) => s.command));
    for (const c of program.commands) expect(documented.has(c.name()), c.name()).toBe(true);
  });

  it('every command and option it shows exists', () => {
    for (const { command, options } of shown) {
      if (command === 'command') continue; // the synopsis `<command>`
      const cmd = program.commands.find((c) => c.name() === command);
      expect(cmd, command).toBeDefined();
      for (const o of options)
        expect(
          cmd?.options.some((x) => x.long === o),
          `${command} ${o}`,
        ).toBe(true);
    }
  });

  it('every command takes --json', () => {
    for (const c of program.commands)
      expect(
        c.options.some((o) => o.long === '--json'),
        c.name(),
      ).toBe(true);
  });
});
