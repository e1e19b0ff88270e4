import { insertSchedulingLogs, type SchedulingLog } from './data/logs.ts';
import type { BotsDeps } from './deps.ts';
import type { MeetingBot, SkipReason } from './types.ts';

/** How one meeting was decided. */
export type Outcome =
  | {
      meetingId: string;
      decision: 'scheduled';
      bot: MeetingBot;
      /** Attendee already had a bot for this deduplication key: it was found and linked, not created. */
      linked: boolean;
      configurationSource: string;
      fallbackReason?: string;
    }
  | { meetingId: string; decision: 'skipped'; reason: SkipReason; detail: string; botId?: string }
  | { meetingId: string; decision: 'failed'; error: string; kind: string; botId?: string };

interface ScheduledEntry {
  meetingId: string;
  botId: string;
  attendeeBotId: string | null;
  joinAt: string | null;
  state: string;
  sent: boolean;
  linked: boolean;
  notSentReason: string | null;
}

/** The answer of `auto_schedule_user_bots`: every meeting in exactly one list. */
export interface SchedulingSummary {
  scheduled: ScheduledEntry[];
  skipped: { meetingId: string; reason: SkipReason; detail: string }[];
  failed: { meetingId: string; error: string }[];
  counts: { scheduled: number; skipped: number; failed: number; total: number };
}

function logOf(userId: string, outcome: Outcome): SchedulingLog {
  if (outcome.decision === 'scheduled') {
    const { bot } = outcome;
    return {
      userId,
      meetingId: outcome.meetingId,
      meetingBotId: bot.id,
      decision: !bot.sent ? 'not_sent' : outcome.linked ? 'linked' : 'scheduled',
      reason: !bot.sent ? bot.notSentReason : outcome.linked ? 'duplicate_key' : null,
      details: {
        joinAt: bot.joinAt?.toISOString() ?? null,
        attendeeBotId: bot.attendeeBotId,
        state: bot.state,
        deduplicationKey: bot.deduplicationKey,
        configurationSource: outcome.configurationSource,
        ...(outcome.fallbackReason ? { fallbackReason: outcome.fallbackReason } : {}),
      },
    };
  }
  if (outcome.decision === 'skipped') {
    return {
      userId,
      meetingId: outcome.meetingId,
      meetingBotId: outcome.botId ?? null,
      decision: 'skipped',
      reason: outcome.reason,
      details: { detail: outcome.detail },
    };
  }
  return {
    userId,
    meetingId: outcome.meetingId,
    meetingBotId: outcome.botId ?? null,
    decision: 'failed',
    reason: outcome.kind,
    details: { error: outcome.error },
  };
}

/** Writes every decision to bot_scheduling_logs and returns the summary `{scheduled, skipped, failed, counts}`. */
export async function handleSchedulingResults(
  deps: Pick<BotsDeps, 'db'>,
  userId: string,
  outcomes: Outcome[],
): Promise<SchedulingSummary> {
  // The log is the service's audit trail: users may read it but not write it, so it is written as the service.
  await deps.db.asService((tx) =>
    insertSchedulingLogs(
      tx,
      outcomes.map((outcome) => logOf(userId, outcome)),
    ),
  );
  const summary: SchedulingSummary = {
    scheduled: [],
    skipped: [],
    failed: [],
    counts: { scheduled: 0, skipped: 0, failed: 0, total: outcomes.length },
  };
  for (const outcome of outcomes) {
    if (outcome.decision === 'scheduled') {
      const { bot } = outcome;
      summary.scheduled.push({
        meetingId: outcome.meetingId,
        botId: bot.id,
        attendeeBotId: bot.attendeeBotId,
        joinAt: bot.joinAt?.toISOString() ?? null,
        state: bot.state,
        sent: bot.sent,
        linked: outcome.linked,
        notSentReason: bot.notSentReason,
      });
    } else if (outcome.decision === 'skipped') {
      summary.skipped.push({ meetingId: outcome.meetingId, reason: outcome.reason, detail: outcome.detail });
    } else {
      summary.failed.push({ meetingId: outcome.meetingId, error: outcome.error });
    }
  }
  summary.counts.scheduled = summary.scheduled.length;
  summary.counts.skipped = summary.skipped.length;
  summary.counts.failed = summary.failed.length;
  return summary;
}
