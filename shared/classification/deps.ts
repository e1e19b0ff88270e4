import type { Database } from '../db/database.ts';
import type { Logger } from '../http/logger.ts';
import type { JobsService } from '../jobs/service.ts';
import type { AppServices } from '../services.ts';
import type { CascadeAi } from './cascade.ts';

/** Sends jobs; with `{tx}` the job joins the caller's transaction and exists only if it commits. */
type JobSender = Pick<JobsService, 'send'>;

/** What the classification services need; built once per process from the app's services. */
export interface ClassificationDeps {
  db: Database;
  logger: Logger;
  /** The process's AI service (`services.ai`). */
  readonly ai: CascadeAi;
  jobs: JobSender;
  /** Items per chunk job of a batch. */
  chunkSize: number;
}

/** Items per chunk job: small enough that a re-delivered chunk redoes little, large enough to keep jobs few. */
const DEFAULT_CHUNK_SIZE = 25;

/** The classification services' dependencies from the app's services; tests shrink `chunkSize`. */
export function createClassificationDeps(
  services: Pick<AppServices, 'db' | 'logger' | 'jobs' | 'ai'>,
  options: { chunkSize?: number } = {},
): ClassificationDeps {
  return {
    db: services.db,
    logger: services.logger,
    // Read on use: the AI service is built the first time a classification calls it.
    get ai() {
      return services.ai;
    },
    jobs: services.jobs,
    chunkSize: options.chunkSize ?? DEFAULT_CHUNK_SIZE,
  };
}
