drop table if exists public.document_workflows;
