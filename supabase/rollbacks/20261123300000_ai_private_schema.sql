-- Fails (as it should) while the schema still holds something: roll back the migrations that fill it first.
drop schema if exists ai_private;
