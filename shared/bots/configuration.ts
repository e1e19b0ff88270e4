import { z } from 'zod';
import type { AiService } from '../ai/ai-service.ts';
import { type AiBotConfiguration, isBmpOnly, TRANSCRIPTION_PROVIDERS } from '../ai/bot-configuration.ts';
import type { CreateBotRequest } from './attendee/schemas.ts';
import type { MeetingPlatform } from './meeting-url.ts';
import type { BotSettings } from './settings.ts';
import type { Meeting } from './types.ts';

/** What the configuration step sees of a meeting. */
export interface MeetingContext {
  title: string;
  description: string | null;
  attendees: { email: string; name?: string | null }[];
  organizerEmail: string | null;
  platform: MeetingPlatform;
  startTime: string;
  endTime: string;
  durationMinutes: number;
}

/**
 * The only bot fields a configuration (AI-generated or default) may set; everything that identifies the bot
 * (meeting link, join time, deduplication key, metadata) is set by the scheduler. Unknown fields are refused.
 */
export const BotConfigurationSchema = z
  .object({
    botName: z.string().trim().min(1).max(255).refine(isBmpOnly, 'no characters above U+FFFF'),
    transcriptionLanguage: z.string().regex(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/),
    /** Deepgram when unset. */
    transcriptionProvider: z.enum(TRANSCRIPTION_PROVIDERS).optional(),
    recording: z
      .object({
        format: z.enum(['mp4', 'mp3', 'none']).optional(),
        view: z.enum(['speaker_view', 'gallery_view', 'speaker_view_no_sidebar']).optional(),
        resolution: z.enum(['1080p', '720p']).optional(),
      })
      .strict()
      .optional(),
    automaticLeave: z
      .object({
        silenceTimeoutSeconds: z.number().int().positive().max(86_400).optional(),
        onlyParticipantInMeetingTimeoutSeconds: z.number().int().positive().max(86_400).optional(),
        waitingRoomTimeoutSeconds: z.number().int().positive().max(86_400).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type BotConfiguration = z.infer<typeof BotConfigurationSchema>;

/** Who a configuration is for: AI calls are logged and rate limited per user. */
export interface ConfigurationCall {
  userId: string;
  meetingId: string;
  requestId?: string | null;
}

/** Produces a bot's configuration from a meeting's context; the answer is validated by the caller. */
export interface BotConfigurator {
  readonly name: string;
  configure(context: MeetingContext, settings: BotSettings, call: ConfigurationCall): Promise<unknown>;
}

/**
 * The deterministic default, with no model: the user's bot name and language, video for meetings with a screen to
 * share, gallery view for large meetings, and a longer waiting-room patience when outsiders host.
 */
export function createDefaultBotConfigurator(): BotConfigurator {
  return {
    name: 'default',
    async configure(context, settings) {
      const large = context.attendees.length > 8;
      return {
        botName: settings.botName,
        transcriptionLanguage: settings.transcriptionLanguage,
        recording: { format: 'mp4', view: large ? 'gallery_view' : 'speaker_view', resolution: '1080p' },
        automaticLeave: {
          silenceTimeoutSeconds: 600,
          onlyParticipantInMeetingTimeoutSeconds: 60,
          waitingRoomTimeoutSeconds: context.durationMinutes > 60 ? 1800 : 900,
        },
      } satisfies BotConfiguration;
    },
  };
}

// The AI service validates addresses strictly; an attendee it would refuse is better left out than the call lost.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The configuration step through the AI service (cache, rate limits, cost and `ai_processing_logs`), with the
 * configured provider (OpenAI, or the offline one). The user's own bot name and language win over the model's;
 * the join time, link, deduplication key and metadata are never the model's to set.
 */
export function createAiBotConfigurator(services: {
  readonly ai: Pick<AiService, 'botConfiguration'>;
}): BotConfigurator {
  return {
    name: 'ai',
    async configure(context: MeetingContext, settings: BotSettings, call) {
      const outcome = await services.ai.botConfiguration(
        {
          meeting: {
            title: context.title.trim() || 'Meeting',
            description: context.description?.slice(0, 20_000) ?? null,
            attendees: context.attendees
              .filter((attendee) => EMAIL.test(attendee.email))
              .slice(0, 1_000)
              .map((attendee) => ({ email: attendee.email, name: attendee.name?.slice(0, 200) ?? null })),
            organizerEmail:
              context.organizerEmail && EMAIL.test(context.organizerEmail) ? context.organizerEmail : null,
            startTime: context.startTime,
            endTime: context.endTime,
            language: settings.transcriptionLanguage,
          },
          meetingId: call.meetingId,
        },
        { userId: call.userId, requestId: call.requestId ?? null },
      );
      return fromAi(outcome.result, settings);
    },
  };
}

function fromAi(result: AiBotConfiguration, settings: BotSettings): BotConfiguration {
  const [provider, options] = Object.entries(result.transcription_settings)[0] ?? [];
  const leave = result.automatic_leave_settings;
  return {
    botName: settings.botName,
    transcriptionLanguage: options?.language ?? settings.transcriptionLanguage,
    ...(provider ? { transcriptionProvider: provider as BotConfiguration['transcriptionProvider'] } : {}),
    recording: result.recording_settings,
    automaticLeave: {
      silenceTimeoutSeconds: leave.silence_timeout_seconds,
      onlyParticipantInMeetingTimeoutSeconds: leave.only_participant_in_meeting_timeout_seconds,
      waitingRoomTimeoutSeconds: leave.waiting_room_timeout_seconds,
    },
  };
}

/** The context handed to the configurator (no links, ids or times beyond the duration). */
export function meetingContext(meeting: Meeting, platform: MeetingPlatform): MeetingContext {
  return {
    title: meeting.title,
    description: meeting.description,
    attendees: meeting.attendees.map((attendee) => ({ email: attendee.email, name: attendee.name ?? null })),
    organizerEmail: meeting.organizerEmail,
    platform,
    startTime: meeting.startTime.toISOString(),
    endTime: meeting.endTime.toISOString(),
    durationMinutes: Math.round((meeting.endTime.getTime() - meeting.startTime.getTime()) / 60_000),
  };
}

export interface ResolvedConfiguration {
  configuration: BotConfiguration;
  source: string;
  /** Why the configurator's answer was not used, when it was not. */
  fallbackReason?: string;
}

/** Asks the configurator and validates its answer; anything invalid falls back to the default, never to the API. */
export async function resolveConfiguration(
  configurator: BotConfigurator,
  context: MeetingContext,
  settings: BotSettings,
  call: ConfigurationCall,
): Promise<ResolvedConfiguration> {
  let fallbackReason: string;
  try {
    const parsed = BotConfigurationSchema.safeParse(await configurator.configure(context, settings, call));
    if (parsed.success) return { configuration: parsed.data, source: configurator.name };
    fallbackReason = `invalid configuration: ${parsed.error.issues.map((issue) => issue.path.join('.') || issue.message).join(', ')}`;
  } catch (error) {
    fallbackReason = `configuration failed: ${error instanceof Error ? error.message : String(error)}`.slice(
      0,
      300,
    );
  }
  const fallback = await createDefaultBotConfigurator().configure(context, settings, call);
  return { configuration: BotConfigurationSchema.parse(fallback), source: 'default', fallbackReason };
}

/** The Attendee create request for a configuration and the scheduler's own fields. */
export function createBotRequest(
  configuration: BotConfiguration,
  fields: { meetingUrl: string; joinAt: Date; deduplicationKey: string; metadata: Record<string, string> },
): CreateBotRequest {
  const request: CreateBotRequest = {
    meeting_url: fields.meetingUrl,
    bot_name: configuration.botName,
    join_at: fields.joinAt.toISOString(),
    deduplication_key: fields.deduplicationKey,
    metadata: fields.metadata,
    transcription_settings: {
      [configuration.transcriptionProvider ?? 'deepgram']: { language: configuration.transcriptionLanguage },
    },
  };
  if (configuration.recording && Object.keys(configuration.recording).length) {
    request.recording_settings = configuration.recording;
  }
  const leave = configuration.automaticLeave;
  if (leave) {
    const settings: Record<string, number> = {};
    if (leave.silenceTimeoutSeconds) settings.silence_timeout_seconds = leave.silenceTimeoutSeconds;
    if (leave.onlyParticipantInMeetingTimeoutSeconds) {
      settings.only_participant_in_meeting_timeout_seconds = leave.onlyParticipantInMeetingTimeoutSeconds;
    }
    if (leave.waitingRoomTimeoutSeconds)
      settings.waiting_room_timeout_seconds = leave.waitingRoomTimeoutSeconds;
    if (Object.keys(settings).length) request.automatic_leave_settings = settings;
  }
  return request;
}
