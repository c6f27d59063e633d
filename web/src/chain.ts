// The chain, as the app reads and writes it: every read is a runtime API call (the same ones the
// CLI uses), decoded from the node's own metadata; every write is a signed extrinsic followed to
// finality, whose failure is reported in the pallet's own words.

import { ApiPromise, WsProvider } from '@polkadot/api';
import type { SubmittableExtrinsic } from '@polkadot/api/types';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { EventRecord, DispatchError } from '@polkadot/types/interfaces';
import type { Signer } from '@polkadot/types/types';
import { stringToU8a } from '@polkadot/util';
import { hexText, plain, type Plain } from './codec';

// ---- what the runtime APIs return, as plain data ----------------------------------------

export interface FeeStep {
  upTo: bigint;
  fee: bigint;
}
export interface Commitment {
  termRounds: bigint;
  discount: bigint; // Permill
}
export interface Terms {
  capacity: bigint;
  minDelegation: bigint;
  maxDelegation: bigint;
  fixedFee: FeeStep[]; // fee: planck per served round
  performanceFee: FeeStep[]; // fee: Permill
  commitments: Commitment[];
  document: { hash: string; uri: string } | null;
}
export interface TermsView {
  version: bigint;
  effectiveRound: bigint;
  publishedRound: bigint;
  terms: Terms;
}
export interface ConsistencyRecord {
  roundsSubmitted: bigint;
  roundsMissed: bigint;
  lastRound: bigint | null;
  backingBreaches: bigint;
  lastBackingBreach: bigint | null;
  griefs: bigint;
  griefBurnedBond: bigint;
  griefBurnedByDelegators: bigint;
}
export interface Profile {
  model: string;
  owner: string;
  name: string;
  status: string;
  deposit: bigint;
  claimExpiresAt: bigint | null;
  currentTerms: TermsView | null;
  upcomingTerms: TermsView[];
  versions: { artefactHash: string; effectiveRound: bigint; announcedRound: bigint; note: string }[];
  versionsTotal: bigint;
  consistencyBond: { amount: bigint; ratioPercent: bigint; withdrawal: [bigint, bigint] | null } | null;
  record: ConsistencyRecord;
}
export interface PoolView {
  owner: string;
  account: string;
  epoch: bigint;
  price: bigint;
  shares: bigint;
  ownerShares: bigint;
  requirementNext: bigint;
  projected: bigint;
  queued: bigint;
  exitPot: bigint;
  bond: bigint;
  bondRequired: bigint;
  debt: bigint;
  ownerPayable: bigint;
  underBondedSince: bigint | null;
  lastFinalised: bigint | null;
  recordedThrough: bigint;
  deferred: bigint;
  servedRounds: bigint;
  nextPeriodEnd: bigint;
  delegations: bigint;
}
export interface RoundView {
  round: bigint;
  submitted: boolean;
  atRisk: bigint;
  payout: bigint;
  finalisedAt: bigint;
}
export type Stage =
  | { type: 'Queued' }
  | { type: 'Activating' }
  | { type: 'Active' }
  | { type: 'Exiting'; value: { lastRound: bigint } }
  | { type: 'Withdrawable' };
export interface PositionView {
  model: string;
  index: bigint;
  principal: bigint;
  prepaid: bigint;
  firstRound: bigint;
  stage: Stage;
  shares: bigint;
  value: bigint;
  feesPaid: bigint;
  result: bigint;
  lockedUntil: bigint | null;
  releaseRound: bigint | null;
  highWaterMark: bigint;
  termsVersion: bigint;
  /** Fee periods ended and not yet settled: what `settle` would walk now (0: nothing). */
  settlePeriods: bigint;
}
export interface Quote {
  termsVersion: bigint;
  /** The hash of that version's terms document (null: none), consented to with it. */
  documentHash: string | null;
  firstRound: bigint;
  fixedFeePerRound: bigint;
  performanceFee: bigint;
  discount: bigint;
  prepaid: bigint;
  totalCost: bigint;
  capacityLeft: bigint;
  refusal: string | null;
}
export interface FeeCaps {
  maxPerformanceFee: bigint; // Permill
  maxFixedFeePerRound: bigint; // Perbill of principal
  maxPerformanceFeeIncrease: bigint; // Permill
  minFeeChangeNotice: bigint;
  maxCommitmentTerm: bigint;
}
export interface Governance {
  caps: FeeCaps;
  protocol: {
    activationLag: bigint;
    bondRatio: bigint;
    graceRounds: bigint;
    modelCap: bigint;
    operatorCap: bigint;
    capsFromTotal: bigint;
    feePeriod: bigint;
  };
  totalValue: bigint;
  latestRound: bigint;
}

/** A call on a pool or position, as `StakeDelegationApi::check` takes it. */
export type PoolAction =
  | { RequestExit: { index: bigint } }
  | { Withdraw: { index: bigint } }
  | { Settle: { staker: string; index: bigint } }
  | { Bond: { amount: bigint } }
  | { Unbond: { amount: bigint } }
  | 'ClaimOwnerPayable';

/** Why the chain refused (or would refuse) a call: `Pallet::Error` and its documentation. */
export interface Refusal {
  call: string;
  error: string;
  reason: string;
}

// ---- connection --------------------------------------------------------------------------

export interface Chain {
  api: ApiPromise;
  url: string;
  name: string;
  isDev: boolean;
  specVersion: number;
}

export async function connect(url: string): Promise<Chain> {
  const provider = new WsProvider(url, 2_000);
  const api = await ApiPromise.create({ provider, noInitWarn: true, throwOnConnect: false });
  await api.isReady;
  const [chainType, name] = await Promise.all([api.rpc.system.chainType(), api.rpc.system.chain()]);
  return {
    api,
    url,
    name: name.toString(),
    isDev: chainType.isDevelopment || chainType.isLocal,
    specVersion: api.runtimeVersion.specVersion.toNumber(),
  };
}

// ---- reads ------------------------------------------------------------------------------

function bytesText<T>(o: T, ...keys: string[]): T {
  const r = o as Record<string, unknown>;
  for (const k of keys) if (typeof r[k] === 'string') r[k] = hexText(r[k] as string);
  return o;
}

function terms(p: Plain): TermsView | null {
  if (p === null) return null;
  const t = p as unknown as TermsView;
  if (t.terms.document) t.terms.document.uri = hexText(t.terms.document.uri);
  return t;
}

function call(api: ApiPromise) {
  // Runtime API methods decorated from the node's metadata (v15).
  return api.call as unknown as Record<string, Record<string, (...args: unknown[]) => Promise<unknown>>>;
}

/** Every model id, in pages of at most 256 (the runtime's page size). */
export async function modelIds(api: ApiPromise): Promise<string[]> {
  const out: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page = plain(await call(api).modelRegistryApi.models(after, 256)) as string[];
    out.push(...page);
    if (page.length < 256) return out;
    after = page[page.length - 1];
  }
}

export async function profile(api: ApiPromise, model: string): Promise<Profile | null> {
  const p = plain(await call(api).modelRegistryApi.modelProfile(model)) as Record<string, Plain> | null;
  if (!p) return null;
  bytesText(p, 'name');
  p.status = (p.status as { type: string }).type;
  p.currentTerms = terms(p.currentTerms) as unknown as Plain;
  p.upcomingTerms = (p.upcomingTerms as Plain[]).map(terms) as unknown as Plain;
  for (const v of p.versions as Plain[]) bytesText(v, 'note');
  return p as unknown as Profile;
}

export async function pool(api: ApiPromise, model: string): Promise<PoolView | null> {
  return plain(await call(api).stakeDelegationApi.pool(model)) as unknown as PoolView | null;
}

export async function positions(api: ApiPromise, who: string): Promise<PositionView[]> {
  return plain(await call(api).stakeDelegationApi.positions(who)) as unknown as PositionView[];
}

export async function quote(
  api: ApiPromise,
  model: string,
  principal: bigint,
  termRounds: bigint,
): Promise<Quote | null> {
  const q = plain(await call(api).stakeDelegationApi.quote(model, principal, termRounds)) as Record<string, Plain> | null;
  if (q && typeof q.refusal === 'string') q.refusal = hexText(q.refusal);
  return q as unknown as Quote | null;
}

export async function governance(api: ApiPromise): Promise<Governance> {
  return plain(await call(api).stakeDelegationApi.governance()) as unknown as Governance;
}

/** A model's finalised rounds from `from` to `to` (at most 1,000 per call: the runtime's cap). */
export async function history(api: ApiPromise, model: string, from: bigint, to: bigint): Promise<RoundView[]> {
  if (to < from) return [];
  return plain(await call(api).roundOracleApi.modelHistory(model, from, to)) as unknown as RoundView[];
}

export async function latestRound(api: ApiPromise): Promise<bigint | null> {
  const s = plain(await call(api).roundOracleApi.status()) as { latestRound: bigint | null };
  return s.latestRound;
}

export async function challenge(api: ApiPromise, model: string, claimant: string): Promise<string> {
  return hexText(plain(await call(api).modelRegistryApi.ownershipChallenge(model, claimant)) as string);
}

export async function modelsOf(api: ApiPromise, owner: string): Promise<string[]> {
  return plain(await call(api).modelRegistryApi.modelsOf(owner)) as string[];
}

export async function balance(api: ApiPromise, who: string): Promise<{ free: bigint; reserved: bigint; frozen: bigint }> {
  const a = (await api.query.system.account(who)) as unknown as { data: unknown };
  return plain(a.data) as unknown as { free: bigint; reserved: bigint; frozen: bigint };
}

/** A node whose runtime predates `StakeDelegationApi::check` (spec_version < 109). */
export class NoCheckApi extends Error {
  constructor() {
    super("this node's runtime has no StakeDelegationApi::check (spec_version 109 or later), so the app cannot tell which calls the chain would accept");
  }
}

/** Whether the chain would accept `action` from `who` now (null), or its refusal. */
export async function check(api: ApiPromise, who: string, model: string, action: PoolAction, label: string): Promise<Refusal | null> {
  const method = call(api).stakeDelegationApi?.check;
  if (!method) throw new NoCheckApi();
  const r = (await method(who, model, action)) as { isSome: boolean; unwrap(): DispatchError };
  return r.isSome ? describe(api, label, r.unwrap()) : null;
}

// ---- refusals ---------------------------------------------------------------------------

/** `Pallet::Error` and its documentation for a dispatch error, from the node's metadata. */
export function describe(api: ApiPromise, call: string, e: DispatchError): Refusal {
  if (e.isModule) {
    const m = api.registry.findMetaError(e.asModule);
    const pallet = api.runtimeMetadata.asLatest.pallets.find((p) => p.index.eq(e.asModule.index));
    const name = pallet ? pallet.name.toString() : m.section;
    return { call, error: `${name}::${m.name}`, reason: m.docs.join(' ') };
  }
  if (e.isToken) return { call, error: `Token::${e.asToken.type}`, reason: tokenReason(e.asToken.type) };
  if (e.isArithmetic) return { call, error: `Arithmetic::${e.asArithmetic.type}`, reason: 'an amount overflowed or underflowed' };
  if (e.isBadOrigin) return { call, error: 'BadOrigin', reason: 'this account may not make this call' };
  return { call, error: e.type, reason: '' };
}

function tokenReason(t: string): string {
  switch (t) {
    case 'FundsUnavailable':
      return 'the account does not have that much NMR free';
    case 'BelowMinimum':
      return 'the account would fall below the existential deposit';
    case 'Frozen':
      return 'the NMR is frozen';
    default:
      return "the account's balance does not allow it";
  }
}

/** A call's `pallet.call` name, and its sub-calls for a batch or proxy. */
interface CallItem {
  name: string;
  benign: boolean;
}
export function flatten(c: { section: string; method: string; args: unknown[] }): CallItem[] {
  const name = `${c.section}.${c.method}`;
  if (name === 'utility.forceBatch' || name === 'utility.batchAll') {
    return (c.args[0] as { section: string; method: string; args: unknown[] }[]).flatMap(flatten);
  }
  if (name === 'proxy.proxy') return flatten(c.args[2] as { section: string; method: string; args: unknown[] });
  // A catch_up sent in case the pool needed it: its failure (nothing to do) is harmless.
  return [{ name, benign: name === 'stakeDelegation.catchUp' }];
}

/**
 * The first failure among one extrinsic's events: the extrinsic itself, an item of a batch (a
 * `catch_up` with nothing to do is not a failure of the user's call), or the call a proxy made.
 */
export function refusalOf(api: ApiPromise, items: CallItem[], events: EventRecord[]): Refusal | null {
  let item = 0;
  const last = items.length ? items[items.length - 1].name : '';
  for (const { event } of events) {
    const key = `${event.section}.${event.method}`;
    if (key === 'system.ExtrinsicFailed') return describe(api, last, event.data[0] as DispatchError);
    if (key === 'utility.ItemCompleted') item++;
    if (key === 'utility.ItemFailed') {
      const it = items[item++];
      if (!it?.benign) return describe(api, it?.name ?? last, event.data[0] as DispatchError);
    }
    if (key === 'proxy.ProxyExecuted') {
      const r = event.data[0] as unknown as { isErr: boolean; asErr: DispatchError };
      if (r.isErr) return describe(api, last, r.asErr);
    }
  }
  return null;
}

// ---- writes -----------------------------------------------------------------------------

export type TxStage = 'signing' | 'sent' | 'in-block' | 'finalised' | 'refused' | 'failed';
export interface TxProgress {
  stage: TxStage;
  label: string;
  block?: number;
  finalisedHead?: number;
  fee?: bigint;
  refusal?: Refusal;
  message?: string;
  events?: { section: string; method: string; data: Plain }[];
}

/** Who signs: a dev keypair held by the page, or an extension account with its signer. */
export type SignWith = { pair: KeyringPair } | { address: string; signer: Signer };

/**
 * `terms` as `set_terms` takes them. The document address goes as its bytes: a plain string
 * that happens to start with "0x" would otherwise be read as hex by the codec.
 */
export function termsArg(terms: Terms): unknown {
  return { ...terms, document: terms.document ? { hash: terms.document.hash, uri: stringToU8a(terms.document.uri) } : null };
}

/**
 * `call` for `model`'s pool, preceded by `catch_up` in one `force_batch`, as the CLI sends it:
 * the user never meets `CatchUpRequired`, even when a round opens while the transaction is on
 * its way.
 */
export function poolCall(api: ApiPromise, model: string, inner: SubmittableExtrinsic<'promise'>): SubmittableExtrinsic<'promise'> {
  return api.tx.utility.forceBatch([api.tx.stakeDelegation.catchUp(model), inner]);
}

/**
 * Signs and sends `tx`, reporting each stage to `progress`, and resolves once the block holding
 * it is finalised (or rejects when it is refused, invalid or dropped). The final report says
 * whether the call succeeded, with the refusal in the pallet's words if not.
 */
export function send(
  api: ApiPromise,
  label: string,
  tx: SubmittableExtrinsic<'promise'>,
  by: SignWith,
  progress: (p: TxProgress) => void,
): Promise<TxProgress> {
  const items = flatten(tx.method as unknown as { section: string; method: string; args: unknown[] });
  return new Promise((resolve) => {
    let inBlock: number | undefined;
    let unsubHeads: (() => void) | undefined;
    let finished = false;
    const done = (p: TxProgress) => {
      if (finished) return;
      finished = true;
      unsubHeads?.();
      progress(p);
      resolve(p);
    };
    progress({ stage: 'signing', label });
    const onStatus = (result: { status: { type: string; isInBlock: boolean; isFinalized: boolean; asInBlock: { toHex(): string }; asFinalized: { toHex(): string } }; events: EventRecord[]; dispatchError?: DispatchError; isError: boolean }) => {
      const st = result.status;
      if (st.type === 'Ready' || st.type === 'Broadcast' || st.type === 'Future') {
        progress({ stage: 'sent', label });
      } else if (st.isInBlock || st.isFinalized) {
        void (async () => {
          const hash = st.isInBlock ? st.asInBlock.toHex() : st.asFinalized.toHex();
          const header = await api.rpc.chain.getHeader(hash);
          inBlock = header.number.toNumber();
          const refusal = refusalOf(api, items, result.events) ?? undefined;
          const fee = feeOf(result.events);
          const events = result.events.map(({ event }) => ({ section: event.section, method: event.method, data: safePlain(event.data) }));
          if (st.isFinalized) {
            done({ stage: refusal ? 'refused' : 'finalised', label, block: inBlock, finalisedHead: inBlock, fee, refusal, events });
            return;
          }
          // (A late answer for the in-block status must not undo a finalised report.)
          if (finished) return;
          progress({ stage: 'in-block', label, block: inBlock, fee, refusal });
          if (!unsubHeads) {
            const unsub = await api.rpc.chain.subscribeFinalizedHeads((h) => {
              if (!finished) progress({ stage: 'in-block', label, block: inBlock, finalisedHead: h.number.toNumber(), fee, refusal });
            });
            if (finished) unsub();
            else unsubHeads = unsub;
          }
        })();
      } else if (['Invalid', 'Dropped', 'Usurped', 'FinalityTimeout', 'Retracted'].includes(st.type)) {
        if (st.type === 'Retracted') return; // back in the pool; a new status follows
        done({
          stage: 'failed',
          label,
          message:
            st.type === 'FinalityTimeout' && inBlock !== undefined
              ? `the transaction is in block ${inBlock}, but that block was not finalised in time: look it up before sending again`
              : `the transaction was not included (${st.type})`,
        });
      }
    };
    const sending =
      'pair' in by
        ? tx.signAndSend(by.pair, onStatus as never)
        : tx.signAndSend(by.address, { signer: by.signer }, onStatus as never);
    sending.catch((e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      done({ stage: 'failed', label, message: /cancel|reject/i.test(message) ? `signing was refused: ${message}` : message });
    });
  });
}

function safePlain(c: unknown): Plain {
  try {
    return plain(c);
  } catch {
    return String(c);
  }
}

function feeOf(events: EventRecord[]): bigint | undefined {
  for (const { event } of events) {
    if (event.section === 'transactionPayment' && event.method === 'TransactionFeePaid') {
      return (event.data[1] as unknown as { toBigInt(): bigint }).toBigInt();
    }
  }
  return undefined;
}
