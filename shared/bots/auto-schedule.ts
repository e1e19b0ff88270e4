import { liveBotsOf } from './data/bots.ts';
import { meetingsInWindow, userEmail } from './data/meetings.ts';
import { readBotSettings } from './data/settings.ts';
import { decideMeeting } from './decision.ts';
import type { Actor, BotsDeps } from './deps.ts';
import { handleSchedulingResults, type Outcome, type SchedulingSummary } from './results.ts';
import { isRetryable, sendBot } from './scheduler.ts';
import { type SyncSummary, syncUserBots } from './sync.ts';

export interface AutoScheduleResult extends SchedulingSummary {
  window: { from: string; to: string };
  /** What keeping the existing bots in step with their meetings did first. */
  sync: SyncSummary;
}

// Meetings are sent a few at a time: Attendee allows 3000 creates a minute, and one slow call must not stall the rest.
const CONCURRENCY = 4;

async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]!);
    }
  });
  await Promise.all(workers);
  return results;
}

/**
 * `auto_schedule_user_bots`: reconciles the caller's bots with their meetings, then decides every meeting in the
 * look-ahead window exactly once (scheduled, skipped with a reason, or failed with the error), logs each decision
 * and returns the summary.
 */
export async function autoScheduleUserBots(deps: BotsDeps, actor: Actor): Promise<AutoScheduleResult> {
  const now = deps.now();
  const settings = await deps.db.asUser(actor.claims, readBotSettings, { readOnly: true });
  const sync = await syncUserBots(deps, actor, settings);
  const to = new Date(now.getTime() + settings.lookaheadHours * 3600_000);
  const { meetings, live } = await deps.db.asUser(
    actor.claims,
    async (tx) => {
      const meetings = await meetingsInWindow(tx, now, to);
      return {
        meetings,
        live: await liveBotsOf(
          tx,
          meetings.map((meeting) => meeting.id),
        ),
      };
    },
    { readOnly: true },
  );
  // Record modes compare with the user's own address; a job's actor carries only the user id.
  const email =
    actor.claims.email ??
    (settings.recordMode === 'all' ? null : await deps.db.asService((tx) => userEmail(tx, actor.claims.sub)));

  const outcomes = await mapLimited(meetings, CONCURRENCY, async (meeting): Promise<Outcome> => {
    const bot = live.get(meeting.id);
    const decision = decideMeeting({
      meeting,
      settings,
      now,
      hasLiveBot: bot !== undefined && !isRetryable(bot, deps, now),
      userEmail: email,
      mode: 'auto',
    });
    if (decision.action === 'skip') {
      return {
        meetingId: meeting.id,
        decision: 'skipped',
        reason: decision.reason,
        detail: decision.detail,
        botId: bot?.id,
      };
    }
    try {
      return await sendBot(deps, actor, meeting, decision, settings);
    } catch (error) {
      // One meeting's failure (the database, say) is that meeting's outcome, not the run's.
      deps.logger.error('auto-scheduling a meeting failed', { meetingId: meeting.id, error: String(error) });
      return { meetingId: meeting.id, decision: 'failed', kind: 'internal', error: 'unexpected error' };
    }
  });
  const summary = await handleSchedulingResults(deps, actor.claims.sub, outcomes);
  return { ...summary, window: { from: now.toISOString(), to: to.toISOString() }, sync };
}
