import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { writeFileAtomic } from '../store/atomic.ts';

/** One entry of an archive: a directory (no data) or a file. `name` uses `/` separators. */
export interface ArchiveEntry {
  name: string;
  data?: Buffer;
  mtime: Date;
}

/**
 * A `.tar.gz` (POSIX ustar) of `entries`, written atomically to `outFile`. A small writer rather than
 * a dependency: an export is a handful of files, and `tar -xzf` on any system reads it.
 */
export async function writeTarGz(outFile: string, entries: ArchiveEntry[]): Promise<number> {
  const chunks: Buffer[] = [];
  await pipeline(Readable.from(tarBlocks(entries)), zlib.createGzip(), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) chunks.push(chunk);
  });
  const data = Buffer.concat(chunks);
  await writeFileAtomic(outFile, data);
  return data.length;
}

function* tarBlocks(entries: ArchiveEntry[]): Generator<Buffer> {
  for (const e of entries) {
    const isDir = e.data === undefined;
    yield header(isDir && !e.name.endsWith('/') ? `${e.name}/` : e.name, e.data?.length ?? 0, e.mtime, isDir);
    if (e.data && e.data.length > 0) {
      yield e.data;
      const pad = (512 - (e.data.length % 512)) % 512;
      if (pad) yield Buffer.alloc(pad);
    }
  }
  yield Buffer.alloc(1024); // two zero blocks end the archive
}

function header(name: string, size: number, mtime: Date, isDir: boolean): Buffer {
  const buf = Buffer.alloc(512);
  const [prefix, base] = splitName(name);
  buf.write(base, 0, 100, 'utf8');
  octal(buf, 100, 8, isDir ? 0o755 : 0o644);
  octal(buf, 108, 8, 0);
  octal(buf, 116, 8, 0);
  octal(buf, 124, 12, size);
  octal(buf, 136, 12, Math.floor(mtime.getTime() / 1000));
  buf.fill(0x20, 148, 156); // checksum is computed with its own field as spaces
  buf.write(isDir ? '5' : '0', 156, 1, 'ascii');
  buf.write('ustar\u000000', 257, 8, 'ascii');
  buf.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of buf) sum += b;
  buf.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return buf;
}

function octal(buf: Buffer, offset: number, length: number, value: number): void {
  buf.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'ascii');
}

/** ustar keeps up to 155 bytes of directory prefix and 100 bytes of name. */
function splitName(name: string): [string, string] {
  if (Buffer.byteLength(name) <= 100) return ['', name];
  for (let i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100 && rest.length > 0) return [prefix, rest];
  }
  throw new Error(`path too long for a tar archive: ${name}`);
}

/** Every directory and file under `dir`, named `<base>/<relative path>`, directories first. */
export async function collectFolder(dir: string, base: string): Promise<ArchiveEntry[]> {
  const out: ArchiveEntry[] = [];
  const walk = async (abs: string, rel: string) => {
    const stat = await fs.promises.stat(abs);
    out.push({ name: rel, mtime: stat.mtime });
    const entries = await fs.promises.readdir(abs, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
      const childAbs = path.join(abs, e.name);
      const childRel = `${rel}/${e.name}`;
      if (e.isDirectory()) await walk(childAbs, childRel);
      else if (e.isFile()) {
        const data = await fs.promises.readFile(childAbs);
        out.push({ name: childRel, data, mtime: (await fs.promises.stat(childAbs)).mtime });
      }
      // Symlinks and other special files are not part of a tenant's data and are skipped.
    }
  };
  if (fs.existsSync(dir)) await walk(dir, base);
  return out;
}
