// Bot rows are service-owned: users read them under RLS but write none of their columns (no grant), so every
// write here runs as the service role and names the owner explicitly.
import type { Queryable } from '../../db/database.ts';
import { FINISHED_STATES, type MeetingBot } from '../types.ts';

interface BotRow {
  id: string;
  user_id: string;
  meeting_id: string;
  attendee_bot_id: string | null;
  state: string;
  join_at: Date | null;
  meeting_url: string | null;
  deduplication_key: string | null;
  bot_config: Record<string, unknown>;
  sent: boolean;
  not_sent_reason: string | null;
  last_error: string | null;
  state_changed_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, user_id, meeting_id, attendee_bot_id, state, join_at, meeting_url, deduplication_key, bot_config,
  sent, not_sent_reason, last_error, state_changed_at, created_at, updated_at`;
// The predicate of the unique index meeting_bots_one_live_bot_per_meeting, for `on conflict` to infer it.
const LIVE = `state not in (${FINISHED_STATES.map((state) => `'${state}'`).join(', ')})`;

const fromRow = (row: BotRow): MeetingBot => ({
  id: row.id,
  userId: row.user_id,
  meetingId: row.meeting_id,
  attendeeBotId: row.attendee_bot_id,
  state: row.state,
  joinAt: row.join_at,
  meetingUrl: row.meeting_url,
  deduplicationKey: row.deduplication_key,
  botConfig: row.bot_config,
  sent: row.sent,
  notSentReason: row.not_sent_reason,
  lastError: row.last_error,
  stateChangedAt: row.state_changed_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const one = (rows: BotRow[]) => (rows[0] ? fromRow(rows[0]) : undefined);

/** The caller's bots, newest first. */
export async function listBots(
  tx: Queryable,
  options: { limit: number; meetingId?: string },
): Promise<MeetingBot[]> {
  const { rows } = await tx.query<BotRow>(
    `select ${COLUMNS} from public.meeting_bots
      where ($2::uuid is null or meeting_id = $2)
      order by created_at desc, id limit $1`,
    [options.limit, options.meetingId ?? null],
  );
  return rows.map(fromRow);
}

/** One of the caller's bots (another user's reads as missing). */
export async function findBot(tx: Queryable, id: string): Promise<MeetingBot | undefined> {
  return one((await tx.query<BotRow>(`select ${COLUMNS} from public.meeting_bots where id = $1`, [id])).rows);
}

/** The live bots of the given meetings, by meeting id. */
export async function liveBotsOf(tx: Queryable, meetingIds: string[]): Promise<Map<string, MeetingBot>> {
  const { rows } = await tx.query<BotRow>(
    `select ${COLUMNS} from public.meeting_bots where meeting_id = any($1::uuid[]) and ${LIVE}`,
    [meetingIds],
  );
  return new Map(rows.map((row: BotRow) => [row.meeting_id, fromRow(row)]));
}

/** The caller's live bots that have not launched yet (what reconciliation looks at). */
export async function upcomingLiveBots(tx: Queryable, now: Date): Promise<MeetingBot[]> {
  const { rows } = await tx.query<BotRow>(
    `select ${COLUMNS} from public.meeting_bots
      where ${LIVE} and (join_at is null or join_at > $1)
      order by join_at nulls first, id`,
    [now],
  );
  return rows.map(fromRow);
}

export interface Claim {
  meetingId: string;
  joinAt: Date;
  meetingUrl: string;
  deduplicationKey: string;
}

/**
 * Takes the meeting's one live-bot slot for this caller, or returns undefined when someone holds it. A row left
 * `not_sent` (when `retryNotSent`) or `pending` for longer than `staleAfterMs` (its sender died) is taken over;
 * a stale pending row keeps its deduplication key, so resending finds a bot that was created after all.
 */
export async function claimMeeting(
  tx: Queryable,
  userId: string,
  claim: Claim,
  options: { retryNotSent: boolean; staleAfterMs: number },
): Promise<MeetingBot | undefined> {
  const reclaimed = await tx.query<BotRow>(
    `update public.meeting_bots
        set state = 'pending', join_at = $2, meeting_url = $3,
            deduplication_key = case when state = 'pending' then deduplication_key else $4 end,
            not_sent_reason = null, last_error = null
      where meeting_id = $1 and user_id = $7
        and ((state = 'not_sent' and $5) or (state = 'pending' and updated_at < now() - make_interval(secs => $6)))
      returning ${COLUMNS}`,
    [
      claim.meetingId,
      claim.joinAt,
      claim.meetingUrl,
      claim.deduplicationKey,
      options.retryNotSent,
      options.staleAfterMs / 1000,
      userId,
    ],
  );
  if (reclaimed.rows[0]) return fromRow(reclaimed.rows[0]);
  const inserted = await tx.query<BotRow>(
    `insert into public.meeting_bots (user_id, meeting_id, state, join_at, meeting_url, deduplication_key)
     values ($5, $1, 'pending', $2, $3, $4)
     on conflict (meeting_id) where ${LIVE} do nothing
     returning ${COLUMNS}`,
    [claim.meetingId, claim.joinAt, claim.meetingUrl, claim.deduplicationKey, userId],
  );
  return one(inserted.rows);
}

export interface SentBot {
  attendeeBotId: string;
  state: string;
  joinAt: Date | null;
  botConfig: Record<string, unknown>;
}

/** Records the bot Attendee created for a claimed row (compare-and-set on `pending`). */
export async function markSent(
  tx: Queryable,
  userId: string,
  id: string,
  sent: SentBot,
): Promise<MeetingBot | undefined> {
  const { rows } = await tx.query<BotRow>(
    `update public.meeting_bots
        set attendee_bot_id = $2, state = $3, join_at = coalesce($4, join_at), bot_config = $5, sent = true,
            not_sent_reason = null, last_error = null, state_changed_at = null
      where id = $1 and user_id = $6 and state = 'pending'
      returning ${COLUMNS}`,
    [id, sent.attendeeBotId, sent.state, sent.joinAt, sent.botConfig, userId],
  );
  const bot = one(rows);
  if (bot) await recordIssuedBot(tx, { attendeeBotId: sent.attendeeBotId, userId, meetingId: bot.meetingId });
  return bot;
}

/** The owner and meeting an Attendee bot id was issued for, by our own create call. */
export interface IssuedBot {
  attendeeBotId: string;
  userId: string;
  meetingId: string;
}

/** Remembers (service-only table) that Attendee issued this bot id to us for this user's meeting. */
async function recordIssuedBot(tx: Queryable, issued: IssuedBot): Promise<void> {
  await tx.query(
    `insert into app_private.issued_attendee_bots (attendee_bot_id, user_id, meeting_id) values ($1, $2, $3)
     on conflict (attendee_bot_id) do nothing`,
    [issued.attendeeBotId, issued.userId, issued.meetingId],
  );
}

/**
 * True when Attendee issued this bot id to us for exactly this user's meeting. Checked (as the service role)
 * before any call to Attendee that names an existing bot, so an id a user could have written never reaches it.
 */
export async function wasIssued(tx: Queryable, issued: IssuedBot): Promise<boolean> {
  const { rows } = await tx.query(
    `select 1 from app_private.issued_attendee_bots
      where attendee_bot_id = $1 and user_id = $2 and meeting_id = $3`,
    [issued.attendeeBotId, issued.userId, issued.meetingId],
  );
  return rows.length > 0;
}

/** Leaves a claimed row decided but not sent, with the reason (compare-and-set on `pending`). */
export async function markNotSent(
  tx: Queryable,
  userId: string,
  id: string,
  reason: string,
  botConfig: Record<string, unknown>,
): Promise<MeetingBot | undefined> {
  const { rows } = await tx.query<BotRow>(
    `update public.meeting_bots set state = 'not_sent', sent = false, not_sent_reason = $2, bot_config = $3
      where id = $1 and user_id = $4 and state = 'pending' returning ${COLUMNS}`,
    [id, reason, botConfig, userId],
  );
  return one(rows);
}

/** Marks a claimed row failed, which frees the meeting for a later attempt (compare-and-set on `pending`). */
export async function markFailed(
  tx: Queryable,
  userId: string,
  id: string,
  error: string,
): Promise<MeetingBot | undefined> {
  const { rows } = await tx.query<BotRow>(
    `update public.meeting_bots set state = 'failed', last_error = $2
      where id = $1 and user_id = $3 and state = 'pending' returning ${COLUMNS}`,
    [id, error, userId],
  );
  return one(rows);
}

/** Applies a change to a bot if its state is still `expectedState` (compare-and-set). */
export async function updateBot(
  tx: Queryable,
  userId: string,
  id: string,
  expectedState: string,
  change: { state?: string; joinAt?: Date | null; meetingUrl?: string; lastError?: string | null },
): Promise<MeetingBot | undefined> {
  const { rows } = await tx.query<BotRow>(
    `update public.meeting_bots
        set state = coalesce($3, state),
            join_at = case when $4 then $5 else join_at end,
            meeting_url = coalesce($6, meeting_url),
            last_error = case when $7 then $8 else last_error end,
            state_changed_at = case when $3 is not null and $3 <> state then now() else state_changed_at end
      where id = $1 and user_id = $9 and state = $2
      returning ${COLUMNS}`,
    [
      id,
      expectedState,
      change.state ?? null,
      change.joinAt !== undefined,
      change.joinAt ?? null,
      change.meetingUrl ?? null,
      change.lastError !== undefined,
      change.lastError ?? null,
      userId,
    ],
  );
  return one(rows);
}
