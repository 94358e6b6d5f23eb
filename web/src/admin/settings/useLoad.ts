import { useCallback, useEffect, useRef, useState } from 'react';

/** Loads once and on `reload()`; errors become a message for a role="alert" line. */
export function useLoad<T>(load: () => Promise<T>): { data: T | null; error: string | null; reload: () => void; setError: (message: string | null) => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The loader is read through a ref: callers pass an inline arrow, and a new one each render must not refetch.
  const loader = useRef(load);
  loader.current = load;
  const reload = useCallback(() => { loader.current().then((value) => { setData(value); setError(null); }, (caught: Error) => setError(caught.message)); }, []);
  useEffect(reload, [reload]);
  return { data, error, reload, setError };
}

/** Runs an action, reporting its failure instead of throwing. */
export async function attempt(action: () => Promise<unknown>, setError: (message: string | null) => void, then?: () => void): Promise<void> {
  setError(null);
  try {
    await action();
    then?.();
  } catch (caught) {
    setError((caught as Error).message);
  }
}
