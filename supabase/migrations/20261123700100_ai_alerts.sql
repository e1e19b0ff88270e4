-- Alerts raised by ai.monitor_ai_processing when a threshold is crossed: a user's error rate, p95 latency or
-- daily cost (user_ai_settings.alert_thresholds over the deployment's defaults), or a queue's oldest waiting job.
-- Written by the service only; users read their own (GET /ai/alerts); deployment-wide alerts have no user.
-- Rollback: supabase/rollbacks/20261123700100_ai_alerts.sql

create table public.ai_alerts (
  id uuid primary key default gen_random_uuid(),
  -- Null for deployment-wide alerts (queues), which no user sees.
  user_id uuid references auth.users (id) on delete cascade,
  kind text not null check (kind in ('error_rate', 'p95_latency', 'daily_cost', 'queue_age')),
  -- What crossed the threshold: "<operation>/<provider>", "all" or a queue name.
  subject text not null check (char_length(subject) between 1 and 200),
  value double precision not null,
  threshold double precision not null,
  -- The hour (or, for daily cost, the UTC day) the alert is about: one alert per subject and period.
  period_start timestamptz not null,
  details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
  created_at timestamptz not null default now(),
  -- A monitor run that is repeated (or overlaps another) raises nothing twice. Leads with user_id for RLS.
  constraint ai_alerts_once_per_period unique nulls not distinct (user_id, kind, subject, period_start)
);

comment on table public.ai_alerts is
  'Thresholds crossed (error rate, p95 latency, daily cost, queue age), one row per subject and period.';

create index ai_alerts_user_id_created_at_idx on public.ai_alerts (user_id, created_at desc);
-- Retention deletes by age.
create index ai_alerts_created_at_idx on public.ai_alerts (created_at);

alter table public.ai_alerts enable row level security;

create policy select_own on public.ai_alerts
  for select to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.ai_alerts from anon, authenticated;
grant select on table public.ai_alerts to authenticated;
grant all on table public.ai_alerts to service_role;
