// App-wide state: the connection, the accounts, the chosen account, the running transaction.

import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Account } from './accounts';
import type { Chain, TxProgress } from './chain';

export interface AppState {
  chain: Chain | null;
  error: string | null;
  accounts: Account[];
  extensionNote: string | null;
  selected: Account | null;
  select: (address: string) => void;
  /** The latest finalised block number (reads refresh when it moves). */
  finalised: number;
  tx: TxProgress | null;
  setTx: (t: TxProgress | null) => void;
}

export const App = createContext<AppState | null>(null);

export function useApp(): AppState {
  const s = useContext(App);
  if (!s) throw new Error('outside the app');
  return s;
}

/**
 * `load()` run again whenever the finalised block moves (or `deps` change), with its last
 * result, its error, and whether it has answered yet.
 */
export function useChainData<T>(load: (() => Promise<T>) | null, deps: unknown[]): { data: T | undefined; error: string | null; loading: boolean } {
  const { finalised } = useApp();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    if (!load) return;
    let live = true;
    load().then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e instanceof Error ? e.message : String(e));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [finalised, ...deps]);
  return { data, error, loading };
}

/** The hash route: `#/model/<uuid>` → ['model', '<uuid>']. */
export function useRoute(): string[] {
  const read = () => window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [route, setRoute] = useState(read());
  useEffect(() => {
    const on = () => setRoute(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return route;
}
