begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(18);

select pg_temp.given_one_row_per_user();

select pg_temp.log_table_matrix(
  'public.attendee_webhook_events',
  $$ insert into public.attendee_webhook_events (idempotency_key, attendee_bot_id, trigger, user_id, payload)
     values ('owner-delivery-2', 'bot_owner', 'bot.state_change', pg_temp.uid('owner'), '{}') $$,
  $$ insert into public.attendee_webhook_events (idempotency_key, attendee_bot_id, trigger, user_id, payload)
     values ('other-delivery-2', 'bot_other', 'bot.state_change', pg_temp.uid('other'), '{}') $$,
  $$ payload = '{"data": {"new_state": "joined_recording"}}' $$
);

select pg_temp.act_as('service_role');

select throws_ok(
  $$ insert into public.attendee_webhook_events (idempotency_key, attendee_bot_id, trigger, payload)
     values ('owner-delivery-1', 'bot_owner', 'bot.state_change', '{}') $$,
  '23505', 'duplicate key value violates unique constraint "attendee_webhook_events_idempotency_key_key"',
  'attendee_webhook_events: a delivery is stored once, however often Attendee retries it'
);

-- The owner's fixture event is about their bot; the event stays when the bot row goes.
delete from public.meeting_bots where id = pg_temp.id('owner', 'meeting_bots');

select results_eq(
  $$ select count(*)::int, count(meeting_bot_id)::int from public.attendee_webhook_events
     where user_id = pg_temp.uid('owner') $$,
  $$ values (1, 0) $$,
  'attendee_webhook_events: an event outlives the bot row it was about'
);

select * from finish();
rollback;
