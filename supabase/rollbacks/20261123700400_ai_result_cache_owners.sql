-- Forgets whom cached results were served to: data deletion no longer reaches the cache.
drop table if exists ai_private.ai_result_cache_owners;
drop function if exists ai_private.forget_cached_result();
