begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(18);

select pg_temp.given_one_row_per_user();
insert into public.ai_alerts (user_id, kind, subject, value, threshold, period_start)
select pg_temp.uid(who), 'daily_cost', 'all', 9, 4, date_trunc('day', now())
from unnest(array['owner', 'other']) as who;

select pg_temp.log_table_matrix(
  'public.ai_alerts',
  $$ insert into public.ai_alerts (user_id, kind, subject, value, threshold, period_start)
     values (pg_temp.uid('owner'), 'error_rate', 'analyze/openai', 0.5, 0.2, date_trunc('hour', now())) $$,
  $$ insert into public.ai_alerts (user_id, kind, subject, value, threshold, period_start)
     values (pg_temp.uid('other'), 'error_rate', 'analyze/openai', 0.5, 0.2, date_trunc('hour', now())) $$,
  $$ value = 10 $$
);

select pg_temp.act_as('service_role');
insert into public.ai_alerts (kind, subject, value, threshold, period_start)
values ('queue_age', 'ai.route_ai_tasks', 900, 300, date_trunc('hour', now()));

select throws_ok(
  $$ insert into public.ai_alerts (kind, subject, value, threshold, period_start)
     values ('queue_age', 'ai.route_ai_tasks', 901, 300, date_trunc('hour', now())) $$,
  '23505', null, 'ai_alerts: one alert per subject and period, deployment-wide ones included'
);

select pg_temp.act_as('owner');
select is_empty(
  $$ select * from public.ai_alerts where user_id is null $$,
  'ai_alerts: deployment-wide alerts are visible to no user'
);

select * from finish();
rollback;
