begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(18);

select pg_temp.given_one_row_per_user();

select pg_temp.log_table_matrix(
  'public.ai_processing_logs',
  $$ insert into public.ai_processing_logs (user_id, operation, provider, status)
     values (pg_temp.uid('owner'), 'sentiment', 'openai', 'success') $$,
  $$ insert into public.ai_processing_logs (user_id, operation, provider, status)
     values (pg_temp.uid('other'), 'sentiment', 'openai', 'success') $$,
  $$ status = 'error', error_code = 'timeout' $$
);

select pg_temp.act_as('service_role');
insert into public.ai_processing_logs (operation, provider, status) values ('monitor', 'local', 'success');

select pg_temp.act_as('owner');

select is_empty(
  $$ select * from public.ai_processing_logs where user_id is null $$,
  'ai_processing_logs: calls no user started are visible to no user'
);

select pg_temp.act_as('service_role');

select throws_ok(
  $$ insert into public.ai_processing_logs (operation, provider, status, tokens_in) values ('classify', 'local', 'success', -5) $$,
  '23514', 'new row for relation "ai_processing_logs" violates check constraint "ai_processing_logs_tokens_in_check"',
  'ai_processing_logs: token counts are not negative'
);

select * from finish();
rollback;
