import type { AiService } from '../ai/ai-service.ts';
import type { Database } from '../db/database.ts';
import type { Logger } from '../http/logger.ts';
import type { EnqueueExecution } from './approval-outcome.ts';

/** What the workflow services and jobs need; built once per process from the app's services. */
export interface WorkflowsDeps {
  db: Database;
  logger: Logger;
  /** Schedules `ai.execute_document_workflow` for an execution inside the caller's transaction. */
  enqueue: EnqueueExecution;
  /** The process's AI service (`services.ai`). */
  readonly ai: AiService;
  /** Webhook hosts allowed although they are private (WEBHOOK_ALLOWED_HOSTS); every other must be public. */
  webhookAllowedHosts?: readonly string[];
  /** Seconds a silent worker's claim on a step outlives the step's timeout before another may take over. */
  leaseGraceSeconds?: number;
}
