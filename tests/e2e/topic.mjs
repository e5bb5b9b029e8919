// End-to-end test of the topic page's records: sample orders with a progress bar, the record
// drawer, the virtualised message browser with its filters, and a JSON-lines import.
//
//   node tests/e2e/topic.mjs <dist dir> <artefact dir>
//
// Set BROOKLET_E2E_ORDERS=1000000 to time a bigger run (default 100000). Needs playwright-core
// (installed by `make tools` into .tools/) and /usr/bin/chromium. Exits non-zero, with the
// reason, on any failure; leaves screenshots in the artefact dir.
import path from 'node:path';

import { openSite } from './site.mjs';

const BIG_RUN = Number(process.env.BROOKLET_E2E_ORDERS ?? 100000);




const { url, artefactDir, distDir, browser, server, fail } = await openSite('topic');

// Types into a field the way a learner does: Yew's forms read the value on `change`.
async function type(page, selector, value) {
  await page.fill(selector, value);
  await page.dispatchEvent(selector, 'change');
}

// The high watermarks of every lane, summed: how many records the topic holds.
const held = (page) => page.$$eval('.lane-head', (heads) => heads
  .map((h) => Number(/high watermark (\d+)/.exec(h.textContent)?.[1] ?? NaN))
  .reduce((a, b) => a + b, 0));

async function generate(page, count) {
  await type(page, 'input[name="sample-count"]', String(count));
  const started = Date.now();
  await page.click('form[aria-label="Generate sample orders"] button[type="submit"]');
  await page.waitForSelector('[data-testid="sample-status"][data-state="done"], [data-testid="sample-status"][data-state="failed"]',
    { timeout: 600000 });
  return { seconds: (Date.now() - started) / 1000, status: (await page.textContent('[data-testid="sample-status"]')).trim() };
}

async function browse(page, fields) {
  for (const [name, value] of Object.entries(fields)) await type(page, `input[name="browse-${name}"]`, value);
  await page.click('form[aria-label="Browse messages"] button[type="submit"]');
}

try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));

  await page.goto(url + '#/topics', { waitUntil: 'load' });
  await page.waitForSelector('[data-testid="app"]', { timeout: 20000 });
  await type(page, 'input[name="name"]', 'retail');
  await page.click('button[type="submit"]');
  await page.waitForSelector('.notice.ok');
  await page.click('a[href="#/topics/retail"]');
  await page.waitForSelector('.lane');

  // A count that is not a number says how to write one.
  const refusedCount = await generate(page, 'lots');
  if (!refusedCount.status.includes("'lots' is not one")) fail(`a bad count said ${JSON.stringify(refusedCount.status)}`);

  // 1000 sample orders: the progress finishes and the lanes hold exactly 1000 records.
  const small = await generate(page, 1000);
  if (!small.status.startsWith('Produced 1,000 sample orders to retail')) fail(`the sample panel reads ${JSON.stringify(small.status)}`);
  const progress = await page.getAttribute('[data-testid="sample-progress"]', 'value');
  if (Number(progress) !== 100) fail(`the progress bar ends at ${progress}`);
  if (await held(page) !== 1000) fail(`the lanes hold ${await held(page)} records after generating 1000`);
  const counted = await page.textContent('[data-testid="browser-count"]');
  if (counted.trim() !== '1,000 record(s)') fail(`the browser counts ${JSON.stringify(counted)}`);
  await page.screenshot({ path: path.join(artefactDir, 'topic-generated.png'), fullPage: true });

  // Clicking a record opens the drawer with pretty JSON, line items included.
  await page.click('.msg-row >> nth=0');
  await page.waitForSelector('[data-testid="record-drawer"]');
  const value = await page.textContent('[data-testid="drawer-value"]');
  if (!value.includes('\n  "line_items": [') || !value.includes('"order_item_subtotal"')) fail(`the drawer's value is ${JSON.stringify(value.slice(0, 200))}`);
  const key = (await page.textContent('[data-testid="drawer-key"]')).trim();
  const order = JSON.parse(value);
  if (String(order.customer_id) !== key) fail(`the record's key ${key} is not its customer_id ${order.customer_id}`);
  for (const item of order.line_items) {
    if (Math.abs(item.order_item_product_price * item.order_item_quantity - item.order_item_subtotal) > 0.005) fail(`a subtotal is off: ${JSON.stringify(item)}`);
  }
  const facts = await page.textContent('.drawer-facts');
  if (!/Batch\s*offsets \d+–\d+, \d+ record\(s\)/.test(facts)) fail(`the drawer's facts read ${JSON.stringify(facts)}`);
  await page.screenshot({ path: path.join(artefactDir, 'topic-drawer.png') });
  await page.keyboard.press('Escape');
  await page.waitForSelector('[data-testid="record-drawer"]', { state: 'detached' });

  // A lane cell opens the drawer too, from the keyboard.
  await page.focus('.lane .cell[role="button"] >> nth=0');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="record-drawer"]');
  await page.click('[data-testid="record-drawer"] button[aria-label="Close the record"]');

  // Browse by key: every row shown has that key.
  await browse(page, { key });
  await page.waitForFunction(() => document.querySelector('[data-testid="browser-count"]')?.textContent.includes('match') && !document.querySelector('.msg-row.loading'));
  const keys = await page.$$eval('.msg-row .msg-key', (cells) => cells.map((c) => c.textContent));
  if (keys.length === 0 || keys.some((k) => k !== key)) fail(`browsing key ${key} shows keys ${JSON.stringify(keys)}`);
  // By a JSON field: Chicago's orders.
  await browse(page, { key: '', field: 'city = Chicago' });
  await page.waitForFunction(() => !document.querySelector('[data-testid="browser-count"]')?.textContent.startsWith('1 record'));
  const chicago = await page.$$eval('.msg-row .msg-value', (cells) => cells.map((c) => c.textContent));
  if (chicago.length === 0 || chicago.some((v) => !v.includes('"city":"Chicago"'))) fail(`the Chicago filter shows ${chicago.length} rows, e.g. ${JSON.stringify(chicago[0])}`);
  await page.screenshot({ path: path.join(artefactDir, 'topic-browser.png'), fullPage: true });
  // Seek: partition 1 from offset 300.
  await page.selectOption('select[name="browse-partition"]', '1');
  await page.selectOption('select[name="browse-seek"]', 'offset');
  await browse(page, { at: '300', field: '' });
  await page.waitForFunction(() => document.querySelector('.msg-row')?.dataset.offset === '300');
  const seeked = await page.$$eval('.msg-row', (rows) => rows.map((r) => `${r.dataset.partition}:${r.dataset.offset}`));
  if (seeked[0] !== '1:300' || seeked.some((r) => !r.startsWith('1:'))) fail(`seeking partition 1 to offset 300 shows ${JSON.stringify(seeked.slice(0, 3))}`);
  await page.selectOption('select[name="browse-partition"]', 'all');
  await page.selectOption('select[name="browse-seek"]', 'earliest');
  // A bad field filter says how to write it.
  await browse(page, { field: 'city Chicago' });
  await page.waitForSelector('[data-testid="browser-problem"]');
  await browse(page, { field: '' });

  // Import three JSON lines keyed by customer_id: three more records.
  const lines = ['{"order_id":90001,"customer_id":11599,"city":"Chicago"}',
                 '{"order_id":90002,"customer_id":256,"city":"Brooklyn"}',
                 '{"order_id":90003,"customer_id":11599,"city":"Chicago"}'].join('\n');
  await page.setInputFiles('input[name="import-file"]', { name: 'orders.jsonl', mimeType: 'application/json', buffer: Buffer.from(lines) });
  await page.waitForSelector('[data-testid="import-result"]');
  const imported = (await page.textContent('[data-testid="import-result"]')).trim();
  if (imported !== 'Imported 3 record(s) from orders.jsonl into retail, keyed by customer_id.') fail(`the import said ${JSON.stringify(imported)}`);
  if (await held(page) !== 1003) fail(`the lanes hold ${await held(page)} records after importing 3`);
  // A file with a bad line imports nothing and names the line.
  await page.setInputFiles('input[name="import-file"]', { name: 'bad.jsonl', mimeType: 'application/json', buffer: Buffer.from('{"customer_id":1}\n{oops}\n') });
  await page.waitForSelector('.notice.error[data-testid="import-result"]');
  const refused = await page.textContent('[data-testid="import-result"]');
  if (!refused.includes('Nothing was produced') || !refused.includes('Line 2: not valid JSON')) fail(`a bad import said ${JSON.stringify(refused)}`);
  if (await held(page) !== 1003) fail(`a refused import changed the count to ${await held(page)}`);

  // A steady rate until stopped: records keep arriving, and Stop says how many, once the store
  // has answered for every one of them (never at the click, before their flushes).
  await type(page, 'input[name="sample-rate"]', '200');
  await page.click('form[aria-label="Produce at a steady rate"] button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="sample-status"][data-state="running"]')?.textContent.includes('a second'));
  await page.waitForTimeout(1000);
  await page.click('[data-testid="sample-status"] button');
  await page.waitForSelector('[data-testid="sample-status"][data-state="done"]');
  const stopped = (await page.textContent('[data-testid="sample-status"]')).trim();
  const steadyCount = Number(/^Stopped after ([\d,]+) orders/.exec(stopped)?.[1].replaceAll(',', '') ?? NaN);
  if (!(steadyCount > 0) || await held(page) !== 1003 + steadyCount) fail(`the steady run says ${JSON.stringify(stopped)}; the lanes hold ${await held(page)}`);
  if (!stopped.endsWith(`; the ${steadyCount.toLocaleString('en-US')} orders produced are in the log.`)) fail(`the stopped run does not say its orders are stored: ${JSON.stringify(stopped)}`);
  const before = await held(page);

  // Everything produced in chunks is kept: after a reload the lanes hold the same count.
  await page.waitForTimeout(1500);
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('.lane');
  if (await held(page) !== before) fail(`after a reload the lanes hold ${await held(page)} records, not ${before}`);

  // A big run, timed; then the browser scrolls to its very end with only a window of rows in the page.
  const big = await generate(page, BIG_RUN);
  const total = before + BIG_RUN;
  if (!big.status.startsWith(`Produced ${BIG_RUN.toLocaleString('en-US')} sample orders`)) fail(`the big run reads ${JSON.stringify(big.status)}`);
  if (await held(page) !== total) fail(`the lanes hold ${await held(page)} records, not ${total}`);
  await page.$eval('.browser-viewport', (v) => { v.scrollTop = v.scrollHeight; v.dispatchEvent(new Event('scroll')); });
  await page.waitForTimeout(300);
  const rendered = await page.$$eval('.msg-row', (rows) => rows.length);
  if (rendered > 60) fail(`${rendered} rows are in the page: the list is not virtualised`);
  const lastPartition = await page.$$eval('.lane', (l) => l.length - 1);
  const lastRow = await page.$$eval('.msg-row', (rows) => rows.at(-1)?.dataset.partition);
  if (Number(lastRow) !== lastPartition) fail(`the last row scrolled to is in partition ${lastRow}`);
  await page.screenshot({ path: path.join(artefactDir, 'topic-big.png'), fullPage: true });

  // A key filter over the whole topic, timed.
  const searchStarted = Date.now();
  await browse(page, { key: '11599' });
  await page.waitForFunction(() => document.querySelector('[data-testid="browser-count"]')?.textContent.includes('match') && !document.querySelector('.msg-row.loading'));
  const searchSeconds = (Date.now() - searchStarted) / 1000;
  const found = await page.$$eval('.msg-row .msg-key', (cells) => cells.map((c) => c.textContent));
  if (found.length === 0 || found.some((k) => k !== '11599')) fail(`browsing key 11599 shows ${JSON.stringify(found.slice(0, 5))}`);
  // A JSON field filter over the whole topic (every value parsed that mentions Chicago), timed.
  const fieldStarted = Date.now();
  await browse(page, { key: '', field: 'city = Chicago' });
  await page.waitForFunction(() => document.querySelector('[data-testid="browser-count"]')?.textContent.includes('match') && !document.querySelector('.msg-row.loading'));
  const fieldSeconds = (Date.now() - fieldStarted) / 1000;
  await page.click('.msg-row >> nth=0');
  await page.waitForSelector('[data-testid="record-drawer"]');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(artefactDir, 'topic-dark.png') });

  for (const problem of problems) fail(problem);
  if (!process.exitCode) console.log(`e2e topic: ok — 1000 orders in ${small.seconds.toFixed(1)} s, ${BIG_RUN} in ${big.seconds.toFixed(1)} s, a key filter over ${total} in ${searchSeconds.toFixed(1)} s, a JSON field filter in ${fieldSeconds.toFixed(1)} s (headless Chromium, IndexedDB on); screenshots in ${artefactDir}`);
} catch (error) {
  fail(error.message);
} finally {
  await browser.close();
  server.close();
}
