import { useEffect, useState } from 'react';
import type { Loadable } from './OnCallCard';

/** Runs `load` when `deps` change, keeping only the latest answer (an older one may come later). */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: unknown[],
): Loadable<T> {
  const [state, setState] = useState<Loadable<T>>({ state: 'loading' });
  useEffect(() => {
    let current = true;
    setState({ state: 'loading' });
    load().then(
      value => current && setState({ state: 'loaded', value }),
      error =>
        current &&
        setState({ state: 'failed', message: (error as Error).message }),
    );
    return () => {
      current = false;
    };
    // The caller lists what `load` reads, as with useEffect itself.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}
