/** A PostgREST error: HTTP status and the body `{code, message, details, hint}`. */
export class RestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: string | null;
  readonly hint: string | null;
  constructor(
    status: number,
    code: string,
    message: string,
    details: string | null = null,
    hint: string | null = null,
  ) {
    super(message);
    this.name = 'RestError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.hint = hint;
  }

  toResponse(): Response {
    const headers: Record<string, string> = {};
    if (this.status === 401) headers['WWW-Authenticate'] = `Bearer error="invalid_token"`;
    return Response.json(
      { code: this.code, details: this.details, hint: this.hint, message: this.message },
      { status: this.status, headers },
    );
  }
}

/** A valid PostgREST request the stand-in does not implement: 400, naming what and where to get it. */
export function unsupported(what: string): RestError {
  return new RestError(
    400,
    'LOCAL_UNSUPPORTED',
    `${what} is not supported by the local REST stand-in`,
    'The stand-in serves a subset of PostgREST (see the README, "REST at /rest/v1").',
    '`supabase start` runs PostgREST itself, which supports it.',
  );
}

/** PGRST100: a query parameter PostgREST could not parse. */
export function parseError(message: string, details: string | null = null): RestError {
  return new RestError(400, 'PGRST100', message, details);
}

/** PGRST102: a body that is not the JSON the request needs. */
export function bodyError(message: string): RestError {
  return new RestError(400, 'PGRST102', message);
}

interface PgError {
  code?: string;
  message?: string;
  detail?: string;
  hint?: string;
}

/**
 * PostgREST's status for a Postgres error (its SQLSTATE table): permission denied is 401 for anon and 403 for a
 * signed-in role, a missing table or function 404, uniqueness and foreign keys 409, bad input 400.
 */
function statusOf(code: string, role: string): number {
  if (code === '42501') return role === 'anon' ? 401 : 403;
  if (code === '23503' || code === '23505') return 409;
  if (code === '42883' || code === '42P01') return 404;
  if (code === '25006') return 405;
  if (code === '40001' || code === '40P01' || code.startsWith('08') || code.startsWith('53')) return 503;
  if (code === '57014') return 504;
  if (code.startsWith('28') || code.startsWith('0L') || code.startsWith('0P')) return 403;
  if (['22', '23', '42', '21', '2F'].some((prefix) => code.startsWith(prefix)) || code === 'P0001')
    return 400;
  return 500;
}

/** Maps an error thrown by the driver to PostgREST's answer; anything that is not a Postgres error is rethrown. */
export function fromPostgres(error: unknown, role: string): RestError {
  const pg = error as PgError;
  if (typeof pg?.code !== 'string' || !/^[0-9A-Z]{5}$/.test(pg.code)) throw error;
  return new RestError(
    statusOf(pg.code, role),
    pg.code,
    pg.message ?? 'database error',
    pg.detail ?? null,
    pg.hint ?? null,
  );
}
