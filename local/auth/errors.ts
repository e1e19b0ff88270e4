/** A GoTrue error: HTTP status, `error_code` (auth-js's `error.code`) and message. */
export class AuthError extends Error {
  readonly status: 400 | 401 | 403 | 404 | 422 | 500;
  readonly code: string;
  readonly weakPasswordReasons: string[] | undefined;
  constructor(status: AuthError['status'], code: string, message: string, weakPasswordReasons?: string[]) {
    super(message);
    this.name = 'AuthError';
    this.status = status;
    this.code = code;
    this.weakPasswordReasons = weakPasswordReasons;
  }
}

/**
 * The body GoTrue answers for an error. With `X-Supabase-Api-Version: 2024-01-01` (auth-js sends it) it is
 * `{code, message}` and the version is echoed in the response header; without it, the initial
 * `{code: <status>, error_code, msg}`. A weak password adds `weak_password: {reasons}`.
 */
export function authErrorResponse(error: AuthError, apiVersion: string | undefined): Response {
  const versioned =
    apiVersion !== undefined && /^\d{4}-\d{2}-\d{2}$/.test(apiVersion) && apiVersion >= '2024-01-01';
  const body: Record<string, unknown> = versioned
    ? { code: error.code, message: error.message }
    : { code: error.status, error_code: error.code, msg: error.message };
  if (error.weakPasswordReasons) body.weak_password = { reasons: error.weakPasswordReasons };
  const headers: Record<string, string> = { 'x-sb-error-code': error.code };
  if (versioned) headers['X-Supabase-Api-Version'] = '2024-01-01';
  return Response.json(body, { status: error.status, headers });
}
