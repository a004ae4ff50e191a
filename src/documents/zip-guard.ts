import yauzl from 'yauzl';
import { AppError } from '../lib/errors.ts';

/** Bounds checked on the zip's central directory before any parser opens a DOCX or XLSX. */
export const ZIP_LIMITS = {
  maxEntries: 5_000,
  maxUncompressedBytes: 200 * 1024 * 1024,
  /** Total uncompressed / compressed; real Office files stay far below. */
  maxRatio: 200,
} as const;

const tooLarge = (message: string) => new AppError(422, 'archive_too_large', message);

/**
 * Read the entry list of a zip (never its contents) and refuse zip bombs: too many entries, too many
 * uncompressed bytes, or an outsized compression ratio. Returns the entry names.
 */
export async function inspectZip(file: string, limits = ZIP_LIMITS): Promise<string[]> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.open(
      file,
      { lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true },
      (err, z) =>
        err || !z
          ? reject(
              new AppError(
                422,
                'unreadable_document',
                `The file is not a readable archive: ${err?.message ?? 'unknown error'}`,
              ),
            )
          : resolve(z),
    );
  });
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw tooLarge(`The archive has ${zip.entryCount} entries; at most ${limits.maxEntries} are accepted.`);
    }
    const names: string[] = [];
    let uncompressed = 0;
    let compressed = 0;
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        names.push(entry.fileName);
        uncompressed += entry.uncompressedSize;
        compressed += entry.compressedSize;
        if (uncompressed > limits.maxUncompressedBytes) {
          reject(tooLarge(`The archive would expand beyond ${Math.round(limits.maxUncompressedBytes / 1048576)} MB.`));
          return;
        }
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', (err: Error) =>
        reject(new AppError(422, 'unreadable_document', `The archive is damaged: ${err.message}`)),
      );
      zip.readEntry();
    });
    if (uncompressed > 1024 * 1024 && uncompressed / Math.max(compressed, 1) > limits.maxRatio) {
      throw tooLarge('The archive is compressed suspiciously well (a possible zip bomb); it was not opened.');
    }
    return names;
  } finally {
    zip.close();
  }
}
