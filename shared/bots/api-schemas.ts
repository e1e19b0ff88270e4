import { z } from '@hono/zod-openapi';
import type { SyncSummary } from './sync.ts';
import { type MeetingBot, SKIP_REASONS } from './types.ts';

export const MeetingBotSchema = z
  .object({
    id: z.string().uuid(),
    meetingId: z.string().uuid(),
    attendeeBotId: z.string().nullable(),
    state: z.string().openapi({
      description: "Attendee's state once sent; before that pending, not_sent, failed or cancelled",
      example: 'scheduled',
    }),
    joinAt: z.string().datetime().nullable(),
    meetingUrl: z.string().nullable(),
    deduplicationKey: z.string().nullable(),
    sent: z.boolean(),
    notSentReason: z.string().nullable(),
    lastError: z.string().nullable(),
    configuration: z.record(z.string(), z.unknown()),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('MeetingBot');
export type MeetingBotView = z.infer<typeof MeetingBotSchema>;

/** The API's view of a bot row. */
export function botView(bot: MeetingBot): MeetingBotView {
  return {
    id: bot.id,
    meetingId: bot.meetingId,
    attendeeBotId: bot.attendeeBotId,
    state: bot.state,
    joinAt: bot.joinAt?.toISOString() ?? null,
    meetingUrl: bot.meetingUrl,
    deduplicationKey: bot.deduplicationKey,
    sent: bot.sent,
    notSentReason: bot.notSentReason,
    lastError: bot.lastError,
    configuration: bot.botConfig,
    createdAt: bot.createdAt.toISOString(),
    updatedAt: bot.updatedAt.toISOString(),
  };
}

export const ScheduleMeetingBodySchema = z
  .object({ meetingId: z.string().uuid().openapi({ description: 'One of the caller’s meetings' }) })
  .strict()
  .openapi('ScheduleMeetingRequest');

export const ScheduleMeetingResponseSchema = z
  .object({
    bot: MeetingBotSchema,
    linked: z.boolean().openapi({ description: 'Attendee already had this bot (same deduplication key)' }),
    configurationSource: z.string(),
  })
  .openapi('ScheduleMeetingResponse');

const SkipReasonSchema = z.enum(SKIP_REASONS);

const SyncEntrySchema = z.object({
  botId: z.string().uuid(),
  meetingId: z.string().uuid(),
  reason: z.string(),
  state: z.string(),
  joinAt: z.string().nullable().optional(),
  error: z.string().optional(),
});

export const SyncSummarySchema = z
  .object({
    updated: z.array(SyncEntrySchema),
    cancelled: z.array(SyncEntrySchema),
    leftAlone: z.array(SyncEntrySchema),
    failed: z.array(SyncEntrySchema),
  })
  .openapi('BotSyncSummary') satisfies z.ZodType<SyncSummary>;

export const AutoScheduleResultSchema = z
  .object({
    scheduled: z.array(
      z.object({
        meetingId: z.string().uuid(),
        botId: z.string().uuid(),
        attendeeBotId: z.string().nullable(),
        joinAt: z.string().nullable(),
        state: z.string(),
        sent: z.boolean(),
        linked: z.boolean(),
        notSentReason: z.string().nullable(),
      }),
    ),
    skipped: z.array(
      z.object({ meetingId: z.string().uuid(), reason: SkipReasonSchema, detail: z.string() }),
    ),
    failed: z.array(z.object({ meetingId: z.string().uuid(), error: z.string() })),
    counts: z.object({ scheduled: z.number(), skipped: z.number(), failed: z.number(), total: z.number() }),
    window: z.object({ from: z.string(), to: z.string() }),
    sync: SyncSummarySchema,
  })
  .openapi('AutoScheduleResult');

export const BotListQuerySchema = z.object({
  meetingId: z.string().uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const BotIdParamsSchema = z.object({ id: z.string().uuid() });

export const SchedulingLogSchema = z
  .object({
    meetingId: z.string().uuid().nullable(),
    meetingBotId: z.string().uuid().nullable(),
    decision: z.string(),
    reason: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    createdAt: z.string().datetime(),
  })
  .openapi('BotSchedulingLog');

export const WebhookResultSchema = z
  .object({
    status: z.enum(['applied', 'recorded', 'duplicate']),
    meetingBotId: z.string().uuid().optional(),
  })
  .openapi('AttendeeWebhookResult');
