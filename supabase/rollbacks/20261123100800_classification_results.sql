drop table if exists public.classification_results;
