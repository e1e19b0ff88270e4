drop function if exists public.set_updated_at();
