import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ZodError } from 'zod';
import { InvalidTokenError } from '../auth/verifier.ts';
import { DatabaseUnavailableError } from '../db/database.ts';
import type { AppEnv } from './context.ts';
import { AppError, badRequest, conflict, forbidden, unauthorized, unavailable } from './errors.ts';

/** Stable error body: `{error: {code, message, issues?, requestId}}`. */
interface ErrorBody {
  error: { code: string; message: string; issues?: unknown; requestId?: string };
}

/** Maps Zod issues to a compact, stable list for clients. */
export function formatIssues(error: ZodError) {
  return error.issues.map((issue) => ({
    path: issue.path.join('.'),
    message: issue.message,
    code: issue.code,
  }));
}

// Postgres error codes that mean the caller sent something wrong, or that the server is briefly unable to
// serve (overloaded, restarting, a conflicting transaction): those are 503 with Retry-After, not 500.
function fromPostgres(error: { code?: string; constraint?: string }): AppError | undefined {
  if (error.code?.startsWith('08')) return unavailable('The database connection failed; retry shortly');
  switch (error.code) {
    case '53300': // too_many_connections
    case '57P01': // admin_shutdown
    case '57P02': // crash_shutdown
    case '57P03': // cannot_connect_now
      return unavailable('The database is not accepting requests right now; retry shortly');
    case '40001': // serialization_failure
    case '40P01': // deadlock_detected
    case '55P03': // lock_not_available
      return unavailable('The request conflicted with another one; retry it');
    case '57014': // query_canceled (statement timeout)
      return unavailable('The request took too long in the database; retry shortly');
    case '23505':
      return conflict('A record with the same unique values already exists');
    case '23503':
      return badRequest('A referenced record does not exist or is not yours');
    case '23514':
    case '23502':
    case '22P02':
    case '22007':
    case '22008':
    case '22003':
    case '22001':
    // NUL characters and text Postgres cannot store (JSON's \u0000 passes JSON and zod alike).
    case '22021':
    case '22P05':
      return badRequest('A value is invalid for its field');
    case '42501':
      return forbidden('Row level security does not allow this change');
    default:
      return undefined;
  }
}

function toAppError(error: unknown): AppError | undefined {
  if (error instanceof AppError) return error;
  if (error instanceof InvalidTokenError) return unauthorized(`Invalid token: ${error.message}`);
  if (error instanceof DatabaseUnavailableError)
    return unavailable('The service is at capacity or its database is unreachable; retry shortly');
  if (error instanceof ZodError) return badRequest('Invalid request', formatIssues(error));
  if (error instanceof HTTPException) {
    const code = error.status === 413 ? 'payload_too_large' : error.status < 500 ? 'bad_request' : 'internal';
    if (error.status < 500) return new AppError(error.status, code, error.message || 'Bad request');
    return undefined;
  }
  if (error && typeof error === 'object' && 'code' in error && typeof error.code === 'string') {
    return fromPostgres(error as { code: string });
  }
  return undefined;
}

/** The one error mapper of every app: known errors keep their status, anything else is a bare 500. */
export function handleError(error: unknown, c: Context<AppEnv>) {
  const requestId = c.get('requestId');
  const known = toAppError(error);
  if (known) {
    const body: ErrorBody = { error: { code: known.code, message: known.message, requestId } };
    if (known.issues !== undefined) body.error.issues = known.issues;
    for (const [name, value] of Object.entries(known.headers)) c.header(name, value);
    if (known.status >= 500) c.get('logger')?.error('request failed', { error: String(error) });
    return c.json(body, known.status as 400);
  }
  const detail =
    error instanceof Error ? { name: error.name, message: error.message, stack: error.stack } : { error };
  c.get('logger')?.error('unhandled error', detail);
  const body: ErrorBody = { error: { code: 'internal', message: 'Internal server error', requestId } };
  return c.json(body, 500);
}
