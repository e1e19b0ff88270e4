// The pace of calls to a remote AI provider, for every instance at once: each HTTP attempt reserves its start in
// Postgres (ai_private.reserve_ai_call: requests spaced 60 s / RPM apart, a token bucket that refills
// continuously, any 429 block), waits for it and only then goes. A process also caps the attempts it has under
// way (AI_MAX_CONCURRENCY), so reservations never run far ahead of what it can send. A 429 blocks every caller
// until its Retry-After through the shared row: new reservations start past it, and a caller that waited for
// its start checks it before it goes.
import { AiRateLimitedError } from './errors.ts';
import type { ProviderGate } from './provider.ts';
import type { AiStore, RateLimits } from './store.ts';

export interface PacerDeps {
  provider: string;
  store: AiStore;
  limits: RateLimits;
  maxConcurrency: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  now: () => number;
  /** Runs a limiter statement; undefined when the database could not be asked (the call then goes ahead). */
  safely: <T>(what: string, fn: () => Promise<T>) => Promise<T | undefined>;
}

/** A gate for one operation, and how many starts it reserved (for the token correction afterwards). */
export interface StepGate extends ProviderGate {
  readonly reservations: number;
}

/** At most `max` holders at once, served in arrival order; a waiter gives up at its deadline or abort. */
function createSlots(max: number) {
  let free = max;
  const queue: { grant: () => void }[] = [];
  return {
    get waiting() {
      return queue.length;
    },
    acquire(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
      if (signal?.aborted) return Promise.reject(signal.reason);
      if (free > 0 && queue.length === 0) {
        free--;
        return Promise.resolve(true);
      }
      return new Promise<boolean>((resolve, reject) => {
        const entry = {
          grant: () => {
            cleanup();
            resolve(true);
          },
        };
        const leave = () => {
          const at = queue.indexOf(entry);
          if (at >= 0) queue.splice(at, 1);
          cleanup();
        };
        const timer = setTimeout(
          () => {
            leave();
            resolve(false);
          },
          Math.max(0, timeoutMs),
        );
        const onAbort = () => {
          leave();
          reject(signal?.reason);
        };
        const cleanup = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(entry);
      });
    },
    release() {
      const next = queue.shift();
      if (next) next.grant();
      else free++;
    },
  };
}

/** The process's pacer for one provider. */
export function createPacer(deps: PacerDeps) {
  const { provider, store, limits, now } = deps;
  const slots = createSlots(deps.maxConcurrency);
  const spacingMs = 60_000 / limits.requestsPerMinute;

  return {
    /**
     * A gate for one operation: each attempt reserves `estimate` tokens, all within `maxWaitMs` from now. The
     * time spent waiting for a start is added to `waited.waitMs` (the call's log row).
     */
    gate(estimate: number, maxWaitMs: number, waited: { waitMs: number } = { waitMs: 0 }): StepGate {
      const deadline = now() + maxWaitMs;
      let reservations = 0;
      let holding = false;
      const refuse = (waitMs: number) =>
        new AiRateLimitedError(Math.max(1, Math.ceil(waitMs)), 'rate_limited');

      async function start(signal?: AbortSignal) {
        for (;;) {
          const reservation = await deps.safely('rate limiter', () =>
            store.reserveCall(provider, estimate, limits, Math.max(0, deadline - now())),
          );
          // The limiter unreachable: go ahead; the provider's own 429s still protect the account.
          if (!reservation) return;
          if (!reservation.reserved) throw refuse(reservation.waitMs);
          reservations++;
          if (reservation.waitMs <= 0) return;
          waited.waitMs += reservation.waitMs;
          await deps.sleep(reservation.waitMs, signal);
          // A 429 may have come while this caller waited, here or in another instance: then reserve again
          // (the next start is past the block).
          const blocked = await deps.safely('rate limiter', () => store.providerBlockedMs(provider));
          if (!blocked) return;
        }
      }

      return {
        get reservations() {
          return reservations;
        },
        async before(signal) {
          const asked = now();
          // Every slot holder is at most one spacing apart from the next, so the queue tells the wait.
          const got = await slots.acquire(deadline - now(), signal).finally(() => {
            waited.waitMs += Math.max(0, Math.round(now() - asked));
          });
          if (!got) throw refuse(spacingMs * (slots.waiting + deps.maxConcurrency));
          holding = true;
          try {
            await start(signal);
          } catch (error) {
            holding = false;
            slots.release();
            throw error;
          }
        },
        after() {
          if (!holding) return;
          holding = false;
          slots.release();
        },
        async rateLimited(retryAfterMs) {
          const shared = await deps.safely('rate limiter', () => store.blockProvider(provider, retryAfterMs));
          return shared !== undefined;
        },
      };
    },
  };
}
