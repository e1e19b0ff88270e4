import type { Claims, UserClaims } from '../auth/claims.ts';
import type { TokenVerifier } from '../auth/verifier.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/database.ts';
import type { JobsService } from '../jobs/service.ts';
import type { Logger } from './logger.ts';

/** What every function's app is built from; created once per process at the entry point. */
export interface AppServices {
  config: Config;
  db: Database;
  verifier: TokenVerifier;
  logger: Logger;
  /** Job handlers and sends (pg-boss, started on first use). */
  jobs: JobsService;
}

/** The Hono environment of every app: typed values middleware puts on the context. */
export type AppEnv = {
  Variables: {
    requestId: string;
    logger: Logger;
    claims: Claims;
    user: UserClaims;
  };
};
