// The numerstake web app: a static site on @polkadot/api. The node it talks to is
// ws://127.0.0.1:9944 unless `?rpc=ws://…` says otherwise.

import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { devAccounts, extensionAccounts, shortAddress, type Account } from './accounts';
import * as chain from './chain';
import { Nmr, TxPanel } from './components';
import { modelHex } from './codec';
import { ModelPage, ModelsPage } from './pages/models';
import { OwnerPage } from './pages/owner';
import { DelegatePage, PortfolioPage } from './pages/staker';
import { App, useApp, useChainData, useRoute, type AppState } from './state';
import './style.css';

function rpcUrl(): string {
  const q = new URLSearchParams(window.location.search).get('rpc');
  return q && /^wss?:\/\//.test(q) ? q : 'ws://127.0.0.1:9944';
}

function AccountsPage() {
  const { chain: c, accounts, extensionNote, selected, select } = useApp();
  const balances = useChainData(c ? () => Promise.all(accounts.map((a) => chain.balance(c.api, a.address))) : null, [c, accounts]);
  return (
    <section>
      <h1>Accounts</h1>
      {extensionNote && <p class="sub">{extensionNote}</p>}
      {c?.isDev && (
        <p class="warn" role="note">
          Accounts marked <span class="badge dev">DEV</span> are the well-known development keys (//Alice …): anyone can sign with them. They exist only
          because this is a development chain.
        </p>
      )}
      <ul class="accounts">
        {accounts.map((a, i) => (
          <li key={a.address} class={selected?.address === a.address ? 'selected' : ''} data-account={a.address}>
            <label>
              <input type="radio" name="account" checked={selected?.address === a.address} onChange={() => select(a.address)} />
              <strong>{a.name}</strong> {a.source === 'dev' ? <span class="badge dev">DEV</span> : <span class="badge ext">{a.source}</span>}{' '}
              <code title={a.address}>{a.address}</code>
              {balances.data?.[i] && (
                <span class="bal">
                  {' '}
                  · free <Nmr planck={balances.data[i].free} />
                </span>
              )}
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Page() {
  const route = useRoute();
  const [page, arg] = route;
  const hex = arg ? modelHex(arg) : null;
  switch (page ?? 'models') {
    case 'models':
      return <ModelsPage />;
    case 'model':
      return hex ? <ModelPage id={hex} /> : <p class="refusal">Not a model id.</p>;
    case 'delegate':
      return hex ? <DelegatePage id={hex} /> : <p class="refusal">Not a model id.</p>;
    case 'portfolio':
      return <PortfolioPage />;
    case 'owner':
      return <OwnerPage />;
    case 'accounts':
      return <AccountsPage />;
    default:
      return <p class="refusal">No such page.</p>;
  }
}

const NAV: [string, string][] = [
  ['models', 'Models'],
  ['portfolio', 'Portfolio'],
  ['owner', 'Owner console'],
  ['accounts', 'Accounts'],
];

function Shell() {
  const [state, setState] = useState<Omit<AppState, 'select' | 'setTx'>>({
    chain: null,
    error: null,
    accounts: [],
    extensionNote: null,
    selected: null,
    finalised: 0,
    tx: null,
  });
  const route = useRoute();
  useEffect(() => {
    const url = rpcUrl();
    let unsub: (() => void) | undefined;
    chain
      .connect(url)
      .then(async (c) => {
        const ext = await extensionAccounts().catch((e: unknown) => ({ accounts: [] as Account[], note: String(e) }));
        const dev = c.isDev ? await devAccounts() : [];
        const accounts = [...ext.accounts, ...dev];
        const saved = localStorage.getItem('numerstake.account');
        const selected = accounts.find((a) => a.address === saved) ?? accounts[0] ?? null;
        setState((s) => ({ ...s, chain: c, accounts, extensionNote: ext.note, selected }));
        unsub = await c.api.rpc.chain.subscribeFinalizedHeads((h) => setState((s) => ({ ...s, finalised: h.number.toNumber() })));
      })
      .catch((e: unknown) => setState((s) => ({ ...s, error: `Cannot reach the node at ${url}: ${e instanceof Error ? e.message : String(e)}` })));
    return () => unsub?.();
  }, []);
  const app: AppState = {
    ...state,
    select: (address) => {
      localStorage.setItem('numerstake.account', address);
      setState((s) => ({ ...s, selected: s.accounts.find((a) => a.address === address) ?? null }));
    },
    setTx: (tx) => setState((s) => ({ ...s, tx })),
  };
  const current = route[0] ?? 'models';
  return (
    <App.Provider value={app}>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <a class="brand" href="#/models">
          numerstake
        </a>
        <nav aria-label="Pages">
          {NAV.map(([k, label]) => (
            <a key={k} href={`#/${k}`} aria-current={current === k || (k === 'models' && current === 'model') ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <p class="status" aria-live="polite">
          {state.chain ? (
            <>
              {state.chain.name} {state.chain.isDev && <span class="badge dev">DEV CHAIN</span>} · finalised #{state.finalised}
              {state.selected && (
                <>
                  {' '}
                  · <span title={state.selected.address}>{state.selected.name} ({shortAddress(state.selected.address)})</span>
                </>
              )}
            </>
          ) : state.error ? (
            <span class="refusal">{state.error}</span>
          ) : (
            'connecting…'
          )}
        </p>
      </header>
      <main id="main" tabIndex={-1}>
        <TxPanel />
        {state.chain ? <Page /> : !state.error && <p>Connecting to {rpcUrl()}…</p>}
      </main>
      <footer>
        <p class="sub">Amounts are exact to the planck (10⁻¹⁸ NMR). Reads are the chain's runtime APIs at its latest finalised block.</p>
      </footer>
    </App.Provider>
  );
}

render(<Shell />, document.getElementById('app')!);
