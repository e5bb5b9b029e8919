// End-to-end smoke test: the release build, served under a sub-path the way a static host
// (GitHub Pages, a course site) would serve it, loads in real headless Chromium and mounts.
//
//   node tests/e2e/smoke.mjs <dist dir> <artefact dir>
//
// Needs playwright-core (installed by `make tools` into .tools/) and /usr/bin/chromium.
// Exits non-zero, with the reason, on any failure; leaves a screenshot in the artefact dir.
import path from 'node:path';

import { openSite } from './site.mjs';





const { url, artefactDir, distDir, browser, server, fail } = await openSite('smoke');
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });

  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid="app"]', { timeout: 20000 });
  const heading = await page.textContent('h1');
  if (heading?.trim() !== 'Learn Kafka by running it') fail(`the overview heading reads ${JSON.stringify(heading)}`);
  if (await page.$('#boot')) fail('the loading notice is still on the page after the app mounted');
  const title = await page.title();
  if (!title.startsWith('Brooklet')) fail(`the page title is ${JSON.stringify(title)}`);

  // Navigation works under the sub-path: the hash route opens the Topics page.
  await page.click('a.nav-link[href="#/topics"]');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Topics');
  if (!page.url().startsWith(url)) fail(`navigation left the sub-path: ${page.url()}`);
  await page.click('a.nav-link[href="#/"]');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Learn Kafka by running it');
  const brokers = await page.textContent('article[aria-label="Brokers"] tbody');
  if (!brokers.includes('1 (controller)') || !brokers.includes('localhost:9092')) fail(`the brokers card reads ${JSON.stringify(brokers)}`);

  await page.screenshot({ path: path.join(artefactDir, 'overview.png'), fullPage: true });

  // A learner's first steps: create a topic (the name is checked as typed), produce a keyed
  // order, and see where it landed and why.
  await page.click('a.nav-link[href="#/topics"]');
  await page.fill('input[name="name"]', 'bad name');
  await page.waitForFunction(() => document.querySelector('#name-problem')?.textContent.includes('characters other than ASCII'));
  await page.fill('input[name="name"]', 'orders');
  await page.click('button[type="submit"]');
  await page.waitForSelector('.notice.ok');
  const created = await page.textContent('.notice.ok');
  if (created.trim() !== 'Created topic orders.') fail(`creating a topic said ${JSON.stringify(created)}`);
  await page.click('a[href="#/topics/orders"]');
  await page.waitForSelector('.lane');
  const lanes = await page.$$eval('.lane', (ls) => ls.length);
  if (lanes !== 3) fail(`the topic page shows ${lanes} lanes, not 3`);
  await page.click('form[aria-label="Produce a record"] button[type="submit"]');
  await page.waitForSelector('[data-testid="produce-result"]');
  const landed = (await page.textContent('[data-testid="produce-result"]')).trim();
  if (!/^key 11599 → murmur2 → partition [0-2] of 3, offset 0/.test(landed)) fail(`the produce result reads ${JSON.stringify(landed)}`);
  // The delivery acknowledgement comes once IndexedDB committed the batch.
  await page.waitForFunction(() => document.querySelector('[data-testid="produce-ack"]')?.textContent.includes('stored'));
  const cells = await page.$$eval('.lane .cell.key-0, .lane .cell.key-1, .lane .cell.key-2, .lane .cell.key-3, .lane .cell.key-4, .lane .cell.key-5, .lane .cell.key-6, .lane .cell.key-7', (c) => c.length);
  if (cells !== 1) fail(`the lanes show ${cells} record cells after one produce`);
  // A bad value gets a clear error and stores nothing.
  await page.fill('textarea[name="value"]', '{ not json');
  await page.dispatchEvent('textarea[name="value"]', 'change');
  await page.click('form[aria-label="Produce a record"] button[type="submit"]');
  await page.waitForSelector('.notice.error[data-testid="produce-result"]');
  const refused = await page.textContent('[data-testid="produce-result"]');
  if (!refused.startsWith('The value is not valid JSON')) fail(`a bad JSON value said ${JSON.stringify(refused)}`);

  // The storage settings are the learner's: strict durability and a 25 ms flush delay, then
  // a produce still acknowledged once stored; both settings survive the reload below.
  await page.click('[data-testid="storage-badge"] button:has-text("durability: relaxed")');
  await page.waitForSelector('[data-testid="storage-badge"] button:has-text("durability: strict")');
  await page.click('[data-testid="flush-delay"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="flush-delay"]')?.textContent.includes('≤25 ms'));
  await page.fill('textarea[name="value"]', '{"order_id": 2}');
  await page.click('form[aria-label="Produce a record"] button[type="submit"]');
  await page.waitForFunction(() => {
    const result = document.querySelector('[data-testid="produce-result"]')?.textContent ?? '';
    return result.includes('offset 1') && result.includes('✓ stored');
  }).catch(async () => fail(`a strict, delayed produce reads ${JSON.stringify(await page.textContent('[data-testid="produce-result"]'))}`));

  const shot = path.join(artefactDir, 'smoke.png');
  await page.screenshot({ path: shot, fullPage: true });

  // Close the tab, come back: the log is still there (IndexedDB), with the same record.
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('.lane');
  const kept = await page.$$eval('.lane .cell .offset', (c) => c.map((e) => e.textContent));
  if (JSON.stringify(kept) !== '["0","1"]') fail(`after a reload the lanes hold offsets ${JSON.stringify(kept)}`);
  const badge = await page.textContent('[data-testid="storage-badge"]');
  if (!badge.startsWith('Kept in this browser')) fail(`the storage badge reads ${JSON.stringify(badge)}`);
  if (!badge.includes('durability: strict') || !badge.includes('≤25 ms')) fail(`after a reload the storage settings read ${JSON.stringify(badge)}`);

  // A second tab finds the playground owned by the first and takes it over in the middle of
  // a flush: tab 1 waits up to 1000 ms to store record A when tab 2 takes over and stores B
  // at once. Nothing either tab showed as stored is lost, tab 1 says A was not stored (its
  // delivery fails), and tab 1 writes nothing after the takeover.
  const produceResult = (p) => p.textContent('[data-testid="produce-result"]').then((t) => t.trim());
  const chunkCount = (p) => p.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open('brooklet/default');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const count = db.transaction('chunks').objectStore('chunks').count();
      count.onsuccess = () => { db.close(); resolve(count.result); };
      count.onerror = () => reject(count.error);
    };
  }));
  while (!(await page.textContent('[data-testid="flush-delay"]')).includes('≤1000 ms')) {
    await page.click('[data-testid="flush-delay"]');
  }
  // Tab 2 is open first, showing that tab 1 owns the playground, as in the learner's steps.
  const second = await context.newPage();
  second.on('pageerror', (e) => problems.push(`second tab page error: ${e.message}`));
  await second.goto(url + '#/topics/orders', { waitUntil: 'load' });
  await second.waitForSelector('[data-testid="owned-elsewhere"]');
  await page.fill('textarea[name="value"]', '{"order_id": "A"}');
  await page.click('form[aria-label="Produce a record"] button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="produce-result"]')?.textContent.includes('offset 2'));
  const pending = await produceResult(page);
  if (!pending.includes('… storing')) fail(`record A before the takeover reads ${JSON.stringify(pending)}`);
  await second.click('[data-testid="owned-elsewhere"] button');
  await second.waitForSelector('.lane');
  while (!(await second.textContent('[data-testid="flush-delay"]')).includes('every change')) {
    await second.click('[data-testid="flush-delay"]');
  }
  await second.selectOption('select[name="format"]', 'json').catch(() => {});
  await second.fill('textarea[name="value"]', '{"order_id": "B"}');
  await second.click('form[aria-label="Produce a record"] button[type="submit"]');
  await second.waitForFunction(() => /offset \d+ ✓ stored/.test(document.querySelector('[data-testid="produce-result"]')?.textContent ?? ''));
  const storedB = await produceResult(second);
  const chunksAfterB = await chunkCount(second);
  // Tab 1's flush timer (1000 ms) has long fired by now.
  await page.waitForTimeout(1500);
  const tab1 = await produceResult(page);
  if (tab1.includes('✓ stored')) fail(`tab 1 shows A as stored after the takeover: ${JSON.stringify(tab1)}`);
  if (!tab1.includes('✗ not stored') || !tab1.includes('Another tab took this playground over')) fail(`tab 1 says of A: ${JSON.stringify(tab1)}`);
  const chunksLater = await chunkCount(second);
  if (chunksLater !== chunksAfterB) fail(`tab 1 wrote after the takeover: ${chunksAfterB} chunks became ${chunksLater}`);
  await page.waitForSelector('[data-testid="banner"]', { timeout: 10000 });
  const banner = await page.textContent('[data-testid="banner"]');
  if (!banner.includes('read-only')) fail(`the first tab's banner reads ${JSON.stringify(banner)}`);
  // Tab 2 reloads: everything shown as stored is there (B where A would have been), once.
  await second.reload({ waitUntil: 'load' });
  await second.waitForSelector('.lane');
  const offsetB = Number(/offset (\d+)/.exec(storedB)?.[1]);
  const afterReload = await second.$$eval('.lane .cell .offset', (c) => c.map((e) => e.textContent));
  if (JSON.stringify(afterReload) !== JSON.stringify(['0', '1', String(offsetB)]) || offsetB !== 2) {
    fail(`after the takeover and a reload the lanes hold offsets ${JSON.stringify(afterReload)} (B was stored at ${offsetB})`);
  }
  if (await chunkCount(second) !== chunksLater) fail('reopening found more chunks than were stored');
  await page.click('form[aria-label="Produce a record"] button[type="submit"]');
  await page.waitForSelector('.notice.error[data-testid="produce-result"]');
  const refusedWrite = await page.textContent('[data-testid="produce-result"]');
  if (!refusedWrite.includes('another tab')) fail(`a write in the read-only tab said ${JSON.stringify(refusedWrite)}`);
  await page.screenshot({ path: path.join(artefactDir, 'read-only-tab.png'), fullPage: true });
  for (const problem of problems) fail(problem);
  if (!process.exitCode) console.log(`e2e smoke: ok — ${url} mounted; screenshot ${shot}`);
} catch (error) {
  fail(error.message);
} finally {
  await browser.close();
  server.close();
}
