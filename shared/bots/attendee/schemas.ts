import { z } from 'zod';

export const TERMINAL_STATES: readonly string[] = ['fatal_error', 'ended', 'data_deleted'];

/** The fields of `POST /bots` this backend sends (unknown fields are rejected by Attendee). */
export interface CreateBotRequest {
  meeting_url: string;
  bot_name: string;
  join_at?: string;
  deduplication_key?: string;
  metadata?: Record<string, string>;
  transcription_settings?: Record<string, Record<string, unknown>>;
  recording_settings?: { format?: 'mp4' | 'mp3' | 'none'; view?: string; resolution?: '1080p' | '720p' };
  automatic_leave_settings?: Record<string, number>;
  webhooks?: { url: string; triggers: string[] }[];
}

/** The fields of `PATCH /bots/{id}` (join_at, meeting_url, bot_name only while scheduled; metadata any time). */
export interface UpdateBotRequest {
  join_at?: string;
  meeting_url?: string;
  bot_name?: string;
  metadata?: Record<string, string>;
}

/** A bot as Attendee returns it; only the fields the backend reads are checked. */
export const AttendeeBotSchema = z
  .object({
    id: z.string().min(1),
    state: z.string().min(1),
    meeting_url: z.string().nullish(),
    join_at: z.string().nullish(),
    deduplication_key: z.string().nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
  })
  .loose();
export type AttendeeBot = z.infer<typeof AttendeeBotSchema>;

export const BotPageSchema = z.object({
  next: z.string().nullish(),
  previous: z.string().nullish(),
  results: z.array(AttendeeBotSchema),
});
export type BotPage = z.infer<typeof BotPageSchema>;

/** The body of an Attendee webhook; `data` for `bot.state_change` carries old and new state. */
export const WebhookBodySchema = z.object({
  idempotency_key: z.string().min(1).max(255),
  bot_id: z.string().min(1).max(255),
  bot_metadata: z.record(z.string(), z.unknown()).nullish(),
  trigger: z.string().min(1).max(100),
  data: z.record(z.string(), z.unknown()).nullish(),
});

export const StateChangeDataSchema = z
  .object({
    new_state: z.string().min(1),
    old_state: z.string().nullish(),
    event_type: z.string().nullish(),
    event_sub_type: z.string().nullish(),
    created_at: z.string().nullish(),
  })
  .loose();
