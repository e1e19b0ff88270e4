import type { AiService } from './ai/ai-service.ts';
import type { Config } from './config.ts';
import type { Database } from './db/database.ts';
import type { KernelServices } from './http/context.ts';
import type { JobsService } from './jobs/service.ts';
import type { Platform } from './platform.ts';

/** What every function's app is built from; created once per process by `createServices` (shared/runtime.ts). */
export interface AppServices extends KernelServices {
  config: Config;
  /**
   * Reads that tolerate a little replication lag (metrics, alerts): the read replica at DATABASE_READ_URL,
   * or `db` itself when none is set. Never written to.
   */
  readDb: Database;
  /** Job handlers and sends (pg-boss, started on first use). */
  jobs: JobsService;
  /** The runtime's background tasks and meters (Edge Runtime or Node). */
  platform: Platform;
  /**
   * The only way into AI (routes, the classification cascade, workflow steps, the bot configurator, jobs):
   * every call goes through one pipeline per provider (cache, shared rate limit, budget, cost, log). Built on
   * first use, so a process that never calls AI never loads the offline models.
   */
  readonly ai: AiService;
  /**
   * The same services over the background-work pool (config.dbWorkPoolMax), with an AI service of its own over
   * it: job handlers are registered with these, requests use the others. `work.work` is `work`.
   */
  readonly work: AppServices;
}
