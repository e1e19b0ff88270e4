-- One classification: an item of a batch, or a single classify call on a stored document.
create table public.classification_results (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  batch_id uuid,
  document_id uuid,
  -- Position of the item in its batch (unique, so re-running a batch item updates instead of duplicating),
  -- and the caller's own key for it.
  item_index integer check (item_index >= 0),
  item_key text,
  status text not null default 'pending' check (status in ('pending', 'completed', 'failed')),
  category text,
  confidence numeric check (confidence between 0 and 1),
  -- [{category, confidence}]
  alternatives jsonb not null default '[]'::jsonb check (jsonb_typeof(alternatives) = 'array'),
  -- {label, score, sentences?}
  sentiment jsonb check (jsonb_typeof(sentiment) = 'object'),
  -- [{text, type, start, end}]
  entities jsonb not null default '[]'::jsonb check (jsonb_typeof(entities) = 'array'),
  -- One entry per stage that ran, in order.
  trace jsonb not null default '[]'::jsonb check (jsonb_typeof(trace) = 'array'),
  error text,
  attempts integer not null default 0 check (attempts >= 0),
  cost_usd numeric(12, 6) not null default 0 check (cost_usd >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint classification_results_batch_item_key unique (batch_id, item_index),
  constraint classification_results_batch_item_check check ((batch_id is null) = (item_index is null)),
  constraint classification_results_batch_fkey foreign key (user_id, batch_id)
    references public.classification_batches (user_id, id) on delete cascade,
  -- The result stays when its document is deleted: the batch's counters and summary still describe it.
  constraint classification_results_document_fkey foreign key (user_id, document_id)
    references public.documents (user_id, id) on delete set null (document_id)
);

create index classification_results_user_id_batch_id_idx on public.classification_results (user_id, batch_id);
create index classification_results_user_id_document_id_idx on public.classification_results (user_id, document_id);

create trigger set_updated_at
  before update on public.classification_results
  for each row execute function public.set_updated_at();

alter table public.classification_results enable row level security;

create policy select_own on public.classification_results
  for select to authenticated using ((select auth.uid()) = user_id);
create policy insert_own on public.classification_results
  for insert to authenticated with check ((select auth.uid()) = user_id);
create policy update_own on public.classification_results
  for update to authenticated using ((select auth.uid()) = user_id) with check ((select auth.uid()) = user_id);
create policy delete_own on public.classification_results
  for delete to authenticated using ((select auth.uid()) = user_id);

revoke all on table public.classification_results from anon, authenticated;
grant select, insert, update, delete on table public.classification_results to authenticated;
grant all on table public.classification_results to service_role;
