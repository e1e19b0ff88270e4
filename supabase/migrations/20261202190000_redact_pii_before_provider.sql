-- Per-user privacy setting: when true, PII (emails, phones, cards, IBANs, national ids, IP addresses, names) is
-- masked in the text before it is sent to an external AI provider (OpenAI); the local provider sees the text as is.
-- The user sets it on their own row (the table's RLS policies and grants cover the new column).
alter table public.user_ai_settings
  add column redact_pii_before_provider boolean not null default false;

comment on column public.user_ai_settings.redact_pii_before_provider is
  'Mask PII before text goes to an external AI provider (counts by type are logged, never values)';
