drop table if exists public.attendee_webhook_events;
