-- One row per AI provider call: the source of the metrics, the cost budget and the alerts.
-- Append-only and written by the service only; users read their own calls.
create table public.ai_processing_logs (
  id bigint generated always as identity primary key,
  -- Null for work no user started (monitoring, warm-up).
  user_id uuid references auth.users (id) on delete cascade,
  request_id text,
  operation text not null,
  provider text not null,
  model text,
  tokens_in integer not null default 0 check (tokens_in >= 0),
  tokens_out integer not null default 0 check (tokens_out >= 0),
  cost_usd numeric(12, 6) not null default 0 check (cost_usd >= 0),
  latency_ms integer check (latency_ms >= 0),
  status text not null check (status in ('success', 'error', 'cached')),
  error_code text,
  error_message text,
  created_at timestamptz not null default now()
);

create index ai_processing_logs_user_id_created_at_idx on public.ai_processing_logs (user_id, created_at desc);
-- Metrics and alerts aggregate the latest window across users.
create index ai_processing_logs_created_at_idx on public.ai_processing_logs (created_at);

alter table public.ai_processing_logs enable row level security;

create policy select_own on public.ai_processing_logs
  for select to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.ai_processing_logs from anon, authenticated;
grant select on table public.ai_processing_logs to authenticated;
grant all on table public.ai_processing_logs to service_role;
-- No sequence grant: an identity column draws its values without privileges on its sequence.
