import { AttendeeError } from './attendee/errors.ts';
import type { AttendeeBot } from './attendee/schemas.ts';
import { createBotRequest, meetingContext, resolveConfiguration } from './configuration.ts';
import { claimMeeting, liveBotsOf, markFailed, markNotSent, markSent } from './data/bots.ts';
import { findMeeting } from './data/meetings.ts';
import { readBotSettings } from './data/settings.ts';
import { type Decision, decideMeeting, deduplicationKey } from './decision.ts';
import { type Actor, type BotsDeps, NOT_SENT_NO_KEY } from './deps.ts';
import { handleSchedulingResults, type Outcome } from './results.ts';
import type { BotSettings } from './settings.ts';
import type { Meeting, MeetingBot } from './types.ts';

/** True when a live bot row may be taken over instead of counting as the meeting's bot. */
export function isRetryable(bot: MeetingBot, deps: Pick<BotsDeps, 'attendee' | 'staleClaimMs'>, now: Date) {
  if (bot.state === 'not_sent') return deps.attendee !== undefined;
  return bot.state === 'pending' && now.getTime() - bot.updatedAt.getTime() > deps.staleClaimMs;
}

function failure(error: unknown): { kind: string; error: string } {
  if (error instanceof AttendeeError) return { kind: error.kind, error: error.message };
  return { kind: 'internal', error: 'unexpected error while sending the bot' };
}

async function createOrLink(deps: BotsDeps, request: ReturnType<typeof createBotRequest>) {
  const attendee = deps.attendee!;
  try {
    return { bot: await attendee.createBot(request), linked: false };
  } catch (error) {
    if (!(error instanceof AttendeeError) || error.kind !== 'duplicate') throw error;
    // The key is held by a live bot we created before (a retry after a timeout or a crash): link that one.
    const existing = await attendee.findByDeduplicationKey(request.deduplication_key!);
    if (!existing) throw new AttendeeError('rejected', `${error.message} (and no bot holds the key)`, 400);
    return { bot: existing, linked: true };
  }
}

/**
 * Sends the bot for a meeting decided to need one: claims the meeting's live-bot slot in the database first
 * (so concurrent runs never create two), configures the bot, creates it at Attendee and records it.
 */
export async function sendBot(
  deps: BotsDeps,
  actor: Actor,
  meeting: Meeting,
  decision: Extract<Decision, { action: 'schedule' }>,
  settings: BotSettings,
): Promise<Outcome> {
  const userId = actor.claims.sub;
  const claimed = await deps.db.asService((tx) =>
    claimMeeting(
      tx,
      userId,
      {
        meetingId: meeting.id,
        joinAt: decision.joinAt,
        meetingUrl: decision.meetingUrl,
        deduplicationKey: deduplicationKey(meeting),
      },
      { retryNotSent: deps.attendee !== undefined, staleAfterMs: deps.staleClaimMs },
    ),
  );
  if (!claimed) {
    return {
      meetingId: meeting.id,
      decision: 'skipped',
      reason: 'already_scheduled',
      detail: 'another run holds the meeting',
    };
  }
  const resolved = await resolveConfiguration(
    deps.configurator,
    meetingContext(meeting, decision.platform),
    settings,
    { userId: actor.claims.sub, meetingId: meeting.id, requestId: actor.requestId ?? null },
  );
  const botConfig = { source: resolved.source, ...resolved.configuration };
  const scheduled = (bot: MeetingBot, linked: boolean): Outcome => ({
    meetingId: meeting.id,
    decision: 'scheduled',
    bot,
    linked,
    configurationSource: resolved.source,
    ...(resolved.fallbackReason ? { fallbackReason: resolved.fallbackReason } : {}),
  });

  if (!deps.attendee) {
    const bot = await deps.db.asService((tx) =>
      markNotSent(tx, userId, claimed.id, NOT_SENT_NO_KEY, botConfig),
    );
    return bot ? scheduled(bot, false) : lostClaim(meeting, claimed);
  }

  const request = createBotRequest(resolved.configuration, {
    meetingUrl: claimed.meetingUrl ?? decision.meetingUrl,
    joinAt: claimed.joinAt ?? decision.joinAt,
    deduplicationKey: claimed.deduplicationKey ?? deduplicationKey(meeting),
    metadata: {
      source: 'meeting-intelligence',
      meeting_id: meeting.id,
      meeting_bot_id: claimed.id,
      meeting_start: meeting.startTime.toISOString(),
    },
  });
  let created: { bot: AttendeeBot; linked: boolean };
  try {
    created = await createOrLink(deps, request);
  } catch (error) {
    const { kind, error: message } = failure(error);
    if (kind === 'internal')
      deps.logger.error('sending a bot failed', { meetingId: meeting.id, error: String(error) });
    await deps.db.asService((tx) => markFailed(tx, userId, claimed.id, message));
    return { meetingId: meeting.id, decision: 'failed', kind, error: message, botId: claimed.id };
  }
  const bot = await deps.db.asService((tx) =>
    markSent(tx, userId, claimed.id, {
      attendeeBotId: created.bot.id,
      state: created.bot.state,
      joinAt: created.bot.join_at ? new Date(created.bot.join_at) : null,
      botConfig,
    }),
  );
  if (bot) return scheduled(bot, created.linked);
  // The claim was taken from us meanwhile (cancelled by the user, or taken over as stale): do not leave a stray bot.
  await deps.attendee.deleteBot(created.bot.id).catch(() => {});
  return lostClaim(meeting, claimed);
}

function lostClaim(meeting: Meeting, claimed: MeetingBot): Outcome {
  return {
    meetingId: meeting.id,
    decision: 'failed',
    kind: 'conflict',
    error: 'the bot was changed by another request while it was being sent',
    botId: claimed.id,
  };
}

/**
 * `schedule_meeting_bot`: a bot for one of the caller's meetings, asked for explicitly, so only the hard rules and
 * the meeting's own override apply (not the auto-scheduling filters). Undefined when the meeting is not the
 * caller's. The decision is logged either way.
 */
export async function scheduleMeetingBot(
  deps: BotsDeps,
  actor: Actor,
  meetingId: string,
): Promise<Outcome | undefined> {
  const now = deps.now();
  const found = await deps.db.asUser(
    actor.claims,
    async (tx) => {
      const meeting = await findMeeting(tx, meetingId);
      if (!meeting) return undefined;
      const settings = await readBotSettings(tx);
      const live = (await liveBotsOf(tx, [meeting.id])).get(meeting.id);
      return { meeting, settings, live };
    },
    { readOnly: true },
  );
  if (!found) return undefined;
  const { meeting, settings, live } = found;
  const decision = decideMeeting({
    meeting,
    settings,
    now,
    hasLiveBot: live !== undefined && !isRetryable(live, deps, now),
    userEmail: actor.claims.email ?? null,
    mode: 'manual',
  });
  const outcome: Outcome =
    decision.action === 'skip'
      ? { meetingId, decision: 'skipped', reason: decision.reason, detail: decision.detail, botId: live?.id }
      : await sendBot(deps, actor, meeting, decision, settings);
  await handleSchedulingResults(deps, actor.claims.sub, [outcome]);
  return outcome;
}
