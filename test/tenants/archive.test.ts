import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTarGz } from '../../src/tenants/archive.ts';
import { tempDataDir } from './helpers.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDataDir());
});
afterEach(() => cleanup());

describe('tar.gz writer', () => {
  it('writes an archive the system tar reads back, long paths and empty files included', async () => {
    const longDir = `${'a'.repeat(60)}/${'b'.repeat(60)}`;
    const big = Buffer.alloc(1500, 7);
    const mtime = new Date('2026-01-02T03:04:05Z');
    const file = path.join(dir, 'out', 'x.tar.gz');
    const bytes = await writeTarGz(file, [
      { name: 'root', mtime },
      { name: 'root/empty.txt', data: Buffer.alloc(0), mtime },
      { name: `root/${longDir}`, mtime },
      { name: `root/${longDir}/${'c'.repeat(90)}.bin`, data: big, mtime },
      { name: 'root/ünïcode.md', data: Buffer.from('héllo'), mtime },
    ]);
    expect(fs.statSync(file).size).toBe(bytes);
    const target = path.join(dir, 'x');
    fs.mkdirSync(target);
    execFileSync('tar', ['-xzf', file, '-C', target]);
    expect(fs.readFileSync(path.join(target, 'root/empty.txt')).length).toBe(0);
    expect(fs.readFileSync(path.join(target, `root/${longDir}/${'c'.repeat(90)}.bin`)).equals(big)).toBe(true);
    expect(fs.readFileSync(path.join(target, 'root/ünïcode.md'), 'utf8')).toBe('héllo');
    expect(fs.statSync(path.join(target, 'root/empty.txt')).mtime.toISOString()).toBe('2026-01-02T03:04:05.000Z');
  });

  it('refuses a path tar cannot hold instead of writing a broken archive', async () => {
    await expect(
      writeTarGz(path.join(dir, 'y.tar.gz'), [{ name: 'x'.repeat(300), data: Buffer.from('1'), mtime: new Date() }]),
    ).rejects.toThrow(/too long/);
    expect(fs.existsSync(path.join(dir, 'y.tar.gz'))).toBe(false);
  });
});
