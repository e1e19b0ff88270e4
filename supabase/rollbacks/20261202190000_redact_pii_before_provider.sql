-- Undoes 20261202190000_redact_pii_before_provider.sql. Loses every user's redaction choice.
alter table public.user_ai_settings drop column if exists redact_pii_before_provider;
