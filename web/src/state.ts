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

/** Whether a transaction is on its way (between signing and its final report). */
export function useBusy(): boolean {
  const { tx } = useApp();
  return !!tx && !['finalised', 'refused', 'failed'].includes(tx.stage);
}

const same = (a: unknown[], b: unknown[]) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

/**
 * `load()` run again whenever the finalised block moves (or `deps` change), with its last
 * result, its error, and whether it has answered yet. When `deps` change, the previous result
 * is dropped at once (`data` is `undefined` until the new answer), so nothing computed for
 * other inputs is ever shown, or acted on, beside the new ones. A new finalised block keeps the
 * last result on screen while it is read again.
 */
export function useChainData<T>(load: (() => Promise<T>) | null, deps: unknown[]): { data: T | undefined; error: string | null; loading: boolean } {
  const { finalised } = useApp();
  const [state, setState] = useState<{ deps: unknown[]; data: T | undefined; error: string | null } | null>(null);
  useEffect(() => {
    if (!load) return;
    let live = true;
    const forDeps = deps;
    load().then(
      (data) => live && setState({ deps: forDeps, data, error: null }),
      (e: unknown) => live && setState({ deps: forDeps, data: undefined, error: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [finalised, ...deps]);
  // A result read for other inputs than the current ones is not shown.
  const mine = state !== null && same(state.deps, deps) ? state : null;
  return { data: mine?.data, error: mine?.error ?? null, loading: mine === null };
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
