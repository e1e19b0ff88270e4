// The per-user daily AI cost budget: provider calls stop once a user's spend of the UTC day reaches it.
import type { Database, Queryable } from '../db/database.ts';
import { AppError } from '../http/errors.ts';

/** 429 `budget_exceeded`: the user's AI spend of the day reached their budget; `Retry-After` is the next day. */
export class BudgetExceededError extends AppError {
  readonly spentUsd: number;
  readonly budgetUsd: number;

  constructor(spentUsd: number, budgetUsd: number, retryAfterSeconds: number) {
    super(
      429,
      'budget_exceeded',
      `The daily AI budget of $${budgetUsd.toFixed(2)} is used up; it renews at 00:00 UTC`,
      { headers: { 'Retry-After': String(Math.max(1, retryAfterSeconds)) } },
    );
    this.name = 'BudgetExceededError';
    this.spentUsd = spentUsd;
    this.budgetUsd = budgetUsd;
  }
}

interface DailySpend {
  spentUsd: number;
  /** The user's own budget setting, if any (the effective budget is the lower of it and the default). */
  userBudgetUsd: number | null;
  secondsToReset: number;
}

/**
 * A user's AI spend since 00:00 UTC: the rollup's complete hours of today plus the raw log rows after its
 * watermark (both by index), plus the estimates of today's paid calls still in flight (or whose process died
 * before logging them), and the user's budget setting.
 */
async function readDailySpend(tx: Queryable, userId: string): Promise<DailySpend> {
  const { rows } = await tx.query<{ spent: string; user_budget: string | null; reset_seconds: number }>(
    `with m as (
       select coalesce((select rolled_up_to from app_private.ai_metrics_rollup_state), '-infinity') as mark,
              date_trunc('day', now(), 'UTC') as day
     )
     select
       (select coalesce(sum(r.cost_usd), 0) from public.ai_metrics_rollup r
         where r.user_id = $1 and r.bucket_start >= m.day and r.bucket_start < m.mark)
       + (select coalesce(sum(l.cost_usd), 0) from public.ai_processing_logs l
           where l.user_id = $1 and l.created_at >= greatest(m.day, m.mark))
       + (select coalesce(sum(f.cost_usd), 0) from ai_private.ai_calls_in_flight f
           where f.user_id = $1 and f.created_at >= m.day) as spent,
       (select s.daily_cost_budget_usd from public.user_ai_settings s where s.user_id = $1) as user_budget,
       ceil(extract(epoch from m.day + interval '1 day' - now()))::integer as reset_seconds
     from m`,
    [userId],
  );
  const row = rows[0]!;
  return {
    spentUsd: Number(row.spent),
    userBudgetUsd: row.user_budget === null ? null : Number(row.user_budget),
    secondsToReset: row.reset_seconds,
  };
}

/** The budget that applies: the user's own setting may lower the deployment's default, never raise it. */
function effectiveBudget(defaultBudgetUsd: number, userBudgetUsd: number | null): number {
  return userBudgetUsd === null ? defaultBudgetUsd : Math.min(userBudgetUsd, defaultBudgetUsd);
}

/**
 * Throws BudgetExceededError when the user's AI spend today has reached their daily budget. Call it before
 * a paid provider call (not for cached answers, which cost nothing).
 */
export async function assertWithinBudget(
  db: Database,
  userId: string,
  defaultBudgetUsd: number,
): Promise<void> {
  // The spend sums the service's own logs and rollup for the verified user id: the service role reads them.
  await db.asService((tx) => checkBudget(tx, userId, defaultBudgetUsd), { readOnly: true });
}

/** `assertWithinBudget` in a transaction of the caller's (run as the service role). */
async function checkBudget(tx: Queryable, userId: string, defaultBudgetUsd: number): Promise<void> {
  const spend = await readDailySpend(tx, userId);
  const budget = effectiveBudget(defaultBudgetUsd, spend.userBudgetUsd);
  if (spend.spentUsd >= budget) throw new BudgetExceededError(spend.spentUsd, budget, spend.secondsToReset);
}

/**
 * The check the AI service runs before every paid call, in the transaction that records the call as in flight
 * (shared/ai/store.ts `open`): bound to the deployment's default budget.
 */
export function createBudgetGuard(defaultBudgetUsd: number) {
  return (tx: Queryable, userId: string) => checkBudget(tx, userId, defaultBudgetUsd);
}
