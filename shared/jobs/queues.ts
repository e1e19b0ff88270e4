/** The background tasks of the backend, one pg-boss queue each. */
export const QUEUE_NAMES = [
  'ai.classify_document_enhanced',
  'ai.process_classification_batch',
  'ai.auto_schedule_user_bots',
  'ai.schedule_meeting_bot',
  'ai.cancel_meeting_bot',
  'ai.execute_document_workflow',
  'ai.cleanup_expired_workflows',
  'ai.process_ai_analysis',
  'ai.generate_bot_configuration',
  'ai.monitor_ai_processing',
  'ai.route_ai_tasks',
] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** The internal queue through which the Node worker runs the periodic schedules when pg_cron is absent. */
export const SCHEDULE_QUEUE = 'ai.run_schedule';

/** Per-queue retry, backoff, expiry and dead-letter settings, as pg-boss names them. */
export interface QueueSettings {
  policy: 'standard' | 'singleton';
  retryLimit: number;
  /** First retry delay in seconds; with `retryBackoff` it doubles per attempt (pg-boss adds jitter). */
  retryDelay: number;
  retryBackoff: boolean;
  retryDelayMax: number | null;
  /** How long one attempt may stay active before supervision fails it and it is retried. */
  expireInSeconds: number;
  /**
   * A running attempt's worker beats every half of this (`touch`); supervision fails an attempt whose beat is
   * this late, so a dead worker's jobs come back in seconds rather than after `expireInSeconds`. pg-boss's
   * minimum is 10. Null: no heartbeat (the expiry alone bounds an attempt).
   */
  heartbeatSeconds: number | null;
  retentionSeconds: number;
  deleteAfterSeconds: number;
  deadLetter: string | null;
  /** Inserts send a NOTIFY so idle workers wake at once instead of at their next poll. */
  notify: boolean;
}

const DAY = 24 * 3600;

/** The heartbeat of every worked queue: pg-boss's minimum, so a dead worker is noticed 10 s after its last beat. */
export const HEARTBEAT_SECONDS = 10;

/** The name of a queue's dead-letter queue: jobs land there after their last retry fails. */
export function deadLetterOf(queue: string): string {
  return `${queue}.dead`;
}

function queue(
  name: string,
  settings: Pick<QueueSettings, 'retryLimit' | 'retryDelay' | 'retryDelayMax' | 'expireInSeconds'> &
    Partial<QueueSettings>,
): QueueSettings {
  return {
    policy: 'standard',
    retryBackoff: true,
    retentionSeconds: 14 * DAY,
    deleteAfterSeconds: 7 * DAY,
    deadLetter: deadLetterOf(name),
    notify: true,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    ...settings,
  };
}

/**
 * The settings the migrations install (supabase/migrations/20261123200100_job_queues.sql); a database test
 * keeps the two equal. Provider calls get a few quick retries; bot scheduling talks to a third party and
 * backs off longer; periodic work is `singleton` so two runs never overlap.
 */
export const QUEUES: Record<QueueName, QueueSettings> = {
  'ai.classify_document_enhanced': queue('ai.classify_document_enhanced', {
    retryLimit: 3,
    retryDelay: 5,
    retryDelayMax: 300,
    expireInSeconds: 300,
  }),
  'ai.process_classification_batch': queue('ai.process_classification_batch', {
    retryLimit: 3,
    retryDelay: 10,
    retryDelayMax: 600,
    expireInSeconds: 900,
  }),
  'ai.auto_schedule_user_bots': queue('ai.auto_schedule_user_bots', {
    retryLimit: 3,
    retryDelay: 30,
    retryDelayMax: 900,
    expireInSeconds: 300,
  }),
  'ai.schedule_meeting_bot': queue('ai.schedule_meeting_bot', {
    retryLimit: 5,
    retryDelay: 15,
    retryDelayMax: 900,
    expireInSeconds: 120,
  }),
  // Deleting a bot's row (its meeting deleted, or the account) while Attendee still has it scheduled: the
  // bot is deleted at Attendee in the background, retried through outages.
  'ai.cancel_meeting_bot': queue('ai.cancel_meeting_bot', {
    retryLimit: 8,
    retryDelay: 15,
    retryDelayMax: 900,
    expireInSeconds: 120,
  }),
  'ai.execute_document_workflow': queue('ai.execute_document_workflow', {
    retryLimit: 3,
    retryDelay: 10,
    retryDelayMax: 600,
    expireInSeconds: 900,
  }),
  'ai.cleanup_expired_workflows': queue('ai.cleanup_expired_workflows', {
    policy: 'singleton',
    retryLimit: 2,
    retryDelay: 60,
    retryDelayMax: 900,
    expireInSeconds: 600,
  }),
  'ai.process_ai_analysis': queue('ai.process_ai_analysis', {
    retryLimit: 3,
    retryDelay: 5,
    retryDelayMax: 300,
    expireInSeconds: 600,
  }),
  'ai.generate_bot_configuration': queue('ai.generate_bot_configuration', {
    retryLimit: 3,
    retryDelay: 5,
    retryDelayMax: 300,
    expireInSeconds: 300,
  }),
  'ai.monitor_ai_processing': queue('ai.monitor_ai_processing', {
    policy: 'singleton',
    retryLimit: 1,
    retryDelay: 10,
    retryDelayMax: 60,
    expireInSeconds: 60,
  }),
  'ai.route_ai_tasks': queue('ai.route_ai_tasks', {
    retryLimit: 5,
    retryDelay: 2,
    retryDelayMax: 120,
    expireInSeconds: 60,
  }),
};

/** Dead-letter queues keep their jobs a month for inspection and redrive; nothing consumes them. */
const DEAD_LETTER_SETTINGS: QueueSettings = {
  policy: 'standard',
  retryLimit: 0,
  retryDelay: 0,
  retryBackoff: false,
  retryDelayMax: null,
  expireInSeconds: 900,
  retentionSeconds: 30 * DAY,
  deleteAfterSeconds: 30 * DAY,
  deadLetter: null,
  notify: false,
  heartbeatSeconds: null,
};

/** The internal schedule queue: a missed tick is simply taken at the next one, so no dead letters. */
const SCHEDULE_QUEUE_SETTINGS: QueueSettings = {
  policy: 'standard',
  retryLimit: 2,
  retryDelay: 5,
  retryBackoff: true,
  retryDelayMax: 60,
  expireInSeconds: 300,
  retentionSeconds: DAY,
  deleteAfterSeconds: DAY,
  deadLetter: null,
  notify: true,
  heartbeatSeconds: HEARTBEAT_SECONDS,
};

/**
 * Queues added after the first set, each created by its own migration (the first set's migration,
 * 20261123200100_job_queues.sql, is generated and must not change once applied).
 */
export const LATER_QUEUES: Record<string, string> = {
  'ai.cancel_meeting_bot': 'supabase/migrations/20261123500300_cancel_meeting_bot.sql',
};

/** Every queue the migrations create with its settings: dead letters first, since sources reference them. */
export function allQueues(): Array<[string, QueueSettings]> {
  const sources = Object.entries(QUEUES) as Array<[string, QueueSettings]>;
  return [
    ...sources.map(([name]): [string, QueueSettings] => [deadLetterOf(name), DEAD_LETTER_SETTINGS]),
    ...sources,
    [SCHEDULE_QUEUE, SCHEDULE_QUEUE_SETTINGS],
  ];
}
