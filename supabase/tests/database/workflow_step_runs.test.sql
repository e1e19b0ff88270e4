begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(20);

select pg_temp.given_one_row_per_user();

select pg_temp.user_table_matrix(
  'public.workflow_step_runs',
  $$ insert into public.workflow_step_runs (user_id, execution_id, step_id, step_type)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'workflow_executions'), 'classify', 'classification') $$,
  $$ insert into public.workflow_step_runs (user_id, execution_id, step_id, step_type)
     values (pg_temp.uid('other'), pg_temp.id('other', 'workflow_executions'), 'classify', 'classification') $$,
  $$ status = 'completed', output = '{"category": "contract"}', finished_at = now() $$
);

select pg_temp.act_as('owner');

select throws_ok(
  $$ insert into public.workflow_step_runs (user_id, execution_id, step_id, step_type)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'workflow_executions'), 'classify', 'classification') $$,
  '23505', 'duplicate key value violates unique constraint "workflow_step_runs_execution_step_key"',
  'workflow_step_runs: a step is recorded once per execution, so it never runs twice'
);

select throws_ok(
  $$ insert into public.workflow_step_runs (user_id, execution_id, step_id, step_type)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'workflow_executions'), 'shell', 'script') $$,
  '23514', 'new row for relation "workflow_step_runs" violates check constraint "workflow_step_runs_step_type_check"',
  'workflow_step_runs: only the five step types exist'
);

select pg_temp.act_as('other');

select throws_ok(
  $$ insert into public.workflow_step_runs (user_id, execution_id, step_id, step_type)
     values (pg_temp.uid('other'), pg_temp.id('owner', 'workflow_executions'), 'notify', 'notification') $$,
  '23503', 'insert or update on table "workflow_step_runs" violates foreign key constraint "workflow_step_runs_execution_fkey"',
  'workflow_step_runs: a step cannot be recorded on another user''s execution'
);

select * from finish();
rollback;
