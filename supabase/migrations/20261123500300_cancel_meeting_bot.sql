-- A bot still scheduled at Attendee whose row is deleted (its meeting deleted by the user, or the account) must
-- not join the meeting anyway: the delete enqueues `ai.cancel_meeting_bot`, whose handler deletes the bot at
-- Attendee and retries through outages. The queue is created here (queues added after the first set get their
-- own migration; see LATER_QUEUES in shared/jobs/queues.ts).
-- Rollback: supabase/rollbacks/20261123500300_cancel_meeting_bot.sql

select pgboss.create_queue('ai.cancel_meeting_bot.dead', '{"policy":"standard","retryLimit":0,"retryDelay":0,"retryBackoff":false,"expireInSeconds":900,"retentionSeconds":2592000,"deleteAfterSeconds":2592000,"notify":false}'::jsonb);
update pgboss.queue set
  retry_limit = 0, retry_delay = 0, retry_backoff = false,
  retry_delay_max = null, expire_seconds = 900,
  retention_seconds = 2592000, deletion_seconds = 2592000,
  dead_letter = null, notify = false,
  updated_on = now()
where name = 'ai.cancel_meeting_bot.dead';

select pgboss.create_queue('ai.cancel_meeting_bot', '{"policy":"standard","retryLimit":8,"retryDelay":15,"retryBackoff":true,"expireInSeconds":120,"retentionSeconds":1209600,"deleteAfterSeconds":604800,"notify":true,"retryDelayMax":900,"deadLetter":"ai.cancel_meeting_bot.dead"}'::jsonb);
update pgboss.queue set
  retry_limit = 8, retry_delay = 15, retry_backoff = true,
  retry_delay_max = 900, expire_seconds = 120,
  retention_seconds = 1209600, deletion_seconds = 604800,
  dead_letter = 'ai.cancel_meeting_bot.dead', notify = true,
  updated_on = now()
where name = 'ai.cancel_meeting_bot';

create function app_private.cancel_deleted_meeting_bot()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  perform app_private.enqueue_job(
    'ai.cancel_meeting_bot',
    jsonb_build_object('attendeeBotId', old.attendee_bot_id, 'meetingId', old.meeting_id, 'userId', old.user_id)
  );
  return null;
end;
$$;

comment on function app_private.cancel_deleted_meeting_bot() is
  'Enqueues ai.cancel_meeting_bot for a deleted meeting_bots row whose bot is still scheduled at Attendee.';

revoke all on function app_private.cancel_deleted_meeting_bot() from public, anon, authenticated;

create trigger cancel_deleted_meeting_bot
  after delete on public.meeting_bots
  for each row
  when (old.sent and old.attendee_bot_id is not null and old.state = 'scheduled')
  execute function app_private.cancel_deleted_meeting_bot();
