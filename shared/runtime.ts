import { type AiService, createAiService } from './ai/ai-service.ts';
import { registerAiJobs } from './ai/jobs.ts';
import { createLocalModels } from './ai/local/index.ts';
import { createThreadedLocalModels } from './ai/local/threads.ts';
import { createPgAiStore } from './ai/store.ts';
import type { TextModels } from './ai/types.ts';
import { createVerifier } from './auth/verifier.ts';
import { registerBotJobs } from './bots/jobs.ts';
import { registerClassificationJobHandlers } from './classification/batch-jobs.ts';
import { loadConfig } from './config.ts';
import { createDatabase, type Database } from './db/database.ts';
import { createLogger } from './http/logger.ts';
import { drainAfterSend } from './jobs/background.ts';
import { registerJobHandlers } from './jobs/handlers.ts';
import { createJobsService } from './jobs/service.ts';
import { createBudgetGuard } from './ops/budget.ts';
import { registerOpsJobs } from './ops/jobs.ts';
import { createPlatform } from './platform.ts';
import type { AppServices } from './services.ts';
import { registerWorkflowJobs } from './workflows/jobs.ts';

/** Builds the services every function app needs from an environment map read at the entry point. */
export function createServices(env: Record<string, string | undefined>): AppServices {
  const config = loadConfig(env);
  const pool = { max: config.dbPoolMax, connectionTimeoutMs: config.dbPoolTimeoutMs };
  const db = createDatabase(config.databaseUrl, pool);
  const readDb = config.databaseReadUrl ? createDatabase(config.databaseReadUrl, pool) : db;
  const logger = createLogger(config.logLevel);
  // Background work gets a pool of its own: a heavy batch waits for its connections instead of taking the
  // requests' (and a burst of requests cannot starve the batch).
  const workDb = createDatabase(config.databaseUrl, {
    max: config.dbWorkPoolMax,
    connectionTimeoutMs: config.dbWorkPoolTimeoutMs,
  });
  const platform = createPlatform();
  const base = {
    config,
    readDb,
    verifier: createVerifier({
      jwtSecret: config.jwtSecret,
      jwksUrl: config.jwksUrl,
      issuer: config.jwtIssuer,
    }),
    logger,
    jobs: createJobsService(db, logger),
    platform,
  };
  // Built on first use: loading the offline models takes a while, and most functions' requests never need it.
  // Under Node they run on worker threads, off the event loop the requests share; the Edge has no workers.
  const threads =
    platform.name === 'node'
      ? (config.ai.localThreads ?? Math.max(1, Math.min(4, (navigator.hardwareConcurrency ?? 2) - 1)))
      : 0;
  let models: (TextModels & { name: string }) | undefined;
  const aiOver = (database: Database) => {
    models ??= threads > 0 ? createThreadedLocalModels(threads, platform.stopping) : createLocalModels();
    return createAiService({
      config: config.ai,
      store: createPgAiStore(database),
      logger: logger.child({ component: 'ai' }),
      localModels: models,
      budgetGuard: createBudgetGuard(config.ops.dailyCostBudgetUsd),
    });
  };
  let ai: AiService | undefined;
  let workAi: AiService | undefined;
  const work: AppServices = {
    ...base,
    db: workDb,
    get ai() {
      workAi ??= aiOver(workDb);
      return workAi;
    },
    get work() {
      return work;
    },
  };
  const services: AppServices = {
    ...base,
    db,
    get ai() {
      ai ??= aiOver(db);
      return ai;
    },
    work,
  };
  // Where no worker runs (the Edge Runtime by default), a request that sent jobs starts draining them.
  if (config.jobs.drainOnSend ?? platform.name === 'edge') services.afterRequest = drainAfterSend(services);
  registerJobHandlers(work);
  registerOpsJobs(work);
  registerWorkflowJobs(work);
  registerBotJobs(work);
  registerClassificationJobHandlers(work);
  registerAiJobs(work);
  return services;
}

/** Stops pg-boss and closes the database pools (the replica's too, when it has its own). */
export async function closeServices(services: AppServices): Promise<void> {
  // Background drains first (stopped; their jobs are retried): they use pg-boss and the pool.
  await services.platform.shutdown();
  await services.jobs.close();
  if (services.readDb !== services.db) await services.readDb.close();
  await services.work.db.close();
  await services.db.close();
}
