-- The AI service's own state (the provider rate limiter and the result cache) belongs to no user: it lives in a
-- schema the Data API does not expose (supabase/config.toml lists only public and graphql_public), so neither
-- PostgREST nor RPC can reach it, whatever the grants. Only the service role may use it.
create schema ai_private;

comment on schema ai_private is 'Service-only state of the AI service: provider rate limits and the result cache.';

revoke all on schema ai_private from public;
grant usage on schema ai_private to service_role;
