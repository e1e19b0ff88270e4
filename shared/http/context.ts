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
  /**
   * Reads that tolerate a little replication lag (metrics, alerts): the read replica at DATABASE_READ_URL,
   * or `db` itself when none is set. Never written to.
   */
  readDb: Database;
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
