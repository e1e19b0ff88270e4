import { z } from 'zod';
import { defineJob } from '../jobs/contract.ts';

/** One job advances one execution as far as it can (`runner.ts`); `userId` is its owner, for data rights. */
export const executeWorkflowJob = defineJob(
  'ai.execute_document_workflow',
  z.object({ executionId: z.string().uuid(), userId: z.string().uuid() }),
);

/** Periodic (Supabase Cron) sweep of expired approvals and executions, and recovery of stalled ones. */
export const cleanupExpiredWorkflowsJob = defineJob(
  'ai.cleanup_expired_workflows',
  z.object({}).passthrough(),
);
