begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(17);

select pg_temp.given_one_row_per_user();

select pg_temp.user_table_matrix(
  'public.documents',
  $$ insert into public.documents (user_id, content) values (pg_temp.uid('owner'), 'Follow-up: send the quote') $$,
  $$ insert into public.documents (user_id, content) values (pg_temp.uid('other'), 'Follow-up: send the quote') $$,
  $$ title = 'Renewal notes (edited)' $$
);

select * from finish();
rollback;
