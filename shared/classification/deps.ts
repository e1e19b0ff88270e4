import { aiServiceFor } from '../ai/runtime.ts';
import type { Database } from '../db/database.ts';
import type { AppServices } from '../http/context.ts';
import type { Logger } from '../http/logger.ts';
import type { JobsService } from '../jobs/service.ts';
import { lazyClassificationAi } from './ai-adapter.ts';
import type { ClassificationAi } from './ai-port.ts';

/** Sends jobs; with `{tx}` the job joins the caller's transaction and exists only if it commits. */
export type JobSender = Pick<JobsService, 'send'>;

/** What the classification services need; built once per process from the app's services. */
export interface ClassificationDeps {
  db: Database;
  logger: Logger;
  ai: ClassificationAi;
  jobs: JobSender;
  /** Items per chunk job of a batch. */
  chunkSize: number;
}

/** Items per chunk job: small enough that a re-delivered chunk redoes little, large enough to keep jobs few. */
export const DEFAULT_CHUNK_SIZE = 25;

/** The classification services' dependencies from the app's services; `overrides` swap parts (tests, tools). */
export function createClassificationDeps(
  services: Pick<AppServices, 'config' | 'db' | 'logger' | 'jobs'>,
  overrides: Partial<ClassificationDeps> = {},
): ClassificationDeps {
  return {
    db: services.db,
    logger: services.logger,
    chunkSize: DEFAULT_CHUNK_SIZE,
    ...overrides,
    ai: overrides.ai ?? lazyClassificationAi(() => aiServiceFor(services)),
    jobs: overrides.jobs ?? services.jobs,
  };
}
