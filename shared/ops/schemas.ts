// The request and response schemas of the operations routes of the `ai` function (metrics, alerts, data rights).
import { z } from '@hono/zod-openapi';

const METRICS_WINDOWS = ['1h', '24h', '7d'] as const;
export type MetricsWindow = (typeof METRICS_WINDOWS)[number];

export const MetricsQuerySchema = z
  .object({
    window: z.enum(METRICS_WINDOWS).default('24h').openapi({ description: 'How far back from now' }),
  })
  .openapi('MetricsQuery');

const LatencySchema = z
  .object({
    p50: z.number().nullable(),
    p95: z.number().nullable(),
    p99: z.number().nullable(),
    avg: z.number().nullable(),
  })
  .openapi('LatencyMs', {
    description:
      'Milliseconds. Percentiles come from log-scale buckets 19% wide (interpolated), so they are within ' +
      'about 10% of the exact value; avg is exact. Null when no call had a latency.',
  });

const OperationMetricsSchema = z
  .object({
    operation: z.string(),
    provider: z.string(),
    calls: z.number().int(),
    errors: z.number().int(),
    cached: z.number().int(),
    errorRate: z.number().openapi({ description: 'errors / calls' }),
    latencyMs: LatencySchema,
    tokensIn: z.number().int(),
    tokensOut: z.number().int(),
    costUsd: z.number(),
  })
  .openapi('OperationMetrics');
export type OperationMetrics = z.infer<typeof OperationMetricsSchema>;

const QueueMetricsSchema = z
  .object({
    queue: z.string(),
    depth: z.number().int().openapi({ description: 'Jobs waiting (due now or later)' }),
    ready: z.number().int(),
    active: z.number().int(),
    oldestWaitingSeconds: z.number().openapi({ description: 'How long the oldest due job has waited' }),
    failed: z.number().int(),
    deadLettered: z.number().int(),
  })
  .openapi('QueueMetrics');

const SeriesBucketSchema = z
  .object({
    start: z.string().datetime(),
    calls: z.number().int(),
    errors: z.number().int(),
    errorRate: z.number(),
    p50: z.number().nullable().openapi({ description: 'Milliseconds; null when no call had a latency' }),
    p95: z.number().nullable(),
    tokensIn: z.number().int(),
    tokensOut: z.number().int(),
    costUsd: z.number(),
  })
  .openapi('MetricsSeriesBucket');

export const MetricsSchema = z
  .object({
    scope: z
      .enum(['user', 'all'])
      .openapi({ description: "'user': the caller's calls and jobs; 'all': every user's (service role)" }),
    window: z.enum(METRICS_WINDOWS),
    since: z.string().datetime(),
    until: z.string().datetime(),
    totals: z.object({
      calls: z.number().int(),
      errors: z.number().int(),
      errorRate: z.number(),
      tokensIn: z.number().int(),
      tokensOut: z.number().int(),
      costUsd: z.number(),
    }),
    operations: z.array(OperationMetricsSchema),
    queues: z.array(QueueMetricsSchema).openapi({
      description: "Every background queue: for a user, counting only the user's own jobs",
    }),
    series: z
      .object({
        bucketSeconds: z.number().int(),
        buckets: z.array(SeriesBucketSchema),
      })
      .openapi({
        description:
          'Every operation together, bucket by bucket, oldest first (empty buckets as zeros): 5 minutes over 1h, ' +
          'an hour over 24h, 6 hours over 7d. Buckets are aligned to UTC; the first one starts at or before `since`.',
      }),
  })
  .openapi('Metrics');
export type Metrics = z.infer<typeof MetricsSchema>;

const ALERT_KINDS = ['error_rate', 'p95_latency', 'daily_cost', 'queue_age'] as const;

export const AlertsQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    before: z
      .string()
      .datetime({ offset: true })
      .optional()
      .openapi({ description: 'Only alerts created before this time (the next page: the last createdAt)' }),
  })
  .openapi('AlertsQuery');

const AlertSchema = z
  .object({
    id: z.string().uuid(),
    kind: z.enum(ALERT_KINDS),
    subject: z.string().openapi({ description: '"<operation>/<provider>", "all" or a queue name' }),
    value: z.number(),
    threshold: z.number(),
    periodStart: z.string().datetime(),
    details: z.record(z.string(), z.unknown()),
    createdAt: z.string().datetime(),
  })
  .openapi('Alert');
export type Alert = z.infer<typeof AlertSchema>;

export const AlertListSchema = z.object({ alerts: z.array(AlertSchema) }).openapi('AlertList');

export const DataExportSchema = z
  .object({
    userId: z.string().uuid(),
    exportedAt: z.string().datetime(),
    tables: z
      .record(z.string(), z.array(z.record(z.string(), z.unknown())))
      .openapi({ description: 'Every row the caller owns, by table' }),
    cachedResults: z
      .array(
        z.object({
          operation: z.string(),
          provider: z.string(),
          model: z.string(),
          result: z.record(z.string(), z.unknown()),
          createdAt: z.string().datetime(),
          expiresAt: z.string().datetime(),
        }),
      )
      .openapi({
        description: 'AI results cached from the caller’s text (shared by input hash, until they expire)',
      }),
    callsInFlight: z
      .array(
        z.object({
          requestId: z.string().nullable(),
          operation: z.string(),
          provider: z.string(),
          model: z.string().nullable(),
          tokensIn: z.number().int(),
          tokensOut: z.number().int(),
          costUsd: z.number(),
          createdAt: z.string().datetime(),
          sentAt: z.string().datetime().nullable(),
        }),
      )
      .openapi({
        description:
          'Paid AI calls of the caller not yet logged, at their estimated usage (the budget counts them); sentAt null: still waiting for the provider pacer',
      }),
    decisionsForOthers: z
      .array(
        z.object({
          approvalId: z.string().uuid(),
          executionId: z.string().uuid(),
          stepId: z.string(),
          requestedBy: z.string().uuid(),
          decision: z.string(),
          comment: z.string().nullable(),
          decidedAt: z.string().datetime().nullable(),
        }),
      )
      .openapi({
        description: 'Approvals the caller decided on other users’ executions (the rows are theirs)',
      }),
  })
  .openapi('DataExport');
export type DataExport = z.infer<typeof DataExportSchema>;

export const DataDeletionSchema = z
  .object({
    userId: z.string().uuid(),
    deletedAt: z.string().datetime(),
    deleted: z.record(z.string(), z.number().int()).openapi({ description: 'Rows deleted, by table' }),
    executionsCancelled: z.number().int(),
    jobsDeleted: z.number().int().openapi({
      description:
        'Background jobs (queued, running, completed, failed, dead-lettered) that held the caller’s data',
    }),
    cachedResultsDeleted: z.number().int().openapi({
      description: 'AI results cached from the caller’s text (kept by input hash, shared) that were deleted',
    }),
    callsInFlightDeleted: z.number().int().openapi({
      description: 'Paid AI calls of the caller not yet logged (their estimates) that were deleted',
    }),
    bots: z.object({
      cancelled: z.number().int(),
      notCancelled: z.array(z.object({ botId: z.string(), reason: z.string() })).openapi({
        description: 'Bots Attendee could not be told to cancel; their rows are deleted all the same',
      }),
    }),
  })
  .openapi('DataDeletion');
export type DataDeletion = z.infer<typeof DataDeletionSchema>;
