-- Per-user limits for AI provider calls. A null column means "use the deployment's default".
create table public.user_ai_settings (
  user_id uuid primary key references auth.users (id) on delete cascade,
  daily_cost_budget_usd numeric(12, 4) check (daily_cost_budget_usd >= 0),
  requests_per_minute integer check (requests_per_minute > 0),
  preferred_provider text check (char_length(preferred_provider) between 1 and 64),
  -- e.g. {"error_rate": 0.1, "p95_latency_ms": 5000, "daily_cost_usd": 4}
  alert_thresholds jsonb not null default '{}'::jsonb check (jsonb_typeof(alert_thresholds) = 'object'),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

create trigger set_updated_at
  before update on public.user_ai_settings
  for each row execute function public.set_updated_at();

alter table public.user_ai_settings enable row level security;

create policy select_own on public.user_ai_settings
  for select to authenticated using ((select auth.uid()) = user_id);
create policy insert_own on public.user_ai_settings
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy update_own on public.user_ai_settings
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy delete_own on public.user_ai_settings
  for delete to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.user_ai_settings from anon, authenticated;
grant select, insert, update, delete on table public.user_ai_settings to authenticated;
grant all on table public.user_ai_settings to service_role;
