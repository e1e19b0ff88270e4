import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { AppEnv } from './context.ts';
import { AppError, badRequest } from './errors.ts';

/** Full paths (under `/<function>`) that take many documents in one request, and so a larger body. */
const LARGE_BODY_PATHS: readonly string[] = ['/classification/batch'];

/** 413: the request body is larger than the route accepts. */
const payloadTooLarge = (maxBytes: number) =>
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

/** JSON nested deeper than this is refused before it is parsed. */
const MAX_JSON_DEPTH = 64;

/**
 * How deeply the arrays and objects of a JSON text nest, counted in one pass over the characters (no parsing,
 * no recursion), stopping as soon as `stopAt` is passed. Brackets inside strings do not count.
 */
function jsonTextDepth(text: string, stopAt = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (inString) {
      if (code === 0x5c)
        i++; // backslash: the next character is escaped
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x5b || code === 0x7b) {
      if (++depth > deepest) {
        deepest = depth;
        if (deepest > stopAt) return deepest;
      }
    } else if (code === 0x5d || code === 0x7d) depth--;
  }
  return deepest;
}

/**
 * 400 for a JSON body nested deeper than MAX_JSON_DEPTH, on every route, before anything parses it or walks it
 * (a walk that recursed 100,000 levels would overflow the stack and answer 500).
 */
export function rejectDeepJson(maxDepth = MAX_JSON_DEPTH): MiddlewareHandler<AppEnv> {
  return async function rejectDeepJsonMiddleware(c, next) {
    const type = c.req.header('content-type');
    if (!c.req.raw.body || (type !== undefined && !/json/i.test(type))) return next();
    const text = await c.req.text();
    if (jsonTextDepth(text, maxDepth) > maxDepth)
      throw badRequest(`JSON may nest at most ${maxDepth} levels deep`);
    await next();
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
