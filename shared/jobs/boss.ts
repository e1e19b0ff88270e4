// @ts-types="npm:@types/pg@8.23.1"
import type pg from 'pg';
import { type ConstructorOptions, type Db, PgBoss } from 'pg-boss';
import type { Queryable } from '../db/database.ts';
import type { Logger } from '../http/logger.ts';

/** The schema the migrations install pg-boss into. */
export const PGBOSS_SCHEMA = 'pgboss';

/** pg-boss over an existing pool, so a function process keeps one pool for everything. */
function poolDb(pool: pg.Pool): Db {
  return { executeSql: (text, values) => pool.query(text, values as unknown[]) };
}

/**
 * pg-boss inside the caller's transaction: a job sent through it exists if and only if the transaction commits.
 * pgboss is private (no grants to the API roles), so each pg-boss statement runs as the connection's own role
 * and the caller's role is put back right after: the same step up a `security definer` function takes, limited
 * to pg-boss's fixed statements. RLS still governs everything else the transaction does.
 */
export function transactionDb(tx: Queryable): Db {
  return {
    async executeSql(text, values) {
      const { rows } = await tx.query<{ role: string }>(`select current_setting('role') as role`);
      const role = rows[0]?.role ?? 'none';
      if (role === 'none') return tx.query(text, values as unknown[]);
      await tx.query('set local role none');
      try {
        return await tx.query(text, values as unknown[]);
      } finally {
        // After a failed statement the transaction is aborted and will roll back anyway; keep its error.
        await tx.query(`select set_config('role', $1, true)`, [role]).catch(() => {});
      }
    },
  };
}

// The schema belongs to the migrations: no instance may create or migrate it.
const COMMON: ConstructorOptions = { schema: PGBOSS_SCHEMA, migrate: false, createSchema: false };

/**
 * A pg-boss instance for sending and draining from a function: no supervision, scheduling or registry row,
 * since those belong to long-running workers (and to pg_cron).
 */
export function createSenderBoss(pool: pg.Pool, logger: Logger): PgBoss {
  return withLogging(
    new PgBoss({
      ...COMMON,
      db: poolDb(pool),
      supervise: false,
      schedule: false,
      registerInstance: false,
    }),
    logger,
  );
}

export interface WorkerBossOptions {
  /** Seconds between expiry sweeps that bring back jobs of dead workers (pg-boss's supervisor). */
  superviseIntervalSeconds?: number;
  /** pg-boss's own cron, which drives the schedules where pg_cron is absent. */
  schedule?: boolean;
  max?: number;
}

/** The long-running worker's pg-boss: its own pool, supervising expired jobs and able to run schedules. */
export function createWorkerBoss(
  databaseUrl: string,
  logger: Logger,
  options: WorkerBossOptions = {},
): PgBoss {
  // Often enough that a job whose heartbeat stopped (10 s) is failed back to retry within seconds.
  const interval = options.superviseIntervalSeconds ?? 10;
  return withLogging(
    new PgBoss({
      ...COMMON,
      connectionString: databaseUrl,
      max: options.max ?? 10,
      application_name: 'ai-jobs-worker',
      supervise: true,
      superviseIntervalSeconds: interval,
      // Expiry runs in the monitor step of a supervise pass, claimed at most once per monitor interval.
      monitorIntervalSeconds: interval,
      schedule: options.schedule ?? true,
      instanceName: 'ai-jobs-worker',
    }),
    logger,
  );
}

// An EventEmitter without an 'error' listener throws; pg-boss reports background failures there.
function withLogging(boss: PgBoss, logger: Logger): PgBoss {
  boss.on('error', (error) => logger.error('pg-boss error', { error: String(error?.message ?? error) }));
  boss.on('warning', (warning) => logger.warn('pg-boss warning', { warning: warning.message }));
  return boss;
}
