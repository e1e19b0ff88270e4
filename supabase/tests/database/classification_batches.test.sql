begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(30);

select pg_temp.given_one_row_per_user();

-- Batches are stored and advanced by the service; owners read and delete theirs.
select pg_temp.service_written_matrix(
  'public.classification_batches',
  $$ insert into public.classification_batches (user_id, workflow_id, total_items, request)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'classification_workflows'), 3, '{"options": {"sentiment": true}}') $$,
  $$ insert into public.classification_batches (user_id, workflow_id, total_items, request)
     values (pg_temp.uid('other'), pg_temp.id('other', 'classification_workflows'), 3, '{"options": {"sentiment": true}}') $$,
  null,
  true
);

select pg_temp.service_owned_column('public.classification_batches', 'status', $$ 'completed' $$);
select pg_temp.service_owned_column('public.classification_batches', 'total_items', '2');
select pg_temp.service_owned_column('public.classification_batches', 'done_items', '1');
select pg_temp.service_owned_column('public.classification_batches', 'failed_items', '1');
select pg_temp.service_owned_column('public.classification_batches', 'summary', $$ '{"categories": {}}' $$);
select pg_temp.service_owned_column('public.classification_batches', 'completed_at', 'now()');
select pg_temp.service_owned_column('public.classification_batches', 'request', $$ '{}' $$);

select pg_temp.act_as('service_role');

select throws_ok(
  $$ update public.classification_batches set done_items = 2, failed_items = 2 $$,
  '23514', 'new row for relation "classification_batches" violates check constraint "classification_batches_counters_check"',
  'classification_batches: done and failed items never exceed the total'
);

select throws_ok(
  $$ insert into public.classification_batches (user_id, workflow_id)
     values (pg_temp.uid('other'), pg_temp.id('owner', 'classification_workflows')) $$,
  '23503', 'insert or update on table "classification_batches" violates foreign key constraint "classification_batches_workflow_fkey"',
  'classification_batches: a batch cannot use another user''s workflow'
);

select pg_temp.act_as('postgres');
delete from public.classification_workflows where id = pg_temp.id('other', 'classification_workflows');

select results_eq(
  $$ select count(*)::int, count(workflow_id)::int from public.classification_batches where user_id = pg_temp.uid('other') $$,
  $$ values (1, 0) $$,
  'classification_batches: a batch outlives its workflow'
);

select * from finish();
rollback;
