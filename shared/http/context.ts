import type { Claims, UserClaims } from '../auth/claims.ts';
import type { TokenVerifier } from '../auth/verifier.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from './logger.ts';

/** What the kernel reads of the configuration (shared/config.ts's `Config` has it all). */
interface KernelConfig {
  corsOrigins: string[];
  ops: { maxBodyBytes: number; maxBatchBodyBytes: number; userRateLimitPerMinute: number };
}

/**
 * What the kernel's function app needs of the process's services; the whole set, with the domains' services,
 * is `AppServices` in shared/services.ts.
 */
export interface KernelServices {
  config: KernelConfig;
  db: Database;
  verifier: TokenVerifier;
  logger: Logger;
  /**
   * Work begun after a request is handled (a background drain when the request sent jobs); absent where a
   * worker runs the jobs.
   */
  afterRequest?: { mark(): number; after(mark: number): void };
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
