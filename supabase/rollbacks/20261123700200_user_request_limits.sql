-- Rollback of 20261123700200_user_request_limits.sql. Loses the current minute's counts (harmless).
drop function if exists app_private.consume_user_request(uuid, integer);
drop table if exists app_private.user_request_counts;
