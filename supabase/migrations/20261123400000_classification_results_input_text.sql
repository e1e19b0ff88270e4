-- The text a batch item is classified from. Written when the batch is submitted (inline text, or a snapshot of
-- the named document, so a document edited meanwhile cannot change what was asked), and cleared once the item
-- is classified: only pending and failed items (which a retry classifies again) keep a copy of the text.
alter table public.classification_results
  add column input_text text check (char_length(input_text) <= 100000);

comment on column public.classification_results.input_text is
  'Text of a batch item still to classify (pending or failed); null once classified, and for single calls.';
