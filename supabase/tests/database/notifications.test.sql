begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(18);

select pg_temp.given_one_row_per_user();

select pg_temp.user_table_matrix(
  'public.notifications',
  $$ insert into public.notifications (user_id, kind, title, payload)
     values (pg_temp.uid('owner'), 'batch.completed', 'Batch finished', '{"batch_id": "b1"}') $$,
  $$ insert into public.notifications (user_id, kind, title, payload)
     values (pg_temp.uid('other'), 'batch.completed', 'Batch finished', '{"batch_id": "b1"}') $$,
  $$ read_at = now() $$
);

select ok(
  exists (
    select from pg_publication_tables
    where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'notifications'
  ),
  'notifications: published to Supabase Realtime'
);

select * from finish();
rollback;
