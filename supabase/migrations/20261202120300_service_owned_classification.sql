-- Service-owned columns, third group: classification_batches and classification_results. A batch's status, counters,
-- summary and completion time, and every column of a result (category, confidence, trace, attempts, cost, the
-- text still to classify ...) are written by the service: the API stores a batch with its items and job, the batch
-- worker starts it and settles items, a single classify call stores its result. Before this, authenticated had
-- table-wide insert and update on both (and the worker wrote as the user). Now users read both tables and delete
-- their batches (their results go with them); everything else is the service role's.
-- Rollback: supabase/rollbacks/20261202120300_service_owned_classification.sql

drop policy insert_own on public.classification_batches;
drop policy update_own on public.classification_batches;
revoke insert, update on table public.classification_batches from authenticated;

drop policy insert_own on public.classification_results;
drop policy update_own on public.classification_results;
drop policy delete_own on public.classification_results;
revoke insert, update, delete on table public.classification_results from authenticated;
