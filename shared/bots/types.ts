/** A meeting as the scheduler sees it. */
export interface Meeting {
  id: string;
  userId: string;
  title: string;
  description: string | null;
  startTime: Date;
  endTime: Date;
  meetingUrl: string | null;
  attendees: { email: string; name?: string | null }[];
  organizerEmail: string | null;
  status: 'confirmed' | 'tentative' | 'cancelled';
  botOverride: 'follow_settings' | 'always' | 'never';
}

/**
 * A bot row. `state` is Attendee's state once sent, or ours: `pending` (claimed, being sent), `not_sent` (no
 * Attendee key: decided but not sent), `failed` (Attendee refused it), `cancelled` (deleted at Attendee).
 */
export interface MeetingBot {
  id: string;
  userId: string;
  meetingId: string;
  attendeeBotId: string | null;
  state: string;
  joinAt: Date | null;
  meetingUrl: string | null;
  deduplicationKey: string | null;
  botConfig: Record<string, unknown>;
  sent: boolean;
  notSentReason: string | null;
  lastError: string | null;
  stateChangedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** States after which a bot no longer holds its meeting (Attendee's terminal states and ours). */
export const FINISHED_STATES = ['fatal_error', 'ended', 'data_deleted', 'cancelled', 'failed'] as const;

/** True while a bot row still holds its meeting's one live-bot slot. */
export function isLive(state: string): boolean {
  return !(FINISHED_STATES as readonly string[]).includes(state);
}

/** Skip reasons, each a stable code clients can switch on. */
export const SKIP_REASONS = [
  'excluded',
  'already_scheduled',
  'too_soon',
  'unsupported_url',
  'filtered_by_settings',
  'cancelled',
  'all_day',
  'ended',
] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];
