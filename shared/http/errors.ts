/** An error with an HTTP status and a stable machine-readable code, safe to show to the caller. */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: unknown;
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    message: string,
    options: { issues?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.issues = options.issues;
    this.headers = options.headers ?? {};
  }
}

/** 400: the request is malformed or breaks a rule of the API. */
export const badRequest = (message: string, issues?: unknown) =>
  new AppError(400, 'bad_request', message, { issues });
/** 401: no valid token. */
export const unauthorized = (message = 'A valid bearer token is required') =>
  new AppError(401, 'unauthorized', message, { headers: { 'WWW-Authenticate': 'Bearer' } });
/** 403: the token is valid but its role may not do this. */
export const forbidden = (message = 'This token may not call this endpoint') =>
  new AppError(403, 'forbidden', message);
/** 404: the resource does not exist or is not the caller's (RLS makes both look the same). */
export const notFound = (what: string) => new AppError(404, 'not_found', `${what} not found`);
/** 409: the resource is in a state that does not allow the change. */
export const conflict = (message: string, issues?: unknown) =>
  new AppError(409, 'conflict', message, { issues });
/** 503: a dependency (the database) is unavailable or at capacity; the request did nothing and may be retried. */
export const unavailable = (message: string, retryAfterSeconds = 1) =>
  new AppError(503, 'unavailable', message, { headers: { 'Retry-After': String(retryAfterSeconds) } });
