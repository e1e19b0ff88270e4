-- Rules every table in public follows, checked from the catalog so that a new table cannot skip them.
begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(16);

select tables_are('public', array[
  'documents', 'meetings', 'meeting_bots', 'user_ai_settings', 'user_bot_settings',
  'classification_workflows', 'classification_batches', 'classification_results',
  'document_workflows', 'workflow_executions', 'workflow_step_runs', 'workflow_approvals',
  'notifications', 'ai_processing_logs', 'bot_scheduling_logs', 'attendee_webhook_events',
  'ai_metrics_rollup', 'ai_alerts'
], 'public has exactly the project''s tables (a new one needs its RLS matrix file)');

select is_empty(
  $$ select relname from pg_class
     where relnamespace = 'public'::regnamespace and relkind in ('r', 'p') and not relrowsecurity $$,
  'row level security is enabled on every table in public'
);

select is_empty(
  $$ select relname from pg_class
     where relnamespace = 'public'::regnamespace and relkind in ('r', 'p', 'v', 'm', 'f')
       and (has_table_privilege('anon', oid, 'select, insert, update, delete, truncate, references, trigger')
            or has_any_column_privilege('anon', oid, 'select, insert, update, references'))
     union all
     select relname from pg_class
     where relnamespace = 'public'::regnamespace
       and case relkind when 'S' then has_sequence_privilege('anon', oid, 'usage, select, update') end
     union all
     select oid::regprocedure::text from pg_proc
     where pronamespace = 'public'::regnamespace and has_function_privilege('anon', oid, 'execute') $$,
  'anon has no privilege on any table, column, sequence or function in public'
);

select results_eq(
  $$ select tablename::text collate "default", array_agg(cmd order by cmd)::text[] from pg_policies where schemaname = 'public'
     group by tablename order by tablename $$,
  $$ values
       ('ai_alerts', '{SELECT}'::text[]),
       ('ai_metrics_rollup', '{SELECT}'),
       ('ai_processing_logs', '{SELECT}'),
       ('attendee_webhook_events', '{SELECT}'),
       ('bot_scheduling_logs', '{SELECT}'),
       ('classification_batches', '{DELETE,SELECT}'),
       ('classification_results', '{SELECT}'),
       ('classification_workflows', '{DELETE,INSERT,SELECT,UPDATE}'),
       ('document_workflows', '{DELETE,INSERT,SELECT,UPDATE}'),
       ('documents', '{DELETE,INSERT,SELECT,UPDATE}'),
       ('meeting_bots', '{SELECT}'),
       ('meetings', '{DELETE,INSERT,SELECT,UPDATE}'),
       ('notifications', '{DELETE,SELECT,UPDATE}'),
       ('user_ai_settings', '{DELETE,INSERT,SELECT,UPDATE}'),
       ('user_bot_settings', '{DELETE,INSERT,SELECT,UPDATE}'),
       ('workflow_approvals', '{SELECT,UPDATE}'),
       ('workflow_executions', '{DELETE,SELECT}'),
       ('workflow_step_runs', '{SELECT}') $$,
  'one policy per operation users may perform; logs and bots are read-only, approvals are read and decided'
);

select is_empty(
  $$ select tablename, policyname from pg_policies
     where schemaname = 'public' and (roles <> '{authenticated}' or permissive <> 'PERMISSIVE') $$,
  'every policy is a permissive policy for role authenticated'
);

select is_empty(
  $$ select tablename, policyname from pg_policies
     where schemaname = 'public'
       and regexp_replace(coalesce(qual, '') || ' ' || coalesce(with_check, ''), '\( SELECT auth\.uid\(\) AS uid\)', '', 'g')
           ~ 'auth\.(uid|jwt|role)\(' $$,
  'policies call auth.uid() as (select auth.uid()), evaluated once per statement, not once per row'
);

select set_eq(
  $$ select c.relname::text, op
     from pg_class c cross join unnest(array['SELECT', 'INSERT', 'UPDATE', 'DELETE']) as op
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
       and case op when 'DELETE' then has_table_privilege('authenticated', c.oid, op)
                   else has_any_column_privilege('authenticated', c.oid, op) end $$,
  $$ select tablename::text, cmd from pg_policies where schemaname = 'public' $$,
  'authenticated is granted exactly the operations it has policies for'
);

select is_empty(
  $$ select relname from pg_class
     where relnamespace = 'public'::regnamespace and relkind = 'r'
       and not (has_table_privilege('service_role', oid, 'select') and has_table_privilege('service_role', oid, 'insert')
                and has_table_privilege('service_role', oid, 'update') and has_table_privilege('service_role', oid, 'delete')) $$,
  'service_role may select, insert, update and delete every table'
);

select is_empty(
  $$ select c.conrelid::regclass, c.conname from pg_constraint c
     where c.contype = 'f' and c.connamespace = 'public'::regnamespace
       and not exists (
         select from pg_index i
         where i.indrelid = c.conrelid
           and (string_to_array(i.indkey::text, ' ')::int2[])[1:cardinality(c.conkey)] = c.conkey
       ) $$,
  'every foreign key is covered by an index starting with its columns'
);

select is_empty(
  $$ select c.relname from pg_class c
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
       and not exists (
         select from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
         where i.indrelid = c.oid and a.attname = 'user_id'
       ) $$,
  'every table has an index starting with user_id, the column its policies filter on'
);

select is_empty(
  $$ select c.relname from pg_class c
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
       and not exists (
         select from pg_constraint k join pg_attribute a on a.attrelid = k.conrelid and a.attnum = k.conkey[1]
         where k.conrelid = c.oid and k.contype = 'f' and k.confrelid = 'auth.users'::regclass
           and a.attname = 'user_id' and k.confdeltype = 'c'
       ) $$,
  'every table''s user_id references auth.users and is deleted with the account'
);

select is_empty(
  $$ select c.relname from pg_class c
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
       and not exists (
         select from pg_attribute a
         where a.attrelid = c.oid and a.attname = 'created_at' and a.attnotnull
           and a.atttypid = 'timestamptz'::regtype and pg_get_expr(
             (select adbin from pg_attrdef where adrelid = c.oid and adnum = a.attnum), c.oid) = 'now()'
       ) $$,
  'every table has created_at timestamptz not null default now()'
);

select is_empty(
  $$ select c.relname from pg_class c join pg_attribute a on a.attrelid = c.oid and a.attname = 'updated_at'
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r'
       and not exists (
         select from pg_trigger t
         where t.tgrelid = c.oid and t.tgfoid = 'public.set_updated_at()'::regprocedure and not t.tgisinternal
       ) $$,
  'every table with updated_at has the set_updated_at trigger'
);

select is_empty(
  $$ select c.relname, a.attname from pg_class c join pg_attribute a on a.attrelid = c.oid
     where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' and a.atttypid = 'jsonb'::regtype
       and not exists (
         select from pg_constraint k
         where k.conrelid = c.oid and k.contype = 'c'
           and pg_get_constraintdef(k.oid) ~ ('jsonb_typeof\(' || a.attname || '\)')
       ) $$,
  'every JSONB column has its shape (object or array) checked'
);

select ok(
  (select not prosecdef and proconfig = array['search_path=""'] from pg_proc
   where oid = 'public.set_updated_at()'::regprocedure),
  'set_updated_at is security invoker with an empty search_path'
);

select pg_temp.given_one_row_per_user();
update public.documents set updated_at = '2000-01-01' where id = pg_temp.id('owner', 'documents');
select pg_temp.act_as('owner');
update public.documents set title = 'Renewal notes v2' where id = pg_temp.id('owner', 'documents');
select pg_temp.act_as('postgres');

select is(
  (select updated_at from public.documents where id = pg_temp.id('owner', 'documents')),
  now(),
  'an update by a user stamps updated_at'
);

select * from finish();
rollback;
