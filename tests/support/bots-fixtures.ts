// Meetings and bot rows for the bots tests, written as the database owner (as a calendar sync would).
import pg from 'pg';

export const ZOOM = 'https://us02web.zoom.us/j/81234567890?pwd=abc';
const MEET = 'https://meet.google.com/abc-defg-hij';
export const TEAMS = 'https://teams.live.com/meet/9876543210123?p=secret';

export const minutesFromNow = (minutes: number) => new Date(Date.now() + minutes * 60_000);

export interface MeetingFixture {
  title?: string;
  description?: string | null;
  start?: Date;
  durationMinutes?: number;
  meetingUrl?: string | null;
  attendees?: { email: string; name?: string }[];
  organizerEmail?: string | null;
  status?: 'confirmed' | 'tentative' | 'cancelled';
  botOverride?: 'follow_settings' | 'always' | 'never';
}

/** A client on a test database as its owner (bypasses RLS); close it with `end()`. */
export async function ownerClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** Inserts a meeting for a user and returns its id; by default a 30-minute Meet call an hour from now. */
export async function insertMeeting(
  db: pg.Client,
  userId: string,
  meeting: MeetingFixture = {},
): Promise<string> {
  const start = meeting.start ?? minutesFromNow(60);
  const end = new Date(start.getTime() + (meeting.durationMinutes ?? 30) * 60_000);
  const { rows } = await db.query<{ id: string }>(
    `insert into public.meetings (user_id, title, description, start_time, end_time, meeting_url, attendees,
                                  organizer_email, status, bot_override)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
    [
      userId,
      meeting.title ?? 'Weekly sync',
      meeting.description ?? null,
      start,
      end,
      meeting.meetingUrl === undefined ? MEET : meeting.meetingUrl,
      JSON.stringify(meeting.attendees ?? [{ email: 'ana@acme.test' }, { email: 'bo@client.test' }]),
      meeting.organizerEmail === undefined ? 'ana@acme.test' : meeting.organizerEmail,
      meeting.status ?? 'confirmed',
      meeting.botOverride ?? 'follow_settings',
    ],
  );
  return rows[0]!.id;
}

/** Saves bot settings for a user (any subset of columns; the rest keep the table defaults). */
export async function saveSettings(
  db: pg.Client,
  userId: string,
  settings: Record<string, unknown>,
): Promise<void> {
  const columns = Object.keys(settings);
  await db.query(
    `insert into public.user_bot_settings (user_id, ${columns.join(', ')})
     values ($1, ${columns.map((_, i) => `$${i + 2}`).join(', ')})
     on conflict (user_id) do update set ${columns.map((column) => `${column} = excluded.${column}`).join(', ')}`,
    [userId, ...Object.values(settings)],
  );
}

export interface BotRow {
  id: string;
  meeting_id: string;
  attendee_bot_id: string | null;
  state: string;
  join_at: Date | null;
  deduplication_key: string | null;
  sent: boolean;
  not_sent_reason: string | null;
  last_error: string | null;
  meeting_url: string | null;
  bot_config: Record<string, unknown>;
}

/** Every bot row of a meeting, oldest first. */
export async function botsOf(db: pg.Client, meetingId: string): Promise<BotRow[]> {
  const { rows } = await db.query<BotRow>(
    `select * from public.meeting_bots where meeting_id = $1 order by created_at, id`,
    [meetingId],
  );
  return rows;
}

/** The scheduling log of a user, oldest first. */
export async function logsOf(
  db: pg.Client,
  userId: string,
): Promise<
  { meeting_id: string | null; decision: string; reason: string | null; details: Record<string, unknown> }[]
> {
  const { rows } = await db.query(
    `select meeting_id, decision, reason, details from public.bot_scheduling_logs where user_id = $1
      order by created_at, id`,
    [userId],
  );
  return rows;
}
