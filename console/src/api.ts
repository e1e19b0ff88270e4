// Every call the console makes: functions through supabase.functions.invoke, tables through .from() (RLS
// decides), with errors turned into one shape that carries the API's message, its issues and the request id.
import { createClient, FunctionsHttpError, type SupabaseClient } from '@supabase/supabase-js';
import type { ConsoleConfig } from './config.ts';

export interface Issue {
  path: string;
  message: string;
}

/** An error as a person should see it: the API's own message and the request id to quote. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly code?: string,
    readonly requestId?: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
  }
}

let client: SupabaseClient | undefined;

/** The one supabase-js client of the page, created from config.js. */
export function supabase(config?: ConsoleConfig): SupabaseClient {
  if (!client) {
    if (!config) throw new Error('supabase() before configuration');
    client = createClient(config.supabaseUrl, config.anonKey, {
      auth: { persistSession: true, autoRefreshToken: true, storageKey: 'console-auth' },
    });
  }
  return client;
}

async function toApiError(error: unknown): Promise<ApiError> {
  if (error instanceof FunctionsHttpError) {
    const response = error.context as Response;
    const requestId = response.headers.get('x-request-id') ?? undefined;
    try {
      const body = (await response.json()) as {
        error?: { code?: string; message?: string; requestId?: string; issues?: Issue[] };
      };
      return new ApiError(
        body.error?.message ?? `HTTP ${response.status}`,
        response.status,
        body.error?.code,
        body.error?.requestId ?? requestId,
        body.error?.issues ?? [],
      );
    } catch {
      return new ApiError(`HTTP ${response.status}`, response.status, undefined, requestId);
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(
    message === 'Failed to send a request to the Edge Function'
      ? `${message} (is the stack running?)`
      : message,
  );
}

/** Calls a function route (`classification/enhanced`, `ai/metrics?window=1h`) and returns its JSON. */
export async function invoke<T>(
  path: string,
  options: { method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'; body?: unknown } = {},
): Promise<T> {
  const { data, error } = await supabase().functions.invoke(path, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    body: options.body as Record<string, unknown> | undefined,
  });
  if (error) throw await toApiError(error);
  return data as T;
}

/** The rows of a PostgREST query, or an ApiError with PostgREST's message. */
export async function rows<T>(
  query: PromiseLike<{ data: unknown; error: { message: string; code?: string; details?: string } | null }>,
): Promise<T[]> {
  const { data, error } = await query;
  if (error)
    throw new ApiError(
      error.details ? `${error.message} (${error.details})` : error.message,
      undefined,
      error.code,
    );
  return (data ?? []) as T[];
}
