-- Service-owned columns, first group: documents, notifications, workflow_approvals. Before this, authenticated had
-- table-wide insert/update on documents and notifications, so a user could write through the REST API what the
-- service sets (a document's routing decision, notifications that look like the service's), and an approver could
-- write any decided_at. Now every privilege of authenticated is stated column by column.
-- Rollback: supabase/rollbacks/20261202120000_service_owned_columns_documents_notifications_approvals.sql

-- documents: users write their content (id and user_id too, which a PostgREST upsert sets again; RLS and the
-- composite foreign keys keep them in the owner's tenant). routed_to and routing are written by the workflow
-- routing step (service role); created_at and updated_at by defaults and the trigger.
revoke insert, update on table public.documents from authenticated;
grant insert (id, user_id, title, content, metadata) on table public.documents to authenticated;
grant update (id, user_id, title, content, metadata) on table public.documents to authenticated;

-- notifications: written by workflow steps and AI jobs (service role); the user marks them read and deletes them.
drop policy insert_own on public.notifications;
revoke insert, update on table public.notifications from authenticated;
grant update (read_at) on table public.notifications to authenticated;

-- workflow_approvals: the approver may still decide through the REST API (status, comment, decided_by, under the
-- update policy), but when it was decided is the database's to say: the trigger below stamps decided_at.
revoke update (decided_at) on table public.workflow_approvals from authenticated;

create function public.stamp_approval_decision()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  -- Pending has no decision time; leaving pending stamps it now; a decided row keeps the time it was decided.
  new.decided_at := case
    when new.status = 'pending' then null
    when old.status = 'pending' then pg_catalog.now()
    else old.decided_at
  end;
  return new;
end;
$$;

comment on function public.stamp_approval_decision() is
  'BEFORE UPDATE trigger on workflow_approvals: decided_at is the time status left pending, whoever wrote it.';
revoke all on function public.stamp_approval_decision() from public, anon, authenticated;

create trigger stamp_approval_decision
  before update on public.workflow_approvals
  for each row execute function public.stamp_approval_decision();
