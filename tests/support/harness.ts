// What HTTP and database tests share: users with tokens, documents, owner connections, calls to the functions.
import { FunctionsHttpError, type SupabaseClient } from '@supabase/supabase-js';
import { asOwner, createUser } from './db.ts';
import type { TestStack } from './stack.ts';

export { asOwner };

// biome-ignore lint/suspicious/noExplicitAny: response bodies are asserted field by field in the tests.
export type Json = any;

export interface TestUser {
  id: string;
  token: string;
}

/** A new signed-up user and a session token for them. */
export async function newUser(stack: TestStack): Promise<TestUser> {
  const id = await createUser(stack.database.url);
  return { id, token: await stack.userToken(id) };
}

/** Inserts a document for a user as the database owner (as an upload would) and returns its id. */
export async function createDocument(
  url: string,
  userId: string,
  content: string,
  title: string | null = null,
): Promise<string> {
  const { rows } = await asOwner(url, (db) =>
    db.query<{ id: string }>(
      `insert into public.documents (user_id, title, content) values ($1, $2, $3) returning id`,
      [userId, title, content],
    ),
  );
  return rows[0]!.id;
}

export interface Called {
  status: number;
  headers: Headers;
  /** The parsed JSON body; null when empty, the text itself when it is not JSON. */
  body: Json;
}

export type CallInit = Omit<RequestInit, 'headers'> & {
  /** Sent as `Authorization: Bearer <token>`; no header when undefined. */
  token?: string;
  /** Sent as a JSON body (instead of `body`). */
  json?: unknown;
  headers?: Record<string, string>;
};

/**
 * Calls `/functions/v1/<path>` of the stack with fetch, as a browser would: the bearer token, a JSON body
 * (`json`, or `body` sent as it is, with a JSON content type), GET by default.
 */
export async function callFunction(
  stack: Pick<TestStack, 'url'>,
  path: string,
  init: CallInit = {},
): Promise<Called> {
  const { token, json, headers, ...request } = init;
  const body = json === undefined ? request.body : JSON.stringify(json);
  const response = await fetch(`${stack.url}/functions/v1/${path.replace(/^\//, '')}`, {
    ...request,
    method: request.method ?? 'GET',
    headers: {
      ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
      ...(body == null ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    body,
  });
  const text = await response.text();
  let parsed: Json = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** A call's status and body, for tests that compare the whole answer. */
export const statusAndBody = ({ status, body }: Called) => ({ status, body });

/**
 * Calls a function through supabase-js (`functions.invoke`), as the frontend does; an error status is answered,
 * not thrown, with its parsed body and headers.
 */
export async function invokeFunction(
  client: SupabaseClient,
  path: string,
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  body?: unknown,
): Promise<{ status: number; body: Json; headers: Headers | undefined }> {
  const { data, error, response } = await client.functions.invoke(path, {
    method,
    ...(body === undefined ? {} : { body: body as object }),
  });
  if (error instanceof FunctionsHttpError) {
    const failed = error.context as Response;
    return { status: failed.status, body: await failed.json(), headers: failed.headers };
  }
  if (error) throw error;
  return { status: response?.status ?? 200, body: data, headers: response?.headers };
}

/** Polls until `check` returns a value other than undefined. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
