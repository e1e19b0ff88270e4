import type { Queryable } from '../../db/database.ts';
import { FINISHED_STATES } from '../types.ts';

const FINISHED = `array[${FINISHED_STATES.map((state) => `'${state}'`).join(', ')}]::text[]`;

export interface WebhookEvent {
  idempotencyKey: string;
  attendeeBotId: string;
  trigger: string;
  payload: Record<string, unknown>;
}

/**
 * Records a delivery once; false when its idempotency key was seen before (a repeat). Runs as the service:
 * a webhook has no user, and the bot's owner is looked up from Attendee's bot id.
 */
export async function recordWebhookEvent(tx: Queryable, event: WebhookEvent): Promise<boolean> {
  const { rows } = await tx.query(
    `insert into public.attendee_webhook_events (idempotency_key, attendee_bot_id, trigger, user_id, meeting_bot_id, payload)
     select $1, $2, $3, b.user_id, b.id, $4
       from (select 1) as one
       left join public.meeting_bots b on b.attendee_bot_id = $2
     on conflict (idempotency_key) do nothing
     returning id`,
    [event.idempotencyKey, event.attendeeBotId, event.trigger, event.payload],
  );
  return rows.length > 0;
}

export interface StateChange {
  attendeeBotId: string;
  newState: string;
  at: Date;
}

/**
 * Where a state stands in a bot's life: a bot moves forward through these phases, never back. States of one phase
 * (recording, paused, not recording) follow each other by time. A state not listed (new at Attendee) shares
 * the current state's phase.
 */
const STATE_PHASE: Record<string, number> = {
  pending: 0,
  not_sent: 0,
  scheduled: 0,
  staged: 1,
  joining: 2,
  waiting_room: 2,
  joined_not_recording: 3,
  joined_recording: 3,
  joined_recording_paused: 3,
  leaving: 4,
  post_processing: 5,
  fatal_error: 6,
  ended: 6,
  cancelled: 6,
  failed: 6,
  data_deleted: 7,
};

const phase = (column: string) =>
  `(case ${column} ${Object.entries(STATE_PHASE)
    .map(([state, n]) => `when '${state}' then ${n}`)
    .join(' ')} end)`;

/**
 * Moves a bot to the state a webhook reports (compare-and-set), monotonically: a later phase always applies,
 * whatever its timestamp; a state of the same phase only when its event is strictly newer than the one behind
 * the current state; an earlier phase never (so the same or an older timestamp never moves a bot backwards), nor
 * a live state after a finished one. An event stamped in the future counts as now, so it cannot freeze the bot
 * by making every later event look older. Returns the changed row's id.
 */
export async function applyStateChange(tx: Queryable, change: StateChange): Promise<string | undefined> {
  const { rows } = await tx.query<{ id: string }>(
    `update public.meeting_bots
        set state = $2, state_changed_at = least($3::timestamptz, now())
      where attendee_bot_id = $1
        and state <> $2
        and (state <> all(${FINISHED}) or $2 = any(${FINISHED}))
        and (
          ${phase('$2::text')} > ${phase('state')}
          or (coalesce(${phase('$2::text')}, ${phase('state')}) is not distinct from coalesce(${phase('state')}, ${phase('$2::text')})
              and (state_changed_at is null or state_changed_at < least($3::timestamptz, now())))
        )
      returning id`,
    [change.attendeeBotId, change.newState, change.at],
  );
  return rows[0]?.id;
}
