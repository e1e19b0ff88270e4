begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(24);

select pg_temp.given_one_row_per_user();

-- Notifications are written by the service (workflow steps, AI jobs); the owner marks them read and deletes them.
select pg_temp.service_written_matrix(
  'public.notifications',
  $$ insert into public.notifications (user_id, kind, title, payload)
     values (pg_temp.uid('owner'), 'batch.completed', 'Batch finished', '{"batch_id": "b1"}') $$,
  $$ insert into public.notifications (user_id, kind, title, payload)
     values (pg_temp.uid('other'), 'batch.completed', 'Batch finished', '{"batch_id": "b1"}') $$,
  $$ read_at = now() $$,
  true
);

select pg_temp.service_owned_column('public.notifications', 'kind', $$ 'workflow.notification' $$);
select pg_temp.service_owned_column('public.notifications', 'title', $$ 'Your account is locked' $$);
select pg_temp.service_owned_column('public.notifications', 'body', $$ 'Sign in at https://evil.example' $$);
select pg_temp.service_owned_column('public.notifications', 'payload', $$ '{"forged": true}' $$);

select ok(
  exists (
    select from pg_publication_tables
    where pubname = 'supabase_realtime' and schemaname = 'public' and tablename = 'notifications'
  ),
  'notifications: published to Supabase Realtime'
);

select * from finish();
rollback;
