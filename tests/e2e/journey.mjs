// The learner's journey, end to end against the release build: create topic `orders` with 3
// partitions → generate 1,000 orders → create a group with 2 consumers (raising their poll
// rate and max.poll.records on their cards, as a learner in a hurry would) → wait until the
// total lag is 0 → reload the page → the topic, its 1,000 records and the group's committed
// offsets are all still there. A screenshot per step: <artefact dir>/journey-*.png.
//
//   node tests/e2e/journey.mjs <dist dir> <artefact dir>
//
// Needs playwright-core (installed by `make tools` into .tools/) and /usr/bin/chromium.
// Exits non-zero, with the reason, on any failure.
import path from 'node:path';

import { openSite } from './site.mjs';

const { url, artefactDir, browser, server, fail } = await openSite('journey');
const started = Date.now();

// Types into a field the way a learner does: Yew's forms read the value on `change`.
async function type(page, selector, value) {
  await page.fill(selector, value);
  await page.dispatchEvent(selector, 'change');
}

// The terminal dock sits over the bottom of the page: minimise it before a screenshot.
async function minimiseTerminal(page) {
  const button = await page.$('button[aria-label="Minimise the terminal"]');
  if (button) await button.click();
}

// The whole page in one picture: the viewport grows to the page's height first, so the
// terminal dock (fixed to the viewport's bottom) sits at the bottom rather than over the page.
async function shot(page, name) {
  await minimiseTerminal(page);
  const size = page.viewportSize();
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
  await page.screenshot({ path: path.join(artefactDir, `journey-${name}.png`) });
  await page.setViewportSize(size);
}

// The high watermarks of every lane: how many records each partition holds.
const heldPerLane = (page) => page.$$eval('.lane-head', (heads) => heads
  .map((h) => Number(/high watermark (\d+)/.exec(h.textContent)?.[1] ?? NaN)));

// The partition table of the open group: committed offset, log end and lag per partition.
const table = (page) => page.$$eval('[data-testid="partition-table"] tbody tr', (rows) => rows.map((r) => ({
  partition: r.querySelector('td')?.textContent.trim(),
  committed: r.querySelector('td.committed')?.textContent.trim(),
  logEnd: r.querySelector('td.log-end')?.textContent.trim(),
  lag: r.querySelector('td.lag .lag-value')?.textContent.trim(),
})));

try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));

  // 1. Create topic orders with 3 partitions.
  await page.goto(url + '#/topics', { waitUntil: 'load' });
  await page.waitForSelector('[data-testid="app"]', { timeout: 20000 });
  await type(page, 'input[name="name"]', 'orders');
  await type(page, 'input[name="partitions"]', '3');
  await page.click('button[type="submit"]');
  await page.waitForSelector('.notice.ok');
  const created = await page.textContent('.notice.ok');
  if (!created.includes('orders')) fail(`creating the topic said ${JSON.stringify(created)}`);
  await page.waitForSelector('a[href="#/topics/orders"]');
  await shot(page, '1-topic-created');

  // 2. Generate 1,000 orders on the topic page.
  await page.click('a[href="#/topics/orders"]');
  await page.waitForSelector('.lane');
  await type(page, 'input[name="sample-count"]', '1000');
  await page.click('form[aria-label="Generate sample orders"] button[type="submit"]');
  await page.waitForSelector('[data-testid="sample-status"][data-state="done"], [data-testid="sample-status"][data-state="failed"]', { timeout: 60000 });
  const generated = (await page.textContent('[data-testid="sample-status"]')).trim();
  if (!generated.startsWith('Produced 1,000 sample orders to orders')) fail(`the sample panel reads ${JSON.stringify(generated)}`);
  const lanes = await heldPerLane(page);
  if (lanes.length !== 3 || lanes.reduce((a, b) => a + b, 0) !== 1000) fail(`after generating, the lanes hold ${JSON.stringify(lanes)}`);
  await shot(page, '2-orders-generated');

  // 3. A group g1 with 2 consumers, each polling 10 times a second, 100 records a poll.
  await page.click('a.nav-link[href="#/groups"]');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Consumer groups');
  await page.fill('input[name="group"]', 'g1');
  for (const client of ['c1', 'c2']) {
    await page.click('form[aria-label="Start a consumer"] button[type="submit"]');
    await page.waitForSelector(`[data-testid="member-${client}"]`);
    await page.selectOption(`select[aria-label="Polls per second of ${client}"]`, '10');
    await type(page, `input[aria-label="max.poll.records of ${client}"]`, '100');
  }
  for (const client of ['c1', 'c2']) {
    const rate = await page.inputValue(`select[aria-label="Polls per second of ${client}"]`);
    const max = await page.inputValue(`input[aria-label="max.poll.records of ${client}"]`);
    if (rate !== '10' || max !== '100') fail(`${client}'s card shows ${rate} polls a second and max.poll.records ${max}`);
  }
  await page.check('[data-testid="auto-run"]');
  await page.waitForFunction(() => {
    const chips = (c) => document.querySelectorAll(`[data-testid="member-${c}"] [data-testid="partitions"] .chip:not(.none)`).length;
    return chips('c1') + chips('c2') === 3 && chips('c1') > 0 && chips('c2') > 0;
  }, null, { timeout: 20000 });
  await shot(page, '3-group-running');

  // 4. Wait until the total lag is 0: every partition committed up to its log end.
  await page.waitForFunction(() => {
    const lags = [...document.querySelectorAll('[data-testid="partition-table"] td.lag .lag-value')].map((c) => c.textContent.trim());
    return lags.length === 3 && lags.every((l) => l === '0');
  }, null, { timeout: 30000 });
  const before = await table(page);
  const committedSum = before.reduce((sum, r) => sum + Number(r.committed), 0);
  if (committedSum !== 1000) fail(`at lag 0 the committed offsets add up to ${committedSum}: ${JSON.stringify(before)}`);
  if (before.some((r) => r.committed !== r.logEnd)) fail(`at lag 0 a committed offset differs from its log end: ${JSON.stringify(before)}`);
  const consumed = await page.$$eval('.member-meta', (m) => m.map((e) => Number(/(\d+) read/.exec(e.textContent)?.[1] ?? NaN)));
  if (consumed.reduce((a, b) => a + b, 0) !== 1000) fail(`the two consumers read ${JSON.stringify(consumed)} records`);
  await shot(page, '4-lag-zero');

  // 5. Reload: the group comes back Empty with its committed offsets read back from storage.
  await page.uncheck('[data-testid="auto-run"]');
  await page.waitForTimeout(1500); // let the last commits reach IndexedDB
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('[data-testid="partition-table"]', { timeout: 20000 });
  const after = await table(page);
  if (JSON.stringify(after.map((r) => [r.partition, r.committed, r.logEnd, r.lag]))
      !== JSON.stringify(before.map((r) => [r.partition, r.committed, r.logEnd, r.lag]))) {
    fail(`the partition table before the reload ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
  }
  const told = await page.textContent('[data-testid="group-timeline"]');
  if (!told.includes('Committed offsets of g1 read back from __consumer_offsets')) fail(`after the reload the timeline reads ${JSON.stringify(told.slice(0, 300))}`);
  await shot(page, '5-reloaded-group');

  // 6. The topic and its 1,000 records are there, the lanes marked with g1's committed offsets.
  await page.click('a.nav-link[href="#/topics"]');
  await page.waitForSelector('a[href="#/topics/orders"]');
  await page.click('a[href="#/topics/orders"]');
  await page.waitForSelector('.lane');
  const kept = await heldPerLane(page);
  if (JSON.stringify(kept) !== JSON.stringify(lanes)) fail(`after the reload the lanes hold ${JSON.stringify(kept)}, before ${JSON.stringify(lanes)}`);
  await page.waitForSelector('.lane .mark-committed');
  const marks = await page.$$eval('.lane', (ls) => ls.map((l) => l.querySelector('.mark-committed')?.textContent.trim()));
  const expected = before.map((r) => `g1 committed ${r.committed}`);
  if (JSON.stringify(marks) !== JSON.stringify(expected)) fail(`the lanes mark ${JSON.stringify(marks)}, not ${JSON.stringify(expected)}`);
  const shown = await page.$$eval('.lane .cell .offset', (c) => c.length);
  if (shown === 0) fail('the lanes show no record cells after the reload');
  await shot(page, '6-reloaded-topic');

  for (const problem of problems) fail(problem);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (!process.exitCode) console.log(`e2e journey: ok in ${seconds} s — orders, 1,000 records, g1 at lag 0, all back after a reload; screenshots in ${artefactDir}`);
} catch (error) {
  fail(error.message);
} finally {
  await browser.close();
  server.close();
}
