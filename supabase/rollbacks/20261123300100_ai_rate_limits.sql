-- Loses the current windows' counts: callers start from an empty budget (harmless after a minute).
drop function if exists ai_private.adjust_ai_rate_limit(text, timestamptz, integer);
drop function if exists ai_private.consume_ai_rate_limit(text, integer, integer, integer, integer, integer);
drop function if exists ai_private.ai_rate_limit_wait(double precision, double precision, double precision,
  double precision, double precision);
drop table if exists ai_private.ai_rate_limits;
