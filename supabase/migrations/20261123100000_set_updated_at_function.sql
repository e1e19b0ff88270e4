-- Keeps updated_at truthful no matter which client wrote the row (PostgREST, the service, psql).
-- Security invoker with an empty search_path: it runs with the writer's rights and cannot be hijacked
-- by objects someone puts earlier on the search path.
create function public.set_updated_at()
returns trigger
language plpgsql
security invoker
set search_path = ''
as $$
begin
  new.updated_at := pg_catalog.now();
  return new;
end;
$$;

comment on function public.set_updated_at() is
  'BEFORE UPDATE trigger: stamps updated_at with the transaction time.';

-- Triggers run it without an EXECUTE check; nobody needs to call it directly.
revoke all on function public.set_updated_at() from public, anon, authenticated;
