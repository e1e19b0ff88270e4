import { describe, expect, it } from 'vitest';
import {
  AiBotConfigurationSchema,
  AiMeetingContextSchema,
  botConfigurationFor,
  sanitizeBotName,
} from '../../shared/ai/bot-configuration.ts';

const meeting = (overrides: Record<string, unknown> = {}) =>
  AiMeetingContextSchema.parse({
    title: 'Quarterly renewal review',
    description: 'Walk through the Acme renewal.',
    attendees: [{ email: 'dana@acme.test', name: 'Dana' }],
    organizerEmail: 'sam@ours.test',
    startTime: '2026-12-01T15:00:00Z',
    endTime: '2026-12-01T16:00:00Z',
    ...overrides,
  });

describe('the deterministic bot configuration', () => {
  it('fits the Attendee contract and joins a minute before the start', () => {
    const config = botConfigurationFor(meeting(), { meetingId: 'm-1', source: 'local:test' });
    expect(AiBotConfigurationSchema.safeParse(config).success).toBe(true);
    expect(config).toMatchObject({
      bot_name: 'Notetaker · Quarterly renewal review',
      join_at: '2026-12-01T14:59:00.000Z',
      join_offset_seconds: 60,
      recording_settings: { format: 'mp4', view: 'speaker_view', resolution: '1080p' },
      transcription_settings: { deepgram: { language: 'en' } },
      metadata: { source: 'ai.bot_configuration', configured_by: 'local:test', meeting_id: 'm-1' },
    });
  });

  it('is the same for the same meeting', () => {
    expect(botConfigurationFor(meeting(), { source: 'x' })).toEqual(
      botConfigurationFor(meeting(), { source: 'x' }),
    );
  });

  it('strips emoji and other characters above U+FFFF and keeps the name within 255 characters', () => {
    const config = botConfigurationFor(meeting({ title: `🚀 Launch ${'x'.repeat(400)} 🎉` }), {
      source: 'x',
    });
    expect(config.bot_name.length).toBeLessThanOrEqual(255);
    expect([...config.bot_name].every((char) => char.codePointAt(0)! <= 0xffff)).toBe(true);
    expect(sanitizeBotName('😀😀')).toBe('Notetaker');
  });

  it('uses gallery view for six attendees or more and 720p past two hours', () => {
    const attendees = Array.from({ length: 6 }, (_, i) => ({ email: `p${i}@ours.test` }));
    const config = botConfigurationFor(meeting({ attendees, endTime: '2026-12-01T18:00:00Z' }), {
      source: 'x',
    });
    expect(config.recording_settings).toMatchObject({ view: 'gallery_view', resolution: '720p' });
  });

  it('waits longer in the waiting room when the organizer is from another domain', () => {
    expect(
      botConfigurationFor(meeting(), { source: 'x' }).automatic_leave_settings.waiting_room_timeout_seconds,
    ).toBe(1_800);
    const internal = meeting({ attendees: [{ email: 'kim@ours.test' }] });
    expect(
      botConfigurationFor(internal, { source: 'x' }).automatic_leave_settings.waiting_room_timeout_seconds,
    ).toBe(900);
  });

  it('has no join time without a start, and transcribes in the meeting language', () => {
    const config = botConfigurationFor(meeting({ startTime: null, endTime: null, language: 'de' }), {
      source: 'x',
    });
    expect(config.join_at).toBeNull();
    expect(config.transcription_settings).toEqual({ deepgram: { language: 'de' } });
  });

  it("takes a model's choices for name, language, format and view", () => {
    const config = botConfigurationFor(meeting(), {
      source: 'openai:gpt',
      choices: { botName: 'Acme notes 🤖', language: 'fr', format: 'mp3', view: 'gallery_view' },
    });
    expect(config).toMatchObject({
      bot_name: 'Acme notes',
      transcription_settings: { deepgram: { language: 'fr' } },
      recording_settings: { format: 'mp3', view: 'gallery_view' },
    });
  });

  it('refuses a meeting that ends before it starts', () => {
    expect(
      AiMeetingContextSchema.safeParse({
        title: 'x',
        startTime: '2026-12-01T15:00:00Z',
        endTime: '2026-12-01T14:00:00Z',
      }).success,
    ).toBe(false);
  });
});
