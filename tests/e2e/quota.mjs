// End-to-end test of a full disk: with the origin's quota lowered through the DevTools
// protocol (`Storage.overrideQuotaForOrigin`, as Chrome's DevTools "simulate custom storage
// quota" does), a produce too big for what is left fails with Kafka's KAFKA_STORAGE_ERROR, the
// log rolls back to what is stored, and nothing stored earlier is lost — also after a reload.
//
//   node tests/e2e/quota.mjs <dist dir> <artefact dir>
//
// Exits non-zero, with the reason, on any failure; leaves screenshots in the artefact dir.
import path from 'node:path';

import { openSite } from './site.mjs';

const { url, artefactDir, browser, server, fail } = await openSite('quota');

// The high watermark shown in partition 0's lane.
const highWatermark = (page) => page.$eval('.lane[data-partition="0"] .lane-head',
  (h) => Number(/high watermark (\d+)/.exec(h.textContent)?.[1] ?? NaN));

// Produces one record from the topic page's form and waits for its delivery: stored or failed.
async function produce(page, key, value) {
  await page.fill('input[name="key"]', key);
  await page.fill('textarea[name="value"]', value);
  await page.click('form[aria-label="Produce a record"] button[type="submit"]');
  await page.waitForFunction((k) => {
    const result = document.querySelector('[data-testid="produce-result"]')?.textContent ?? '';
    return result.startsWith(`key ${k} →`) && (result.includes('✓ stored') || result.includes('✗ not stored'));
  }, key, { timeout: 20000 });
  return (await page.textContent('[data-testid="produce-result"]')).trim();
}

try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

  // A 192 KiB quota, set before the page opens its database (Chrome applies an override to
  // connections opened after it): room for the playground and a few small records.
  const cdp = await context.newCDPSession(page);
  const origin = new URL(url).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 192 * 1024 });
  await page.goto(url + '#/topics', { waitUntil: 'load' });
  await page.waitForSelector('[data-testid="app"]', { timeout: 20000 });
  await page.fill('input[name="name"]', 'orders');
  await page.fill('input[name="partitions"]', '1');
  await page.click('button[type="submit"]');
  await page.waitForSelector('.notice.ok');
  await page.click('a[href="#/topics/orders"]');
  await page.waitForSelector('.lane');
  await page.selectOption('select[name="format"]', 'text');
  for (let i = 0; i < 3; i += 1) {
    const result = await produce(page, `k${i}`, `small record ${i}`);
    if (!result.includes('✓ stored')) fail(`record ${i} under the quota: ${JSON.stringify(result)}`);
  }

  // 256 KiB of incompressible text does not fit.
  const big = await page.evaluate(() => Array.from({ length: 256 * 1024 },
    () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join(''));
  const refused = await produce(page, 'big', big);
  if (!refused.includes('✗ not stored') || !refused.includes('KAFKA_STORAGE_ERROR') || !refused.includes('refused to store more data')) {
    fail(`a produce over the quota says ${JSON.stringify(refused.slice(0, 400))}`);
  }
  console.log(`e2e quota: the produce over the quota says: ${refused}`);
  // Rolled back to what is stored: the three small records.
  await page.waitForFunction(() => /high watermark 3(?!\d)/.test(document.querySelector('.lane[data-partition="0"] .lane-head')?.textContent ?? ''),
    null, { timeout: 5000 }).catch(async () => fail(`after the failed produce the high watermark is ${await highWatermark(page)}, not 3`));
  await page.click('button[aria-label="Minimise the terminal"]');
  await page.screenshot({ path: path.join(artefactDir, 'quota-refused.png'), fullPage: true });

  // The overview's timeline says what happened, in plain words.
  await page.click('a.nav-link[href="#/"]');
  await page.waitForSelector('.timeline');
  const told = await page.textContent('.timeline');
  if (!told.includes('Storage failed: The browser refused to store more data')) fail(`the timeline reads ${JSON.stringify(told.slice(0, 400))}`);

  // A small record still fits after the refusal: the failed write left nothing behind.
  await page.click('a.nav-link[href="#/topics"]');
  await page.click('a[href="#/topics/orders"]');
  await page.waitForSelector('.lane');
  await page.selectOption('select[name="format"]', 'text');
  const after = await produce(page, 'k3', 'small record 3');
  if (!after.includes('✓ stored')) fail(`after the refusal a small produce says ${JSON.stringify(after)}`);
  // A reload keeps all four, and not the refused one.
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('.lane', { timeout: 20000 });
  const kept = await highWatermark(page);
  if (kept !== 4) fail(`after a reload partition 0 holds ${kept} records, not 4`);
  const keys = await page.$$eval('.lane[data-partition="0"] .cell, .lane[data-partition="0"] [data-offset]', (cells) => cells.map((c) => c.textContent));
  if (keys.some((k) => k.includes('big'))) fail(`the refused record came back after a reload: ${JSON.stringify(keys)}`);
  await page.screenshot({ path: path.join(artefactDir, 'quota-reloaded.png'), fullPage: true });

  for (const problem of problems) fail(problem);
  if (!process.exitCode) console.log(`e2e quota: ok — KAFKA_STORAGE_ERROR over the quota, rolled back, nothing earlier lost; screenshots in ${artefactDir}`);
} catch (error) {
  fail(error.message);
} finally {
  await browser.close();
  server.close();
}
