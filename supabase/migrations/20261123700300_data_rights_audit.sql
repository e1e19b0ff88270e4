-- The audit trail of data-rights requests (GET /ai/me/export, DELETE /ai/me/data): who asked, when, with which
-- request id, and how many rows of which table were exported or deleted. Private and service-written; the
-- subject is a plain uuid, not a foreign key, so the record outlives the data and the account it is about.
-- Rollback: supabase/rollbacks/20261123700300_data_rights_audit.sql

create table app_private.data_rights_audit (
  id bigint generated always as identity primary key,
  subject_user_id uuid not null,
  action text not null check (action in ('export', 'delete')),
  request_id text,
  -- {"<table>": rows}
  row_counts jsonb not null default '{}'::jsonb check (jsonb_typeof(row_counts) = 'object'),
  details jsonb not null default '{}'::jsonb check (jsonb_typeof(details) = 'object'),
  created_at timestamptz not null default now()
);

comment on table app_private.data_rights_audit is
  'One row per data export or deletion a user asked for; kept after the data is gone.';

create index data_rights_audit_subject_user_id_created_at_idx
  on app_private.data_rights_audit (subject_user_id, created_at desc);

alter table app_private.data_rights_audit enable row level security;
revoke all on table app_private.data_rights_audit from public, anon, authenticated;
-- Append-only for the service: no update, no delete.
grant select, insert on table app_private.data_rights_audit to service_role;
