// The owner console: register a model and prove ownership (the challenge to paste into the
// Numerai profile, and whether the oracle attested it), publish terms checked with the chain's
// rules before sending, bond and unbond, claim what the pool owes.

import { useState } from 'preact/hooks';
import { fmtNmr, fmtPercent, plainNmr, tryParseNmr } from '../amount';
import * as chain from '../chain';
import { modelHex, uuidOf } from '../codec';
import { Nmr, RefusalNote } from '../components';
import { FormError, TERMS_ERRORS, termsOfForm, validateTerms, type TermsForm } from '../terms';
import { useApp, useBusy, useChainData } from '../state';
import { useSender } from './staker';

function formOf(t: chain.Terms | null): TermsForm {
  if (!t) {
    return {
      capacity: '10000',
      minDelegation: '100',
      maxDelegation: '5000',
      fixedFee: [{ upTo: '5000', fee: '0.05' }],
      performanceFee: [{ upTo: '5000', fee: '20%' }],
      commitments: [{ termRounds: '0', discount: '' }],
      documentUri: '',
      documentHash: '',
    };
  }
  return {
    capacity: plainNmr(t.capacity),
    minDelegation: plainNmr(t.minDelegation),
    maxDelegation: plainNmr(t.maxDelegation),
    fixedFee: t.fixedFee.map((s) => ({ upTo: plainNmr(s.upTo), fee: plainNmr(s.fee) })),
    performanceFee: t.performanceFee.map((s) => ({ upTo: plainNmr(s.upTo), fee: fmtPercent(s.fee) })),
    commitments: t.commitments.map((c) => ({ termRounds: c.termRounds.toString(), discount: c.discount ? fmtPercent(c.discount) : '' })),
    documentUri: t.document?.uri ?? '',
    documentHash: t.document?.hash ?? '',
  };
}

async function loadOwned(api: chain.Chain['api'], who: string) {
  const ids = await chain.modelsOf(api, who);
  const rows = await Promise.all(
    ids.map(async (id) => {
      const [profile, pool, challenge] = await Promise.all([chain.profile(api, id), chain.pool(api, id), chain.challenge(api, id, who)]);
      return { id, profile: profile!, pool, challenge };
    }),
  );
  return { rows: rows.filter((r) => r.profile), governance: await chain.governance(api) };
}

export function OwnerPage() {
  const { chain: c, selected } = useApp();
  const send = useSender();
  const busy = useBusy();
  const [regId, setRegId] = useState('');
  const [regName, setRegName] = useState('');
  const { data, error } = useChainData(c && selected ? () => loadOwned(c.api, selected.address) : null, [c, selected?.address]);
  if (!selected) return <p>Choose an account on the Accounts page to manage its models.</p>;
  if (error) return <p class="refusal">{error}</p>;
  if (!data) return <p>Reading your models…</p>;
  const idHex = modelHex(regId);
  return (
    <section>
      <h1>Owner console</h1>
      <p class="sub">Models of {selected.name}</p>
      {data.rows.length === 0 && <p>{selected.name} owns no model yet: register one below.</p>}
      {data.rows.map((r) => (
        <OwnedModel key={r.id} row={r} governance={data.governance} />
      ))}
      <h2>Register a model</h2>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!idHex) return;
          void send(`Register ${regName}`, (api) => api.tx.modelRegistry.registerModel(uuidOf(idHex), regName.trim()));
        }}
      >
        <label>
          Numerai model id (UUID)
          <input name="model-id" value={regId} autoComplete="off" onInput={(e) => setRegId((e.target as HTMLInputElement).value)} aria-invalid={regId !== '' && !idHex} />
        </label>
        {regId !== '' && !idHex && <p class="refusal">A Numerai model id is a UUID such as 00000000-0000-4000-8000-000000000001.</p>}
        <label>
          Model name on Numerai
          <input name="model-name" value={regName} autoComplete="off" onInput={(e) => setRegName((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={!idHex || regName.trim() === '' || busy}>
          Register (holds the registration deposit)
        </button>
      </form>
    </section>
  );
}

function OwnedModel({ row, governance }: { row: { id: string; profile: chain.Profile; pool: chain.PoolView | null; challenge: string }; governance: chain.Governance }) {
  const { chain: c, selected } = useApp();
  const send = useSender();
  const busy = useBusy();
  const p = row.profile;
  const latest = p.upcomingTerms.length ? p.upcomingTerms[p.upcomingTerms.length - 1] : p.currentTerms;
  const [form, setForm] = useState<TermsForm>(formOf(latest?.terms ?? null));
  const [bond, setBond] = useState('');
  const [unbond, setUnbond] = useState('');
  const bondAmt = tryParseNmr(bond);
  const unbondAmt = tryParseNmr(unbond);
  const checks = useChainData(
    c && selected
      ? async () => {
          const who = selected.address;
          const [b, u, claim] = await Promise.all([
            bondAmt.planck ? chain.check(c.api, who, row.id, { Bond: { amount: bondAmt.planck } }, 'stakeDelegation.bond') : undefined,
            unbondAmt.planck ? chain.check(c.api, who, row.id, { Unbond: { amount: unbondAmt.planck } }, 'stakeDelegation.unbond') : undefined,
            chain.check(c.api, who, row.id, 'ClaimOwnerPayable', 'stakeDelegation.claimOwnerPayable'),
          ]);
          return { bond: b, unbond: u, claim };
        }
      : null,
    [c, selected?.address, bondAmt.planck, unbondAmt.planck],
  );
  // The effective round `set_terms` would take with none given, and whether that is after the
  // latest published version's, as the chain requires; if not, the next round that is.
  const earliest = governance.latestRound + (latest ? governance.caps.minFeeChangeNotice : 1n);
  const effective = latest && latest.effectiveRound >= earliest ? latest.effectiveRound + 1n : null;
  const editable = ['Verified', 'Active', 'UnderBonded'].includes(p.status);
  let terms: chain.Terms | null = null;
  let termsError: { field: string | null; text: string } | null = null;
  try {
    terms = termsOfForm(form);
    const name = validateTerms(terms, governance.caps, latest?.terms ?? null);
    if (name) termsError = { field: null, text: `ModelRegistry::${name}: ${TERMS_ERRORS[name] ?? ''}` };
  } catch (e) {
    termsError = e instanceof FormError ? { field: e.field, text: e.message } : { field: null, text: String(e) };
  }
  const set = (f: (x: TermsForm) => void) => {
    const x = structuredClone(form);
    f(x);
    setForm(x);
  };
  const input = (label: string, fieldName: string, value: string, on: (v: string) => void) => (
    <label>
      {label}
      <input name={fieldName} value={value} autoComplete="off" aria-invalid={termsError?.field === fieldName} onInput={(e) => on((e.target as HTMLInputElement).value)} />
    </label>
  );
  // A list of the form's rows (a fee ladder's steps, the commitment options), each a pair of
  // inputs named `list.i.column`, with Remove and Add buttons.
  type RowList = 'fixedFee' | 'performanceFee' | 'commitments';
  const rows = (legend: string, list: RowList, columns: [string, string][], add: string) => (
    <fieldset>
      <legend>{legend}</legend>
      {(form[list] as Record<string, string>[]).map((row, i) => (
        <div class="row" key={`${list}${i}`}>
          {columns.map(([col, label]) => input(label, `${list}.${i}.${col}`, row[col], (v) => set((x) => ((x[list] as Record<string, string>[])[i][col] = v))))}
          <button type="button" onClick={() => set((x) => x[list].splice(i, 1))}>
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => set((x) => (x[list] as Record<string, string>[]).push(Object.fromEntries(columns.map(([col]) => [col, '']))))}>
        {add}
      </button>
    </fieldset>
  );
  const verified = p.status !== 'Pending';
  return (
    <article class="owned" data-model={uuidOf(row.id)}>
      <h2>
        {p.name} <small>({p.status})</small>
      </h2>
      <h3>Ownership</h3>
      {verified ? (
        <p class="ok" data-attested="true">
          Ownership attested by the oracle quorum.
        </p>
      ) : (
        <div data-attested="false">
          <p>Paste this line into the model's public Numerai profile (bio). The oracle checks it and attests your ownership; this page updates when it has.</p>
          <pre class="challenge">{row.challenge}</pre>
          <p class="sub">Waiting for the oracle{p.claimExpiresAt !== null ? ` (the claim lapses after block ${p.claimExpiresAt})` : ''}…</p>
        </div>
      )}
      {verified && !editable && (
        <p class="refusal">
          {p.name} is {p.status}: {p.status === 'Suspended' ? 'governance suspended it, so its terms and bond cannot change' : 'its owner is winding it down, so it takes no new terms'}.
        </p>
      )}
      {verified && editable && (
        <>
          <h3>Terms</h3>
          <p class="sub">
            Caps now: performance fee at most {fmtPercent(governance.caps.maxPerformanceFee)}, fixed fee at most {fmtPercent(governance.caps.maxFixedFeePerRound, 1_000_000_000n)} of the principal per round, commitments up to{' '}
            {governance.caps.maxCommitmentTerm.toString()} rounds; changes take {governance.caps.minFeeChangeNotice.toString()} rounds' notice.
          </p>
          <form
            class="form terms"
            onSubmit={(e) => {
              e.preventDefault();
              if (!terms || termsError) return;
              void send(`Publish terms of ${p.name}`, (api) => api.tx.modelRegistry.setTerms(row.id, chain.termsArg(terms!), effective));
            }}
          >
            {input('Capacity (NMR)', 'capacity', form.capacity, (v) => set((x) => (x.capacity = v)))}
            {input('Smallest delegation (NMR)', 'minDelegation', form.minDelegation, (v) => set((x) => (x.minDelegation = v)))}
            {input('Largest delegation (NMR)', 'maxDelegation', form.maxDelegation, (v) => set((x) => (x.maxDelegation = v)))}
            {rows('Fixed fee per served round', 'fixedFee', [['upTo', 'up to (NMR)'], ['fee', 'fee (NMR)']], 'Add a step')}
            {rows('Performance fee', 'performanceFee', [['upTo', 'up to (NMR)'], ['fee', 'fee (%)']], 'Add a step')}
            {rows('Commitment options', 'commitments', [['termRounds', 'rounds (0: rolling)'], ['discount', 'discount (%)']], 'Add an option')}
            {input('Terms document address (optional)', 'documentUri', form.documentUri, (v) => set((x) => (x.documentUri = v)))}
            {input('Terms document hash (0x…, 32 bytes)', 'documentHash', form.documentHash, (v) => set((x) => (x.documentHash = v)))}
            {termsError && (
              <p class="refusal" role="alert" data-terms-error>
                {termsError.text}
              </p>
            )}
            <p class="sub" data-effective>
              {effective === null
                ? `These terms take effect from round ${earliest} (${latest ? 'the notice governance requires' : 'the next round'}).`
                : `These terms take effect from round ${effective}, after version ${latest!.version}'s (from round ${latest!.effectiveRound}).`}
            </p>
            <button type="submit" disabled={!!termsError || busy}>
              Publish terms
            </button>
          </form>
          <h3>Bond</h3>
          <p>
            Bond <Nmr planck={row.pool?.bond ?? 0n} />
            {row.pool ? (
              <>
                {' '}
                of <Nmr planck={row.pool.bondRequired} /> required · the pool owes you <Nmr planck={row.pool.ownerPayable} />
              </>
            ) : (
              ' · bonding opens the pool'
            )}
          </p>
          <AmountAction
            label="Bond"
            value={bond}
            setValue={setBond}
            parsed={bondAmt}
            checked={checks.error ?? checks.data?.bond}
            onSend={(a) => send(`Bond ${fmtNmr(a)} NMR on ${p.name}`, (api) => chain.poolCall(api, row.id, api.tx.stakeDelegation.bond(row.id, a)))}
          />
          <AmountAction
            label="Unbond"
            value={unbond}
            setValue={setUnbond}
            parsed={unbondAmt}
            checked={checks.error ?? checks.data?.unbond}
            onSend={(a) => send(`Unbond ${fmtNmr(a)} NMR from ${p.name}`, (api) => chain.poolCall(api, row.id, api.tx.stakeDelegation.unbond(row.id, a)))}
          />
          <div class="action">
            <button
              type="button"
              name="claim"
              disabled={!checks.data || checks.data.claim !== null || busy}
              onClick={() => send(`Claim from ${p.name}`, (api) => chain.poolCall(api, row.id, api.tx.stakeDelegation.claimOwnerPayable(row.id)))}
            >
              Claim what the pool owes
            </button>
            {checks.error && <small class="why">{checks.error}</small>}
            {checks.data?.claim && (
              <small class="why">
                <code>{checks.data.claim.error}</code>: {checks.data.claim.reason}
              </small>
            )}
          </div>
        </>
      )}
    </article>
  );
}

function AmountAction(props: {
  label: string;
  value: string;
  setValue: (v: string) => void;
  parsed: { planck: bigint | null; error: string | null };
  /** The check of this amount: accepted (null), refused, a failure to check (text), or not
   * answered yet (undefined). Only an accepted amount can be sent. */
  checked: chain.Refusal | string | null | undefined;
  onSend: (amount: bigint) => void;
}) {
  const { label, value, parsed, checked } = props;
  const busy = useBusy();
  const name = label.toLowerCase();
  const refusal = checked && typeof checked === 'object' ? checked : null;
  return (
    <form
      class="form inline"
      onSubmit={(e) => {
        e.preventDefault();
        if (parsed.planck && checked === null && !busy) props.onSend(parsed.planck);
      }}
    >
      <label>
        {label} (NMR)
        <input name={name} value={value} autoComplete="off" inputMode="decimal" onInput={(e) => props.setValue((e.target as HTMLInputElement).value)} aria-invalid={value !== '' && !!parsed.error} />
      </label>
      <button type="submit" disabled={!parsed.planck || checked !== null || busy}>
        {label}
      </button>
      {value !== '' && parsed.error && <p class="refusal">{parsed.error}</p>}
      {refusal && <RefusalNote refusal={refusal} would />}
      {typeof checked === 'string' && <p class="refusal">{checked}</p>}
      {parsed.planck !== null && parsed.planck > 0n && (
        <p class="sub">
          {checked === undefined ? 'Checking with the chain… ' : ''}
          {label} exactly <Nmr planck={parsed.planck} />.
        </p>
      )}
    </form>
  );
}
