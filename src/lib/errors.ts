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
