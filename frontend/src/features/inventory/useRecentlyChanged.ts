import { useEffect, useRef, useState } from 'react';

const HIGHLIGHT_MS = 2500;

/**
 * The keys whose value differs from the one before, for a short while: to highlight rows a
 * live update changed. The first values change nothing (a page load is not an update).
 */
export function useRecentlyChanged(values: ReadonlyMap<string, string> | undefined): ReadonlySet<string> {
  const previous = useRef<ReadonlyMap<string, string> | undefined>(undefined);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const [changed, setChanged] = useState<ReadonlySet<string>>(() => new Set());

  useEffect(() => {
    if (!values) return;
    const before = previous.current;
    previous.current = values;
    if (!before) return;
    const keys = [...values].filter(([key, value]) => before.get(key) !== value).map(([key]) => key);
    if (keys.length === 0) return;
    setChanged((current) => new Set([...current, ...keys]));
    for (const key of keys) {
      clearTimeout(timers.current.get(key));
      timers.current.set(
        key,
        setTimeout(() => {
          timers.current.delete(key);
          setChanged((current) => {
            const next = new Set(current);
            next.delete(key);
            return next;
          });
        }, HIGHLIGHT_MS),
      );
    }
  }, [values]);

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);

  return changed;
}
