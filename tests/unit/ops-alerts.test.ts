import { describe, expect, it } from 'vitest';
import {
  evaluateCallAlerts,
  evaluateQueueAlerts,
  evaluateSpendAlerts,
  thresholdsFor,
} from '../../shared/ops/alerts.ts';
import { opsConfigFrom } from '../../shared/ops/config.ts';

const defaults = opsConfigFrom({}).alerts;
const now = new Date('2026-03-04T10:42:00Z');
const stats = (over: Partial<Parameters<typeof evaluateCallAlerts>[0][number]> = {}) => ({
  userId: 'u1',
  operation: 'analyze',
  provider: 'openai',
  calls: 20,
  errors: 0,
  p95LatencyMs: 100,
  thresholds: {},
  ...over,
});

describe('alert thresholds', () => {
  it("takes a user's valid thresholds and falls back to the defaults for anything else", () => {
    expect(thresholdsFor(defaults, { error_rate: 0.5, p95_latency_ms: 'slow', daily_cost_usd: -1 })).toEqual({
      ...defaults,
      errorRate: 0.5,
    });
    expect(thresholdsFor(defaults, null)).toEqual(defaults);
    expect(thresholdsFor(defaults, ['not', 'an', 'object'])).toEqual(defaults);
  });

  it('raises error-rate and latency alerts for the hour, only past the minimum number of calls', () => {
    const alerts = evaluateCallAlerts(
      [stats({ errors: 10, p95LatencyMs: 20_000 }), stats({ userId: 'u2', calls: 3, errors: 3 })],
      defaults,
      now,
    );
    expect(alerts.map((a) => [a.userId, a.kind, a.subject, a.value])).toEqual([
      ['u1', 'error_rate', 'analyze/openai', 0.5],
      ['u1', 'p95_latency', 'analyze/openai', 20_000],
    ]);
    expect(alerts[0]!.periodStart.toISOString()).toBe('2026-03-04T10:00:00.000Z');
  });

  it('raises one daily-cost alert per user and UTC day, and queue alerts for nobody', () => {
    const spend = evaluateSpendAlerts(
      [
        { userId: 'u1', spentUsd: 4.5, thresholds: {} },
        { userId: 'u2', spentUsd: 4.5, thresholds: { daily_cost_usd: 10 } },
      ],
      defaults,
      now,
    );
    expect(spend).toMatchObject([{ userId: 'u1', kind: 'daily_cost', value: 4.5, threshold: 4 }]);
    expect(spend[0]!.periodStart.toISOString()).toBe('2026-03-04T00:00:00.000Z');
    const queue = {
      queue: 'ai.x',
      deadLetter: null,
      queued: 3,
      ready: 3,
      active: 0,
      failed: 0,
      deadLettered: 0,
    };
    expect(
      evaluateQueueAlerts(
        [
          { ...queue, oldestReadySeconds: 301 },
          { ...queue, queue: 'ai.y', oldestReadySeconds: 5 },
        ],
        defaults,
        now,
      ),
    ).toMatchObject([{ userId: null, kind: 'queue_age', subject: 'ai.x' }]);
  });
});
