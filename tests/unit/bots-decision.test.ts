import { describe, expect, it } from 'vitest';
import {
  type DecisionInput,
  decideMeeting,
  deduplicationKey,
  joinTimeFor,
} from '../../shared/bots/decision.ts';
import { DEFAULT_BOT_SETTINGS } from '../../shared/bots/settings.ts';
import type { Meeting } from '../../shared/bots/types.ts';

const now = new Date('2026-11-23T10:00:00Z');
const at = (minutes: number) => new Date(now.getTime() + minutes * 60_000);

function input(meeting: Partial<Meeting> = {}, rest: Partial<DecisionInput> = {}): DecisionInput {
  return {
    meeting: {
      id: '8f0c6f0e-2a43-4d4c-9d7e-0d9a1f2b3c4d',
      userId: 'u',
      title: 'Pipeline review',
      description: null,
      startTime: at(60),
      endTime: at(90),
      meetingUrl: 'https://meet.google.com/abc-defg-hij',
      attendees: [{ email: 'me@acme.test' }, { email: 'buyer@client.test' }],
      organizerEmail: 'me@acme.test',
      status: 'confirmed',
      botOverride: 'follow_settings',
      ...meeting,
    },
    settings: { ...DEFAULT_BOT_SETTINGS, autoSchedule: true },
    now,
    hasLiveBot: false,
    userEmail: 'me@acme.test',
    mode: 'auto',
    ...rest,
  };
}

const reason = (decision: ReturnType<typeof decideMeeting>) =>
  decision.action === 'skip' ? decision.reason : 'schedule';

describe('deciding whether a meeting gets a bot', () => {
  it('schedules an eligible meeting to join join_offset_minutes before the start', () => {
    const decision = decideMeeting(input());
    expect(decision).toMatchObject({ action: 'schedule', platform: 'google_meet', joinAt: at(58) });
  });

  it('joins two minutes from now at the earliest, never in the past', () => {
    expect(joinTimeFor(input({ startTime: at(3) }).meeting, DEFAULT_BOT_SETTINGS, now)).toEqual(at(2));
    expect(joinTimeFor(input({ startTime: at(1) }).meeting, DEFAULT_BOT_SETTINGS, now)).toBeUndefined();
  });

  it('lets the meeting override "always" win over every setting, but not over the hard rules', () => {
    const off = { settings: { ...DEFAULT_BOT_SETTINGS, autoSchedule: false, minAttendees: 10 } };
    expect(reason(decideMeeting(input({ botOverride: 'always' }, off)))).toBe('schedule');
    expect(reason(decideMeeting(input({ botOverride: 'always', meetingUrl: null }, off)))).toBe(
      'unsupported_url',
    );
    expect(reason(decideMeeting(input({ botOverride: 'always', status: 'cancelled' }, off)))).toBe(
      'cancelled',
    );
  });

  it('lets the meeting override "never" win over everything', () => {
    expect(decideMeeting(input({ botOverride: 'never' }, { mode: 'manual' }))).toMatchObject({
      reason: 'excluded',
    });
  });

  it.each([
    ['cancelled', { status: 'cancelled' as const }],
    ['ended', { startTime: at(-60), endTime: at(-1) }],
    ['all_day', { startTime: at(60), endTime: at(60 + 24 * 60) }],
    ['unsupported_url', { meetingUrl: 'https://example.com/x' }],
    ['too_soon', { startTime: at(1) }],
    ['excluded', { title: 'Ana <> Bo 1:1' }],
    ['excluded', { description: 'Confidential: salary talk' }],
  ])('skips as %s', (expected, meeting) => {
    const settings = { ...DEFAULT_BOT_SETTINGS, autoSchedule: true, exclusionKeywords: ['1:1', 'SALARY'] };
    expect(reason(decideMeeting(input(meeting, { settings })))).toBe(expected);
  });

  it('skips a meeting that already has a live bot', () => {
    expect(reason(decideMeeting(input({}, { hasLiveBot: true })))).toBe('already_scheduled');
  });

  it.each([
    ['auto-scheduling is off', { autoSchedule: false }, {}],
    ['fewer attendees than the minimum', { minAttendees: 3 }, {}],
    [
      'organizer_only, organised by someone else',
      { recordMode: 'organizer_only' as const },
      { organizerEmail: 'x@acme.test' },
    ],
    [
      'external_only, everyone inside',
      { recordMode: 'external_only' as const },
      { attendees: [{ email: 'me@acme.test' }, { email: 'ana@ACME.test' }] },
    ],
  ])('filters by settings: %s', (_, settings, meeting) => {
    const decision = decideMeeting(
      input(meeting, { settings: { ...DEFAULT_BOT_SETTINGS, autoSchedule: true, ...settings } }),
    );
    expect(reason(decision)).toBe('filtered_by_settings');
  });

  it('records external and organised meetings in those modes', () => {
    for (const recordMode of ['external_only', 'organizer_only'] as const) {
      const settings = { ...DEFAULT_BOT_SETTINGS, autoSchedule: true, recordMode };
      expect(reason(decideMeeting(input({}, { settings })))).toBe('schedule');
    }
  });

  it('applies no settings filter to a meeting asked for by hand', () => {
    const settings = { ...DEFAULT_BOT_SETTINGS, autoSchedule: false, exclusionKeywords: ['review'] };
    expect(reason(decideMeeting(input({}, { settings, mode: 'manual' })))).toBe('schedule');
  });

  it('derives a deduplication key from the meeting and its start, so a moved meeting gets a new key', () => {
    const meeting = input().meeting;
    expect(deduplicationKey(meeting)).toBe(`meeting:${meeting.id}:${meeting.startTime.toISOString()}`);
    expect(deduplicationKey({ ...meeting, startTime: at(120) })).not.toBe(deduplicationKey(meeting));
  });
});
