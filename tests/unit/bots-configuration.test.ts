import { describe, expect, it } from 'vitest';
import {
  BotConfigurationSchema,
  type BotConfigurator,
  createBotRequest,
  createDefaultBotConfigurator,
  type MeetingContext,
  resolveConfiguration,
} from '../../shared/bots/configuration.ts';
import { DEFAULT_BOT_SETTINGS } from '../../shared/bots/settings.ts';

const context: MeetingContext = {
  title: 'Quarterly review',
  description: null,
  attendees: [{ email: 'a@acme.test' }, { email: 'b@client.test' }],
  organizerEmail: 'a@acme.test',
  platform: 'zoom',
  startTime: '2026-12-01T10:00:00.000Z',
  endTime: '2026-12-01T11:30:00.000Z',
  durationMinutes: 90,
};
const call = {
  userId: '00000000-0000-4000-8000-000000000001',
  meetingId: '00000000-0000-4000-8000-000000000002',
};
const answering = (answer: unknown): BotConfigurator => ({ name: 'model', configure: async () => answer });

describe('bot configuration', () => {
  it('gives a deterministic default from the settings and the meeting', async () => {
    const first = await createDefaultBotConfigurator().configure(context, DEFAULT_BOT_SETTINGS, call);
    expect(first).toEqual(
      await createDefaultBotConfigurator().configure(context, DEFAULT_BOT_SETTINGS, call),
    );
    expect(BotConfigurationSchema.parse(first)).toMatchObject({
      botName: 'Meeting Notetaker',
      transcriptionLanguage: 'en',
      recording: { view: 'speaker_view' },
      automaticLeave: { waitingRoomTimeoutSeconds: 1800 },
    });
  });

  it('uses a valid answer of the configurator', async () => {
    const answer = { botName: 'Acme Notes', transcriptionLanguage: 'de', transcriptionProvider: 'gladia' };
    expect(await resolveConfiguration(answering(answer), context, DEFAULT_BOT_SETTINGS, call)).toEqual({
      configuration: answer,
      source: 'model',
    });
  });

  it.each([
    [
      'a field the scheduler owns',
      { botName: 'x', transcriptionLanguage: 'en', join_at: '2020-01-01T00:00:00Z' },
    ],
    ['an unknown field', { botName: 'x', transcriptionLanguage: 'en', meetingUrl: 'https://evil.test' }],
    ['an emoji bot name', { botName: 'Notes 🤖', transcriptionLanguage: 'en' }],
    [
      'a bad leave timeout',
      { botName: 'x', transcriptionLanguage: 'en', automaticLeave: { silenceTimeoutSeconds: -1 } },
    ],
    ['no answer at all', undefined],
  ])('falls back to the default on %s, saying why', async (_, answer) => {
    const resolved = await resolveConfiguration(answering(answer), context, DEFAULT_BOT_SETTINGS, call);
    expect(resolved.source).toBe('default');
    expect(resolved.fallbackReason).toMatch(/^invalid configuration/);
  });

  it('falls back to the default when the configurator fails', async () => {
    const failing: BotConfigurator = {
      name: 'model',
      configure: async () => {
        throw new Error('model timed out');
      },
    };
    const resolved = await resolveConfiguration(failing, context, DEFAULT_BOT_SETTINGS, call);
    expect(resolved).toMatchObject({
      source: 'default',
      fallbackReason: 'configuration failed: model timed out',
    });
  });

  it('builds an Attendee create request with only contract fields', () => {
    const request = createBotRequest(
      {
        botName: 'Notes',
        transcriptionLanguage: 'fr',
        recording: { format: 'mp3' },
        automaticLeave: { silenceTimeoutSeconds: 300 },
      },
      {
        meetingUrl: 'https://meet.google.com/abc-defg-hij',
        joinAt: new Date('2026-12-01T09:58:00.000Z'),
        deduplicationKey: 'meeting:m:t',
        metadata: { meeting_id: 'm' },
      },
    );
    expect(request).toEqual({
      meeting_url: 'https://meet.google.com/abc-defg-hij',
      bot_name: 'Notes',
      join_at: '2026-12-01T09:58:00.000Z',
      deduplication_key: 'meeting:m:t',
      metadata: { meeting_id: 'm' },
      transcription_settings: { deepgram: { language: 'fr' } },
      recording_settings: { format: 'mp3' },
      automatic_leave_settings: { silence_timeout_seconds: 300 },
    });
  });
});
