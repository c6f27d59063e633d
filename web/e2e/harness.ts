// What the browser story needs around it: the fixture, a dev node reading it, the built app
// served on loopback, a node-side API for funding and checking, Chromium with a test signer
// injected as a browser extension would be (`window.injectedWeb3`), and screenshots.

import { ApiPromise, WsProvider } from '@polkadot/api';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { SignerPayloadJSON } from '@polkadot/types/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';

export const OUT = resolve(__dirname, '..', 'e2e-output');

export async function freePort(): Promise<number> {
  return new Promise((ok, bad) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? ok(a.port) : bad(new Error('no port'))));
    });
  });
}

function binDir(): string {
  const target = process.env.CARGO_TARGET_DIR ?? resolve(__dirname, '..', '..', 'target');
  return join(target, 'release');
}

async function waitFor<T>(what: string, secs: number, f: () => Promise<T | undefined | null | false>): Promise<T> {
  const end = Date.now() + secs * 1000;
  for (;;) {
    try {
      const v = await f();
      if (v) return v;
    } catch {
      // not yet
    }
    if (Date.now() > end) throw new Error(`${what} did not happen within ${secs} s`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export interface World {
  rpc: string;
  fixture: string;
  app: string;
  api: ApiPromise;
  keyring: Keyring;
  ctx: BrowserContext;
  page: Page;
  stop(): Promise<void>;
  shot(name: string): Promise<string>;
  waitFor: typeof waitFor;
}

/**
 * Starts everything. `signers` are the accounts the injected extension offers (name → SURI);
 * it signs with them in Node, through the chain's own payload encoding.
 */
export async function start(signers: Record<string, string>): Promise<World> {
  mkdirSync(OUT, { recursive: true });
  await cryptoWaitReady();
  for (const bin of ['numerstake-node', 'numerai-fixture']) {
    if (!existsSync(join(binDir(), bin))) {
      throw new Error(`${join(binDir(), bin)} is missing: build it (cargo build --release -p numerstake-node -p numerai-fixture) and set CARGO_TARGET_DIR`);
    }
  }
  const children: ChildProcess[] = [];
  const log = (name: string) => createWriteStream(join(OUT, `${name}.log`));
  const fxPort = await freePort();
  const fixtureUrl = `http://127.0.0.1:${fxPort}`;
  const now = Math.floor(Date.now() / 1000);
  const fx = spawn(join(binDir(), 'numerai-fixture'), ['--listen', `127.0.0.1:${fxPort}`, '--first-round', '3001', '--round-secs', '12', '--resolve-after', '2', '--start', String(now + 20)], { stdio: ['ignore', 'pipe', 'pipe'] });
  fx.stdout!.pipe(log('fixture'));
  fx.stderr!.pipe(log('fixture-err'));
  children.push(fx);
  const rpcPort = await freePort();
  const node = spawn(
    join(binDir(), 'numerstake-node'),
    ['--dev', '--tmp', '--numerai-endpoint', `${fixtureUrl}/graphql`, '--rpc-port', String(rpcPort), '--listen-addr', `/ip4/127.0.0.1/tcp/${await freePort()}`, '--no-prometheus', '--no-telemetry', '--no-mdns'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  node.stdout!.pipe(log('node'));
  node.stderr!.pipe(log('node'));
  children.push(node);
  const rpc = `ws://127.0.0.1:${rpcPort}`;
  await waitFor('the node RPC', 120, async () => {
    const r = await fetch(`http://127.0.0.1:${rpcPort}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 1, jsonrpc: '2.0', method: 'system_health', params: [] }) });
    return r.ok;
  });
  const api = await ApiPromise.create({ provider: new WsProvider(rpc), noInitWarn: true });
  const server: PreviewServer = await preview({ root: resolve(__dirname, '..'), preview: { port: await freePort(), host: '127.0.0.1', strictPort: true }, logLevel: 'warn' });
  const app = server.resolvedUrls!.local[0];
  const keyring = new Keyring({ type: 'sr25519', ss58Format: 42 });
  const pairs: Record<string, KeyringPair> = {};
  for (const [name, suri] of Object.entries(signers)) pairs[name] = keyring.addFromUri(suri, { name });
  const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'numerstake-chromium-')), {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1200, height: 900 },
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  page.on('pageerror', (e) => console.error('page error:', e.message));
  // The extension's signer: the page asks, Node signs the payload the chain will check.
  await page.exposeFunction('__numerstakeTestSign', (payload: SignerPayloadJSON) => {
    const pair = Object.values(pairs).find((p) => p.address === payload.address);
    if (!pair) throw new Error(`the test extension holds no key for ${payload.address}`);
    return api.registry.createType('ExtrinsicPayload', payload, { version: payload.version }).sign(pair).signature;
  });
  const accounts = Object.values(pairs).map((p) => ({ address: p.address, name: (p.meta.name as string) ?? '', type: 'sr25519' }));
  await page.addInitScript((list) => {
    let id = 0;
    const w = window as unknown as Record<string, unknown>;
    w.injectedWeb3 = {
      'numerstake-test-extension': {
        version: '0.63.1',
        enable: async () => ({
          accounts: { get: async () => list, subscribe: (cb: (a: unknown) => void) => (cb(list), () => undefined) },
          signer: {
            signPayload: async (payload: unknown) => ({ id: ++id, signature: await (w.__numerstakeTestSign as (p: unknown) => Promise<string>)(payload) }),
          },
        }),
      },
    };
  }, accounts);
  return {
    rpc,
    fixture: fixtureUrl,
    app,
    api,
    keyring,
    ctx,
    page,
    waitFor,
    async shot(name: string) {
      const path = join(OUT, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    async stop() {
      await ctx.close().catch(() => undefined);
      await api.disconnect().catch(() => undefined);
      await new Promise<void>((r) => server.httpServer.close(() => r()));
      for (const c of children) c.kill('SIGTERM');
    },
  };
}
