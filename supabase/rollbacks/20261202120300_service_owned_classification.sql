-- Users may write their batches and results again (as before).
grant insert, update, delete on table public.classification_results to authenticated;
drop policy if exists insert_own on public.classification_results;
drop policy if exists update_own on public.classification_results;
drop policy if exists delete_own on public.classification_results;
create policy insert_own on public.classification_results
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy update_own on public.classification_results
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy delete_own on public.classification_results
  for delete to authenticated using ((select auth.uid()) = user_id);

grant insert, update on table public.classification_batches to authenticated;
drop policy if exists insert_own on public.classification_batches;
drop policy if exists update_own on public.classification_batches;
create policy insert_own on public.classification_batches
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy update_own on public.classification_batches
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
