import type { AiService } from '../ai/ai-service.ts';
import type { BotConfiguration as AiBotConfiguration } from '../ai/bot-configuration.ts';
import type { BotConfiguration, BotConfigurator, MeetingContext } from './configuration.ts';
import type { BotSettings } from './settings.ts';

// The AI service validates addresses strictly; an attendee it would refuse is better left out than the call lost.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The configuration step through the AI service (cache, rate limits, cost and `ai_processing_logs`), with the
 * configured provider (OpenAI, or the offline one). The user's own bot name and language win over the model's;
 * the join time, link, deduplication key and metadata are never the model's to set.
 */
export function createAiBotConfigurator(ai: () => Pick<AiService, 'botConfiguration'>): BotConfigurator {
  return {
    name: 'ai',
    async configure(context: MeetingContext, settings: BotSettings, call) {
      const outcome = await ai().botConfiguration(
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
