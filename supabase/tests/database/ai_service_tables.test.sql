begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(15);

-- ai_provider_pace and ai_result_cache (schema ai_private) are the service's own: no user, signed in or not,
-- may touch them.
select pg_temp.act_as('service_role');
select lives_ok(
  $$ select * from ai_private.reserve_ai_call('openai', 100, 10, 1000, 0) $$,
  'ai_provider_pace: service_role reserves a start'
);
insert into ai_private.ai_result_cache (cache_key, operation, provider, model, result, expires_at)
values (repeat('a', 64), 'sentiment', 'openai', 'gpt-4.1-mini', '{"label": "positive"}', now() + interval '1 day');

select pg_temp.act_as('owner');
select throws_ok($$ select * from ai_private.ai_provider_pace $$, '42501', null, 'ai_provider_pace: users cannot read it');
select throws_ok(
  $$ select * from ai_private.reserve_ai_call('openai', 100, 10, 1000, 0) $$, '42501', null,
  'ai_provider_pace: users cannot reserve starts'
);
select throws_ok(
  $$ select ai_private.adjust_ai_call('openai', -5, 1000) $$, '42501', null,
  'ai_provider_pace: users cannot hand tokens back'
);
select throws_ok($$ select * from ai_private.ai_result_cache $$, '42501', null, 'ai_result_cache: users cannot read it');
select throws_ok(
  $$ select * from ai_private.ai_result_cache_owners $$, '42501', null,
  'ai_result_cache_owners: users cannot read whom results were served to'
);
select throws_ok(
  $$ insert into ai_private.ai_result_cache (cache_key, operation, provider, model, result, expires_at)
     values (repeat('b', 64), 'sentiment', 'openai', 'm', '{}', now()) $$,
  '42501', null, 'ai_result_cache: users cannot write it'
);

select pg_temp.act_as('anon');
select throws_ok($$ select * from ai_private.ai_provider_pace $$, '42501', null, 'ai_provider_pace: anon cannot read it');
select throws_ok(
  $$ select ai_private.block_ai_provider('openai', 60000) $$, '42501', null,
  'ai_provider_pace: anon cannot block the provider'
);
select throws_ok($$ select * from ai_private.ai_result_cache $$, '42501', null, 'ai_result_cache: anon cannot read it');

select pg_temp.act_as('postgres');
select ok(
  (select relrowsecurity from pg_class where oid = 'ai_private.ai_provider_pace'::regclass)
  and (select relrowsecurity from pg_class where oid = 'ai_private.ai_result_cache'::regclass)
  and (select relrowsecurity from pg_class where oid = 'ai_private.ai_result_cache_owners'::regclass)
  and not has_schema_privilege('authenticated', 'ai_private', 'usage')
  and not has_schema_privilege('anon', 'ai_private', 'usage'),
  'the three tables have row level security on, in a schema only the service role may use'
);
select throws_ok(
  $$ insert into ai_private.ai_result_cache (cache_key, operation, provider, model, result, expires_at)
     values ('not-a-hash', 'sentiment', 'openai', 'm', '{}', now()) $$,
  '23514', null, 'ai_result_cache: keys are SHA-256 hex digests'
);
insert into auth.users (id, email, aud, role)
values (pg_temp.uid('owner'), 'owner@example.test', 'authenticated', 'authenticated');
insert into ai_private.ai_result_cache_owners (cache_key, user_id) values (repeat('a', 64), pg_temp.uid('owner'));
delete from auth.users where id = pg_temp.uid('owner');
select is_empty(
  $$ select 1 from ai_private.ai_result_cache where cache_key = repeat('a', 64) $$,
  'ai_result_cache: deleting an account deletes the results served to it'
);
select is_empty(
  $$ select 1 from ai_private.ai_result_cache_owners $$,
  'ai_result_cache_owners: and their owner rows'
);
select throws_ok(
  $$ select * from ai_private.reserve_ai_call('openai', -1, 10, 1000, 0) $$, '22023', null,
  'reserve_ai_call: refuses negative counts'
);

select * from finish();
rollback;
