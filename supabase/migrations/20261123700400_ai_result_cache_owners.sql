-- Whom each cached AI result was computed or served for. The cache itself holds no user id (it is shared:
-- the same document is paid for once), but a result is derived from a user's text, so deleting a user's data
-- (DELETE /ai/me/data, or the auth.users row) deletes every cached result they were served, through the
-- trigger below. Another user served the same entry simply pays for it again next time.
-- Rollback: supabase/rollbacks/20261123700400_ai_result_cache_owners.sql

create table ai_private.ai_result_cache_owners (
  cache_key text not null references ai_private.ai_result_cache (cache_key) on delete cascade,
  user_id uuid not null references auth.users (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (cache_key, user_id)
);

comment on table ai_private.ai_result_cache_owners is
  'Users a cached AI result was served to; deleting a row (or the user) deletes the cached result.';

-- Data deletion finds a user's entries by user id.
create index ai_result_cache_owners_user_id_idx on ai_private.ai_result_cache_owners (user_id);

alter table ai_private.ai_result_cache_owners enable row level security;
revoke all on table ai_private.ai_result_cache_owners from public, anon, authenticated;
grant all on table ai_private.ai_result_cache_owners to service_role;

-- An owner row going (the user's data deleted, or their account) takes the cached result with it. When the
-- cache row itself goes first (expiry), its owner rows cascade and this finds nothing left to delete.
create function ai_private.forget_cached_result()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  delete from ai_private.ai_result_cache c where c.cache_key = old.cache_key;
  return null;
end;
$$;

revoke all on function ai_private.forget_cached_result() from public, anon, authenticated;

create trigger forget_cached_result
  after delete on ai_private.ai_result_cache_owners
  for each row execute function ai_private.forget_cached_result();
