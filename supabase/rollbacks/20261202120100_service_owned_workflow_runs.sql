-- Users may write their executions and step runs again (as before).
grant insert, update, delete on table public.workflow_step_runs to authenticated;
drop policy if exists insert_own on public.workflow_step_runs;
drop policy if exists update_own on public.workflow_step_runs;
drop policy if exists delete_own on public.workflow_step_runs;
create policy insert_own on public.workflow_step_runs
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy update_own on public.workflow_step_runs
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy delete_own on public.workflow_step_runs
  for delete to authenticated using ((select auth.uid()) = user_id);

grant insert, update on table public.workflow_executions to authenticated;
drop policy if exists insert_own on public.workflow_executions;
drop policy if exists update_own on public.workflow_executions;
create policy insert_own on public.workflow_executions
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy update_own on public.workflow_executions
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
