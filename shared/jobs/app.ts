import { createRoute, z } from '@hono/zod-openapi';
import { createFunctionApp } from '../http/app.ts';
import { badRequest } from '../http/errors.ts';
import { errorResponses } from '../http/schemas.ts';
import type { AppServices } from '../services.ts';
import { startBackgroundDrain } from './background.ts';
import {
  DEFAULT_DRAIN_BUDGET_MS,
  DrainRequestSchema,
  drainJobs,
  EDGE_CPU_LIMIT_MS,
  MAX_DRAIN_BUDGET_MS,
} from './drain.ts';
import { QueueHealthSchema, readQueueHealth } from './health.ts';

const DrainBodySchema = DrainRequestSchema.extend({
  budgetMs: DrainRequestSchema.shape.budgetMs.openapi({
    description: `Wall-clock budget in ms (default ${DEFAULT_DRAIN_BUDGET_MS}, or JOB_DRAIN_WALL_MS in the background; at most ${MAX_DRAIN_BUDGET_MS})`,
  }),
  cpuMs: DrainRequestSchema.shape.cpuMs.openapi({
    description: `CPU in ms after which no job is started (none, or JOB_DRAIN_CPU_MS in the background); jobs still running at ${EDGE_CPU_LIMIT_MS - 100} ms are stopped`,
  }),
  queues: DrainRequestSchema.shape.queues.openapi({
    description: 'Queues to drain; every handled queue by default',
  }),
  background: DrainRequestSchema.shape.background.openapi({
    description:
      'Answer at once and drain in the background of this invocation, in one of the drain slots, handing over to a fresh invocation while work remains (what Supabase Cron and drains themselves call)',
  }),
}).openapi('DrainRequest');

const QueueCountsSchema = z.object({
  completed: z.number().int(),
  failed: z.number().int(),
  deadLettered: z.number().int(),
});

const DrainResultSchema = z
  .object({
    budgetMs: z.number().int(),
    elapsedMs: z.number().int(),
    cpuMs: z.number().int(),
    stoppedBy: z.enum(['empty', 'budget', 'cpu', 'memory']),
    completed: z.number().int(),
    failed: z.number().int(),
    deadLettered: z.number().int(),
    queues: z.record(z.string(), QueueCountsSchema),
  })
  .openapi('DrainResult');

const DrainStartedSchema = z
  .object({
    started: z.boolean(),
    slot: z.number().int().optional(),
    slots: z.number().int().optional(),
  })
  .openapi('DrainStarted');

/** The `jobs` function: background-work endpoints for Supabase Cron and operators; service role only. */
export function createJobsApp(services: AppServices) {
  const app = createFunctionApp('jobs', services, { serviceRoleOnly: true });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/queues',
      summary: 'Health of every queue: queued, ready, active, failed and dead-lettered jobs, oldest due job',
      security: [{ bearer: [] }],
      responses: {
        200: {
          description: 'Queue health',
          content: { 'application/json': { schema: z.object({ queues: z.array(QueueHealthSchema) }) } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      // Operators and monitoring read every queue: the service role, not a user.
      const queues = await services.db.asService((tx) => readQueueHealth(tx), { readOnly: true });
      return c.json({ queues }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/drain',
      summary: 'Process queued jobs within a time budget (Supabase Cron calls it where no worker runs)',
      security: [{ bearer: [] }],
      request: {
        body: { required: false, content: { 'application/json': { schema: DrainBodySchema } } },
      },
      responses: {
        200: {
          description:
            'What was processed; work past the budget is left for the next call. With `background`: no slot was free (`started: false`), the drains running carry on',
          content: { 'application/json': { schema: z.union([DrainResultSchema, DrainStartedSchema]) } },
        },
        202: {
          description: 'With `background`: a drain started in the slot named',
          content: { 'application/json': { schema: DrainStartedSchema } },
        },
        ...errorResponses,
      },
    }),
    async (c) => {
      const body = c.req.valid('json') ?? {};
      const { registry } = services.jobs;
      const unknown = (body.queues ?? []).filter((queue) => !registry.get(queue));
      if (unknown.length) {
        throw badRequest(
          'No handler for these queues',
          unknown.map((queue) => ({
            path: 'queues',
            message: `unknown queue ${queue}`,
            code: 'invalid_value',
          })),
        );
      }
      const { background, ...budgets } = body;
      if (background) {
        const slot = await startBackgroundDrain(services, { ...budgets, reason: 'request' });
        if (!slot) return c.json({ started: false }, 200);
        return c.json({ started: true, slot: slot.slot, slots: slot.slots }, 202);
      }
      const result = await drainJobs(await services.jobs.boss(), registry, c.get('logger'), {
        ...budgets,
        meter: services.platform,
      });
      return c.json(result, 200);
    },
  );

  return app;
}
