import { join } from 'node:path';
import type { AppServices } from '../shared/services.ts';
import { createAuthApp } from './auth/app.ts';
import { apiMaxRows, loadAuthSettings } from './auth/config.ts';
import {
  generateSigningJwk,
  loadOrCreateSigningKey,
  type SigningKey,
  signingKeyFromJwk,
} from './auth/signing-key.ts';
import type { PlatformApps } from './gateway.ts';
import { createRestApp } from './rest/app.ts';

const root = new URL('..', import.meta.url).pathname;

export interface LocalPlatformOptions {
  services: AppServices;
  /** Where the stack serves, e.g. http://127.0.0.1:54321. */
  apiUrl: string;
  /**
   * The data directory whose `auth/signing_keys.json` keeps the ES256 signing key across starts (made on the
   * first). Without one (tests) a key is generated for this process. config.toml's `signing_keys_path` wins.
   */
  dataDir?: string;
}

/** The signing key of the local Auth: config.toml's `signing_keys_path`, else the data directory's, else new. */
export async function localSigningKey(
  signingKeysPath: string | undefined,
  dataDir?: string,
): Promise<SigningKey> {
  if (signingKeysPath) return loadOrCreateSigningKey(join(root, 'supabase', signingKeysPath));
  if (dataDir) return loadOrCreateSigningKey(join(dataDir, 'auth', 'signing_keys.json'));
  return signingKeyFromJwk(await generateSigningJwk());
}

/** Builds the Auth and REST stand-ins of the local stack over the services' database. */
export async function createLocalPlatform(options: LocalPlatformOptions): Promise<PlatformApps> {
  const settings = loadAuthSettings(options.apiUrl);
  const signingKey = await localSigningKey(settings.signingKeysPath, options.dataDir);
  const { services } = options;
  const auth = createAuthApp({
    pool: services.db.pool,
    settings,
    signingKey,
    apiKeys: services.verifier,
    legacySecret: services.config.jwtSecret,
  });
  const rest = createRestApp({ pool: services.db.pool, verifier: services.verifier, maxRows: apiMaxRows() });
  return { auth: (request) => auth.fetch(request), rest: (request) => rest.fetch(request) };
}
