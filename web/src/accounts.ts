// Accounts: those of a Polkadot.js-compatible browser extension (through
// @polkadot/extension-dapp), and on a development chain the well-known dev accounts, whose keys
// are public and which are marked as such wherever they appear.

import { web3Accounts, web3Enable, web3FromAddress } from '@polkadot/extension-dapp';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import type { SignWith } from './chain';

export interface Account {
  address: string;
  name: string;
  /** 'dev': a well-known development key held by the page; otherwise the extension's name. */
  source: string;
  pair?: KeyringPair;
}

export const DEV_NAMES = ['Alice', 'Bob', 'Charlie', 'Dave', 'Eve', 'Ferdie'];

/** The dev accounts (//Alice … //Ferdie), for development chains only. */
export async function devAccounts(): Promise<Account[]> {
  await cryptoWaitReady();
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  return DEV_NAMES.map((n) => {
    const pair = keyring.addFromUri(`//${n}`, { name: n });
    return { address: pair.address, name: n, source: 'dev', pair };
  });
}

/** The extension's accounts, or an empty list and why (no extension, or access refused). */
export async function extensionAccounts(): Promise<{ accounts: Account[]; note: string | null }> {
  const extensions = await web3Enable('numerstake');
  if (extensions.length === 0) {
    return { accounts: [], note: 'No browser extension found (or access was refused). Install Polkadot.js or a compatible wallet to use your own accounts.' };
  }
  const list = await web3Accounts({ ss58Format: 42 });
  return {
    accounts: list.map((a) => ({ address: a.address, name: a.meta.name ?? a.address.slice(0, 8), source: a.meta.source })),
    note: list.length === 0 ? `The extension (${extensions.map((e) => e.name).join(', ')}) shares no account with this site.` : null,
  };
}

/** How `account` signs. */
export async function signerOf(account: Account): Promise<SignWith> {
  if (account.pair) return { pair: account.pair };
  const injector = await web3FromAddress(account.address);
  if (!injector.signer) throw new Error(`the extension holding ${account.name} cannot sign`);
  return { address: account.address, signer: injector.signer };
}

/** An address shortened for tables: 5Grw…utQY. */
export function shortAddress(a: string): string {
  return a.length > 12 ? `${a.slice(0, 4)}…${a.slice(-4)}` : a;
}
