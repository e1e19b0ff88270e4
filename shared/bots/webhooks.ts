import type { Database } from '../db/database.ts';
import { AppError, badRequest, unauthorized } from '../http/errors.ts';
import { StateChangeDataSchema, WebhookBodySchema } from './attendee/schemas.ts';
import { parseSignedJson, plainJson, verifyWebhookSignature } from './attendee/signature.ts';
import { applyStateChange, recordWebhookEvent } from './data/webhooks.ts';

export type WebhookResult =
  | { status: 'applied'; meetingBotId: string }
  | { status: 'recorded' }
  | { status: 'duplicate' };

/**
 * Receives one Attendee webhook: verifies `X-Webhook-Signature` over the parsed body, stores the delivery once by
 * its idempotency key, and moves the bot to the state a `bot.state_change` reports. A repeat changes nothing.
 */
export async function receiveAttendeeWebhook(
  deps: { db: Database; secret: string | undefined },
  rawBody: string,
  signature: string | undefined,
): Promise<WebhookResult> {
  if (!deps.secret) {
    throw new AppError(503, 'webhook_not_configured', 'ATTENDEE_WEBHOOK_SECRET is not set');
  }
  let parsed: unknown;
  try {
    parsed = parseSignedJson(rawBody);
  } catch {
    throw badRequest('The body is not valid JSON');
  }
  let valid = false;
  try {
    valid = await verifyWebhookSignature(deps.secret, parsed, signature);
  } catch {
    throw new AppError(503, 'webhook_not_configured', 'ATTENDEE_WEBHOOK_SECRET is not valid base64');
  }
  if (!valid) throw unauthorized('Invalid webhook signature');
  const body = WebhookBodySchema.safeParse(plainJson(parsed));
  if (!body.success) throw badRequest('Not an Attendee webhook body');
  const { idempotency_key, bot_id, trigger, data } = body.data;
  const stateChange =
    trigger === 'bot.state_change' ? StateChangeDataSchema.safeParse(data ?? {}) : undefined;
  if (stateChange && !stateChange.success)
    throw badRequest('A bot.state_change webhook needs data.new_state');
  const eventAt = stateChange?.data?.created_at ? new Date(stateChange.data.created_at) : new Date();
  const at = Number.isNaN(eventAt.getTime()) ? new Date() : eventAt;

  // A webhook acts for no signed-in user; the signature proved it is Attendee, and the bot's row names its owner.
  return deps.db.asService(async (tx) => {
    const fresh = await recordWebhookEvent(tx, {
      idempotencyKey: idempotency_key,
      attendeeBotId: bot_id,
      trigger,
      payload: body.data as Record<string, unknown>,
    });
    if (!fresh) return { status: 'duplicate' } as const;
    if (!stateChange?.data) return { status: 'recorded' } as const;
    const id = await applyStateChange(tx, {
      attendeeBotId: bot_id,
      newState: stateChange.data.new_state,
      at,
    });
    return id ? ({ status: 'applied', meetingBotId: id } as const) : ({ status: 'recorded' } as const);
  });
}
