begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(23);

select pg_temp.given_one_row_per_user();

select pg_temp.user_table_matrix(
  'public.documents',
  $$ insert into public.documents (user_id, content) values (pg_temp.uid('owner'), 'Follow-up: send the quote') $$,
  $$ insert into public.documents (user_id, content) values (pg_temp.uid('other'), 'Follow-up: send the quote') $$,
  $$ title = 'Renewal notes (edited)' $$
);

-- The owner writes the content columns (above: title); the workflow routing step's columns are the service's.
select pg_temp.service_owned_column('public.documents', 'routed_to', $$ 'queue:legal' $$);
select pg_temp.service_owned_column('public.documents', 'routing', $$ '{"reason": "forged"}' $$);
select pg_temp.service_owned_column('public.documents', 'created_at', $$ now() - interval '1 year' $$);

select * from finish();
rollback;
