begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(18);

select pg_temp.given_one_row_per_user();

select pg_temp.user_table_matrix(
  'public.document_workflows',
  $$ insert into public.document_workflows (user_id, name, steps)
     values (pg_temp.uid('owner'), 'Invoice routing', '[{"id": "route", "type": "routing"}]') $$,
  $$ insert into public.document_workflows (user_id, name, steps)
     values (pg_temp.uid('other'), 'Invoice routing', '[{"id": "route", "type": "routing"}]') $$,
  $$ version = version + 1, steps = '[{"id": "classify", "type": "classification"}]' $$
);

select pg_temp.act_as('owner');

select throws_ok(
  $$ insert into public.document_workflows (user_id, name, steps) values (pg_temp.uid('owner'), 'Broken', '{}') $$,
  '23514', 'new row for relation "document_workflows" violates check constraint "document_workflows_steps_check"',
  'document_workflows: steps must be a JSON array'
);

select * from finish();
rollback;
