-- Loses the text of pending and failed batch items: they can no longer be classified or retried.
alter table public.classification_results
  drop column if exists input_text;
