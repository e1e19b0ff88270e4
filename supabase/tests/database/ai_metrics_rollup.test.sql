begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(18);

select pg_temp.given_one_row_per_user();
insert into public.ai_metrics_rollup (user_id, bucket_start, operation, provider, calls, errors, cached,
  tokens_in, tokens_out, cost_usd, latency_sum_ms, latency_count)
select pg_temp.uid(who), date_trunc('hour', now() - interval '1 day', 'UTC'), 'classify', 'local', 1, 0, 0, 0, 0, 0, 0, 0
from unnest(array['owner', 'other']) as who;

select pg_temp.log_table_matrix(
  'public.ai_metrics_rollup',
  $$ insert into public.ai_metrics_rollup (user_id, bucket_start, operation, provider, calls, errors, cached,
       tokens_in, tokens_out, cost_usd, latency_sum_ms, latency_count)
     values (pg_temp.uid('owner'), date_trunc('hour', now(), 'UTC'), 'sentiment', 'local', 1, 0, 0, 0, 0, 0, 0, 0) $$,
  $$ insert into public.ai_metrics_rollup (user_id, bucket_start, operation, provider, calls, errors, cached,
       tokens_in, tokens_out, cost_usd, latency_sum_ms, latency_count)
     values (pg_temp.uid('other'), date_trunc('hour', now(), 'UTC'), 'sentiment', 'local', 1, 0, 0, 0, 0, 0, 0, 0) $$,
  $$ calls = 2 $$
);

select pg_temp.act_as('service_role');
select throws_ok(
  $$ insert into public.ai_metrics_rollup (user_id, bucket_start, operation, provider, calls, errors, cached,
       tokens_in, tokens_out, cost_usd, latency_sum_ms, latency_count)
     values (pg_temp.uid('owner'), now(), 'classify', 'local', 1, 0, 0, 0, 0, 0, 0, 0) $$,
  '23514', null, 'ai_metrics_rollup: buckets start on the hour'
);

select pg_temp.act_as('postgres');
select is(
  (select array[public.ai_latency_bucket(0), public.ai_latency_bucket(1), public.ai_latency_bucket(1000),
                public.ai_latency_bucket(null), public.ai_latency_bucket(2000000000)]),
  array[0, 4, 39, null, 99],
  'ai_latency_bucket: four buckets per doubling, clamped at 99'
);

select * from finish();
rollback;
