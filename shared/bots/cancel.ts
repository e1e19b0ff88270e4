import { AttendeeError } from './attendee/errors.ts';
import { findBot, updateBot, wasIssued } from './data/bots.ts';
import { insertSchedulingLogs } from './data/logs.ts';
import { setBotOverride } from './data/meetings.ts';
import type { Actor, BotsDeps } from './deps.ts';
import { isLive, type MeetingBot } from './types.ts';

export type CancelResult =
  | { status: 'cancelled'; bot: MeetingBot }
  | { status: 'not_found' }
  | { status: 'conflict'; bot: MeetingBot; message: string };

/**
 * True when Attendee issued `attendeeBotId` to us for this bot's owner and meeting (our own create call). Logged
 * and false otherwise: the id came from somewhere else and must not reach Attendee with the project's key.
 */
export async function issuedForThisMeeting(
  deps: Pick<BotsDeps, 'db' | 'logger'>,
  bot: { userId: string; meetingId: string; id?: string },
  attendeeBotId: string,
): Promise<boolean> {
  const issued = await deps.db.asService(
    (tx) => wasIssued(tx, { attendeeBotId, userId: bot.userId, meetingId: bot.meetingId }),
    { readOnly: true },
  );
  if (!issued)
    deps.logger.warn('refused an Attendee bot id that was not issued for this meeting', {
      userId: bot.userId,
      meetingId: bot.meetingId,
      meetingBotId: bot.id,
    });
  return issued;
}

/**
 * Cancels one of the caller's bots: deletes it at Attendee while it is still scheduled, and sets the meeting to
 * never be recorded, so the scheduler does not send another. A staged (or later) bot can no longer be cancelled.
 */
export async function cancelBot(deps: BotsDeps, actor: Actor, botId: string): Promise<CancelResult> {
  const bot = await deps.db.asUser(actor.claims, (tx) => findBot(tx, botId), { readOnly: true });
  if (!bot) return { status: 'not_found' };
  const conflict = (message: string): CancelResult => ({ status: 'conflict', bot, message });
  if (!isLive(bot.state)) return conflict(`The bot is already ${bot.state}`);
  if (bot.state === 'pending') return conflict('The bot is being sent right now; try again in a moment');
  if (bot.sent && bot.attendeeBotId) {
    if (bot.state !== 'scheduled')
      return conflict(`The bot is already ${bot.state} and can no longer be cancelled`);
    if (!deps.attendee)
      return conflict('ATTENDEE_API_KEY is not set, so the bot cannot be deleted at Attendee');
    if (!(await issuedForThisMeeting(deps, bot, bot.attendeeBotId)))
      return conflict('The bot cannot be cancelled at Attendee');
    try {
      await deps.attendee.deleteBot(bot.attendeeBotId);
    } catch (error) {
      if (!(error instanceof AttendeeError)) throw error;
      if (error.kind === 'rejected') return conflict(`Attendee refused: ${error.message}`);
      if (error.kind !== 'not_found') throw error;
    }
  }
  const userId = actor.claims.sub;
  const cancelled = await deps.db.asService(async (tx) => {
    const changed = await updateBot(tx, userId, bot.id, bot.state, { state: 'cancelled' });
    if (changed) await setBotOverride(tx, bot.meetingId, 'never', userId);
    return changed;
  });
  if (!cancelled) return conflict('The bot changed while it was being cancelled');
  await deps.db.asService((tx) =>
    insertSchedulingLogs(tx, [
      {
        userId: actor.claims.sub,
        meetingId: bot.meetingId,
        meetingBotId: bot.id,
        decision: 'cancelled',
        reason: 'cancelled_by_user',
        details: { previousState: bot.state },
      },
    ]),
  );
  return { status: 'cancelled', bot: cancelled };
}
