import { z } from 'zod';
import { NonRetriableError } from '../../http/retry.ts';
import { defineJob } from '../contract.ts';
import type { QueueName } from '../queues.ts';
import type { JobHandler } from '../registry.ts';
import type { JobsService } from '../service.ts';

/** Which queue runs each kind of AI task. */
export const AI_TASK_ROUTES = {
  classify_document: 'ai.classify_document_enhanced',
  classification_batch: 'ai.process_classification_batch',
  auto_schedule_user_bots: 'ai.auto_schedule_user_bots',
  schedule_meeting_bot: 'ai.schedule_meeting_bot',
  execute_document_workflow: 'ai.execute_document_workflow',
  cleanup_expired_workflows: 'ai.cleanup_expired_workflows',
  ai_analysis: 'ai.process_ai_analysis',
  generate_bot_configuration: 'ai.generate_bot_configuration',
  monitor_ai_processing: 'ai.monitor_ai_processing',
} as const satisfies Record<string, QueueName>;
export type AiTaskType = keyof typeof AI_TASK_ROUTES;

/** A generic AI task: its type picks the queue, its payload must satisfy that queue's schema. */
export const AiTaskSchema = z.object({
  type: z.enum(Object.keys(AI_TASK_ROUTES) as [AiTaskType, ...AiTaskType[]]),
  payload: z.record(z.string(), z.unknown()),
});
export type AiTask = z.infer<typeof AiTaskSchema>;
export const routeAiTasksJob = defineJob('ai.route_ai_tasks', AiTaskSchema);

/**
 * `ai.route_ai_tasks`: sends the task's payload to the queue of its type, validated by that queue's schema.
 * The routed job takes the routing job's id, so a second run finds it already sent and sends nothing.
 */
export function routeAiTasksHandler(jobs: JobsService): JobHandler<AiTask> {
  return async function routeAiTask(task, context) {
    const queue = AI_TASK_ROUTES[task.type];
    const target = jobs.registry.get(queue);
    // Without the target's schema the payload cannot be checked, and no retry will bring one.
    if (!target)
      throw new NonRetriableError(`No handler is registered for ${queue}, so ${task.type} cannot be routed`);
    const sent = await jobs.send(target, task.payload, { id: context.id });
    return { queue, jobId: context.id, sent: sent !== null };
  };
}
