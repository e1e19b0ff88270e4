begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(36);

select pg_temp.given_one_row_per_user();

-- Executions are the service's: the API starts and drives them as service_role; owners read and delete theirs.
select pg_temp.service_written_matrix(
  'public.workflow_executions',
  $$ insert into public.workflow_executions (user_id, workflow_id, workflow_version, definition, document_id)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'document_workflows'), 1, '{"steps": []}', pg_temp.id('owner', 'documents')) $$,
  $$ insert into public.workflow_executions (user_id, workflow_id, workflow_version, definition, document_id)
     values (pg_temp.uid('other'), pg_temp.id('other', 'document_workflows'), 1, '{"steps": []}', pg_temp.id('other', 'documents')) $$,
  null,
  true
);

select pg_temp.service_owned_column('public.workflow_executions', 'status', $$ 'running' $$);
select pg_temp.service_owned_column('public.workflow_executions', 'pause_requested', 'true');
select pg_temp.service_owned_column('public.workflow_executions', 'current_step_id', $$ 'approve' $$);
select pg_temp.service_owned_column('public.workflow_executions', 'context', $$ '{"classify": {"status": "completed"}}' $$);
select pg_temp.service_owned_column('public.workflow_executions', 'error', $$ 'forged' $$);
select pg_temp.service_owned_column('public.workflow_executions', 'started_at', 'now()');
select pg_temp.service_owned_column('public.workflow_executions', 'finished_at', 'now()');
select pg_temp.service_owned_column('public.workflow_executions', 'expires_at', $$ now() + interval '1 year' $$);
select pg_temp.service_owned_column('public.workflow_executions', 'definition', $$ '{"steps": []}' $$);
select pg_temp.service_owned_column('public.workflow_executions', 'workflow_version', '2');

select pg_temp.act_as('service_role');

select throws_ok(
  $$ insert into public.workflow_executions (user_id, workflow_id, workflow_version, definition, document_id)
     values (pg_temp.uid('other'), pg_temp.id('other', 'document_workflows'), 1, '{"steps": []}', pg_temp.id('owner', 'documents')) $$,
  '23503', 'insert or update on table "workflow_executions" violates foreign key constraint "workflow_executions_document_fkey"',
  'workflow_executions: an execution cannot run a workflow on another user''s document'
);

select throws_ok(
  $$ insert into public.workflow_executions (user_id, workflow_id, workflow_version, definition, document_id)
     values (pg_temp.uid('other'), pg_temp.id('owner', 'document_workflows'), 1, '{"steps": []}', pg_temp.id('other', 'documents')) $$,
  '23503', 'insert or update on table "workflow_executions" violates foreign key constraint "workflow_executions_workflow_fkey"',
  'workflow_executions: an execution cannot run another user''s workflow'
);

select throws_ok(
  $$ update public.workflow_executions set status = 'done' $$,
  '23514', 'new row for relation "workflow_executions" violates check constraint "workflow_executions_status_check"',
  'workflow_executions: status is one of the documented states'
);

select * from finish();
rollback;
