import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allQueues, QUEUE_NAMES } from '../../shared/jobs/queues.ts';
import { createTestDatabase, createUser, type TestDatabase } from '../support/db.ts';

let database: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  client = new pg.Client({ connectionString: database.url });
  await client.connect();
});
afterAll(async () => {
  await client.end();
  await database.drop();
});

async function jobsOf(queue: string) {
  const { rows } = await client.query(
    `select id, state, data, retry_limit, retry_delay, retry_backoff, retry_delay_max, expire_seconds,
            dead_letter, policy, singleton_key, retry_count, start_after, keep_until
       from pgboss.job where name = $1 order by created_on`,
    [queue],
  );
  return rows;
}

describe('the pg-boss schema and queues installed by the migrations', () => {
  it('holds the pinned pg-boss schema version', async () => {
    const { rows } = await client.query('select version from pgboss.version');
    expect(rows).toEqual([{ version: 46 }]);
  });

  it('installs every queue with the settings shared/jobs/queues.ts declares', async () => {
    const { rows } = await client.query(
      `select name, policy, retry_limit, retry_delay, retry_backoff, retry_delay_max, expire_seconds,
              retention_seconds, deletion_seconds, dead_letter, notify, heartbeat_seconds
         from pgboss.queue where name like 'ai.%' order by name`,
    );
    const expected = allQueues()
      .map(([name, s]) => ({
        name,
        policy: s.policy,
        retry_limit: s.retryLimit,
        retry_delay: s.retryDelay,
        retry_backoff: s.retryBackoff,
        retry_delay_max: s.retryDelayMax,
        expire_seconds: s.expireInSeconds,
        retention_seconds: s.retentionSeconds,
        deletion_seconds: s.deleteAfterSeconds,
        dead_letter: s.deadLetter,
        notify: s.notify,
        heartbeat_seconds: s.heartbeatSeconds,
      }))
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(rows).toEqual(expected);
    expect(rows.filter((row) => row.dead_letter)).toHaveLength(QUEUE_NAMES.length);
  });

  it('gives anon, authenticated and PUBLIC no way into the pgboss schema', async () => {
    const { rows } = await client.query(
      `select r.rolname,
              has_schema_privilege(r.rolname, 'pgboss', 'usage') as usage,
              has_table_privilege(r.rolname, 'pgboss.job', 'select,insert,update,delete') as job,
              has_function_privilege(r.rolname, 'pgboss.create_queue(text, jsonb)', 'execute') as create_queue,
              has_function_privilege(r.rolname, 'app_private.enqueue_job(text, jsonb, text, integer, timestamptz)', 'execute') as enqueue
         from pg_roles r where r.rolname in ('anon', 'authenticated') order by r.rolname`,
    );
    expect(rows).toEqual([
      { rolname: 'anon', usage: false, job: false, create_queue: false, enqueue: false },
      { rolname: 'authenticated', usage: false, job: false, create_queue: false, enqueue: false },
    ]);
    const { rows: publicAcl } = await client.query(
      `select count(*)::int as grants from pg_namespace n, aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a
        where n.nspname = 'pgboss' and a.grantee = 0`,
    );
    expect(publicAcl[0].grants).toBe(0);
  });
});

describe('app_private.enqueue_job (how pg_cron enqueues)', () => {
  it('creates a job that carries its queue’s retry, backoff, expiry and dead-letter settings', async () => {
    const { rows } = await client.query(
      `select app_private.enqueue_job('ai.route_ai_tasks', '{"type":"ai_analysis","payload":{}}') as id`,
    );
    const [job] = (await jobsOf('ai.route_ai_tasks')).filter((j) => j.id === rows[0].id);
    expect(job).toMatchObject({
      state: 'created',
      data: { type: 'ai_analysis', payload: {} },
      retry_limit: 5,
      retry_delay: 2,
      retry_backoff: true,
      retry_delay_max: 120,
      expire_seconds: 60,
      dead_letter: 'ai.route_ai_tasks.dead',
      policy: 'standard',
    });
    expect(job.keep_until.getTime() - job.start_after.getTime()).toBe(14 * 24 * 3600 * 1000);
  });

  it('keeps one job per key and singleton slot, so a schedule that fires twice enqueues once', async () => {
    const send = () =>
      client.query(
        `select app_private.enqueue_job('ai.process_ai_analysis', '{}', singleton_key => 'slot-test', singleton_seconds => 3600) as id`,
      );
    const first = await send();
    const second = await send();
    expect(first.rows[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.rows[0].id).toBeNull();
    expect(
      (await jobsOf('ai.process_ai_analysis')).filter((j) => j.singleton_key === 'slot-test'),
    ).toHaveLength(1);
  });

  it('rejects a queue that does not exist', async () => {
    await expect(client.query(`select app_private.enqueue_job('ai.nope', '{}')`)).rejects.toThrow(
      /queue "ai.nope" does not exist/,
    );
  });
});

describe('app_private.supervise_jobs (pg_cron’s supervisor)', () => {
  it('puts an active job whose worker died back to retry, then dead-letters it after its last attempt', async () => {
    const { rows } = await client.query(
      `select app_private.enqueue_job('ai.monitor_ai_processing', '{"maxQueued": 7}') as id`,
    );
    const id = rows[0].id as string;
    // A worker fetched it and died: active, started longer ago than expire_seconds (60 s for this queue).
    const crash = `update pgboss.job set state = 'active', started_on = now() - interval '61 seconds',
                     retry_count = retry_count + (case when started_on is null then 0 else 1 end) where id = $1`;
    await client.query(crash, [id]);
    expect((await client.query('select app_private.supervise_jobs() as n')).rows[0].n).toBeGreaterThanOrEqual(
      1,
    );
    let [job] = (await jobsOf('ai.monitor_ai_processing')).filter((j) => j.id === id);
    expect(job.state).toBe('retry');

    // retry_limit is 1 for this queue: the second expiry is the last attempt.
    await client.query(crash, [id]);
    await client.query('select app_private.supervise_jobs()');
    [job] = (await jobsOf('ai.monitor_ai_processing')).filter((j) => j.id === id);
    expect(job.state).toBe('failed');
    const { rows: dead } = await client.query(
      `select data, source_name, source_id from pgboss.job where name = 'ai.monitor_ai_processing.dead'`,
    );
    expect(dead).toEqual([
      { data: { maxQueued: 7 }, source_name: 'ai.monitor_ai_processing', source_id: id },
    ]);
  });

  it('leaves active jobs within their expiry alone', async () => {
    const { rows } = await client.query(
      `select app_private.enqueue_job('ai.schedule_meeting_bot', '{}') as id`,
    );
    await client.query(`update pgboss.job set state = 'active', started_on = now() where id = $1`, [
      rows[0].id,
    ]);
    await client.query('select app_private.supervise_jobs()');
    const [job] = (await jobsOf('ai.schedule_meeting_bot')).filter((j) => j.id === rows[0].id);
    expect(job.state).toBe('active');
  });
});

describe('app_private.queue_health', () => {
  it('counts queued, ready, active, failed and dead-lettered jobs and the oldest ready job’s wait', async () => {
    await client.query(`select app_private.enqueue_job('ai.generate_bot_configuration', '{}')`);
    await client.query(
      `select app_private.enqueue_job('ai.generate_bot_configuration', '{}', start_after => now() + interval '1 hour')`,
    );
    await client.query(
      `update pgboss.job set start_after = now() - interval '90 seconds'
        where name = 'ai.generate_bot_configuration' and start_after <= now()`,
    );
    const { rows } = await client.query(
      `select * from app_private.queue_health() where queue in ('ai.generate_bot_configuration', 'ai.monitor_ai_processing')`,
    );
    expect(rows).toHaveLength(2);
    const bots = rows.find((row) => row.queue === 'ai.generate_bot_configuration');
    expect(bots).toMatchObject({ queued: 2, ready: 1, active: 0, failed: 0, dead_lettered: 0 });
    expect(bots.oldest_ready_seconds).toBeGreaterThanOrEqual(90);
    // From the supervision test above: one failed for good and its dead-letter copy.
    expect(rows.find((row) => row.queue === 'ai.monitor_ai_processing')).toMatchObject({
      failed: 1,
      dead_lettered: 1,
    });
    const { rows: names } = await client.query('select queue from app_private.queue_health()');
    expect(names.some((row) => row.queue.endsWith('.dead'))).toBe(false);
  });
});

describe('the per-user job lookups (metrics, data rights)', () => {
  // The plan of each lookup over 20,000 jobs of 2,000 users, half of them workflow jobs: an index scan of the
  // payload key, not a scan of every tenant's jobs (workflow jobs included: they name their execution's owner).
  // Inside a transaction that is rolled back, so the other tests see none of these jobs.
  it("find a user's jobs, workflow jobs included, through the data->>'userId' index", async () => {
    await client.query('begin');
    try {
      await client.query(
        `insert into pgboss.job (name, data)
         select case when (i / 2000) % 2 = 0 then 'ai.process_ai_analysis' else 'ai.execute_document_workflow' end,
                jsonb_build_object('userId', md5((i % 2000)::text)::uuid, 'executionId', gen_random_uuid())
           from generate_series(1, 20000) as i`,
      );
      await client.query('analyze pgboss.job_common');
      const user = (await client.query(`select md5('7')::uuid as id`)).rows[0].id;
      const plan = async (sql: string, params: unknown[]) =>
        JSON.stringify((await client.query(`explain (format json) ${sql}`, params)).rows[0]['QUERY PLAN']);
      // user_queue_health's scan and delete_user_jobs' predicate, as those functions state them.
      const health = await plan(
        `select j.name, count(*) from pgboss.job j
          where j.state in ('created', 'retry', 'active', 'failed') and j.data->>'userId' = $1::uuid::text
          group by j.name`,
        [user],
      );
      const deletion = await plan(
        `select 1 from pgboss.job j
          where j.data->>'userId' = $1::uuid::text and j.name not like 'ai.cancel_meeting_bot%'`,
        [user],
      );
      expect(health).toMatch(/"Index Name":"job_common_expr_idx"/);
      expect(health).not.toMatch(/"Seq Scan"/);
      expect(deletion).toMatch(/"Index Name":"job_common_expr_idx"/);
      expect(deletion).not.toMatch(/"Seq Scan"/);
      // The user's 10 jobs (5 of them workflow jobs) go, every other tenant's stay.
      const count = async () =>
        (
          await client.query(
            `select count(*)::int as n, count(*) filter (where data->>'userId' = $1::uuid::text)::int as mine,
                    count(*) filter (where data->>'userId' = $1::uuid::text
                                       and name = 'ai.execute_document_workflow')::int as workflow
               from pgboss.job`,
            [user],
          )
        ).rows[0];
      const before = await count();
      expect(before).toMatchObject({ mine: 10, workflow: 5 });
      const deleted = await client.query('select app_private.delete_user_jobs($1) as n', [user]);
      expect(deleted.rows[0].n).toBe(10);
      expect(await count()).toEqual({ n: before.n - 10, mine: 0, workflow: 0 });
    } finally {
      await client.query('rollback');
    }
  });
});

describe('app_private.job_schedules and run_schedule (one list, two drivers)', () => {
  it('lists the periodic work: auto-scheduling, cleanup, monitoring and supervision', async () => {
    const { rows } = await client.query('select name, cron from app_private.job_schedules order by name');
    expect(rows).toEqual([
      { name: 'ai-auto-schedule-bots', cron: '*/15 * * * *' },
      { name: 'ai-cleanup-expired-workflows', cron: '7 * * * *' },
      { name: 'ai-monitor-ai-processing', cron: '* * * * *' },
      { name: 'ai-supervise-jobs', cron: '* * * * *' },
    ]);
  });

  it('enqueues auto-scheduling once per user who turned it on, and only once per 15-minute slot', async () => {
    const [on, off] = [await createUser(database.url), await createUser(database.url)];
    await client.query(
      `insert into public.user_bot_settings (user_id, auto_schedule) values ($1, true), ($2, false)`,
      [on, off],
    );
    await client.query(`select app_private.run_schedule('ai-auto-schedule-bots')`);
    await client.query(`select app_private.run_schedule('ai-auto-schedule-bots')`);
    const jobs = await jobsOf('ai.auto_schedule_user_bots');
    expect(jobs.map((job) => job.data)).toEqual([{ userId: on }]);
    expect(jobs[0].singleton_key).toBe(on);
  });

  it('rejects a schedule name it does not know', async () => {
    await expect(client.query(`select app_private.run_schedule('nope')`)).rejects.toThrow(
      /no schedule named/,
    );
  });

  it('registers nothing with pg_cron in a database pg_cron does not run in', async () => {
    const { rows } = await client.query(
      `select count(*)::int as n from pg_extension where extname = 'pg_cron'`,
    );
    expect(rows[0].n).toBe(0);
  });
});
