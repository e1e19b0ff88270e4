-- Results of AI provider calls keyed by a SHA-256 of (operation, provider, model, prompt version, input), so
-- the same document is never paid for twice. It holds no user id and no input text, only the validated
-- result; rows expire so derived content is not kept for ever. Service-only (schema ai_private): RLS on, no policy.
create table ai_private.ai_result_cache (
  cache_key text primary key check (cache_key ~ '^[0-9a-f]{64}$'),
  operation text not null check (char_length(operation) between 1 and 64),
  provider text not null check (char_length(provider) between 1 and 64),
  model text not null check (char_length(model) between 1 and 200),
  result jsonb not null check (jsonb_typeof(result) = 'object'),
  tokens_in integer not null default 0 check (tokens_in >= 0),
  tokens_out integer not null default 0 check (tokens_out >= 0),
  cost_usd numeric(12, 6) not null default 0 check (cost_usd >= 0),
  hit_count integer not null default 0 check (hit_count >= 0),
  last_hit_at timestamptz,
  expires_at timestamptz not null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table ai_private.ai_result_cache is
  'Validated AI results by input hash (no user, no input text); what a hit saved is tokens_in/out and cost_usd.';

-- Pruning expired rows scans by expiry.
create index ai_result_cache_expires_at_idx on ai_private.ai_result_cache (expires_at);

create trigger set_updated_at
  before update on ai_private.ai_result_cache
  for each row execute function public.set_updated_at();

alter table ai_private.ai_result_cache enable row level security;

revoke all on table ai_private.ai_result_cache from anon, authenticated;
grant all on table ai_private.ai_result_cache to service_role;
