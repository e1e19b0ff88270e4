-- Every decision the bot scheduler takes, with its reason: the answer to "why was (or wasn't) a bot sent?".
-- Written by the service only; users read their own.
create table public.bot_scheduling_logs (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  meeting_id uuid,
  meeting_bot_id uuid,
  decision text not null check (decision in (
    'scheduled', 'skipped', 'failed', 'updated', 'cancelled', 'linked', 'not_sent', 'left_alone'
  )),
  reason text,
  details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
  created_at timestamptz not null default now(),
  -- The log outlives the meeting and the bot it talks about.
  constraint bot_scheduling_logs_meeting_fkey foreign key (user_id, meeting_id)
    references public.meetings (user_id, id) on delete set null (meeting_id),
  constraint bot_scheduling_logs_meeting_bot_fkey foreign key (user_id, meeting_bot_id)
    references public.meeting_bots (user_id, id) on delete set null (meeting_bot_id)
);

create index bot_scheduling_logs_user_id_created_at_idx on public.bot_scheduling_logs (user_id, created_at desc);
create index bot_scheduling_logs_user_id_meeting_id_idx on public.bot_scheduling_logs (user_id, meeting_id);
create index bot_scheduling_logs_user_id_meeting_bot_id_idx on public.bot_scheduling_logs (user_id, meeting_bot_id);

alter table public.bot_scheduling_logs enable row level security;

create policy select_own on public.bot_scheduling_logs
  for select to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.bot_scheduling_logs from anon, authenticated;
grant select on table public.bot_scheduling_logs to authenticated;
grant all on table public.bot_scheduling_logs to service_role;
