-- What the approver is asked to decide, copied from the approval step when the approval is created: the approver
-- may be another user, who can read the approval but not the owner's workflow or execution.
alter table public.workflow_approvals
  add column instructions text check (char_length(instructions) <= 2000),
  add column workflow_name text check (char_length(workflow_name) <= 200);
