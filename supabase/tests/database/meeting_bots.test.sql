begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(20);

select pg_temp.given_one_row_per_user();

select pg_temp.user_table_matrix(
  'public.meeting_bots',
  $$ insert into public.meeting_bots (user_id, meeting_id, state)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'meetings'), 'scheduled') $$,
  $$ insert into public.meeting_bots (user_id, meeting_id, state)
     values (pg_temp.uid('other'), pg_temp.id('other', 'meetings'), 'scheduled') $$,
  $$ state = 'staged' $$
);

select pg_temp.act_as('owner');

select throws_ok(
  $$ insert into public.meeting_bots (user_id, meeting_id, state)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'meetings'), 'pending') $$,
  '23505', 'duplicate key value violates unique constraint "meeting_bots_one_live_bot_per_meeting"',
  'meeting_bots: a meeting has at most one live bot'
);

select lives_ok(
  $$ update public.meeting_bots set state = 'ended' where meeting_id = pg_temp.id('owner', 'meetings');
     insert into public.meeting_bots (user_id, meeting_id, state)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'meetings'), 'pending') $$,
  'meeting_bots: a new bot may follow one that ended'
);

select pg_temp.act_as('other');

select throws_ok(
  $$ insert into public.meeting_bots (user_id, meeting_id, state)
     values (pg_temp.uid('other'), pg_temp.id('owner', 'meetings'), 'ended') $$,
  '23503', 'insert or update on table "meeting_bots" violates foreign key constraint "meeting_bots_meeting_fkey"',
  'meeting_bots: a bot cannot be attached to another user''s meeting'
);

select * from finish();
rollback;
