-- Users may write their bot rows again (as before); the register of issued Attendee ids is lost.
drop table if exists app_private.issued_attendee_bots;
grant insert, update, delete on table public.meeting_bots to authenticated;
drop policy if exists insert_own on public.meeting_bots;
drop policy if exists update_own on public.meeting_bots;
drop policy if exists delete_own on public.meeting_bots;
create policy insert_own on public.meeting_bots
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy update_own on public.meeting_bots
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy delete_own on public.meeting_bots
  for delete to authenticated using ((select auth.uid()) = user_id);
