// `ai.process_ai_analysis`: analyses one of a user's documents in the background (summary, action items, ...)
// and delivers the result as a notification, which the user's frontend receives through Realtime.
import { z } from 'zod';
import { userClaims } from '../auth/claims.ts';
import type { Database } from '../db/database.ts';
import { insertNotificationOnce, stableUuid } from '../db/notifications.ts';
import { rethrowForRetry } from '../http/retry.ts';
import { defineJob } from '../jobs/contract.ts';
import { QUEUES } from '../jobs/queues.ts';
import type { JobContext, JobRegistry } from '../jobs/registry.ts';
import type { AppServices } from '../services.ts';
import type { AiService } from './ai-service.ts';
import { backgroundPatienceMs } from './pipeline.ts';

const PATIENCE_MS = backgroundPatienceMs(QUEUES['ai.process_ai_analysis'].expireInSeconds);

const ProcessAiAnalysisJob = defineJob(
  'ai.process_ai_analysis',
  z.object({ userId: z.string().uuid(), documentId: z.string().uuid() }),
);

type AnalysisJobResult =
  | { documentId: string; found: false }
  | { documentId: string; found: true; notificationId: string; provider: string; cached: boolean };

/**
 * Reads the document as its owner (RLS: a payload naming someone else's document finds nothing), analyses it
 * through the AI service (logged, cached, rate-limited, within the owner's budget) and stores the notification
 * as the owner, under an id derived from the job's, so a redelivered job adds no second one. Provider rate limits and
 * outages are retried; an empty document or a used-up budget is not.
 */
async function runAnalysisJob(
  deps: { db: Database; ai: Pick<AiService, 'analyze'> },
  data: { userId: string; documentId: string },
  context: Pick<JobContext, 'id' | 'signal'>,
): Promise<AnalysisJobResult> {
  const claims = userClaims(data.userId);
  const document = await deps.db.asUser(
    claims,
    async (tx) =>
      (
        await tx.query<{ title: string | null; content: string }>(
          'select title, content from public.documents where id = $1',
          [data.documentId],
        )
      ).rows[0],
    { readOnly: true },
  );
  if (!document) return { documentId: data.documentId, found: false };
  const outcome = await deps.ai
    .analyze(
      { text: document.content },
      {
        userId: data.userId,
        requestId: `job:${context.id}`,
        signal: context.signal,
        rateLimitPatienceMs: PATIENCE_MS,
      },
    )
    .catch(rethrowForRetry);
  // Notifications are the service's to write (users only mark them read): written as service_role, for this user.
  const notification = await deps.db.asService(async (tx) =>
    insertNotificationOnce(tx, {
      id: await stableUuid(`ai.process_ai_analysis:${context.id}`),
      userId: data.userId,
      kind: 'ai.analysis',
      title: `Analysis ready: ${(document.title ?? 'document').slice(0, 150)}`,
      body: outcome.result.summary.slice(0, 2000),
      payload: {
        documentId: data.documentId,
        analysis: outcome.result,
        provider: outcome.provider,
        model: outcome.model,
        cached: outcome.cached,
      },
    }),
  );
  return {
    documentId: data.documentId,
    found: true,
    notificationId: notification.id,
    provider: outcome.provider,
    cached: outcome.cached,
  };
}

/** Registers `ai.process_ai_analysis` on a registry. */
function addAiJobs(registry: JobRegistry, deps: { db: Database; ai: Pick<AiService, 'analyze'> }) {
  registry.register(ProcessAiAnalysisJob, (data, context) => runAnalysisJob(deps, data, context), {
    concurrency: 5,
  });
}

/** For the runtime: the AI queues' handlers over the process's services. */
export function registerAiJobs(services: AppServices): void {
  addAiJobs(services.jobs.registry, services);
}
