-- Attendee webhooks as received (signature verified): a delivery is applied once, however often Attendee
-- retries it, because its idempotency key is unique here. Written by the service only; users read their own.
create table public.attendee_webhook_events (
  id bigint generated always as identity primary key,
  idempotency_key text not null check (char_length(idempotency_key) between 1 and 255),
  attendee_bot_id text not null,
  trigger text not null,
  -- The owner and row of the bot the event is about; null when the bot is not one of ours.
  user_id uuid references auth.users (id) on delete cascade,
  meeting_bot_id uuid,
  payload jsonb not null check (jsonb_typeof(payload) = 'object'),
  created_at timestamptz not null default now(),
  constraint attendee_webhook_events_idempotency_key_key unique (idempotency_key),
  constraint attendee_webhook_events_meeting_bot_fkey foreign key (user_id, meeting_bot_id)
    references public.meeting_bots (user_id, id) on delete set null (meeting_bot_id)
);

create index attendee_webhook_events_user_id_created_at_idx
  on public.attendee_webhook_events (user_id, created_at desc);
create index attendee_webhook_events_user_id_meeting_bot_id_idx
  on public.attendee_webhook_events (user_id, meeting_bot_id);

alter table public.attendee_webhook_events enable row level security;

create policy select_own on public.attendee_webhook_events
  for select to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.attendee_webhook_events from anon, authenticated;
grant select on table public.attendee_webhook_events to authenticated;
grant all on table public.attendee_webhook_events to service_role;
grant usage, select on sequence public.attendee_webhook_events_id_seq to service_role;
