begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(20);

select pg_temp.given_one_row_per_user();

select pg_temp.user_table_matrix(
  'public.meetings',
  $$ insert into public.meetings (user_id, title, start_time, end_time)
     values (pg_temp.uid('owner'), 'Standup', now() + interval '2 days', now() + interval '2 days 15 minutes') $$,
  $$ insert into public.meetings (user_id, title, start_time, end_time)
     values (pg_temp.uid('other'), 'Standup', now() + interval '2 days', now() + interval '2 days 15 minutes') $$,
  $$ title = 'Renewal call (moved)', start_time = start_time + interval '1 hour', end_time = end_time + interval '1 hour' $$
);

select pg_temp.act_as('owner');

select throws_ok(
  $$ insert into public.meetings (user_id, title, start_time, end_time)
     values (pg_temp.uid('owner'), 'Zero length', now(), now()) $$,
  '23514', 'new row for relation "meetings" violates check constraint "meetings_end_after_start"',
  'meetings: a meeting must end after it starts'
);

select throws_ok(
  $$ insert into public.meetings (user_id, title, start_time, end_time, attendees)
     values (pg_temp.uid('owner'), 'No emails', now(), now() + interval '1 hour', '[{"name": "Dana"}]') $$,
  '23514', 'new row for relation "meetings" violates check constraint "meetings_attendees_check"',
  'meetings: every attendee needs an email'
);

select throws_ok(
  $$ insert into public.meetings (user_id, title, start_time, end_time, external_id)
     values (pg_temp.uid('owner'), 'Sync', now(), now() + interval '1 hour', 'cal-1'),
            (pg_temp.uid('owner'), 'Sync again', now(), now() + interval '1 hour', 'cal-1') $$,
  '23505', 'duplicate key value violates unique constraint "meetings_user_id_external_id_key"',
  'meetings: a calendar event is stored once per user'
);

select * from finish();
rollback;
