-- Rollback of 20261202130000_ai_calls_in_flight.sql.
drop function ai_private.settle_abandoned_ai_calls(interval);
drop table ai_private.ai_calls_in_flight;
