import { AttendeeError } from './attendee/errors.ts';
import { issuedForThisMeeting } from './cancel.ts';
import { upcomingLiveBots, updateBot } from './data/bots.ts';
import { insertSchedulingLogs, type LogDecision } from './data/logs.ts';
import { meetingsByIds } from './data/meetings.ts';
import { readBotSettings } from './data/settings.ts';
import { joinTimeFor } from './decision.ts';
import type { Actor, BotsDeps } from './deps.ts';
import { supportedMeetingUrl } from './meeting-url.ts';
import type { BotSettings } from './settings.ts';
import type { Meeting, MeetingBot } from './types.ts';

type SyncPlan =
  | { action: 'none' }
  | { action: 'cancel'; reason: string }
  | {
      action: 'move';
      joinAt: Date | undefined;
      timeMoved: boolean;
      meetingUrl: string | undefined;
      reason: string;
    };

interface SyncEntry {
  botId: string;
  meetingId: string;
  reason: string;
  state: string;
  joinAt?: string | null;
  error?: string;
}

/** What reconciling a user's bots with their meetings did, bot by bot. */
export interface SyncSummary {
  updated: SyncEntry[];
  cancelled: SyncEntry[];
  leftAlone: SyncEntry[];
  failed: SyncEntry[];
}

/** What a bot needs so that it matches its meeting now. */
function planSync(bot: MeetingBot, meeting: Meeting, settings: BotSettings, now: Date): SyncPlan {
  if (meeting.status === 'cancelled') return { action: 'cancel', reason: 'meeting_cancelled' };
  if (meeting.botOverride === 'never') return { action: 'cancel', reason: 'meeting_excluded' };
  if (meeting.endTime.getTime() <= now.getTime()) return { action: 'cancel', reason: 'meeting_over' };
  if (!supportedMeetingUrl(meeting.meetingUrl)) return { action: 'cancel', reason: 'unsupported_url' };
  const url = meeting.meetingUrl!.trim();
  const urlMoved = bot.meetingUrl !== null && bot.meetingUrl !== url;
  // In step while the bot joins between `join_offset_minutes` before the start and the start itself (a bot sent
  // shortly before a meeting joins later than the offset asks).
  const start = meeting.startTime.getTime();
  const joinAt = bot.joinAt?.getTime();
  const timeMoved =
    joinAt === undefined || joinAt > start || joinAt < start - settings.joinOffsetMinutes * 60_000 - 1000;
  if (!timeMoved && !urlMoved) return { action: 'none' };
  return {
    action: 'move',
    joinAt: timeMoved ? joinTimeFor(meeting, settings, now) : undefined,
    timeMoved,
    meetingUrl: urlMoved ? url : undefined,
    reason: timeMoved ? 'meeting_moved' : 'link_changed',
  };
}

const TOO_SOON = 'the meeting moved to start too soon for a bot to join it: the bot was cancelled';

type Result = { list: keyof SyncSummary; entry: SyncEntry };

function result(list: keyof SyncSummary, bot: MeetingBot, reason: string, error?: string): Result {
  return {
    list,
    entry: {
      botId: bot.id,
      meetingId: bot.meetingId,
      reason,
      state: bot.state,
      joinAt: bot.joinAt?.toISOString() ?? null,
      ...(error ? { error } : {}),
    },
  };
}

type Change = Parameters<typeof updateBot>[4];

/** Carries out a plan for one bot; undefined when another run changed the bot first (compare-and-set lost). */
async function applyPlan(
  deps: BotsDeps,
  actor: Actor,
  bot: MeetingBot,
  plan: Exclude<SyncPlan, { action: 'none' }>,
): Promise<Result | undefined> {
  const local = (change: Change) =>
    deps.db.asService((tx) => updateBot(tx, actor.claims.sub, bot.id, bot.state, change));
  const done = async (list: 'cancelled' | 'updated', change: Change, reason = plan.reason) => {
    const changed = await local(change);
    return changed ? result(list, changed, reason) : undefined;
  };
  // A meeting moved to start too soon for a bot to join it: the bot must not stay booked at the old time, so it
  // is cancelled (deleted at Attendee when it was sent), with the reason on the row.
  const tooSoon = plan.action === 'move' && plan.timeMoved && !plan.joinAt;
  const dropped = { state: 'cancelled', lastError: TOO_SOON };

  if (!bot.sent || !bot.attendeeBotId) {
    // Never sent (no Attendee key): only the row changes.
    if (plan.action === 'cancel') return done('cancelled', { state: 'cancelled' });
    if (tooSoon) return done('cancelled', dropped, 'too_soon');
    return done('updated', { joinAt: plan.joinAt ?? bot.joinAt, meetingUrl: plan.meetingUrl });
  }
  if (bot.state !== 'scheduled')
    return result('leftAlone', bot, plan.reason, `the bot is already ${bot.state}`);
  const attendee = deps.attendee;
  if (!attendee) return result('failed', bot, plan.reason, 'ATTENDEE_API_KEY is not set');
  if (!(await issuedForThisMeeting(deps, bot, bot.attendeeBotId)))
    return result('leftAlone', bot, plan.reason, 'the bot id was not issued for this meeting');
  try {
    if (plan.action === 'cancel' || tooSoon) {
      await attendee.deleteBot(bot.attendeeBotId).catch((error: unknown) => {
        // Already gone at Attendee: as good as deleted.
        if (!(error instanceof AttendeeError && error.kind === 'not_found')) throw error;
      });
      return tooSoon ? done('cancelled', dropped, 'too_soon') : done('cancelled', { state: 'cancelled' });
    }
    const patch: { join_at?: string; meeting_url?: string } = {};
    if (plan.joinAt) patch.join_at = plan.joinAt.toISOString();
    if (plan.meetingUrl) patch.meeting_url = plan.meetingUrl;
    const updated = await attendee.updateBot(bot.attendeeBotId, patch);
    return done('updated', {
      state: updated.state,
      joinAt: updated.join_at ? new Date(updated.join_at) : (plan.joinAt ?? bot.joinAt),
      meetingUrl: plan.meetingUrl,
    });
  } catch (error) {
    if (!(error instanceof AttendeeError)) throw error;
    if (error.kind === 'not_found') {
      // Gone at Attendee: failing the row frees the meeting for a new bot on the next run.
      const changed = await local({ state: 'failed', lastError: 'the bot no longer exists at Attendee' });
      return changed ? result('failed', changed, plan.reason, error.message) : undefined;
    }
    if (error.kind === 'rejected') {
      // Typically staged meanwhile: record Attendee's state and leave the bot alone.
      const fresh = await attendee.getBot(bot.attendeeBotId).catch(() => undefined);
      const changed = fresh && fresh.state !== bot.state ? await local({ state: fresh.state }) : undefined;
      return result('leftAlone', changed ?? bot, plan.reason, error.message);
    }
    return result('failed', bot, plan.reason, error.message);
  }
}

const LOG_DECISION: Record<keyof SyncSummary, LogDecision> = {
  updated: 'updated',
  cancelled: 'cancelled',
  leftAlone: 'left_alone',
  failed: 'failed',
};

/**
 * Keeps the caller's upcoming bots in step with their meetings: a moved meeting moves its bot (PATCH join_at or
 * link), a cancelled or excluded one deletes it, and a bot Attendee has already staged (or launched) is left alone.
 * Each action is logged.
 */
export async function syncUserBots(deps: BotsDeps, actor: Actor, known?: BotSettings): Promise<SyncSummary> {
  const now = deps.now();
  const { bots, meetings, settings } = await deps.db.asUser(
    actor.claims,
    async (tx) => {
      const bots = await upcomingLiveBots(tx, now);
      const meetings = await meetingsByIds(tx, [...new Set(bots.map((bot) => bot.meetingId))]);
      return { bots, meetings, settings: known ?? (await readBotSettings(tx)) };
    },
    { readOnly: true },
  );
  const summary: SyncSummary = { updated: [], cancelled: [], leftAlone: [], failed: [] };
  for (const bot of bots) {
    const meeting = meetings.get(bot.meetingId);
    // A pending bot is being sent right now; the next run reconciles it.
    if (!meeting || bot.state === 'pending') continue;
    const plan = planSync(bot, meeting, settings, now);
    if (plan.action === 'none') continue;
    const outcome = await applyPlan(deps, actor, bot, plan).catch((error: unknown): Result => {
      deps.logger.error('reconciling a bot failed', { botId: bot.id, error: String(error) });
      return result('failed', bot, plan.reason, 'unexpected error');
    });
    // Undefined: another run changed the bot first (compare-and-set lost); it decided, not us.
    if (outcome) summary[outcome.list].push(outcome.entry);
  }
  const logs = (Object.keys(summary) as (keyof SyncSummary)[]).flatMap((list) =>
    summary[list].map((entry) => ({
      userId: actor.claims.sub,
      meetingId: entry.meetingId,
      meetingBotId: entry.botId,
      decision: LOG_DECISION[list],
      reason: entry.reason,
      details: {
        state: entry.state,
        joinAt: entry.joinAt ?? null,
        ...(entry.error ? { error: entry.error } : {}),
      },
    })),
  );
  await deps.db.asService((tx) => insertSchedulingLogs(tx, logs));
  return summary;
}
