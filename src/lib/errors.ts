/**
 * The one error type that crosses module boundaries. `code` is a stable snake_case string that
 * clients rely on; `status` is the HTTP status the server answers with (the CLI maps it to an exit code).
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, code = 'invalid_request') => new AppError(400, code, message);
export const notFound = (message = 'Not found', code = 'not_found') => new AppError(404, code, message);

/** A stored file that exists but cannot be parsed. Never silently replaced: the path is in the message. */
export class CorruptFileError extends AppError {
  constructor(
    readonly path: string,
    detail: string,
    hint = '',
  ) {
    super(500, 'corrupt_file', `${path} is not valid JSON (${detail}).${hint ? ` ${hint}` : ''}`);
    this.name = 'CorruptFileError';
  }
}

/** errno codes meaning "storage cannot be written or reached" → 503 `storage_unavailable`. */
const UNAVAILABLE = new Set(['EROFS', 'EACCES', 'EPERM', 'EIO', 'ENOTCONN', 'ESTALE', 'ENXIO', 'ENODEV']);
/** errno codes meaning "storage is full" → 507 `storage_full`. */
const FULL = new Set(['ENOSPC', 'EDQUOT']);

/** The stable codes of storage faults (what the analyst, health and the CLI treat as "storage"). */
export const STORAGE_CODES = new Set(['storage_unavailable', 'storage_full', 'storage_busy', 'corrupt_file']);

/**
 * A filesystem (or database) error classified for clients: the public message says what kind of
 * fault it is and that the operator knows; `errno` and `cause` (with the path) are for the log only.
 */
export class StorageError extends AppError {
  constructor(
    status: number,
    code: 'storage_unavailable' | 'storage_full',
    readonly errno: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(status, code, message);
    this.name = 'StorageError';
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** An errno-carrying error → StorageError; anything else (or already an AppError) → undefined. */
export function storageError(err: unknown): StorageError | undefined {
  if (err instanceof StorageError) return err;
  if (err instanceof AppError) return undefined;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') return undefined;
  if (FULL.has(code)) {
    return new StorageError(507, 'storage_full', code, 'Storage is full; the operator has been told.', { cause: err });
  }
  if (UNAVAILABLE.has(code)) {
    return new StorageError(
      503,
      'storage_unavailable',
      code,
      'Storage is unavailable (read-only or unreachable); the operator has been told.',
      { cause: err },
    );
  }
  return undefined;
}

/**
 * The storage fault behind `err`, if it is one: a classified errno, a corrupt file, a lock held too
 * long. Used where a fault must be reported honestly rather than read as "no data".
 */
export function storageFault(err: unknown): AppError | undefined {
  if (err instanceof AppError) return STORAGE_CODES.has(err.code) ? err : undefined;
  return storageError(err);
}

/** Replace the data directory (and any other absolute path) in text meant for an operator's log. */
export function relativePaths(text: string, dataDir: string): string {
  const root = dataDir.replace(/[/\\]+$/, '');
  let out = root ? text.split(`${root}/`).join('').split(root).join('.') : text;
  out = out.replace(/(^|[\s"'(=])(?:\/[^\s"'():/]+){2,}\/?/g, (_m, lead: string) => `${lead}<path>`);
  return out;
}
