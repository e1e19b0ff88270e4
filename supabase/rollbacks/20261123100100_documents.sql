drop table if exists public.documents;
