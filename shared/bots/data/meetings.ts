import type { Queryable } from '../../db/database.ts';
import type { Meeting } from '../types.ts';

interface MeetingRow {
  id: string;
  user_id: string;
  title: string;
  description: string | null;
  start_time: Date;
  end_time: Date;
  meeting_url: string | null;
  attendees: Meeting['attendees'];
  organizer_email: string | null;
  status: Meeting['status'];
  bot_override: Meeting['botOverride'];
}

const COLUMNS = `id, user_id, title, description, start_time, end_time, meeting_url, attendees, organizer_email,
  status, bot_override`;

/** Maps a `meetings` row. */
const meetingFromRow = (row: MeetingRow): Meeting => ({
  id: row.id,
  userId: row.user_id,
  title: row.title,
  description: row.description,
  startTime: row.start_time,
  endTime: row.end_time,
  meetingUrl: row.meeting_url,
  attendees: row.attendees,
  organizerEmail: row.organizer_email,
  status: row.status,
  botOverride: row.bot_override,
});

/** One of the caller's meetings (RLS: another user's meeting reads as missing). */
export async function findMeeting(tx: Queryable, meetingId: string): Promise<Meeting | undefined> {
  const { rows } = await tx.query<MeetingRow>(`select ${COLUMNS} from public.meetings where id = $1`, [
    meetingId,
  ]);
  return rows[0] ? meetingFromRow(rows[0]) : undefined;
}

/** The caller's meetings that start before `to` and are not over at `from`, earliest first. */
export async function meetingsInWindow(tx: Queryable, from: Date, to: Date): Promise<Meeting[]> {
  const { rows } = await tx.query<MeetingRow>(
    `select ${COLUMNS} from public.meetings
      where start_time < $2 and end_time > $1
      order by start_time, id`,
    [from, to],
  );
  return rows.map(meetingFromRow);
}

/** Sets a meeting's bot override (a user who cancels a bot does not want the scheduler to send another). */
export async function setBotOverride(
  tx: Queryable,
  meetingId: string,
  override: Meeting['botOverride'],
  /** The owner, when run as the service role (no RLS to scope the update). */
  userId?: string,
): Promise<void> {
  await tx.query(
    `update public.meetings set bot_override = $2 where id = $1 and ($3::uuid is null or user_id = $3)`,
    [meetingId, override, userId ?? null],
  );
}

/** The email of a user, for record modes that compare it with the organizer and attendees. */
export async function userEmail(tx: Queryable, userId: string): Promise<string | null> {
  const { rows } = await tx.query<{ email: string | null }>(`select email from auth.users where id = $1`, [
    userId,
  ]);
  return rows[0]?.email ?? null;
}

/** The caller's meetings with these ids, by id. */
export async function meetingsByIds(tx: Queryable, ids: string[]): Promise<Map<string, Meeting>> {
  const { rows } = await tx.query<MeetingRow>(
    `select ${COLUMNS} from public.meetings where id = any($1::uuid[])`,
    [ids],
  );
  return new Map(rows.map((row: MeetingRow) => [row.id, meetingFromRow(row)]));
}
