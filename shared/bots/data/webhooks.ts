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
 * Moves a bot to the state a webhook reports, only when the event is not older than the one behind the current
 * state, and never from a finished state back to a live one (compare-and-set). Returns the changed row's id.
 */
export async function applyStateChange(tx: Queryable, change: StateChange): Promise<string | undefined> {
  const { rows } = await tx.query<{ id: string }>(
    `update public.meeting_bots
        set state = $2, state_changed_at = $3
      where attendee_bot_id = $1
        and (state_changed_at is null or state_changed_at <= $3)
        and (state <> all(${FINISHED}) or $2 = any(${FINISHED}))
      returning id`,
    [change.attendeeBotId, change.newState, change.at],
  );
  return rows[0]?.id;
}
