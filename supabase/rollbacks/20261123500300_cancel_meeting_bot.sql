-- Deleting a scheduled bot's row no longer cancels it at Attendee. Jobs already queued are deleted with the
-- queue.
drop trigger if exists cancel_deleted_meeting_bot on public.meeting_bots;
drop function if exists app_private.cancel_deleted_meeting_bot();
select pgboss.delete_queue('ai.cancel_meeting_bot') where exists (select 1 from pgboss.queue where name = 'ai.cancel_meeting_bot');
select pgboss.delete_queue('ai.cancel_meeting_bot.dead') where exists (select 1 from pgboss.queue where name = 'ai.cancel_meeting_bot.dead');
