begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(19);

select pg_temp.given_one_row_per_user();

select pg_temp.user_table_matrix(
  'public.user_bot_settings',
  $$ insert into public.user_bot_settings (user_id) values (pg_temp.uid('owner')) $$,
  $$ insert into public.user_bot_settings (user_id) values (pg_temp.uid('other')) $$,
  $$ lookahead_hours = 48, exclusion_keywords = '{interview}' $$
);

select results_eq(
  $$ select auto_schedule, lookahead_hours, join_offset_minutes, bot_name, record_mode, exclusion_keywords,
            min_attendees, transcription_language
     from public.user_bot_settings where user_id = pg_temp.uid('other') $$,
  $$ values (false, 24, 2, 'Meeting Notetaker', 'all', '{}'::text[], 2, 'en') $$,
  'user_bot_settings: a new row has the documented defaults (auto-scheduling off)'
);

select pg_temp.act_as('owner');

select throws_ok(
  $$ update public.user_bot_settings set lookahead_hours = 721 $$,
  '23514', 'new row for relation "user_bot_settings" violates check constraint "user_bot_settings_lookahead_hours_check"',
  'user_bot_settings: the look-ahead window is at most 30 days'
);

select * from finish();
rollback;
