// End-to-end test of the JavaScript API: the README's example (the ```js block of its
// "JavaScript API" section) runs exactly as written in the page, as a reader pasting it into
// the browser's console would run it; what it prints is checked, then the page is checked to
// show it live: the topic's lanes hold the four orders, and the groups page shows the
// consumer `shop` as a member of `billing`, holding the topic's partitions.
//
//   node tests/e2e/js_api.mjs <dist dir> <artefact dir>
//
// Needs playwright-core (installed by `make tools` into .tools/) and /usr/bin/chromium.
// Exits non-zero, with the reason, on any failure; leaves screenshots in the artefact dir.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { openSite } from './site.mjs';

const { url, artefactDir, browser, server, fail } = await openSite('js_api');

// The first ```js block after the README's "## JavaScript API" heading.
async function readmeExample() {
  const readme = await readFile(path.resolve('README.md'), 'utf8');
  const section = readme.split('\n## JavaScript API\n')[1]?.split('\n## ')[0] ?? '';
  const block = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md has no ```js block in its "JavaScript API" section');
  return block;
}

// The terminal dock sits over the bottom of the page: minimise it before a screenshot.
async function minimiseTerminal(page) {
  const button = await page.$('button[aria-label="Minimise the terminal"]');
  if (button) await button.click();
}

try {
  const example = await readmeExample();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  const printed = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    if (m.type() === 'log') printed.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));

  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid="app"]', { timeout: 20000 });
  if (!(await page.evaluate(() => typeof window.brooklet?.Kafka === 'function'))) fail('window.brooklet.Kafka is not there once the page opened');
  if (!(await page.evaluate(() => typeof window.wasmBindings?.Kafka === 'function'))) fail('the wasm module does not export Kafka (window.wasmBindings.Kafka)');

  // Exactly the README's block, as the console runs it: top-level await in an async body.
  await page.evaluate(async (code) => {
    const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
    await new AsyncFunction(code)();
  }, example);

  // What it printed: the RecordMetadata once stored, then the four orders with where they are.
  const stored = printed.find((line) => line.startsWith('stored: '));
  const metadata = stored ? JSON.parse(stored.slice('stored: '.length)) : [];
  const written = metadata.reduce((n, m) => n + (m.topicName === 'orders' && m.errorCode === 0 ? 1 : 0), 0);
  if (!metadata.length || written !== metadata.length || metadata.some((m) => typeof m.baseOffset !== 'string')) {
    fail(`send's RecordMetadata printed as ${JSON.stringify(stored)}`);
  }
  const lines = (printed.find((line) => line.includes(' -> partition ')) ?? '').split('\n');
  const pattern = /^(alice|bob|carol) -> partition ([0-2]), offset (\d+): (\{.*\})$/;
  const orders = lines.map((l) => pattern.exec(l)).filter(Boolean);
  if (orders.length !== 4) fail(`the example printed ${JSON.stringify(lines)}`);
  const alice = orders.filter((o) => o[1] === 'alice');
  if (alice.length !== 2 || alice[0][2] !== alice[1][2]) fail(`alice's two orders are not in one partition: ${JSON.stringify(lines)}`);
  const items = orders.map((o) => JSON.parse(o[4]).item).sort();
  if (JSON.stringify(items) !== JSON.stringify(['book', 'lamp', 'mug', 'pen'])) fail(`the orders read back are ${JSON.stringify(items)}`);

  // Live on the page: the four orders in the topic's lanes...
  await page.click('a.nav-link[href="#/topics"]');
  await page.click('a[href="#/topics/orders"]');
  await page.waitForSelector('.lane');
  const lanes = await page.$$eval('.lane', (ls) => ls.length);
  if (lanes !== 3) fail(`the topic page shows ${lanes} lanes, not 3`);
  const cells = await page.$$eval('.lane .cell .offset', (c) => c.length);
  if (cells !== 4) fail(`the lanes show ${cells} records, not the example's 4`);
  await minimiseTerminal(page);
  await page.screenshot({ path: path.join(artefactDir, 'js-api-topic.png'), fullPage: true });

  // ...and the consumer as a member of its group on the groups page.
  await page.click('a.nav-link[href="#/groups"]');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Consumer groups');
  await page.fill('input[name="group"]', 'billing');
  await page.dispatchEvent('input[name="group"]', 'input');
  await page.waitForSelector('[data-testid="member-shop"]', { timeout: 10000 });
  const chips = await page.$$eval('[data-testid="member-shop"] [data-testid="partitions"] .chip:not(.none)', (c) => c.map((e) => e.textContent.trim()).sort());
  if (JSON.stringify(chips) !== JSON.stringify(['orders-0', 'orders-1', 'orders-2'])) fail(`shop's card holds ${JSON.stringify(chips)}`);
  const memberState = await page.textContent('[data-testid="member-shop"] [data-testid="member-state"]');
  if (!memberState.startsWith('polled by its JavaScript run loop · member of generation ')) fail(`shop's card says ${JSON.stringify(memberState)}`);
  const state = (await page.textContent('[data-testid="group-state"]'))?.trim();
  if (state !== 'Stable') fail(`billing's state reads ${JSON.stringify(state)}`);
  const timeline = await page.textContent('[data-testid="group-timeline"]');
  if (!timeline.includes('shop started in billing from JavaScript, reading orders')) fail(`the groups timeline does not tell the start: ${JSON.stringify(timeline.slice(0, 400))}`);
  await page.screenshot({ path: path.join(artefactDir, 'js-api-groups.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(artefactDir, 'js-api-groups-narrow.png'), fullPage: true });
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  if (wide > 390) fail(`at 390 px the groups page is ${wide} px wide`);

  // A refusal rejects with kafkajs's shape and Kafka's error name.
  const refusal = await page.evaluate(async () => {
    try {
      await new brooklet.Kafka({ clientId: 'shop' }).admin().createTopics({ topics: [{ topic: 'payments', replicationFactor: 3 }] });
      return null;
    } catch (e) {
      return { name: e.name, type: e.type, code: e.code, retriable: e.retriable, message: e.message };
    }
  });
  if (refusal?.type !== 'INVALID_REPLICATION_FACTOR' || refusal.name !== 'KafkaJSProtocolError' || refusal.code !== 38) {
    fail(`a replication factor of 3 on one broker was refused as ${JSON.stringify(refusal)}`);
  }

  for (const problem of problems) fail(problem);
  if (!process.exitCode) console.log(`e2e js_api: ok — the README's example ran in ${url}; ${orders.length} orders read by shop in billing`);
} catch (error) {
  fail(error.message);
} finally {
  await browser.close();
  server.close();
}
