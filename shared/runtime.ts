import { createVerifier } from './auth/verifier.ts';
import { loadConfig } from './config.ts';
import { createDatabase } from './db/database.ts';
import type { AppServices } from './http/context.ts';
import { createLogger } from './http/logger.ts';

/** Builds the services every function app needs from an environment map read at the entry point. */
export function createServices(env: Record<string, string | undefined>): AppServices {
  const config = loadConfig(env);
  return {
    config,
    db: createDatabase(config.databaseUrl, { max: config.dbPoolMax }),
    verifier: createVerifier({ jwtSecret: config.jwtSecret, jwksUrl: config.jwksUrl }),
    logger: createLogger(config.logLevel),
  };
}
