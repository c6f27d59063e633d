// Quick look: screenshots of the app's pages (development aid; the story test is e2e/story.test.ts).
import { chromium } from 'playwright-core';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const base = process.argv[2] ?? 'http://127.0.0.1:8788/';
const out = process.argv[3] ?? '/tmp/shots';
const ctx = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'nmst-chr-')), {
  executablePath: '/usr/bin/chromium', headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1200, height: 900 },
});
const page = ctx.pages()[0] ?? await ctx.newPage();
page.on('console', (m) => { if (m.type() === 'error') console.log('console:', m.text()); });
page.on('pageerror', (e) => console.log('pageerror:', e.message));
for (const [name, hash, w] of [['models', '#/models', 1200], ['model', '#/model/00000000-0000-4000-8000-000000000001', 1200], ['accounts', '#/accounts', 1200], ['owner', '#/owner', 1200], ['models-phone', '#/models', 390]]) {
  await page.setViewportSize({ width: w, height: 900 });
  await page.goto(base + hash);
  await page.waitForTimeout(4000);
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  console.log('shot', name);
}
await ctx.close();
