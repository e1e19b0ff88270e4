// Bot configuration for the Attendee meeting-bot API (../../../shared/reference/attendee-api.md): the fields
// of `POST /bots` that describe the bot itself, plus the join time derived from the meeting's start.
import { z } from 'zod';

/** A meeting as the configuration step sees it (given inline, or read from `meetings`). */
export const AiMeetingContextSchema = z
  .object({
    title: z.string().trim().min(1).max(500),
    description: z.string().max(20_000).nullish(),
    attendees: z
      .array(z.object({ email: z.string().email().max(320), name: z.string().max(200).nullish() }))
      .max(1_000)
      .default([]),
    organizerEmail: z.string().email().max(320).nullish(),
    startTime: z.iso.datetime({ offset: true }).nullish(),
    endTime: z.iso.datetime({ offset: true }).nullish(),
    /** BCP 47 language of the meeting, when known (else English). */
    language: z
      .string()
      .regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/)
      .nullish(),
  })
  .refine((m) => !m.startTime || !m.endTime || Date.parse(m.endTime) > Date.parse(m.startTime), {
    message: 'endTime must be after startTime',
    path: ['endTime'],
  });
export type AiMeetingContext = z.infer<typeof AiMeetingContextSchema>;

export const TRANSCRIPTION_PROVIDERS = [
  'deepgram',
  'gladia',
  'openai',
  'assembly_ai',
  'meeting_closed_captions',
] as const;

/** True when the text has no characters above U+FFFF (Attendee refuses them in bot names). */
export const isBmpOnly = (text: string) => [...text].every((char) => char.codePointAt(0)! <= 0xffff);

/** Attendee's `metadata`: at least one key, string values, at most 1000 characters as JSON. */
const MetadataSchema = z
  .record(z.string(), z.string())
  .refine((value) => Object.keys(value).length > 0, 'metadata needs at least one key')
  .refine((value) => JSON.stringify(value).length <= 1000, 'metadata is at most 1000 characters as JSON');

/** What a generated configuration holds; every field is one `POST /bots` accepts, in its own shape. */
export const AiBotConfigurationSchema = z.object({
  bot_name: z.string().min(1).max(255).refine(isBmpOnly, 'bot_name has no characters above U+FFFF'),
  /** `start - join_offset_seconds`, or null when the meeting's start is unknown. */
  join_at: z.iso.datetime({ offset: true }).nullable(),
  join_offset_seconds: z.number().int().min(0).max(3_600),
  recording_settings: z.object({
    format: z.enum(['mp4', 'mp3', 'none']),
    view: z.enum(['speaker_view', 'gallery_view', 'speaker_view_no_sidebar']),
    resolution: z.enum(['1080p', '720p']),
  }),
  transcription_settings: z
    .partialRecord(z.enum(TRANSCRIPTION_PROVIDERS), z.record(z.string(), z.string()))
    .refine((value) => Object.keys(value).length === 1, 'one transcription provider'),
  automatic_leave_settings: z.object({
    silence_timeout_seconds: z.number().int().positive(),
    only_participant_in_meeting_timeout_seconds: z.number().int().positive(),
    waiting_room_timeout_seconds: z.number().int().positive(),
  }),
  metadata: MetadataSchema,
});
export type AiBotConfiguration = z.infer<typeof AiBotConfigurationSchema>;

/** The choices a model may make; everything else comes from the template. */
export interface BotChoices {
  botName?: string | null;
  language?: string | null;
  format?: 'mp4' | 'mp3' | 'none' | null;
  view?: 'speaker_view' | 'gallery_view' | 'speaker_view_no_sidebar' | null;
}

const JOIN_OFFSET_SECONDS = 60;
const BOT_NAME_PREFIX = 'Notetaker';

/** A bot name Attendee accepts: no characters above U+FFFF, no control characters, at most 255 characters. */
export function sanitizeBotName(name: string): string {
  const cleaned = [...name]
    .filter((char) => char.codePointAt(0)! <= 0xffff && !/\p{Cc}/u.test(char))
    .join('')
    .replace(/\s+/g, ' ')
    .trim();
  return (cleaned || BOT_NAME_PREFIX).slice(0, 255).trim();
}

function durationMinutes(meeting: AiMeetingContext): number | undefined {
  if (!meeting.startTime || !meeting.endTime) return undefined;
  return (Date.parse(meeting.endTime) - Date.parse(meeting.startTime)) / 60_000;
}

/**
 * The deterministic configuration of a meeting: the title in the bot's name, gallery view from six attendees,
 * 720p past two hours (storage), transcription in the meeting's language, joining a minute early, and a more
 * patient waiting room when the organizer is from another domain than the attendees. `choices` (a model's)
 * override the name, language, format and view; the result is validated against the Attendee contract.
 */
export function botConfigurationFor(
  meeting: AiMeetingContext,
  options: { meetingId?: string; source: string; choices?: BotChoices },
): AiBotConfiguration {
  const choices = options.choices ?? {};
  const minutes = durationMinutes(meeting);
  const organizerDomain = meeting.organizerEmail?.split('@')[1]?.toLowerCase();
  const external =
    organizerDomain !== undefined &&
    meeting.attendees.some((attendee) => attendee.email.split('@')[1]?.toLowerCase() !== organizerDomain);
  const language = choices.language ?? meeting.language ?? 'en';
  const joinAt = meeting.startTime
    ? new Date(Date.parse(meeting.startTime) - JOIN_OFFSET_SECONDS * 1000).toISOString()
    : null;
  const metadata: Record<string, string> = { source: 'ai.bot_configuration', configured_by: options.source };
  if (options.meetingId) metadata.meeting_id = options.meetingId;
  return AiBotConfigurationSchema.parse({
    bot_name: sanitizeBotName(choices.botName ?? `${BOT_NAME_PREFIX} · ${meeting.title}`),
    join_at: joinAt,
    join_offset_seconds: JOIN_OFFSET_SECONDS,
    recording_settings: {
      format: choices.format ?? 'mp4',
      view: choices.view ?? (meeting.attendees.length >= 6 ? 'gallery_view' : 'speaker_view'),
      resolution: minutes !== undefined && minutes > 120 ? '720p' : '1080p',
    },
    transcription_settings: { deepgram: { language } },
    automatic_leave_settings: {
      silence_timeout_seconds: 600,
      only_participant_in_meeting_timeout_seconds: 60,
      waiting_room_timeout_seconds: external ? 1_800 : 900,
    },
    metadata,
  });
}
