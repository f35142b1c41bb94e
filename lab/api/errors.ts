/** An answer with PVE's status code and body shape (`{data: null, message, errors?}`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string>,
  ) {
    super(message);
  }
}

export const parameterError = (errors: Record<string, string>): ApiError => new ApiError(400, 'Parameter verification failed.', errors);
export const permissionError = (path: string, privilege: string): ApiError => new ApiError(403, `Permission check failed (${path}, ${privilege})`);
export const notFound = (what: string): ApiError => new ApiError(500, what);
export const authFailure = (message = 'authentication failure'): ApiError => new ApiError(401, message);

/** A successful answer with extra top-level fields next to `data` (PVE puts `total` there for task logs). */
export class ApiAnswer {
  constructor(
    readonly data: unknown,
    readonly extra: Record<string, unknown> = {},
  ) {}
}
