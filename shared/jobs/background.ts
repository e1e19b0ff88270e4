// Background drains: how jobs run where no worker does (hosted Supabase, `LOCAL_WORKER=false`). A request that
// sent jobs starts a drain in the background of its own invocation once it has answered (so its transaction has
// committed); a drain that reaches a limit with work left hands over to a fresh invocation of the jobs function
// before it stops; Supabase Cron starts one on a schedule as the safety net. At most as many drains run at once
// as app_private.job_drain_slots has rows, and each takes that share of every queue's concurrency.
import type { Queryable } from '../db/database.ts';
import type { Logger } from '../http/logger.ts';
import type { AppServices } from '../services.ts';
import { type DrainResult, type DrainStop, drainJobs } from './drain.ts';

type DrainReason = 'send' | 'cron' | 'handover' | 'request';

export interface BackgroundDrainRequest {
  reason: DrainReason;
  budgetMs?: number;
  cpuMs?: number;
  queues?: string[];
}

export interface DrainSlot {
  slot: number;
  holder: string;
  /** How many slots exist: the number of drains that may run at once. */
  slots: number;
}

type DrainServices = Pick<AppServices, 'config' | 'db' | 'jobs' | 'logger' | 'platform'>;

/** A free drain slot for `leaseSeconds`, or undefined when every one is held. */
async function claimDrainSlot(db: AppServices['db'], leaseSeconds: number) {
  const { rows } = await db.asService((tx) =>
    tx.query<DrainSlot>('select slot, holder, slots from app_private.claim_job_drain_slot($1)', [
      Math.ceil(leaseSeconds),
    ]),
  );
  return rows[0];
}

async function releaseDrainSlot(db: AppServices['db'], slot: DrainSlot): Promise<void> {
  await db.asService((tx) =>
    tx.query('select app_private.release_job_drain_slot($1, $2)', [slot.slot, slot.holder]),
  );
}

/** The queues among `queues` with a job ready to start now. */
async function readyQueues(tx: Queryable, queues: string[]): Promise<string[]> {
  const { rows } = await tx.query<{ name: string }>('select app_private.ready_job_queues($1) as name', [
    queues,
  ]);
  return rows.map((row) => row.name);
}

/**
 * Asks the jobs function for a fresh background drain (a new invocation with its own CPU and wall clock), as
 * pg_net does for Supabase Cron. Without a URL and key to call it with, the next cron drain continues instead.
 */
async function requestDrain(
  services: Pick<AppServices, 'config'>,
  logger: Logger,
  body: Omit<BackgroundDrainRequest, 'reason'> & { reason?: DrainReason },
): Promise<boolean> {
  // True when a drain started (false: no slot was free, or the call failed).
  const { drainUrl, serviceRoleKey } = services.config.jobs;
  if (!drainUrl || !serviceRoleKey) {
    logger.warn(
      'a drain cannot hand over: set SUPABASE_URL (or JOB_DRAIN_URL) and SUPABASE_SERVICE_ROLE_KEY',
    );
    return false;
  }
  try {
    const response = await fetch(`${drainUrl}/drain`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${serviceRoleKey}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...body, reason: undefined, background: true }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) {
      await response.body?.cancel();
      logger.warn('the jobs function refused a drain', { status: response.status });
      return false;
    }
    // 200 {started: false}: every slot is held.
    const answer = (await response.json().catch(() => ({}))) as { started?: boolean };
    return answer.started === true;
  } catch (error) {
    logger.warn('the jobs function could not be called for a drain', { error: String(error) });
    return false;
  }
}

/**
 * Runs a drain in a claimed slot. The slot is freed as soon as a limit stops the drain taking work (what it
 * started finishes meanwhile, taking nothing new), and the drain then hands over to a fresh invocation, which
 * finds that slot free; a drain that runs dry frees it at the end. Once done, it looks once more for work that
 * is ready and that no one took: a kick that found every slot held relies on that last look.
 */
async function runClaimedDrain(
  services: DrainServices,
  slot: DrainSlot,
  request: BackgroundDrainRequest,
): Promise<DrainResult> {
  const { config, db, jobs, platform } = services;
  const logger = services.logger.child({ component: 'drain', slot: slot.slot, reason: request.reason });
  const queues = request.queues ?? jobs.registry.queues();
  const next = { budgetMs: request.budgetMs, cpuMs: request.cpuMs, queues: request.queues };
  let released: Promise<void> | undefined;
  const release = () =>
    (released ??= releaseDrainSlot(db, slot).catch((error: unknown) => {
      logger.warn('drain slot not released; its lease frees it', { error: String(error) });
    }));
  let handover: Promise<boolean> | undefined;
  const handOver = (why: Exclude<DrainStop, 'empty'> | 'ready') => {
    if (handover || platform.stopping.aborted) return;
    logger.info('drain handing over', { why });
    handover = release().then(() => requestDrain(services, logger, { ...next, reason: 'handover' }));
    platform.waitUntil(handover);
  };
  let result: DrainResult;
  try {
    result = await drainJobs(await jobs.boss(), jobs.registry, logger, {
      budgetMs: request.budgetMs ?? config.jobs.wallMs,
      cpuMs: request.cpuMs ?? config.jobs.cpuMs,
      heapMb: config.jobs.memoryMb,
      heapShared: platform.name === 'node',
      queues,
      meter: platform,
      share: slot.slots,
      onLimit: handOver,
      signal: platform.stopping,
      ready: (names) => db.asService((tx) => readyQueues(tx, names), { readOnly: true }),
    });
  } finally {
    await release();
  }
  // A hand-over that found every slot held, a drain that ran dry with work arriving meanwhile, or jobs its
  // handlers sent while wrapping up (after the hand-over, whose drain may have found nothing and ended) leave
  // work no drain may be about to take: look once more, now that this drain is done.
  const handedOver = (await handover) === true;
  const worked = result.completed + result.failed + result.deadLettered > 0;
  if ((!handedOver || result.stoppedBy !== 'empty') && (worked || handover)) {
    const ready = await db.asService((tx) => readyQueues(tx, queues), { readOnly: true }).catch(() => []);
    if (ready.length) {
      handover = undefined;
      handOver('ready');
    }
  }
  logger.info('drain finished', { ...result, queues: undefined, handedOver });
  return result;
}

/** Claims a slot and runs the drain in the background; false when every slot is held (the drains running continue). */
export async function startBackgroundDrain(
  services: DrainServices,
  request: BackgroundDrainRequest,
): Promise<DrainSlot | undefined> {
  if (services.platform.stopping.aborted) return undefined;
  const wallMs = request.budgetMs ?? services.config.jobs.wallMs;
  const slot = await claimDrainSlot(services.db, wallMs / 1000 + 30);
  if (!slot) return undefined;
  services.platform.waitUntil(
    runClaimedDrain(services, slot, request).catch((error: unknown) => {
      services.logger.error('background drain failed', { error: String(error) });
    }),
  );
  return slot;
}

/**
 * The hook every function's requests run through (shared/http/app.ts): a request during which this process
 * sent a job starts a background drain once its handler is done, so the job starts now rather than at the next
 * cron tick. Concurrent requests may each start one; the slots cap them.
 */
export function drainAfterSend(services: DrainServices) {
  return {
    mark: () => services.jobs.sentCount,
    after(mark: number) {
      if (services.jobs.sentCount === mark) return;
      services.platform.waitUntil(
        startBackgroundDrain(services, { reason: 'send' }).catch((error: unknown) => {
          services.logger.warn('could not start a drain after sending jobs', { error: String(error) });
        }),
      );
    },
  };
}
