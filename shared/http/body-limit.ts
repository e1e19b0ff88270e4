import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './context.ts';
import { AppError, badRequest } from './errors.ts';

/** Full paths (under `/<function>`) that take many documents in one request, and so a larger body. */
export const LARGE_BODY_PATHS: readonly string[] = ['/classification/batch'];

/** 413: the request body is larger than the route accepts. */
export const payloadTooLarge = (maxBytes: number) =>
  new AppError(413, 'payload_too_large', `The request body is larger than ${maxBytes} bytes`);

/**
 * Rejects request bodies over `maxBytes` (over `largeMaxBytes` on LARGE_BODY_PATHS) with 413 before anything
 * reads them: the declared Content-Length is checked first, a chunked body is counted as it streams.
 */
export function limitRequestBodies(limits: {
  maxBytes: number;
  largeMaxBytes: number;
}): MiddlewareHandler<AppEnv> {
  const large = new Set(LARGE_BODY_PATHS);
  const small = bodyLimit({
    maxSize: limits.maxBytes,
    onError: () => {
      throw payloadTooLarge(limits.maxBytes);
    },
  });
  const big = bodyLimit({
    maxSize: limits.largeMaxBytes,
    onError: () => {
      throw payloadTooLarge(limits.largeMaxBytes);
    },
  });
  return function limitRequestBodiesMiddleware(c, next) {
    return (large.has(c.req.path) ? big : small)(c, next);
  };
}

// A high surrogate not followed by a low one, or a low one not preceded by a high one.
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when a parsed JSON value holds a string (or key) with a NUL character or an unpaired UTF-16 surrogate. */
export function holdsUnstorableText(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000') || UNPAIRED_SURROGATE.test(value);
  if (Array.isArray(value)) return value.some(holdsUnstorableText);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, item]) => holdsUnstorableText(key) || holdsUnstorableText(item));
  }
  return false;
}

/**
 * 400 for a JSON body with text Postgres cannot store: a NUL character or an unpaired surrogate, which JSON
 * allows as `\u0000` or `\ud83d` escapes and zod lets through. Checked once at the edge, before any work is done
 * (an AI call paid for, then a failed insert). Only bodies with a `\u` escape are parsed for the check; the
 * body stays readable for the route (Hono caches it).
 */
export function rejectUnstorableText(): MiddlewareHandler<AppEnv> {
  return async function rejectUnstorableTextMiddleware(c, next) {
    if (!c.req.raw.body || !/json/i.test(c.req.header('content-type') ?? '')) return next();
    const text = await c.req.text();
    if (text.includes('\\u')) {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        return next(); // Not JSON: the route's validator answers 400 with its own message.
      }
      if (holdsUnstorableText(value)) {
        throw badRequest('Text may not contain NUL characters or unpaired UTF-16 surrogates');
      }
    }
    await next();
  };
}
