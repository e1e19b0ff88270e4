// Reads a meeting the caller owns as the bot configuration's context (RLS decides what the caller may read).
import { z } from 'zod';
import type { UserClaims } from '../auth/claims.ts';
import type { Database } from '../db/database.ts';
import { type AiMeetingContext, AiMeetingContextSchema } from './bot-configuration.ts';

interface MeetingRow {
  title: string;
  description: string | null;
  attendees: { email?: unknown; name?: unknown }[];
  organizer_email: string | null;
  start_time: Date;
  end_time: Date;
}

const Email = z.string().email().max(320);
const validEmail = (value: unknown): value is string => Email.safeParse(value).success;

/** The caller's meeting as a configuration context, or undefined when it does not exist or is not theirs. */
export async function readMeetingContext(
  db: Database,
  claims: UserClaims,
  meetingId: string,
): Promise<AiMeetingContext | undefined> {
  const { rows } = await db.asUser(
    claims,
    (tx) =>
      tx.query<MeetingRow>(
        `select title, description, attendees, organizer_email, start_time, end_time
         from public.meetings where id = $1`,
        [meetingId],
      ),
    { readOnly: true },
  );
  // Typed here too: under Deno `pg` brings no types of its own.
  const row: MeetingRow | undefined = rows[0];
  if (!row) return undefined;
  // Calendar data is not ours to trust: keep what the context's schema accepts.
  return AiMeetingContextSchema.parse({
    title: row.title.trim().slice(0, 500) || 'Meeting',
    description: row.description?.slice(0, 20_000) ?? null,
    attendees: (row.attendees as MeetingRow['attendees'])
      .filter((attendee) => validEmail(attendee.email))
      .slice(0, 1_000)
      .map((attendee) => ({
        email: attendee.email as string,
        name: typeof attendee.name === 'string' ? attendee.name.slice(0, 200) : null,
      })),
    organizerEmail: validEmail(row.organizer_email) ? row.organizer_email : null,
    startTime: row.start_time.toISOString(),
    endTime: row.end_time.toISOString(),
  });
}
