begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(23);

select pg_temp.given_one_row_per_user();

-- Bot rows are service-owned: users read their own and write nothing (no insert, update or delete grant).
select pg_temp.log_table_matrix(
  'public.meeting_bots',
  $$ insert into public.meeting_bots (user_id, meeting_id, state)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'meetings'), 'scheduled') $$,
  $$ insert into public.meeting_bots (user_id, meeting_id, state)
     values (pg_temp.uid('other'), pg_temp.id('other', 'meetings'), 'scheduled') $$,
  $$ state = 'staged' $$
);

select pg_temp.act_as('owner');

-- Column by column: none of the service's columns is writable by the owner of the row.
select throws_ok(
  $$ update public.meeting_bots set attendee_bot_id = 'bot_someone_elses' where user_id = pg_temp.uid('owner') $$,
  '42501', 'permission denied for table meeting_bots',
  'meeting_bots: the owner cannot write attendee_bot_id'
);
select throws_ok(
  $$ update public.meeting_bots set sent = true, state = 'scheduled' where user_id = pg_temp.uid('owner') $$,
  '42501', 'permission denied for table meeting_bots',
  'meeting_bots: the owner cannot write sent or state'
);
select ok(
  not has_any_column_privilege('authenticated', 'public.meeting_bots', 'insert, update'),
  'meeting_bots: authenticated has no insert or update privilege on any column'
);
select ok(
  has_table_privilege('authenticated', 'public.meeting_bots', 'select'),
  'meeting_bots: authenticated still reads (its own rows, by RLS)'
);
select throws_ok(
  $$ select * from app_private.issued_attendee_bots $$,
  '42501', 'permission denied for schema app_private',
  'meeting_bots: the register of issued Attendee ids is out of users'' reach'
);

select pg_temp.act_as('service_role');

select throws_ok(
  $$ insert into public.meeting_bots (user_id, meeting_id, state)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'meetings'), 'pending') $$,
  '23505', 'duplicate key value violates unique constraint "meeting_bots_one_live_bot_per_meeting"',
  'meeting_bots: a meeting has at most one live bot'
);

select throws_ok(
  $$ insert into public.meeting_bots (user_id, meeting_id, state)
     values (pg_temp.uid('other'), pg_temp.id('owner', 'meetings'), 'ended') $$,
  '23503', 'insert or update on table "meeting_bots" violates foreign key constraint "meeting_bots_meeting_fkey"',
  'meeting_bots: a bot cannot be attached to another user''s meeting'
);

select * from finish();
rollback;
