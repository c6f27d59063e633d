// The browser story, in headless Chromium against a real dev node reading the local Numerai
// fixture, with a test signer injected as a browser extension:
//
// Bob (a dev account) publishes terms for his model numerstake_demo_alpha — the form first
// refuses a fee above governance's cap, in the pallet's words — and bonds. Registering a model
// that is already registered is refused by the chain, and the page shows the pallet's error. A
// staker whose key sits in the "extension" finds the model, delegates 400 NMR for 3 rounds
// after reading the quote and consenting, sees the position appear with its withdraw button
// disabled for the chain's reason, sees its value change as the fixture resolves rounds, exits
// and withdraws. Screenshots of every page go to web/e2e-output/.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { start, type World } from './harness';

const NMR = 10n ** 18n;
const ALPHA = '00000000-0000-4000-8000-000000000001';
let w: World;

beforeAll(async () => {
  w = await start({ 'Web staker': '//WebStaker' });
}, 300_000);

afterAll(async () => {
  await w?.stop();
});

async function finalised(label: RegExp) {
  const panel = w.page.locator('section.tx');
  await panel.filter({ hasText: label }).waitFor({ timeout: 120_000 });
  await w.page.locator('section.tx[data-stage="finalised"], section.tx[data-stage="refused"], section.tx[data-stage="failed"]').waitFor({ timeout: 180_000 });
  const stage = await panel.getAttribute('data-stage');
  const text = await panel.innerText();
  return { stage, text };
}

async function dismiss() {
  await w.page.getByRole('button', { name: 'Dismiss' }).click();
}

async function chooseAccount(name: string) {
  await w.page.goto(`${w.app}?rpc=${encodeURIComponent(w.rpc)}#/accounts`);
  await w.page.locator('li', { hasText: name }).locator('input[type=radio]').check();
}

describe('a staker and an owner in the browser', () => {
  it('tells the whole story', async () => {
    const { api, keyring, page } = w;
    const staker = keyring.getPairs()[0] ?? keyring.addFromUri('//WebStaker');
    const alice = keyring.addFromUri('//Alice');
    // Fund the extension's account from Alice (node side).
    await new Promise<void>((ok, bad) => {
      api.tx.balances
        .transferKeepAlive(keyring.addFromUri('//WebStaker').address, 5_000n * NMR)
        .signAndSend(alice, ({ status, dispatchError }) => {
          if (dispatchError) bad(new Error(dispatchError.toString()));
          if (status.isFinalized) ok();
        })
        .catch(bad);
    });
    void staker;

    // Accounts: the extension's account, and the dev accounts marked as such.
    await chooseAccount('Web staker');
    await expect.poll(() => page.locator('li', { hasText: 'Web staker' }).innerText()).toContain('5,000');
    expect(await page.locator('li', { hasText: 'Bob' }).locator('.badge.dev').count()).toBe(1);
    await w.shot('01-accounts');

    // The owner: terms checked before sending, then published; a bond.
    await chooseAccount('Bob');
    await page.goto(`${w.app}?rpc=${encodeURIComponent(w.rpc)}#/owner`);
    const alpha = page.locator(`article.owned[data-model="${ALPHA}"]`);
    await alpha.waitFor();
    await alpha.locator('input[name="fixedFee.0.fee"]').fill('100');
    await expect.poll(() => alpha.locator('[data-terms-error]').innerText()).toContain('ModelRegistry::FixedFeeAboveCap');
    expect(await alpha.getByRole('button', { name: 'Publish terms' }).isDisabled()).toBe(true);
    await w.shot('02-owner-terms-refused-before-sending');
    await alpha.locator('input[name="fixedFee.0.fee"]').fill('0.05');
    await alpha.getByRole('button', { name: 'Add an option' }).click();
    await alpha.locator('input[name="commitments.1.termRounds"]').fill('3');
    await alpha.locator('input[name="commitments.1.discount"]').fill('10%');
    await alpha.getByRole('button', { name: 'Publish terms' }).click();
    expect((await finalised(/Publish terms/)).stage).toBe('finalised');
    await dismiss();
    // "1,5" is 1.5 in much of the world: refused, never read as 15.
    await alpha.locator('input[name="bond"]').fill('1,5');
    await expect.poll(() => alpha.locator('form', { has: page.locator('input[name="bond"]') }).innerText()).toContain('without commas');
    expect(await alpha.getByRole('button', { name: 'Bond', exact: true }).isDisabled()).toBe(true);
    await alpha.locator('input[name="bond"]').fill('2000');
    await alpha.getByRole('button', { name: 'Bond', exact: true }).click();
    expect((await finalised(/Bond 2,000 NMR/)).stage).toBe('finalised');
    await dismiss();
    await expect.poll(() => alpha.innerText()).toContain('Bond 2,000 NMR');
    await w.shot('03-owner-bonded');

    // A call the chain refuses, shown in the pallet's words.
    await page.locator('input[name="model-id"]').fill(ALPHA);
    await page.locator('input[name="model-name"]').fill('numerstake_demo_alpha');
    await page.getByRole('button', { name: /Register/ }).click();
    const refused = await finalised(/Register/);
    expect(refused.stage).toBe('refused');
    expect(refused.text).toContain('ModelRegistry::');
    await w.shot('04-refused-by-the-chain');
    await dismiss();

    // The staker finds the model and delegates with a commitment.
    await chooseAccount('Web staker');
    await page.goto(`${w.app}?rpc=${encodeURIComponent(w.rpc)}#/models`);
    const row = page.locator(`tr[data-model="${ALPHA}"]`);
    await expect.poll(() => row.innerText(), { timeout: 60_000 }).toContain('0.05 up to 5,000');
    await page.getByRole('button', { name: /Capacity left/ }).click();
    await w.shot('05-models');
    await row.getByRole('link').click();
    await page.getByRole('heading', { name: 'numerstake_demo_alpha' }).waitFor();
    await w.shot('06-model');
    await page.getByRole('link', { name: /Delegate to/ }).click();
    await page.locator('input[name="amount"]').fill('400');
    await page.getByLabel(/3 rounds/).check();
    // Until the oracle has opened a round, the chain would refuse; the quote says why.
    await w.waitFor('the model taking delegations', 240, async () => {
      await page.locator('input[name="amount"]').fill('');
      await page.locator('input[name="amount"]').fill('400');
      await page.locator('section.quote').waitFor({ timeout: 10_000 });
      return (await page.locator('section.quote .refusal').count()) === 0;
    });
    const quote = await page.locator('section.quote').innerText();
    expect(quote).toContain('Fixed fees prepaid for 3 rounds');
    expect(quote).toContain('0.135 NMR'); // 0.05 × 3 rounds, 10 % off
    expect(quote).toContain('400.135 NMR');
    expect(quote).toContain('version 0');
    await page.getByLabel(/I consent to terms version 0/).check();
    // Consent is to these figures: another amount asks for it again, with its own quote.
    await page.locator('input[name="amount"]').fill('401');
    await expect.poll(() => page.locator('section.quote').innerText()).toContain('401.135 NMR');
    expect(await page.getByLabel(/I consent to terms version 0/).isChecked()).toBe(false);
    expect(await page.getByRole('button', { name: 'Sign and delegate' }).isDisabled()).toBe(true);
    await page.locator('input[name="amount"]').fill('400');
    await expect.poll(() => page.locator('section.quote').innerText()).toContain('400.135 NMR');
    await page.getByLabel(/I consent to terms version 0/).check();
    await w.shot('07-delegate-quote');
    await page.getByRole('button', { name: 'Sign and delegate' }).click();
    expect((await finalised(/Delegate 400 NMR/)).stage).toBe('finalised');
    await page.waitForURL(/#\/portfolio/);
    const position = page.locator(`tr[data-position^="${ALPHA}/"]`);
    await position.waitFor();
    expect(await position.innerText()).toContain('400 NMR');
    // Withdraw is not possible yet, and the page says why in the pallet's words.
    const withdraw = position.getByRole('button', { name: 'Withdraw' });
    expect(await withdraw.isDisabled()).toBe(true);
    expect(await position.locator('[id^="withdraw-"][id$="-why"]').innerText()).toMatch(/StakeDelegation::NotExiting/);
    // Exit is possible, with the commitment's consequence said beside it.
    expect(await position.innerText()).toMatch(/an exit now cancels it and refunds everything|committed: after an exit the money stays exposed through round \d+/);
    await w.shot('08-portfolio');

    // Rounds resolve: the value moves away from the principal.
    await w.waitFor('a settled round changing the value', 420, async () => {
      await page.reload();
      await position.waitFor();
      const v = await position.locator('td.value .nmr').getAttribute('data-planck');
      return v !== null && BigInt(v) !== 400n * NMR;
    });
    await w.shot('09-portfolio-after-rounds');

    // Exit, then withdraw once the commitment's last round is settled.
    await position.getByRole('button', { name: 'Exit' }).click();
    expect((await finalised(/Exit/)).stage).toBe('finalised');
    await dismiss();
    const before = (await api.query.system.account(keyring.addFromUri('//WebStaker').address)) as unknown as { data: { free: { toBigInt(): bigint } } };
    await w.waitFor('the position becoming withdrawable', 420, async () => {
      await page.reload();
      await position.waitFor();
      return (await position.getAttribute('data-stage')) === 'Withdrawable' && !(await withdraw.isDisabled());
    });
    await withdraw.click();
    expect((await finalised(/Withdraw/)).stage).toBe('finalised');
    const after = (await api.query.system.account(keyring.addFromUri('//WebStaker').address)) as unknown as { data: { free: { toBigInt(): bigint } } };
    expect(after.data.free.toBigInt()).toBeGreaterThan(before.data.free.toBigInt());
    await dismiss();
    await expect.poll(() => page.locator(`tr[data-position^="${ALPHA}/"]`).count()).toBe(0);
    await w.shot('10-withdrawn');

    // Readable at phone width.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${w.app}?rpc=${encodeURIComponent(w.rpc)}#/models`);
    await row.waitFor();
    await w.shot('11-models-phone');
  });
});
