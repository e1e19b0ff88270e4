alter table public.meeting_bots
  drop column if exists state_changed_at,
  drop column if exists meeting_url;
