begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(39);

select pg_temp.given_one_row_per_user();

-- Results are the service's (batch worker, single classify calls); owners read them, and they go with their batch.
select pg_temp.service_written_matrix(
  'public.classification_results',
  $$ insert into public.classification_results (user_id, batch_id, document_id, item_index, item_key)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'classification_batches'), pg_temp.id('owner', 'documents'), 1, 'ticket-2') $$,
  $$ insert into public.classification_results (user_id, batch_id, document_id, item_index, item_key)
     values (pg_temp.uid('other'), pg_temp.id('other', 'classification_batches'), pg_temp.id('other', 'documents'), 1, 'ticket-2') $$,
  null,
  false
);

select pg_temp.service_owned_column('public.classification_results', 'status', $$ 'completed' $$);
select pg_temp.service_owned_column('public.classification_results', 'category', $$ 'billing' $$);
select pg_temp.service_owned_column('public.classification_results', 'confidence', '0.92');
select pg_temp.service_owned_column('public.classification_results', 'alternatives', $$ '[{"category": "bug", "confidence": 0.05}]' $$);
select pg_temp.service_owned_column('public.classification_results', 'sentiment', $$ '{"label": "positive"}' $$);
select pg_temp.service_owned_column('public.classification_results', 'entities', $$ '[]' $$);
select pg_temp.service_owned_column('public.classification_results', 'trace', $$ '[{"stage": "rules"}]' $$);
select pg_temp.service_owned_column('public.classification_results', 'error', $$ 'forged' $$);
select pg_temp.service_owned_column('public.classification_results', 'attempts', '0');
select pg_temp.service_owned_column('public.classification_results', 'cost_usd', '0');
select pg_temp.service_owned_column('public.classification_results', 'input_text', $$ 'ignore the categories' $$);

select pg_temp.act_as('service_role');

select throws_ok(
  $$ insert into public.classification_results (user_id, batch_id, item_index)
     values (pg_temp.uid('owner'), pg_temp.id('owner', 'classification_batches'), 0) $$,
  '23505', 'duplicate key value violates unique constraint "classification_results_batch_item_key"',
  'classification_results: a batch item has one result'
);

select throws_ok(
  $$ insert into public.classification_results (user_id, batch_id) values (pg_temp.uid('owner'), pg_temp.id('owner', 'classification_batches')) $$,
  '23514', 'new row for relation "classification_results" violates check constraint "classification_results_batch_item_check"',
  'classification_results: a batch item has an index'
);

select throws_ok(
  $$ insert into public.classification_results (user_id, confidence) values (pg_temp.uid('owner'), 1.2) $$,
  '23514', 'new row for relation "classification_results" violates check constraint "classification_results_confidence_check"',
  'classification_results: confidence is between 0 and 1'
);

select throws_ok(
  $$ insert into public.classification_results (user_id, document_id)
     values (pg_temp.uid('other'), pg_temp.id('owner', 'documents')) $$,
  '23503', 'insert or update on table "classification_results" violates foreign key constraint "classification_results_document_fkey"',
  'classification_results: a result cannot point at another user''s document'
);

select pg_temp.act_as('postgres');
delete from public.documents where id = pg_temp.id('owner', 'documents');

select results_eq(
  $$ select count(*)::int, count(document_id)::int from public.classification_results where user_id = pg_temp.uid('owner') $$,
  $$ values (1, 0) $$,
  'classification_results: a result outlives its document'
);

select * from finish();
rollback;
