import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';

/** The `[auth]` settings of supabase/config.toml the Auth stand-in honours, as `supabase start` would. */
export interface AuthSettings {
  /** `jwt_issuer`, else `external_url`, else `<API URL>/auth/v1` (GoTrue's default), every token's `iss`. */
  issuer: string;
  /** `signing_keys_path` (relative to supabase/), the keys `supabase gen signing-key` makes; else generated. */
  signingKeysPath: string | undefined;
  jwtExpirySeconds: number;
  enableSignup: boolean;
  minimumPasswordLength: number;
  passwordRequirements:
    | ''
    | 'letters_digits'
    | 'lower_upper_letters_digits'
    | 'lower_upper_letters_digits_symbols';
  refreshTokenRotation: boolean;
  refreshTokenReuseIntervalSeconds: number;
  /** `[auth.email] enable_confirmations`: the stand-in sends no mail, so it refuses to start when true. */
  emailConfirmations: boolean;
}

const root = new URL('../..', import.meta.url).pathname;

export type Table = Record<string, unknown>;

function read<T>(table: Table | undefined, key: string, fallback: T): T {
  const value = table?.[key];
  return value === undefined ? fallback : (value as T);
}

/** supabase/config.toml (or `path`) as a table. */
function readProjectConfig(path = join(root, 'supabase/config.toml')): Table {
  return parse(readFileSync(path, 'utf8')) as Table;
}

/** `[api] max_rows`: the most rows PostgREST answers for one request. */
export function apiMaxRows(config: Table = readProjectConfig()): number {
  return read(config.api as Table | undefined, 'max_rows', 1000);
}

/** Reads supabase/config.toml (or `path`); `apiUrl` is where the stack serves, e.g. http://127.0.0.1:54321. */
export function loadAuthSettings(apiUrl: string, path?: string): AuthSettings {
  const config = readProjectConfig(path);
  const auth = config.auth as Table | undefined;
  const email = auth?.email as Table | undefined;
  const settings: AuthSettings = {
    issuer: read(auth, 'jwt_issuer', '') || read(auth, 'external_url', '') || `${apiUrl}/auth/v1`,
    signingKeysPath: read<string>(auth, 'signing_keys_path', '') || undefined,
    jwtExpirySeconds: read(auth, 'jwt_expiry', 3600),
    enableSignup: read(auth, 'enable_signup', true),
    minimumPasswordLength: read(auth, 'minimum_password_length', 6),
    passwordRequirements: read(auth, 'password_requirements', ''),
    refreshTokenRotation: read(auth, 'enable_refresh_token_rotation', true),
    refreshTokenReuseIntervalSeconds: read(auth, 'refresh_token_reuse_interval', 10),
    emailConfirmations: read(email, 'enable_confirmations', false),
  };
  if (settings.emailConfirmations) {
    throw new Error(
      'supabase/config.toml [auth.email] enable_confirmations = true: the local Auth stand-in sends no mail; use `supabase start`',
    );
  }
  return settings;
}
