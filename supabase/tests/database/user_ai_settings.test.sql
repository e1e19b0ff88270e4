begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(18);

select pg_temp.given_one_row_per_user();

select pg_temp.user_table_matrix(
  'public.user_ai_settings',
  $$ insert into public.user_ai_settings (user_id, requests_per_minute) values (pg_temp.uid('owner'), 30) $$,
  $$ insert into public.user_ai_settings (user_id, requests_per_minute) values (pg_temp.uid('other'), 30) $$,
  $$ daily_cost_budget_usd = 12.5 $$
);

select pg_temp.act_as('owner');

select throws_ok(
  $$ update public.user_ai_settings set daily_cost_budget_usd = -1 $$,
  '23514', 'new row for relation "user_ai_settings" violates check constraint "user_ai_settings_daily_cost_budget_usd_check"',
  'user_ai_settings: a budget cannot be negative'
);

select * from finish();
rollback;
