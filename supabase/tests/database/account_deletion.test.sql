-- Per-user data deletion: deleting the auth.users row removes everything the user owns, through every
-- chain of foreign keys, and nothing of anyone else.
begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(3);

create function pg_temp.rows_per_table(who uuid) returns table (relname text, n bigint) language plpgsql as $$
declare
  t text;
begin
  for t in select c.relname from pg_class c where c.relnamespace = 'public'::regnamespace and c.relkind = 'r' loop
    relname := t;
    execute format('select count(*) from public.%I where user_id = $1', t) into n using who;
    return next;
  end loop;
end;
$$;

select pg_temp.given_one_row_per_user();
create temporary table others_rows_before as select * from pg_temp.rows_per_table(pg_temp.uid('other'));

delete from auth.users where id = pg_temp.uid('owner');

select is_empty(
  $$ select * from pg_temp.rows_per_table(pg_temp.uid('owner')) where n > 0 $$,
  'deleting an account deletes its rows in every table'
);

select set_eq(
  $$ select * from pg_temp.rows_per_table(pg_temp.uid('other')) $$,
  $$ select * from others_rows_before $$,
  'deleting an account leaves other users'' rows alone'
);

delete from auth.users where id = pg_temp.uid('approver');

select results_eq(
  $$ select status, approver_id from public.workflow_approvals where user_id = pg_temp.uid('other') $$,
  $$ values ('pending', null::uuid) $$,
  'an approval stays with its owner when the approver''s account is deleted (it waits for its expiry)'
);

select * from finish();
rollback;
