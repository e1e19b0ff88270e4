// Loading state for the API's answers: one hook for a request, optionally repeated while a condition holds.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from './api.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | undefined;
  loading: boolean;
  reload: () => Promise<void>;
}

/**
 * Runs `load` when `deps` change and again every `pollMs` while `keepPolling(data)` says so (a batch or an
 * execution still in progress). The previous data stays on screen while a reload runs.
 */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
  options: { pollMs?: number; keepPolling?: (data: T) => boolean } = {},
): Loaded<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    setLoading(true);
    try {
      const value = await loadRef.current();
      if (mine !== generation.current) return;
      setData(value);
      setError(undefined);
    } catch (caught) {
      if (mine !== generation.current) return;
      setError(caught instanceof ApiError ? caught : new ApiError(String(caught)));
    } finally {
      if (mine === generation.current) setLoading(false);
    }
  }, []);

  // The caller names what the load depends on.
  useEffect(() => {
    setData(undefined);
    void reload();
  }, deps);

  const { pollMs, keepPolling } = options;
  useEffect(() => {
    if (!pollMs || data === undefined || !keepPolling?.(data)) return;
    const timer = setTimeout(() => void reload(), pollMs);
    return () => clearTimeout(timer);
  }, [data, pollMs, keepPolling, reload]);

  return { data, error, loading, reload };
}

/** An action's state: running, and its last error (shown next to the control that started it). */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const run = useCallback(async <T>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await action();
    } catch (caught) {
      setError(caught instanceof ApiError ? caught : new ApiError(String(caught)));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run, clear: () => setError(undefined) };
}
