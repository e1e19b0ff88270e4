begin;
create extension if not exists pgtap with schema extensions;
\ir rls_helpers.psql
select plan(20);

select pg_temp.given_one_row_per_user();

select pg_temp.user_table_matrix(
  'public.classification_workflows',
  $$ insert into public.classification_workflows (user_id, name, categories)
     values (pg_temp.uid('owner'), 'Lead scoring', '[{"name": "hot"}, {"name": "cold"}]') $$,
  $$ insert into public.classification_workflows (user_id, name, categories)
     values (pg_temp.uid('other'), 'Lead scoring', '[{"name": "hot"}, {"name": "cold"}]') $$,
  $$ version = version + 1, stages = '[{"type": "rules"}, {"type": "llm", "below_confidence": 0.7}]' $$
);

select pg_temp.act_as('owner');

select throws_ok(
  $$ insert into public.classification_workflows (user_id, name, categories)
     values (pg_temp.uid('owner'), 'Lead scoring', '[]') $$,
  '23505', 'duplicate key value violates unique constraint "classification_workflows_active_name_key"',
  'classification_workflows: two active workflows of a user cannot share a name'
);

select lives_ok(
  $$ update public.classification_workflows set is_active = false where name = 'Lead scoring';
     insert into public.classification_workflows (user_id, name, categories)
     values (pg_temp.uid('owner'), 'Lead scoring', '[{"name": "warm"}]') $$,
  'classification_workflows: a retired workflow''s name can be reused'
);

select throws_ok(
  $$ insert into public.classification_workflows (user_id, name, categories)
     values (pg_temp.uid('owner'), 'Broken', '{"name": "hot"}') $$,
  '23514', 'new row for relation "classification_workflows" violates check constraint "classification_workflows_categories_check"',
  'classification_workflows: categories must be a JSON array'
);

select * from finish();
rollback;
