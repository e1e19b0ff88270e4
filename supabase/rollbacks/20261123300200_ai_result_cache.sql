-- Loses the cached results: the next identical call is paid for again.
drop table if exists ai_private.ai_result_cache;
