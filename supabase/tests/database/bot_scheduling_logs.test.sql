begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(18);

select pg_temp.given_one_row_per_user();

select pg_temp.log_table_matrix(
  'public.bot_scheduling_logs',
  $$ insert into public.bot_scheduling_logs (user_id, meeting_id, decision, reason)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'meetings'), 'skipped', 'no meeting url') $$,
  $$ insert into public.bot_scheduling_logs (user_id, meeting_id, decision, reason)
     values (pg_temp.uid('other'), pg_temp.id('other', 'meetings'), 'skipped', 'no meeting url') $$,
  $$ details = '{"retry": true}' $$
);

select pg_temp.act_as('service_role');

select throws_ok(
  $$ insert into public.bot_scheduling_logs (user_id, decision) values (pg_temp.uid('owner'), 'maybe') $$,
  '23514', 'new row for relation "bot_scheduling_logs" violates check constraint "bot_scheduling_logs_decision_check"',
  'bot_scheduling_logs: decision is one of the documented outcomes'
);

-- The owner's fixture log names both the meeting and its bot; deleting the meeting removes the bot too.
delete from public.meetings where id = pg_temp.id('owner', 'meetings');

select results_eq(
  $$ select count(*)::int, count(meeting_id)::int, count(meeting_bot_id)::int
     from public.bot_scheduling_logs where user_id = pg_temp.uid('owner') $$,
  $$ values (1, 0, 0) $$,
  'bot_scheduling_logs: the log outlives the meeting and the bot it describes'
);

select * from finish();
rollback;
