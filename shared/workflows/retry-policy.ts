import type { RetryPolicy, Step, StepType } from './definition.ts';

/** A step's resolved retry policy and time budget. */
export interface ResolvedPolicy {
  attempts: number;
  backoffSeconds: number;
  maxBackoffSeconds: number;
  timeoutSeconds: number;
}

// AI calls and webhooks fail transiently and are worth retrying; routing is pure and fails only on a bad rule.
const DEFAULT_POLICIES: Record<StepType, ResolvedPolicy> = {
  classification: { attempts: 3, backoffSeconds: 5, maxBackoffSeconds: 300, timeoutSeconds: 120 },
  analysis: { attempts: 3, backoffSeconds: 5, maxBackoffSeconds: 300, timeoutSeconds: 180 },
  routing: { attempts: 1, backoffSeconds: 0, maxBackoffSeconds: 0, timeoutSeconds: 30 },
  approval: { attempts: 3, backoffSeconds: 2, maxBackoffSeconds: 60, timeoutSeconds: 30 },
  notification: { attempts: 5, backoffSeconds: 10, maxBackoffSeconds: 900, timeoutSeconds: 30 },
};

/** The policy of one step: its own settings over its type's defaults. */
export function resolvePolicy(step: Pick<Step, 'type' | 'timeoutSeconds'> & { retry?: RetryPolicy }) {
  const base = DEFAULT_POLICIES[step.type];
  return {
    attempts: step.retry?.attempts ?? base.attempts,
    backoffSeconds: step.retry?.backoffSeconds ?? base.backoffSeconds,
    maxBackoffSeconds: step.retry?.maxBackoffSeconds ?? base.maxBackoffSeconds,
    timeoutSeconds: step.timeoutSeconds ?? base.timeoutSeconds,
  } satisfies ResolvedPolicy;
}

/**
 * Seconds to wait before attempt `failedAttempts + 1`: exponential from `backoffSeconds`, capped, with up to 20%
 * jitter so retries of many executions do not arrive together. `random` is injectable for tests.
 */
export function backoffDelay(policy: ResolvedPolicy, failedAttempts: number, random = Math.random): number {
  const exponential = policy.backoffSeconds * 2 ** Math.max(0, failedAttempts - 1);
  const capped = Math.min(exponential, Math.max(policy.maxBackoffSeconds, policy.backoffSeconds));
  return capped * (1 + 0.2 * random());
}
