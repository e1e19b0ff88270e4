// The machinery of the typed client: one endpoint is a function that calls `functions.invoke` and turns an error
// answer into ApiError.
import type { z } from 'zod';
import type { ErrorSchema } from '../http/schemas.ts';

type ErrorBody = z.output<typeof ErrorSchema>;
export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The part of a supabase-js client this needs (`supabase` or anything with the same `functions.invoke`). */
export interface FunctionsInvoker {
  functions: {
    invoke<T>(
      name: string,
      options?: { method?: Method; body?: unknown; headers?: Record<string, string> },
    ): Promise<{ data: T | null; error: unknown }>;
  };
}

/** A function answered with an error: its HTTP status and the stable `{error: {code, message, issues?}}` body. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly issues: ErrorBody['error']['issues'];
  readonly requestId: string | undefined;
  /** Seconds to wait before trying again (429 `rate_limited` / `budget_exceeded`, 503 `unavailable`), when given. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, body: ErrorBody | undefined, retryAfter: string | null) {
    super(body?.error.message ?? `Request failed with status ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.error.code ?? (status === 0 ? 'network_error' : 'unknown');
    this.issues = body?.error.issues;
    this.requestId = body?.error.requestId;
    this.retryAfterSeconds = retryAfter ? Number(retryAfter) : undefined;
  }
}

async function toApiError(error: unknown): Promise<ApiError> {
  const response = (error as { context?: unknown }).context;
  if (response instanceof Response) {
    const body = (await response.json().catch(() => undefined)) as ErrorBody | undefined;
    return new ApiError(response.status, body?.error ? body : undefined, response.headers.get('retry-after'));
  }
  return new ApiError(0, { error: { code: 'network_error', message: String(error) } }, null);
}

/** Every endpoint the client covers, as `METHOD /function/path` (checked against each function's OpenAPI). */
export const CLIENT_ROUTES: string[] = [];

export function endpoint<Params extends unknown[], T>(
  method: Method,
  path: string,
  build: (...args: Params) => { params?: Record<string, string>; query?: object; body?: unknown },
) {
  CLIENT_ROUTES.push(`${method} ${path}`);
  return (invoker: FunctionsInvoker) =>
    async (...args: Params): Promise<T> => {
      const { params = {}, query, body } = build(...args);
      let name = path
        .slice(1)
        .replace(/\{(\w+)\}/g, (_, key: string) => encodeURIComponent(params[key] ?? ''));
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(query ?? {}))
        if (value !== undefined) search.set(key, String(value));
      if (search.toString()) name += `?${search}`;
      const { data, error } = await invoker.functions.invoke<T>(name, { method, body });
      if (error) throw await toApiError(error);
      return data as T;
    };
}
