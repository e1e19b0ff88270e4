import { type MeetingPlatform, supportedMeetingUrl } from './meeting-url.ts';
import type { BotSettings } from './settings.ts';
import type { Meeting, SkipReason } from './types.ts';

/** Attendee wants `join_at` at least two minutes ahead (a bot whose join time is missed never launches). */
const MIN_JOIN_LEAD_MS = 2 * 60_000;
const DAY_MS = 24 * 3600_000;

export interface DecisionInput {
  meeting: Meeting;
  settings: BotSettings;
  now: Date;
  /** The meeting already has a bot that is not finished. */
  hasLiveBot: boolean;
  /** The user's email: decides `organizer_only`, and `external_only` compares attendees with its domain. */
  userEmail: string | null;
  /**
   * `auto`: the scheduler decides, so the user's settings filter meetings. `manual`: the user asked for this
   * meeting, so only the hard rules and the meeting's own override apply.
   */
  mode: 'auto' | 'manual';
}

export type Decision =
  | { action: 'schedule'; joinAt: Date; meetingUrl: string; platform: MeetingPlatform }
  | { action: 'skip'; reason: SkipReason; detail: string };

const skip = (reason: SkipReason, detail: string): Decision => ({ action: 'skip', reason, detail });

/** When the bot should join: `join_offset_minutes` before the start, but never sooner than Attendee accepts. */
export function joinTimeFor(meeting: Meeting, settings: BotSettings, now: Date): Date | undefined {
  const earliest = now.getTime() + MIN_JOIN_LEAD_MS;
  if (meeting.startTime.getTime() < earliest) return undefined;
  return new Date(Math.max(meeting.startTime.getTime() - settings.joinOffsetMinutes * 60_000, earliest));
}

function domainOf(email: string | null | undefined): string | undefined {
  const at = email?.lastIndexOf('@') ?? -1;
  return at > 0 ? email!.slice(at + 1).toLowerCase() : undefined;
}

function settingsFilter(
  meeting: Meeting,
  settings: BotSettings,
  userEmail: string | null,
): string | undefined {
  if (!settings.autoSchedule) return 'auto-scheduling is off';
  if (meeting.attendees.length < settings.minAttendees) {
    return `${meeting.attendees.length} attendee(s), fewer than the minimum of ${settings.minAttendees}`;
  }
  if (settings.recordMode === 'organizer_only') {
    const organizer = meeting.organizerEmail?.toLowerCase();
    if (!organizer || organizer !== userEmail?.toLowerCase())
      return 'record mode organizer_only: not the organizer';
  }
  if (settings.recordMode === 'external_only') {
    const home = domainOf(userEmail) ?? domainOf(meeting.organizerEmail);
    const domains = [meeting.organizerEmail, ...meeting.attendees.map((attendee) => attendee.email)]
      .map(domainOf)
      .filter((domain) => domain !== undefined);
    if (!home || !domains.some((domain) => domain !== home)) {
      return 'record mode external_only: no attendee from outside the organisation';
    }
  }
  return undefined;
}

function matchedKeyword(meeting: Meeting, keywords: string[]): string | undefined {
  const text = `${meeting.title}\n${meeting.description ?? ''}`.toLowerCase();
  return keywords.find((keyword) => keyword.trim() && text.includes(keyword.trim().toLowerCase()));
}

/**
 * Whether a meeting gets a bot, and why not. Hard rules first (a meeting is never recorded once cancelled or over,
 * for a whole-day event, or without a supported link), then the meeting's override, which wins over the settings.
 */
export function decideMeeting(input: DecisionInput): Decision {
  const { meeting, settings, now } = input;
  if (meeting.status === 'cancelled') return skip('cancelled', 'the meeting is cancelled');
  if (meeting.endTime.getTime() <= now.getTime()) return skip('ended', 'the meeting is over');
  if (meeting.endTime.getTime() - meeting.startTime.getTime() >= DAY_MS) {
    return skip('all_day', 'whole-day events are not recorded');
  }
  if (meeting.botOverride === 'never') return skip('excluded', 'the meeting is set to never be recorded');
  const link = supportedMeetingUrl(meeting.meetingUrl);
  if (!link) {
    return skip(
      'unsupported_url',
      meeting.meetingUrl ? 'the link is not a Zoom, Google Meet or Teams meeting' : 'the meeting has no link',
    );
  }
  if (input.hasLiveBot) return skip('already_scheduled', 'the meeting already has a bot');
  const joinAt = joinTimeFor(meeting, settings, now);
  if (!joinAt) return skip('too_soon', 'the meeting starts in less than two minutes');
  if (input.mode === 'auto' && meeting.botOverride !== 'always') {
    const keyword = matchedKeyword(meeting, settings.exclusionKeywords);
    if (keyword) return skip('excluded', `matches the exclusion keyword "${keyword}"`);
    const filtered = settingsFilter(meeting, settings, input.userEmail);
    if (filtered) return skip('filtered_by_settings', filtered);
  }
  return { action: 'schedule', joinAt, meetingUrl: link.url, platform: link.platform };
}

/** Attendee's deduplication key of a meeting's bot: stable across retries, new when the meeting moves. */
export function deduplicationKey(meeting: Pick<Meeting, 'id' | 'startTime'>): string {
  return `meeting:${meeting.id}:${meeting.startTime.toISOString()}`;
}
