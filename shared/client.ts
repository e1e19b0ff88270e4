// A typed client for frontends: one function per endpoint of every Edge Function, over supabase-js's
// `functions.invoke`. Request and response types are inferred from the same zod schemas the functions validate
// with; the schemas are imported as types only, so this file adds no runtime dependency to a frontend bundle.
//
//   const api = createApiClient(supabase);
//   const result = await api.classification.enhanced({ text, categories: [{ name: 'billing' }, { name: 'other' }] });
//
// A failed call throws ApiError with the function's stable error code (`rate_limited`, `budget_exceeded`, ...).

export { ApiError, CLIENT_ROUTES, type FunctionsInvoker } from './client/invoke.ts';

import type { z } from 'zod';
import type {
  AnalysisResponseSchema,
  BotConfigurationRequestSchema,
  BotConfigurationResponseSchema,
  ClassifyRequestSchema,
  ClassifyResponseSchema,
  EntitiesResponseSchema,
  SentimentRequestSchema,
  SentimentResponseSchema,
  TextRequestSchema,
} from './ai/api-schemas.ts';
import type { MeSchema } from './ai/app.ts';
import type { RedactRequestSchema, RedactResponseSchema } from './ai/routes/redact.ts';
import type {
  AutoScheduleResultSchema,
  BotListQuerySchema,
  MeetingBotSchema,
  ScheduleMeetingBodySchema,
  ScheduleMeetingResponseSchema,
  SchedulingLogSchema,
  SyncSummarySchema,
} from './bots/api-schemas.ts';
import type { BotSettingsSchema, BotSettingsUpdateSchema } from './bots/settings.ts';
import type {
  BatchAcceptedSchema,
  BatchQuerySchema,
  BatchRequestSchema,
  BatchSchema,
  ProfileListQuerySchema as ClassificationProfileListQuerySchema,
  ProfileListSchema as ClassificationProfileListSchema,
  ProfileSchema as ClassificationProfileSchema,
  EnhancedRequestSchema,
  ResultSchema,
  RetryAcceptedSchema,
} from './classification/api-schemas.ts';
import type {
  ProfileInputSchema as ClassificationProfileInputSchema,
  ProfilePatchSchema as ClassificationProfilePatchSchema,
} from './classification/definition.ts';
import { endpoint, type FunctionsInvoker } from './client/invoke.ts';
import type { HealthSchema } from './http/app.ts';
import type { DrainRequestSchema, DrainResult } from './jobs/drain.ts';
import type { QueueHealthSchema } from './jobs/health.ts';
import type {
  AlertListSchema,
  AlertsQuerySchema,
  DataDeletionSchema,
  DataExportSchema,
  MetricsQuerySchema,
  MetricsSchema,
} from './ops/schemas.ts';
import type { WorkflowInputSchema, WorkflowUpdateSchema } from './workflows/definition.ts';
import type {
  ApprovalListSchema,
  DecisionBodySchema,
  DecisionResponseSchema,
  ExecuteBodySchema,
  ExecuteResponseSchema,
  ExecutionDetailSchema,
  ExecutionListSchema,
  ExecutionQuerySchema,
  ExecutionSchema,
  PageQuerySchema,
  WorkflowListSchema,
  WorkflowSchema,
} from './workflows/schemas.ts';

/** What a request body may be: the schema's input (defaults may be left out). */
type In<S extends z.ZodType> = z.input<S>;
/** What a response holds: the schema's output, as the function sends it. */
type Out<S extends z.ZodType> = z.output<S>;
/** Query parameters: any of the schema's fields; numbers and booleans are sent as text. */
type Query<S extends z.ZodType> = Partial<z.output<S>>;

const none = () => ({});
const health = (fn: string) => endpoint<[], Out<typeof HealthSchema>>('GET', `/${fn}/health`, none);

const routes = {
  classification: {
    health: health('classification'),
    enhanced: endpoint<[In<typeof EnhancedRequestSchema>], Out<typeof ResultSchema>>(
      'POST',
      '/classification/enhanced',
      (body) => ({ body }),
    ),
    submitBatch: endpoint<[In<typeof BatchRequestSchema>], Out<typeof BatchAcceptedSchema>>(
      'POST',
      '/classification/batch',
      (body) => ({ body }),
    ),
    getBatch: endpoint<[string, Query<typeof BatchQuerySchema>?], Out<typeof BatchSchema>>(
      'GET',
      '/classification/batches/{id}',
      (id, query) => ({ params: { id }, query }),
    ),
    retryBatch: endpoint<[string], Out<typeof RetryAcceptedSchema>>(
      'POST',
      '/classification/batches/{id}/retry',
      (id) => ({ params: { id } }),
    ),
    createWorkflow: endpoint<
      [In<typeof ClassificationProfileInputSchema>],
      Out<typeof ClassificationProfileSchema>
    >('POST', '/classification/workflows', (body) => ({ body })),
    listWorkflows: endpoint<
      [Query<typeof ClassificationProfileListQuerySchema>?],
      Out<typeof ClassificationProfileListSchema>
    >('GET', '/classification/workflows', (query) => ({ query })),
    getWorkflow: endpoint<[string], Out<typeof ClassificationProfileSchema>>(
      'GET',
      '/classification/workflows/{id}',
      (id) => ({ params: { id } }),
    ),
    updateWorkflow: endpoint<
      [string, In<typeof ClassificationProfilePatchSchema>],
      Out<typeof ClassificationProfileSchema>
    >('PATCH', '/classification/workflows/{id}', (id, body) => ({ params: { id }, body })),
    deleteWorkflow: endpoint<[string], Out<typeof ClassificationProfileSchema>>(
      'DELETE',
      '/classification/workflows/{id}',
      (id) => ({ params: { id } }),
    ),
    deactivateWorkflow: endpoint<[string], Out<typeof ClassificationProfileSchema>>(
      'POST',
      '/classification/workflows/{id}/deactivate',
      (id) => ({ params: { id } }),
    ),
  },
  bots: {
    health: health('bots'),
    getSettings: endpoint<[], Out<typeof BotSettingsSchema>>('GET', '/bots/settings', none),
    updateSettings: endpoint<[In<typeof BotSettingsUpdateSchema>], Out<typeof BotSettingsSchema>>(
      'PUT',
      '/bots/settings',
      (body) => ({ body }),
    ),
    scheduleMeeting: endpoint<
      [In<typeof ScheduleMeetingBodySchema>],
      Out<typeof ScheduleMeetingResponseSchema>
    >('POST', '/bots/schedule-meeting', (body) => ({ body })),
    autoSchedule: endpoint<[], Out<typeof AutoScheduleResultSchema>>('POST', '/bots/auto-schedule', none),
    sync: endpoint<[], Out<typeof SyncSummarySchema>>('POST', '/bots/sync', none),
    schedulingLogs: endpoint<[{ limit?: number }?], { logs: Out<typeof SchedulingLogSchema>[] }>(
      'GET',
      '/bots/scheduling-logs',
      (query) => ({ query }),
    ),
    listBots: endpoint<[Query<typeof BotListQuerySchema>?], { bots: Out<typeof MeetingBotSchema>[] }>(
      'GET',
      '/bots',
      (query) => ({ query }),
    ),
    getBot: endpoint<[string], Out<typeof MeetingBotSchema>>('GET', '/bots/{id}', (id) => ({
      params: { id },
    })),
    cancelBot: endpoint<[string], Out<typeof MeetingBotSchema>>('DELETE', '/bots/{id}', (id) => ({
      params: { id },
    })),
  },
  workflows: {
    health: health('workflows'),
    create: endpoint<[In<typeof WorkflowInputSchema>], Out<typeof WorkflowSchema>>(
      'POST',
      '/workflows',
      (body) => ({ body }),
    ),
    list: endpoint<
      [(Query<typeof PageQuerySchema> & { includeInactive?: boolean })?],
      Out<typeof WorkflowListSchema>
    >('GET', '/workflows', (query) => ({ query })),
    get: endpoint<[string], Out<typeof WorkflowSchema>>('GET', '/workflows/{workflowId}', (workflowId) => ({
      params: { workflowId },
    })),
    update: endpoint<[string, In<typeof WorkflowUpdateSchema>], Out<typeof WorkflowSchema>>(
      'PUT',
      '/workflows/{workflowId}',
      (workflowId, body) => ({ params: { workflowId }, body }),
    ),
    deactivate: endpoint<[string], Out<typeof WorkflowSchema>>(
      'POST',
      '/workflows/{workflowId}/deactivate',
      (workflowId) => ({ params: { workflowId } }),
    ),
    execute: endpoint<[string, In<typeof ExecuteBodySchema>], Out<typeof ExecuteResponseSchema>>(
      'POST',
      '/workflows/{workflowId}/execute',
      (workflowId, body) => ({ params: { workflowId }, body }),
    ),
    listExecutions: endpoint<[Query<typeof ExecutionQuerySchema>?], Out<typeof ExecutionListSchema>>(
      'GET',
      '/workflows/executions',
      (query) => ({ query }),
    ),
    getExecution: endpoint<[string], Out<typeof ExecutionDetailSchema>>(
      'GET',
      '/workflows/executions/{id}',
      (id) => ({ params: { id } }),
    ),
    pauseExecution: endpoint<[string], Out<typeof ExecutionSchema>>(
      'POST',
      '/workflows/executions/{id}/pause',
      (id) => ({ params: { id } }),
    ),
    resumeExecution: endpoint<[string], Out<typeof ExecutionSchema>>(
      'POST',
      '/workflows/executions/{id}/resume',
      (id) => ({ params: { id } }),
    ),
    cancelExecution: endpoint<[string], Out<typeof ExecutionSchema>>(
      'POST',
      '/workflows/executions/{id}/cancel',
      (id) => ({ params: { id } }),
    ),
    listApprovals: endpoint<[Query<typeof PageQuerySchema>?], Out<typeof ApprovalListSchema>>(
      'GET',
      '/workflows/approvals',
      (query) => ({ query }),
    ),
    decideApproval: endpoint<[string, In<typeof DecisionBodySchema>], Out<typeof DecisionResponseSchema>>(
      'POST',
      '/workflows/approvals/{id}/decision',
      (id, body) => ({ params: { id }, body }),
    ),
  },
  ai: {
    health: health('ai'),
    me: endpoint<[], Out<typeof MeSchema>>('GET', '/ai/me', none),
    classify: endpoint<[In<typeof ClassifyRequestSchema>], Out<typeof ClassifyResponseSchema>>(
      'POST',
      '/ai/classify',
      (body) => ({ body }),
    ),
    sentiment: endpoint<[In<typeof SentimentRequestSchema>], Out<typeof SentimentResponseSchema>>(
      'POST',
      '/ai/sentiment',
      (body) => ({ body }),
    ),
    entities: endpoint<[In<typeof TextRequestSchema>], Out<typeof EntitiesResponseSchema>>(
      'POST',
      '/ai/entities',
      (body) => ({ body }),
    ),
    redact: endpoint<[In<typeof RedactRequestSchema>], Out<typeof RedactResponseSchema>>(
      'POST',
      '/ai/redact',
      (body) => ({ body }),
    ),
    analyze: endpoint<[In<typeof TextRequestSchema>], Out<typeof AnalysisResponseSchema>>(
      'POST',
      '/ai/analyze',
      (body) => ({ body }),
    ),
    botConfiguration: endpoint<
      [In<typeof BotConfigurationRequestSchema>],
      Out<typeof BotConfigurationResponseSchema>
    >('POST', '/ai/bot-configuration', (body) => ({ body })),
    metrics: endpoint<[Query<typeof MetricsQuerySchema>?], Out<typeof MetricsSchema>>(
      'GET',
      '/ai/metrics',
      (query) => ({ query }),
    ),
    alerts: endpoint<[Query<typeof AlertsQuerySchema>?], Out<typeof AlertListSchema>>(
      'GET',
      '/ai/alerts',
      (query) => ({ query }),
    ),
    exportMyData: endpoint<[], Out<typeof DataExportSchema>>('GET', '/ai/me/export', none),
    deleteMyData: endpoint<[], Out<typeof DataDeletionSchema>>('DELETE', '/ai/me/data', none),
  },
  /** Operator endpoints: the service role key only. */
  jobs: {
    health: health('jobs'),
    queues: endpoint<[], { queues: Out<typeof QueueHealthSchema>[] }>('GET', '/jobs/queues', none),
    drain: endpoint<[In<typeof DrainRequestSchema>?], DrainResult>('POST', '/jobs/drain', (body) => ({
      body,
    })),
  },
};

type Bound<T> = { [K in keyof T]: T[K] extends (invoker: FunctionsInvoker) => infer F ? F : Bound<T[K]> };

/**
 * The API of every function, bound to a supabase-js client (its session's token is sent). Attendee's webhook
 * (`POST /bots/webhooks/attendee`) is not here: Attendee calls it, signed, never a frontend.
 */
export function createApiClient(supabase: FunctionsInvoker): Bound<typeof routes> {
  const bind = (group: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(group).map(([key, value]) => [
        key,
        typeof value === 'function' ? value(supabase) : bind(value as Record<string, unknown>),
      ]),
    );
  return bind(routes) as Bound<typeof routes>;
}

/** The typed client's type, for code outside this repository that holds one. @public */
export type ApiClient = ReturnType<typeof createApiClient>;
