-- Approvals are not a plain owner-only table: the execution's owner and the approver both read the row,
-- only the approver decides it (once, while pending and unexpired), and only the service creates or deletes it.
begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(32);

-- Both fixture approvals (one on the owner's execution, one on the other user's) wait for the approver.
select pg_temp.given_one_row_per_user();

select pg_temp.act_as('anon');
select throws_ok($$ select * from public.workflow_approvals $$, '42501', 'permission denied for table workflow_approvals',
  'workflow_approvals: anon cannot select');
select throws_ok(
  $$ insert into public.workflow_approvals (user_id, execution_id, step_id)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'workflow_executions'), 'extra') $$,
  '42501', 'permission denied for table workflow_approvals', 'workflow_approvals: anon cannot insert');
select throws_ok($$ update public.workflow_approvals set status = 'approved' $$, '42501',
  'permission denied for table workflow_approvals', 'workflow_approvals: anon cannot update');
select throws_ok($$ delete from public.workflow_approvals $$, '42501', 'permission denied for table workflow_approvals',
  'workflow_approvals: anon cannot delete');

select pg_temp.act_as('other');
select results_eq($$ select id from public.workflow_approvals $$, array[pg_temp.id('other', 'workflow_approvals')],
  'workflow_approvals: another user sees only approvals of their own executions');
select throws_ok(
  $$ insert into public.workflow_approvals (user_id, execution_id, step_id, approver_id)
     values (pg_temp.uid('other'), pg_temp.id('other', 'workflow_executions'), 'extra', pg_temp.uid('other')) $$,
  '42501', 'permission denied for table workflow_approvals', 'workflow_approvals: a user cannot create an approval');
select is(
  pg_temp.row_count($$ update public.workflow_approvals
    set status = 'approved', decided_by = pg_temp.uid('other')
    where id = pg_temp.id('owner', 'workflow_approvals') $$),
  0, 'workflow_approvals: another user cannot decide the owner''s approval');
select throws_ok($$ delete from public.workflow_approvals $$, '42501', 'permission denied for table workflow_approvals',
  'workflow_approvals: a user cannot delete an approval');

select pg_temp.act_as('owner');
select results_eq($$ select id from public.workflow_approvals $$, array[pg_temp.id('owner', 'workflow_approvals')],
  'workflow_approvals: the owner sees the approvals of their executions');
select throws_ok(
  $$ insert into public.workflow_approvals (user_id, execution_id, step_id, approver_id)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'workflow_executions'), 'extra', pg_temp.uid('owner')) $$,
  '42501', 'permission denied for table workflow_approvals', 'workflow_approvals: the owner cannot create an approval');
select is(
  pg_temp.row_count($$ update public.workflow_approvals
    set status = 'approved', decided_by = pg_temp.uid('owner')
    where id = pg_temp.id('owner', 'workflow_approvals') $$),
  0, 'workflow_approvals: the owner cannot decide an approval assigned to someone else');
select throws_ok(
  $$ update public.workflow_approvals set approver_id = pg_temp.uid('owner') $$,
  '42501', 'permission denied for table workflow_approvals', 'workflow_approvals: the owner cannot reassign the approver');
select throws_ok($$ delete from public.workflow_approvals $$, '42501', 'permission denied for table workflow_approvals',
  'workflow_approvals: the owner cannot delete an approval');

select pg_temp.act_as('approver');
select results_eq(
  $$ select id from public.workflow_approvals order by id $$,
  $$ values (pg_temp.id('owner', 'workflow_approvals')), (pg_temp.id('other', 'workflow_approvals')) order by 1 $$,
  'workflow_approvals: the approver sees the approvals assigned to them');
select is_empty($$ select * from public.workflow_executions $$,
  'workflow_approvals: being an approver gives no access to the execution itself');
select throws_ok(
  $$ update public.workflow_approvals set expires_at = now() + interval '30 days' $$,
  '42501', 'permission denied for table workflow_approvals', 'workflow_approvals: the approver cannot extend the deadline');
select throws_ok(
  $$ update public.workflow_approvals set status = 'approved'
     where id = pg_temp.id('owner', 'workflow_approvals') $$,
  '42501', 'new row violates row-level security policy for table "workflow_approvals"',
  'workflow_approvals: a decision must be signed by the approver (decided_by)');
select throws_ok(
  $$ update public.workflow_approvals set status = 'expired', decided_by = pg_temp.uid('approver')
     where id = pg_temp.id('owner', 'workflow_approvals') $$,
  '42501', 'new row violates row-level security policy for table "workflow_approvals"',
  'workflow_approvals: the approver can only approve or reject');
-- When a decision was taken is the database's to say (the stamp_approval_decision trigger), not the approver's.
select throws_ok(
  $$ update public.workflow_approvals set status = 'approved', decided_by = pg_temp.uid('approver'),
       decided_at = now() - interval '1 day'
     where id = pg_temp.id('owner', 'workflow_approvals') $$,
  '42501', 'permission denied for table workflow_approvals',
  'workflow_approvals.decided_at: the approver cannot write it');
select is(
  pg_temp.row_count($$ update public.workflow_approvals
    set status = 'approved', comment = 'Terms look fine', decided_by = pg_temp.uid('approver')
    where id = pg_temp.id('owner', 'workflow_approvals') and status = 'pending' $$),
  1, 'workflow_approvals: the approver approves a pending approval');
select results_eq(
  $$ select decided_at = now() from public.workflow_approvals where id = pg_temp.id('owner', 'workflow_approvals') $$,
  array[true], 'workflow_approvals: the decision is stamped with the time it was taken');
select is(
  pg_temp.row_count($$ update public.workflow_approvals
    set status = 'rejected', decided_by = pg_temp.uid('approver')
    where id = pg_temp.id('owner', 'workflow_approvals') $$),
  0, 'workflow_approvals: a decided approval cannot be decided again');

select pg_temp.act_as('postgres');
-- The approver's decision resumes the owner's execution (the resume_decided_approval trigger).
select results_eq(
  $$ select data from pgboss.job
      where name = 'ai.execute_document_workflow'
        and data->>'executionId' = pg_temp.id('owner', 'workflow_executions')::text $$,
  $$ values (jsonb_build_object('executionId', pg_temp.id('owner', 'workflow_executions'),
                                'userId', pg_temp.uid('owner'))) $$,
  'workflow_approvals: a decision through the API enqueues the execution''s job, naming its owner');
update public.workflow_approvals set expires_at = now() - interval '1 minute'
where id = pg_temp.id('other', 'workflow_approvals');

select pg_temp.act_as('approver');
select is(
  pg_temp.row_count($$ update public.workflow_approvals
    set status = 'approved', decided_by = pg_temp.uid('approver')
    where id = pg_temp.id('other', 'workflow_approvals') $$),
  0, 'workflow_approvals: an approval past its deadline cannot be decided');

select pg_temp.act_as('service_role');
select results_eq(
  $$ select count(*)::int from public.workflow_approvals where user_id in (pg_temp.uid('owner'), pg_temp.uid('other')) $$,
  array[2], 'workflow_approvals: service_role sees every approval');
select lives_ok(
  $$ insert into public.workflow_approvals (user_id, execution_id, step_id, approver_id)
     values (pg_temp.uid('other'), pg_temp.id('other', 'workflow_executions'), 'legal', pg_temp.uid('approver')) $$,
  'workflow_approvals: service_role creates approvals');
select is(
  pg_temp.row_count($$ update public.workflow_approvals set status = 'approved', decided_by = pg_temp.uid('approver')
    where execution_id = pg_temp.id('other', 'workflow_executions') and step_id = 'legal' $$),
  1, 'workflow_approvals: service_role decides approvals');
select is(
  pg_temp.row_count($$ update public.workflow_approvals set status = 'expired', decided_at = now()
    where id = pg_temp.id('other', 'workflow_approvals') $$),
  1, 'workflow_approvals: service_role expires approvals');
select is(
  pg_temp.row_count($$ update public.workflow_approvals set decided_at = now() - interval '1 day'
    where id = pg_temp.id('other', 'workflow_approvals') $$),
  1, 'workflow_approvals.decided_at: service_role writes it');
select results_eq(
  $$ select decided_at = now() from public.workflow_approvals where id = pg_temp.id('other', 'workflow_approvals') $$,
  array[true], 'workflow_approvals: a decided approval keeps the time it was decided, whoever writes decided_at');
select is(
  pg_temp.row_count($$ delete from public.workflow_approvals where id = pg_temp.id('other', 'workflow_approvals') $$),
  1, 'workflow_approvals: service_role deletes approvals');

select pg_temp.act_as('postgres');
select is_empty(
  $$ select 1 from pgboss.job
      where name = 'ai.execute_document_workflow'
        and data->>'executionId' = pg_temp.id('other', 'workflow_executions')::text $$,
  'workflow_approvals: a decision by service_role enqueues nothing (its caller carries it over itself)');

select * from finish();
rollback;
