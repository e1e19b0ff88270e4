import { registerAiJobs } from './ai/jobs.ts';
import { createVerifier } from './auth/verifier.ts';
import { registerBotJobs } from './bots/jobs.ts';
import { registerClassificationJobHandlers } from './classification/batch-jobs.ts';
import { loadConfig } from './config.ts';
import { createDatabase } from './db/database.ts';
import type { AppServices } from './http/context.ts';
import { createLogger } from './http/logger.ts';
import { registerJobHandlers } from './jobs/handlers.ts';
import { createJobsService } from './jobs/service.ts';
import { registerWorkflowJobs } from './workflows/jobs.ts';

/** Builds the services every function app needs from an environment map read at the entry point. */
export function createServices(env: Record<string, string | undefined>): AppServices {
  const config = loadConfig(env);
  const pool = { max: config.dbPoolMax, connectionTimeoutMs: config.dbPoolTimeoutMs };
  const db = createDatabase(config.databaseUrl, pool);
  const readDb = config.databaseReadUrl ? createDatabase(config.databaseReadUrl, pool) : db;
  const logger = createLogger(config.logLevel);
  const services: AppServices = {
    config,
    db,
    readDb,
    verifier: createVerifier({ jwtSecret: config.jwtSecret, jwksUrl: config.jwksUrl }),
    logger,
    jobs: createJobsService(db, logger),
  };
  registerJobHandlers(services);
  registerWorkflowJobs(services);
  registerBotJobs(services);
  registerClassificationJobHandlers(services);
  registerAiJobs(services);
  return services;
}

/** Stops pg-boss and closes the database pools (the replica's too, when it has its own). */
export async function closeServices(services: AppServices): Promise<void> {
  await services.jobs.close();
  if (services.readDb !== services.db) await services.readDb.close();
  await services.db.close();
}
