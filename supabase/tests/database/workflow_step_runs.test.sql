begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(33);

select pg_temp.given_one_row_per_user();

-- Step runs are written by the worker that holds the step (service role); owners only read them.
select pg_temp.service_written_matrix(
  'public.workflow_step_runs',
  $$ insert into public.workflow_step_runs (user_id, execution_id, step_id, step_type)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'workflow_executions'), 'classify', 'classification') $$,
  $$ insert into public.workflow_step_runs (user_id, execution_id, step_id, step_type)
     values (pg_temp.uid('other'), pg_temp.id('other', 'workflow_executions'), 'classify', 'classification') $$,
  null,
  false
);

select pg_temp.service_owned_column('public.workflow_step_runs', 'status', $$ 'completed' $$);
select pg_temp.service_owned_column('public.workflow_step_runs', 'output', $$ '{"category": "contract"}' $$);
select pg_temp.service_owned_column('public.workflow_step_runs', 'attempts', '0');
select pg_temp.service_owned_column('public.workflow_step_runs', 'error', $$ 'forged' $$);
select pg_temp.service_owned_column('public.workflow_step_runs', 'started_at', 'now()');
select pg_temp.service_owned_column('public.workflow_step_runs', 'finished_at', 'now()');
select pg_temp.service_owned_column('public.workflow_step_runs', 'claim_token', 'gen_random_uuid()');
select pg_temp.service_owned_column('public.workflow_step_runs', 'lease_until', $$ now() + interval '1 day' $$);
select pg_temp.service_owned_column('public.workflow_step_runs', 'next_attempt_at', 'now()');

select pg_temp.act_as('service_role');

select throws_ok(
  $$ insert into public.workflow_step_runs (user_id, execution_id, step_id, step_type)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'workflow_executions'), 'approve', 'approval') $$,
  '23505', 'duplicate key value violates unique constraint "workflow_step_runs_execution_step_key"',
  'workflow_step_runs: a step is recorded once per execution, so it never runs twice'
);

select throws_ok(
  $$ insert into public.workflow_step_runs (user_id, execution_id, step_id, step_type)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'workflow_executions'), 'shell', 'script') $$,
  '23514', 'new row for relation "workflow_step_runs" violates check constraint "workflow_step_runs_step_type_check"',
  'workflow_step_runs: only the five step types exist'
);

select throws_ok(
  $$ insert into public.workflow_step_runs (user_id, execution_id, step_id, step_type)
     values (pg_temp.uid('other'), pg_temp.id('owner', 'workflow_executions'), 'notify', 'notification') $$,
  '23503', 'insert or update on table "workflow_step_runs" violates foreign key constraint "workflow_step_runs_execution_fkey"',
  'workflow_step_runs: a step cannot be recorded on another user''s execution'
);

select * from finish();
rollback;
