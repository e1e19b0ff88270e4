import { z } from 'zod';
import { NonRetriableError } from '../http/retry.ts';
import { defineJob } from '../jobs/contract.ts';
import type { JobRegistry } from '../jobs/registry.ts';
import type { AppServices } from '../services.ts';
import { AttendeeError } from './attendee/errors.ts';
import { type AutoScheduleResult, autoScheduleUserBots } from './auto-schedule.ts';
import { issuedForThisMeeting } from './cancel.ts';
import { meetingContext, resolveConfiguration } from './configuration.ts';
import { findMeeting } from './data/meetings.ts';
import { readBotSettings } from './data/settings.ts';
import { actorFor, type BotsDeps, createBotsDeps } from './deps.ts';
import { supportedMeetingUrl } from './meeting-url.ts';
import type { Outcome } from './results.ts';
import { scheduleMeetingBot } from './scheduler.ts';

/** Supabase Cron enqueues one of these per user who turned auto-scheduling on (payload `{userId}`). */
const AutoScheduleUserBotsJob = defineJob(
  'ai.auto_schedule_user_bots',
  z.object({ userId: z.string().uuid() }),
);

/** A bot for one meeting of one user, in the background. */
const ScheduleMeetingBotJob = defineJob(
  'ai.schedule_meeting_bot',
  z.object({ userId: z.string().uuid(), meetingId: z.string().uuid() }),
);

/**
 * Enqueued by the database when a bot's row is deleted while Attendee still has the bot scheduled (the meeting
 * or the account was deleted): the bot must not join a meeting its owner no longer has.
 */
const CancelMeetingBotJob = defineJob(
  'ai.cancel_meeting_bot',
  z.object({
    attendeeBotId: z.string().min(1).max(200),
    meetingId: z.string().uuid(),
    userId: z.string().uuid(),
  }),
);

export type CancelMeetingBotResult = { attendeeBotId: string; outcome: 'deleted' | 'already_gone' };

/**
 * `ai.cancel_meeting_bot`: deletes the bot at Attendee. Gone already counts as done; an outage or rate limit is
 * thrown to be retried with backoff; a refusal (the bot already joined) or a missing API key cannot be fixed
 * by retrying and fails the job into its dead letter, where an operator sees it.
 */
export async function runCancelMeetingBotJob(
  deps: BotsDeps,
  data: { attendeeBotId: string; userId: string; meetingId: string },
): Promise<CancelMeetingBotResult> {
  if (!deps.attendee)
    throw new NonRetriableError('ATTENDEE_API_KEY is not set, so the bot cannot be deleted at Attendee');
  if (!(await issuedForThisMeeting(deps, data, data.attendeeBotId)))
    throw new NonRetriableError(
      'the Attendee bot id was not issued for this meeting; nothing was sent to Attendee',
    );
  try {
    await deps.attendee.deleteBot(data.attendeeBotId);
    return { attendeeBotId: data.attendeeBotId, outcome: 'deleted' };
  } catch (error) {
    if (!(error instanceof AttendeeError)) throw error;
    if (error.kind === 'not_found') return { attendeeBotId: data.attendeeBotId, outcome: 'already_gone' };
    if (error.transient) throw new RetryableBotJobError(error.message);
    throw new NonRetriableError(`Attendee refused to delete bot ${data.attendeeBotId}: ${error.message}`);
  }
}

/** Works out a meeting's bot configuration ahead of scheduling (the AI call is cached, so scheduling reuses it). */
const GenerateBotConfigurationJob = defineJob(
  'ai.generate_bot_configuration',
  z.object({ userId: z.string().uuid(), meetingId: z.string().uuid() }),
);

/**
 * `ai.generate_bot_configuration`: the configuration the scheduler would send for one of the user's meetings,
 * through the same configurator (the AI service, its cache, limits, budget and logs; the defaults when the
 * model's answer is unusable). Read as the user, so another user's meeting is simply not found. The result
 * is the job's output; with a remote provider the cached answer makes the later scheduling free.
 */
async function runGenerateBotConfigurationJob(
  deps: BotsDeps,
  data: { userId: string; meetingId: string },
  context: { id: string },
) {
  const actor = actorFor(data.userId);
  const found = await deps.db.asUser(
    actor.claims,
    async (tx) => {
      const meeting = await findMeeting(tx, data.meetingId);
      return meeting ? { meeting, settings: await readBotSettings(tx) } : undefined;
    },
    { readOnly: true },
  );
  if (!found) return { meetingId: data.meetingId, found: false as const };
  const link = supportedMeetingUrl(found.meeting.meetingUrl);
  if (!link) return { meetingId: data.meetingId, found: true as const, skipped: 'no_supported_meeting_link' };
  const resolved = await resolveConfiguration(
    deps.configurator,
    meetingContext(found.meeting, link.platform),
    found.settings,
    { userId: data.userId, meetingId: data.meetingId, requestId: `job:${context.id}` },
  );
  return { meetingId: data.meetingId, found: true as const, ...resolved };
}

/** Thrown for failures a later attempt may get past (Attendee rate limits, outages), so the queue retries. */
class RetryableBotJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RetryableBotJobError';
  }
}

/**
 * `ai.auto_schedule_user_bots` for one user: runs with the service's rights but as that user, so RLS keeps it to
 * their meetings and bots. Idempotent: a second run finds the bots and skips them as already scheduled. Failed
 * meetings are in the summary and the log, and the next cron run tries them again.
 */
function runAutoScheduleJob(deps: BotsDeps, data: { userId: string }): Promise<AutoScheduleResult> {
  return autoScheduleUserBots(deps, actorFor(data.userId));
}

/**
 * `ai.schedule_meeting_bot` for one meeting of one user, idempotent like the endpoint. A transient Attendee failure
 * is thrown so the queue retries; the deduplication key links a bot that a timed-out attempt created.
 */
export async function runScheduleMeetingJob(
  deps: BotsDeps,
  data: { userId: string; meetingId: string },
): Promise<Outcome | undefined> {
  const outcome = await scheduleMeetingBot(deps, actorFor(data.userId), data.meetingId);
  if (outcome?.decision === 'failed' && (outcome.kind === 'rate_limited' || outcome.kind === 'unavailable')) {
    throw new RetryableBotJobError(outcome.error);
  }
  return outcome;
}

/** Adds the bot queues' handlers to a registry (one user per job, so one user's slowness holds back no one else). */
export function addBotJobs(registry: JobRegistry, deps: BotsDeps): void {
  registry.register(AutoScheduleUserBotsJob, (data) => runAutoScheduleJob(deps, data), { concurrency: 5 });
  registry.register(ScheduleMeetingBotJob, (data) => runScheduleMeetingJob(deps, data), { concurrency: 10 });
  registry.register(CancelMeetingBotJob, (data) => runCancelMeetingBotJob(deps, data), { concurrency: 5 });
  registry.register(
    GenerateBotConfigurationJob,
    (data, context) => runGenerateBotConfigurationJob(deps, data, context),
    { concurrency: 5 },
  );
}

/** Registers the bot queues: auto-scheduling, scheduling, cancelling, and bot configuration ahead of time. */
export function registerBotJobs(services: AppServices): void {
  addBotJobs(services.jobs.registry, createBotsDeps(services));
}
