begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(20);

select pg_temp.given_one_row_per_user();

select pg_temp.user_table_matrix(
  'public.workflow_executions',
  $$ insert into public.workflow_executions (user_id, workflow_id, workflow_version, definition, document_id)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'document_workflows'), 1, '{"steps": []}', pg_temp.id('owner', 'documents')) $$,
  $$ insert into public.workflow_executions (user_id, workflow_id, workflow_version, definition, document_id)
     values (pg_temp.uid('other'), pg_temp.id('other', 'document_workflows'), 1, '{"steps": []}', pg_temp.id('other', 'documents')) $$,
  $$ status = 'running', started_at = now(), current_step_id = 'approve' $$
);

select pg_temp.act_as('other');

select throws_ok(
  $$ insert into public.workflow_executions (user_id, workflow_id, workflow_version, definition, document_id)
     values (pg_temp.uid('other'), pg_temp.id('other', 'document_workflows'), 1, '{"steps": []}', pg_temp.id('owner', 'documents')) $$,
  '23503', 'insert or update on table "workflow_executions" violates foreign key constraint "workflow_executions_document_fkey"',
  'workflow_executions: a user cannot run a workflow on another user''s document'
);

select throws_ok(
  $$ insert into public.workflow_executions (user_id, workflow_id, workflow_version, definition, document_id)
     values (pg_temp.uid('other'), pg_temp.id('owner', 'document_workflows'), 1, '{"steps": []}', pg_temp.id('other', 'documents')) $$,
  '23503', 'insert or update on table "workflow_executions" violates foreign key constraint "workflow_executions_workflow_fkey"',
  'workflow_executions: a user cannot run another user''s workflow'
);

select throws_ok(
  $$ update public.workflow_executions set status = 'done' $$,
  '23514', 'new row for relation "workflow_executions" violates check constraint "workflow_executions_status_check"',
  'workflow_executions: status is one of the documented states'
);

select * from finish();
rollback;
