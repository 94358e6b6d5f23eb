import { useEffect, useRef } from 'react';

/** Calls `fn` now and every `ms` while `active`; the latest `fn` is used, so callers need not memoise it. */
export function usePoll(fn: () => void, ms: number, active: boolean): void {
  const latest = useRef(fn);
  latest.current = fn;
  useEffect(() => {
    if (!active) return;
    latest.current();
    const timer = setInterval(() => latest.current(), ms);
    return () => clearInterval(timer);
  }, [ms, active]);
}
