// Benchmark (not a test): how long a reload takes to show a 1,000,000-record topic's lanes, on
// the release build in headless Chromium, against the reload of an empty playground.
//
//   node benches/page_reload.mjs <dist dir> [artefact dir]
//
// Fills the topic through the page's own JavaScript API (`window.brooklet`, 100 sends of 10,000
// keyed 100-byte records; each send resolves once the store has them), opens its page, then
// reloads it three times and times each from `page.reload()` until every lane shows its high
// watermark and its newest records. The empty baseline is the same reload of a playground with
// an empty three-partition topic: what the wasm download, compile and mount cost, whatever the
// log holds. Prints `bench-result:` lines for the README's performance page (benches/report.mjs).
import path from 'node:path';

import { openSite } from '../tests/e2e/site.mjs';

const RECORDS = 1_000_000;
const PER_SEND = 10_000;
const ROUNDS = 3;

const { url, artefactDir, browser, server, fail } = await openSite('page_reload');

/** Creates `topic` (3 partitions) and, when `records` > 0, produces them through the JS API. */
async function fill(page, topic, records) {
  await page.evaluate(async ({ topic, records, perSend }) => {
    const kafka = new window.brooklet.Kafka({ clientId: 'bench' });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    const producer = kafka.producer();
    await producer.connect();
    const value = 'v'.repeat(100);
    for (let sent = 0; sent < records; sent += perSend) {
      const messages = [];
      for (let i = sent; i < Math.min(records, sent + perSend); i++) messages.push({ key: `customer-${i % 1000}`, value });
      await producer.send({ topic, messages });
    }
  }, { topic, records, perSend: PER_SEND });
}

/** The high watermarks the lanes show, by partition, once every lane has drawn its cells. */
async function lanesShown(page, expectedTotal) {
  await page.waitForFunction((total) => {
    const lanes = [...document.querySelectorAll('.lane')];
    if (lanes.length !== 3) return false;
    let sum = 0;
    for (const lane of lanes) {
      const hw = [...lane.querySelectorAll('.mark-bound')].map((m) => m.textContent).find((t) => t.startsWith('HW '));
      if (!hw) return false;
      sum += Number(hw.slice(3));
      if (total > 0 && !lane.querySelector('.cell .offset')) return false;
    }
    return sum === total;
  }, expectedTotal, { timeout: 120_000, polling: 'raf' });
}

/** Reloads `page` `ROUNDS` times; the median milliseconds until the lanes show `total`. */
async function timedReloads(page, total) {
  const times = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = Date.now();
    await page.reload({ waitUntil: 'commit' });
    await lanesShown(page, total);
    times.push(Date.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], all: times };
}

async function measure(name, records) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => fail(`page error: ${e.message}`));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid="app"]', { timeout: 30_000 });
  const filled = Date.now();
  await fill(page, name, records);
  const fillMs = Date.now() - filled;
  await page.goto(`${url}#/topics/${name}`);
  await lanesShown(page, records);
  const reload = await timedReloads(page, records);
  await page.screenshot({ path: path.join(artefactDir, `page_reload_${records}.png`) });
  await context.close();
  return { reload, fillMs };
}

try {
  const empty = await measure('empty', 0);
  const full = await measure('orders', RECORDS);
  const report = (name, value, label, extra = {}) =>
    console.log(`bench-result: ${JSON.stringify({ name, value, unit: 'ms', label, ...extra })}`);
  report('reload_1m_to_lanes_ms', full.reload.median, 'reload of 1 M records to the lanes', {
    goal: '≤ 300 ms',
    note: `median of ${ROUNDS} reloads (${full.reload.all.join(', ')} ms); an empty playground reloads in ${empty.reload.median} ms`,
  });
  report('reload_empty_to_lanes_ms', empty.reload.median, 'reload of an empty playground to the lanes (download, compile, mount)', {
    note: `median of ${ROUNDS} reloads (${empty.reload.all.join(', ')} ms)`,
  });
  report('js_api_produce_1m_ms', full.fillMs, '1 M records produced through the JS API and stored (100 sends of 10 k)');
} finally {
  await browser.close();
  server.close();
}
