// End-to-end test of the consumer-groups page: two consumers share a topic's partitions, the
// rebalance is told in the timeline, a crashed consumer's partitions go back to the survivor
// once its session expires (the clock jumps ahead), committed offsets survive a reload, the
// standalone reader reads and seeks without moving them, and an idle group's offsets can be
// reset (dry run, then execute) and the group deleted.
//
//   node tests/e2e/groups.mjs <dist dir> <artefact dir>
//
// Needs playwright-core (installed by `make tools` into .tools/) and /usr/bin/chromium.
// Exits non-zero, with the reason, on any failure; leaves screenshots in the artefact dir.
import path from 'node:path';

import { openSite } from './site.mjs';





const { url, artefactDir, distDir, browser, server, fail } = await openSite('groups');

// The partitions the card of `client` lists, e.g. ["orders-0", "orders-1"].
async function owned(page, client) {
  return page.$$eval(`[data-testid="member-${client}"] [data-testid="partitions"] .chip:not(.none)`,
    (chips) => chips.map((c) => c.textContent.trim()));
}

// Clicks Step until `check` holds (each click is one poll by every running consumer).
async function stepUntil(page, what, check, tries = 20) {
  for (let i = 0; i < tries; i += 1) {
    if (await check()) return true;
    await page.click('[data-testid="step"]');
    await page.waitForTimeout(500);
  }
  if (await check()) return true;
  fail(what);
  return false;
}

// The terminal dock sits over the bottom of the page: minimise it before a screenshot.
async function minimiseTerminal(page) {
  const button = await page.$('button[aria-label="Minimise the terminal"]');
  if (button) await button.click();
}

async function lags(page) {
  return page.$$eval('[data-testid="partition-table"] tbody tr td.lag .lag-value', (cells) => cells.map((c) => c.textContent.trim()));
}

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));

  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid="app"]', { timeout: 20000 });

  // The topic: orders with 4 partitions, holding 20 keyed orders.
  await page.click('a.nav-link[href="#/topics"]');
  await page.fill('input[name="name"]', 'orders');
  await page.fill('input[name="partitions"]', '4');
  await page.dispatchEvent('input[name="partitions"]', 'change');
  await page.click('button[type="submit"]');
  await page.waitForSelector('.notice.ok');
  await page.click('a[href="#/topics/orders"]');
  await page.waitForSelector('.lane');
  for (let i = 0; i < 20; i += 1) {
    await page.fill('input[name="key"]', String(11000 + i));
    await page.dispatchEvent('input[name="key"]', 'change');
    await page.click('form[aria-label="Produce a record"] button[type="submit"]');
    await page.waitForFunction((key) => document.querySelector('[data-testid="produce-result"]')?.textContent.startsWith(`key ${key} →`), 11000 + i);
  }
  await page.waitForFunction(() => document.querySelector('[data-testid="produce-ack"]')?.textContent.includes('stored'));

  // The group page: c1 alone owns all 4 partitions once the initial rebalance delay passed.
  await page.click('a.nav-link[href="#/groups"]');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Consumer groups');
  await page.fill('input[name="group"]', 'g1');
  const fresh = await page.textContent('[data-testid="group-state"]');
  if (fresh.trim() !== 'does not exist yet') fail(`before any consumer g1 is ${JSON.stringify(fresh)}`);
  await page.click('form[aria-label="Start a consumer"] button[type="submit"]');
  await page.waitForSelector('[data-testid="member-c1"]');
  await stepUntil(page, 'c1 never came to own 4 partitions', async () => (await owned(page, 'c1')).length === 4);

  // c2 joins: a rebalance, then 2 partitions each, told in the timeline.
  await page.click('form[aria-label="Start a consumer"] button[type="submit"]');
  await page.waitForSelector('[data-testid="member-c2"]');
  await stepUntil(page, 'c1 and c2 never came to own 2 partitions each',
    async () => (await owned(page, 'c1')).length === 2 && (await owned(page, 'c2')).length === 2);
  const timeline = await page.textContent('[data-testid="group-timeline"]');
  if (!/c2 joined g1 → rebalance → generation \d+/.test(timeline)) fail(`the timeline reads ${JSON.stringify(timeline)}`);
  await minimiseTerminal(page);
  await page.screenshot({ path: path.join(artefactDir, 'groups-rebalanced.png'), fullPage: true });

  // Stepping reads everything and auto-commits (every 5 s): the lag drops to 0.
  await stepUntil(page, 'the lag never dropped to 0', async () => {
    const l = await lags(page);
    return l.length === 4 && l.every((v) => v === '0');
  }, 30);

  // c2 crashes; an hour later its session has expired and c1 owns all 4 again.
  await page.click('button[aria-label="Crash c2"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="member-c2"]')?.textContent.includes('crashed'));
  await page.click('.clock button:has-text("+1 hour")');
  await stepUntil(page, 'c1 did not get all 4 partitions back after c2 crashed and the clock jumped',
    async () => (await owned(page, 'c1')).length === 4);
  const after = await page.textContent('[data-testid="group-timeline"]');
  if (!after.includes('c2 was removed from g1: it sent no heartbeat within session.timeout.ms')) fail(`after the jump the timeline reads ${JSON.stringify(after.slice(0, 400))}`);
  const c2 = await page.textContent('[data-testid="member-c2"] [data-testid="member-state"]');
  if (!c2.includes('removed by the coordinator')) fail(`c2's card reads ${JSON.stringify(c2)}`);
  await page.screenshot({ path: path.join(artefactDir, 'groups-after-crash.png'), fullPage: true });


  // A reset while c1 is active is refused with Kafka's message.
  await page.click('button:has-text("Dry run")');
  await page.waitForSelector('[data-testid="admin-result"]');
  const refused = await page.textContent('[data-testid="admin-result"]');
  if (!refused.startsWith('Error: ') || !refused.includes('inactive')) fail(`a reset with an active member said ${JSON.stringify(refused)}`);

  // Reload: the group comes back Empty, its committed offsets read back from storage.
  const committedBefore = await page.$$eval('[data-testid="partition-table"] td.committed', (c) => c.map((e) => e.textContent));
  await page.waitForTimeout(1500); // let the last commits reach IndexedDB
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('[data-testid="partition-table"]', { timeout: 20000 });
  const committedAfter = await page.$$eval('[data-testid="partition-table"] td.committed', (c) => c.map((e) => e.textContent));
  if (JSON.stringify(committedAfter) !== JSON.stringify(committedBefore) || committedAfter.includes('-')) {
    fail(`committed offsets before the reload ${JSON.stringify(committedBefore)}, after ${JSON.stringify(committedAfter)}`);
  }
  const told = await page.textContent('[data-testid="group-timeline"]');
  if (!told.includes('Committed offsets of g1 read back from __consumer_offsets')) fail(`after a reload the timeline reads ${JSON.stringify(told)}`);
  // The timeline is kept across the reload, with a line between the visits.
  if (!/c2 joined g1 → rebalance → generation \d+/.test(told) || !told.includes('The page was reloaded')) {
    fail(`after a reload the timeline lost the earlier visit: ${JSON.stringify(told.slice(0, 600))}`);
  }
  const state = await page.textContent('[data-testid="group-state"]');
  if (state.trim() !== 'Empty') fail(`after a reload g1 is ${JSON.stringify(state)}`);
  await minimiseTerminal(page);
  await page.screenshot({ path: path.join(artefactDir, 'groups-reloaded.png'), fullPage: true });

  // The standalone reader browses every partition from the beginning: it reads the 20 orders
  // and the group's committed offsets and lag stay as they were (browsing is not consuming).
  await page.click('[data-testid="reader-assign"]');
  await page.waitForSelector('[data-testid="reader-positions"]');
  await page.fill('input[name="reader-max-poll-records"]', '50');
  await page.dispatchEvent('input[name="reader-max-poll-records"]', 'change');
  await page.click('[data-testid="reader-poll"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="reader-result"]')?.textContent.startsWith('Read '));
  const read = await page.$$eval('[data-testid="reader-records"] li', (l) => l.length);
  if (read !== 20) fail(`the reader shows ${read} records, not 20`);
  await page.selectOption('select[name="seek-kind"]', 'offset');
  await page.fill('input[name="seek-value"]', '1');
  await page.dispatchEvent('input[name="seek-value"]', 'change');
  await page.selectOption('select[name="seek-partition"]', '0');
  await page.click('[data-testid="reader-seek"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="reader-result"]')?.textContent === 'Sought: orders-0 at 1.');
  await page.click('[data-testid="reader-step"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="reader-result"]')?.textContent === 'Read 1 record.');
  const newest = await page.textContent('[data-testid="reader-records"] li .where');
  if (newest.trim() !== 'p0 @1') fail(`after seeking orders-0 to 1 and stepping, the reader read ${JSON.stringify(newest)}`);
  const committedAfterReading = await page.$$eval('[data-testid="partition-table"] td.committed', (c) => c.map((e) => e.textContent));
  if (JSON.stringify(committedAfterReading) !== JSON.stringify(committedAfter)) fail(`the reader moved g1's committed offsets: ${JSON.stringify(committedAfterReading)}`);
  if ((await lags(page)).some((v) => v !== '0')) fail(`the reader moved g1's lag: ${JSON.stringify(await lags(page))}`);
  // The viewport grows to the page's height so the terminal dock sits at the bottom, not over the reader.
  await minimiseTerminal(page);
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: 1280, height: Math.max(900, height) });
  await page.screenshot({ path: path.join(artefactDir, 'groups-reader.png') });
  await page.setViewportSize({ width: 1280, height: 900 });

  // With no members left, a reset dry-runs first (nothing changes), then executes; then the
  // group can be deleted.
  await page.click('button:has-text("Dry run")');
  await page.waitForFunction(() => document.querySelector('[data-testid="admin-result"]')?.textContent.includes('Dry run: nothing changed'));
  if ((await lags(page)).some((v) => v !== '0')) fail(`a dry run changed the lag: ${JSON.stringify(await lags(page))}`);
  await page.click('button:has-text("Execute")');
  await page.waitForFunction(() => !document.querySelector('[data-testid="admin-result"]')?.textContent.includes('Dry run'));
  const total = (await lags(page)).reduce((sum, v) => sum + Number(v), 0);
  if (total !== 20) fail(`after a reset to earliest the lags add up to ${total}, not 20`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(artefactDir, 'groups-reset-dark.png'), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.click('button:has-text("Delete group")');
  await page.waitForFunction(() => document.querySelector('[data-testid="admin-result"]')?.textContent.includes("Deletion of requested consumer groups ('g1') was successful."));
  const stateAfterDelete = await page.textContent('[data-testid="group-state"]');
  // Deleted, the group is gone: Kafka's describe says it does not exist.
  if (stateAfterDelete.trim() !== 'does not exist yet') fail(`after deletion g1 is ${JSON.stringify(stateAfterDelete)}`);

  // Running consumers keep polling on other pages: a consumer of a new group g2 reads a
  // record produced on the topic page while the learner stays there, and its position mark in
  // that partition's lane moves past it.
  await page.fill('input[name="group"]', 'g2');
  await page.click('form[aria-label="Start a consumer"] button[type="submit"]');
  await page.waitForSelector('.member-card');
  await page.check('[data-testid="auto-run"]');
  await page.click('a.nav-link[href="#/topics"]');
  await page.click('a[href="#/topics/orders"]');
  await page.waitForSelector('.lane');
  await page.fill('input[name="key"]', '11000');
  await page.dispatchEvent('input[name="key"]', 'change');
  await page.click('form[aria-label="Produce a record"] button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="produce-result"]')?.textContent.startsWith('key 11000 →'));
  const landed = await page.textContent('[data-testid="produce-result"]');
  const [, part, offset] = landed.match(/partition (\d+) of 4, offset (\d+)/) ?? [];
  if (part === undefined) fail(`the produce result reads ${JSON.stringify(landed)}`);
  await page.waitForFunction(([p, o]) => [...document.querySelectorAll('.mark-position')]
    .some((m) => m.textContent.endsWith(` at ${Number(o) + 1}`) && m.closest('.lane')?.dataset.partition === p),
  [part, offset], { timeout: 15000 }).catch(async () => fail(`g2's consumer did not read partition ${part} offset ${offset} while the topic page was open: marks ${JSON.stringify(await page.$$eval('.mark-position', (ms) => ms.map((m) => m.textContent)))}`));
  await page.screenshot({ path: path.join(artefactDir, 'groups-running-on-topic-page.png'), fullPage: true });

  for (const problem of problems) fail(problem);
  if (!process.exitCode) console.log(`e2e groups: ok — rebalance, crash and reload checked; screenshots in ${artefactDir}`);
} catch (error) {
  fail(error.message);
} finally {
  await browser.close();
  server.close();
}
