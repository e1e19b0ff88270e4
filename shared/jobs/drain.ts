import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { Logger } from '../http/logger.ts';
import type { JobRegistry } from './registry.ts';
import { runBatch } from './runner.ts';

export const DEFAULT_DRAIN_BUDGET_MS = 20_000;
/** Supabase ends an Edge Function request at 150 s; keep well inside it. */
export const MAX_DRAIN_BUDGET_MS = 120_000;
/** Supabase's CPU limit per request: a drain stops what still runs 100 ms before it, whatever its budget. */
export const EDGE_CPU_LIMIT_MS = 2000;
/** How often a drain with jobs in flight looks for new work on queues it found empty. */
const DRAIN_POLL_MS = 500;

export const DrainRequestSchema = z.object({
  budgetMs: z.number().int().min(100).max(MAX_DRAIN_BUDGET_MS).optional(),
  cpuMs: z
    .number()
    .int()
    .min(10)
    .max(EDGE_CPU_LIMIT_MS - 100)
    .optional(),
  queues: z.array(z.string().min(1).max(200)).min(1).max(100).optional(),
  background: z.boolean().optional(),
});

export type DrainStop = 'empty' | 'budget' | 'cpu' | 'memory';

export interface DrainResult {
  budgetMs: number;
  elapsedMs: number;
  /** CPU this process used while the drain ran (the offline models' loading included, when a job loaded them). */
  cpuMs: number;
  /**
   * `empty` when every queue ran dry; otherwise the limit that made it stop taking work, with work possibly left
   * for the next call: `budget` (wall clock), `cpu`, `memory`.
   */
  stoppedBy: DrainStop;
  completed: number;
  failed: number;
  deadLettered: number;
  queues: Record<string, { completed: number; failed: number; deadLettered: number }>;
}

/** Where a drain reads its CPU and memory: the platform's meters (shared/platform.ts). */
interface DrainMeter {
  cpuMs(): number;
  heapMb(): number;
}

export interface DrainOptions {
  budgetMs?: number;
  /**
   * CPU after which no job is started and running jobs are asked to wrap up (the drain hands over); jobs still
   * running at 1,900 ms are stopped.
   */
  cpuMs?: number;
  /** Heap after which no job is started. */
  heapMb?: number;
  /**
   * The meter's heap is a process's that serves invocations which hosted would each have their own (the local
   * gateway runs them all in one Node process): each drain is held to its share of it, as with CPU. Not on the
   * Edge, where the heap limit is the isolate's, whatever it serves.
   */
  heapShared?: boolean;
  queues?: string[];
  meter?: DrainMeter;
  /**
   * How many drains may run at once: each takes that share of every queue's concurrency, so together they run
   * no more of a queue than one worker would. 1 (the default) for a lone drain.
   */
  share?: number;
  /**
   * Called once, when a limit makes the drain stop taking work and asks its jobs to wrap up (JobContext.wrapUp):
   * the moment to free its slot and hand over to a fresh drain, while what it started finishes.
   */
  onLimit?: (reason: Exclude<DrainStop, 'empty'>) => void;
  /** Which of `queues` have work ready (one query instead of a fetch per empty queue while jobs run). */
  ready?: (queues: string[]) => Promise<string[]>;
  /** Stops the drain at once (the process is shutting down): what runs is failed and retried. */
  signal?: AbortSignal;
}

// Time kept back for settling the last batch and answering: the budget is the caller's wall-clock limit.
function reserveMs(budgetMs: number): number {
  return Math.min(1000, Math.floor(budgetMs * 0.25));
}

// Time before the deadline at which the drain stops taking work and asks its handlers to wrap up: what they
// started (a provider call already on its way) has this long to finish before it is stopped.
function windDownMs(budgetMs: number): number {
  return Math.min(5000, Math.floor(budgetMs * 0.25));
}

interface QueueState {
  /** Jobs of this queue this drain may run at once. */
  limit: number;
  inFlight: number;
  /** The last fetch may have left work: fetch again when there is room. */
  open: boolean;
  /** The longest run of a fetched group so far: what the next one is expected to take. */
  longestMs: number;
  /**
   * One job more than the share, for work of priority 0 and above while the share is busy with lower-priority
   * jobs (a big batch's chunks): what a request just sent starts at once instead of after the backlog.
   */
  lane: 'free' | 'due' | 'busy';
}

const noMeter: DrainMeter = { cpuMs: () => 0, heapMb: () => 0 };

/**
 * The CPU of one drain. A process can run several drains (the local gateway runs every "invocation" in one Node
 * process; an Edge worker may serve more than one request), and its meter is the whole process's: what it used
 * since the last look is split evenly among the drains running then, so N drains in one process together get
 * the CPU it used, as N separate invocations would. A lone drain is charged everything, its requests' too.
 */
class CpuLedger {
  readonly #accounts = new Set<{ used: number }>();
  readonly #meter: DrainMeter;
  #last: number;
  constructor(meter: DrainMeter) {
    this.#meter = meter;
    this.#last = meter.cpuMs();
  }
  #settle() {
    const now = this.#meter.cpuMs();
    const share = this.#accounts.size ? (now - this.#last) / this.#accounts.size : 0;
    for (const account of this.#accounts) account.used += share;
    this.#last = now;
  }
  /** How many drains share this meter now. */
  get sharing(): number {
    return Math.max(1, this.#accounts.size);
  }
  open(): { used(): number; sharing(): number; close(): void } {
    this.#settle();
    const account = { used: 0 };
    this.#accounts.add(account);
    return {
      used: () => {
        this.#settle();
        return account.used;
      },
      sharing: () => this.sharing,
      close: () => {
        this.#settle();
        this.#accounts.delete(account);
      },
    };
  }
}
const ledgers = new WeakMap<DrainMeter, CpuLedger>();
function cpuAccount(meter: DrainMeter) {
  let ledger = ledgers.get(meter);
  if (!ledger) {
    ledger = new CpuLedger(meter);
    ledgers.set(meter, ledger);
  }
  return ledger.open();
}

/**
 * Processes jobs of `queues` within a wall-clock, CPU and memory budget, for deployments with no long-running
 * worker. Each queue keeps up to its share of concurrency running, fetching again as soon as jobs finish (no
 * waiting for a whole batch), and new work on queues found empty is looked for while anything runs. Work is
 * started only while the queue's longest run so far fits in the time left and the CPU and memory budgets hold.
 * At the CPU or memory budget, or a wind-down before the deadline, the drain stops taking work and asks the
 * jobs it runs to wrap up (JobContext.wrapUp: a chunk finishes the items under way and sends the rest as a job
 * of its own); a handler still running at the deadline (or at the CPU limit) is stopped and its job failed, to
 * be retried. Jobs never fetched stay queued for the next call.
 */
export async function drainJobs(
  boss: PgBoss,
  registry: JobRegistry,
  logger: Logger,
  options: DrainOptions = {},
): Promise<DrainResult> {
  const budgetMs = options.budgetMs ?? DEFAULT_DRAIN_BUDGET_MS;
  const meter = options.meter ?? noMeter;
  const cpuBudget = options.cpuMs ?? Number.POSITIVE_INFINITY;
  const heapBudget = options.heapMb ?? Number.POSITIVE_INFINITY;
  const share = Math.max(1, options.share ?? 1);
  const started = performance.now();
  const cpu = cpuAccount(meter);
  const cpuUsed = cpu.used;
  // What still runs when the drain reaches the platform's limit less 100 ms is stopped (and retried).
  const cpuLimit = EDGE_CPU_LIMIT_MS - 100;
  const deadline = started + budgetMs - reserveMs(budgetMs);
  const stop = new AbortController();
  const wrapUp = new AbortController();
  const result: DrainResult = {
    budgetMs,
    elapsedMs: 0,
    cpuMs: 0,
    stoppedBy: 'empty',
    completed: 0,
    failed: 0,
    deadLettered: 0,
    queues: {},
  };
  const states = new Map<string, QueueState>();
  for (const queue of options.queues ?? registry.queues()) {
    const entry = registry.get(queue);
    if (entry)
      states.set(queue, {
        limit: Math.ceil(entry.concurrency / share),
        inFlight: 0,
        open: true,
        longestMs: 0,
        lane: 'free',
      });
  }
  const running = new Set<Promise<void>>();

  let wake: (() => void) | undefined;
  let taking = true;

  function stopTaking(reason: Exclude<DrainStop, 'empty'>) {
    if (!taking) return;
    taking = false;
    result.stoppedBy = reason;
    wrapUp.abort(new Error(`drain stopped taking work (${reason})`));
    options.onLimit?.(reason);
    // The loop may be waiting for a job to finish or for its poll: it has nothing to fetch now.
    wake?.();
  }

  const wallTimer = setTimeout(
    () => stop.abort(new Error('drain budget reached')),
    Math.max(0, Math.floor(deadline - started)),
  );
  const windDownTimer = setTimeout(
    () => stopTaking('budget'),
    Math.max(0, Math.floor(deadline - windDownMs(budgetMs) - started)),
  );
  const onStop = () => stop.abort(options.signal?.reason ?? new Error('drain stopped'));
  if (options.signal?.aborted) onStop();
  else options.signal?.addEventListener('abort', onStop, { once: true });
  const cpuTimer = Number.isFinite(cpuBudget)
    ? setInterval(() => {
        const used = cpuUsed();
        if (used >= cpuBudget) stopTaking('cpu');
        if (used >= cpuLimit) stop.abort(new Error('drain CPU limit reached'));
      }, 50)
    : undefined;

  function launch(
    queue: string,
    state: QueueState,
    jobs: Awaited<ReturnType<PgBoss['fetch']>>,
    lane: boolean,
  ) {
    if (lane) state.lane = 'busy';
    else state.inFlight += jobs.length;
    const batchStarted = performance.now();
    const task: Promise<void> = runBatch(boss, registry, queue, jobs, {
      logger,
      signal: stop.signal,
      wrapUp: wrapUp.signal,
    })
      .then((batch) => {
        state.longestMs = Math.max(state.longestMs, performance.now() - batchStarted);
        const counts = result.queues[queue] ?? { completed: 0, failed: 0, deadLettered: 0 };
        result.queues[queue] = counts;
        for (const outcome of ['completed', 'failed', 'deadLettered'] as const) {
          counts[outcome] += batch[outcome].length;
          result[outcome] += batch[outcome].length;
        }
      })
      .catch((error: unknown) => {
        // Not settled: the claims lapse and supervision retries the jobs.
        logger.error('drain could not settle a batch', { queue, error: String(error) });
      })
      .finally(() => {
        if (lane) state.lane = 'free';
        else state.inFlight -= jobs.length;
        // It finished, so there is room, and it may have sent more work to its own queue.
        state.open = true;
        running.delete(task);
        wake?.();
      });
    running.add(task);
  }

  try {
    for (;;) {
      if (taking) {
        if (stop.signal.aborted) stopTaking(cpuUsed() >= cpuBudget ? 'cpu' : 'budget');
        else if (cpuUsed() >= cpuBudget) stopTaking('cpu');
        else if (meter.heapMb() / (options.heapShared ? cpu.sharing() : 1) >= heapBudget)
          stopTaking('memory');
      }
      if (taking) {
        for (const [queue, state] of states) {
          const room = state.limit - state.inFlight;
          if (room <= 0 && state.lane === 'due') {
            state.lane = 'free';
            const urgent = await boss.fetch<unknown>(queue, { batchSize: 1, minPriority: 0 }).catch(() => []);
            if (urgent.length) launch(queue, state, urgent, true);
          }
          if (!state.open || room <= 0) continue;
          // Start only what should finish in time; the queue's work is left for the next drain.
          if (deadline - performance.now() <= state.longestMs * 1.5) {
            stopTaking('budget');
            break;
          }
          let jobs: Awaited<ReturnType<PgBoss['fetch']>>;
          try {
            jobs = await boss.fetch<unknown>(queue, { batchSize: room });
          } catch (error) {
            logger.warn('drain could not fetch', { queue, error: String(error) });
            state.open = false;
            continue;
          }
          if (jobs.length < room) state.open = false;
          if (jobs.length) launch(queue, state, jobs, false);
        }
      }
      if (!running.size && (!taking || ![...states.values()].some((state) => state.open))) break;
      // Until a job finishes, or the poll interval passes and queues found empty are looked at again.
      const polled = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(true), DRAIN_POLL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve(false);
        };
      });
      wake = undefined;
      if (polled && taking) {
        const full = (state: QueueState) => state.inFlight >= state.limit;
        const look = [...states]
          .filter(([, state]) => !state.open || (full(state) && state.lane === 'free'))
          .map(([queue]) => queue);
        if (look.length) {
          const ready = options.ready ? await options.ready(look).catch(() => [] as string[]) : look;
          for (const queue of ready) {
            const state = states.get(queue);
            if (!state) continue;
            if (full(state)) state.lane = state.lane === 'free' ? 'due' : state.lane;
            else state.open = true;
          }
        }
      }
    }
  } finally {
    clearTimeout(wallTimer);
    clearTimeout(windDownTimer);
    clearInterval(cpuTimer);
    options.signal?.removeEventListener('abort', onStop);
    result.cpuMs = Math.round(cpuUsed());
    cpu.close();
  }
  result.elapsedMs = Math.round(performance.now() - started);
  return result;
}
