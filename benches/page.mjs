// The page benchmark: how the release build behaves while long jobs run, in headless Chromium.
// (1) 1,000,000 sample orders from the topic page's sample panel until the panel says they are
// stored (wall time), and the frame delays meanwhile; (2) the frame delays while a steady
// 10,000 orders a second flow for ~10 s; (3) a group of 2 consumers, started on the groups
// page at the page's defaults, draining 100,000 records (time until the group's lag is 0).
//
//   node benches/page.mjs <dist dir> [artefact dir]
//
// A benchmark, not a test: it prints each figure as a `bench-result: {json}` line (see
// README's Benchmarks) and fails only when the page does not get there. Frame delays are the
// gaps between requestAnimationFrame callbacks (16.7 ms when the page keeps 60 fps); long tasks
// come from a PerformanceObserver. Needs playwright-core (`make tools`) and /usr/bin/chromium.
import { openSite, type } from '../tests/e2e/site.mjs';

const SAMPLE_ORDERS = 1_000_000;
const STEADY_RATE = 10_000;
const STEADY_MS = 10_000;
const DRAIN_RECORDS = 100_000;
// BENCH_ONLY=sample|steady|group runs one part (while tuning).
const only = process.env.BENCH_ONLY;
const runs = (part) => !only || only === part;

const { url, browser, server, fail } = await openSite('page bench');

function result(name, value, unit, label, extra = {}) {
  console.log(`bench-result: ${JSON.stringify({ name, value, unit, label, ...extra })}`);
}

// Records every animation frame's time and every long task, from page load on.
function watchFrames() {
  const w = window;
  w.__bench = { frames: [], longTasks: [], recording: false };
  const frame = (t) => {
    if (w.__bench.recording) w.__bench.frames.push(t);
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  try {
    new PerformanceObserver((list) => {
      if (!w.__bench.recording) return;
      for (const e of list.getEntries()) w.__bench.longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  } catch { /* no long-task timing in this browser: the frames still tell */ }
}

const record = (page) => page.evaluate(() => {
  window.__bench.frames = []; window.__bench.longTasks = []; window.__bench.recording = true;
});

// The frame gaps and long tasks since `record`, summarised.
async function frameStats(page) {
  const { frames, longTasks } = await page.evaluate(() => {
    window.__bench.recording = false;
    return window.__bench;
  });
  const gaps = frames.slice(1).map((t, i) => t - frames[i]).sort((a, b) => a - b);
  const at = (q) => (gaps.length ? gaps[Math.min(gaps.length - 1, Math.floor(q * gaps.length))] : 0);
  const round = (v) => Math.round(v * 10) / 10;
  return {
    frames: frames.length,
    median: round(at(0.5)),
    p95: round(at(0.95)),
    max: round(gaps.at(-1) ?? 0),
    over50: gaps.filter((g) => g > 50).length,
    longTasks: longTasks.length,
    longestTask: round(Math.max(0, ...longTasks)),
  };
}

function frameResults(prefix, label, stats, goal) {
  result(`${prefix}_frame_delay_median_ms`, stats.median, 'ms', `${label}: frame gap, median`);
  result(`${prefix}_frame_delay_p95_ms`, stats.p95, 'ms', `${label}: frame gap, p95`);
  result(`${prefix}_frame_delay_max_ms`, stats.max, 'ms', `${label}: frame gap, max`, goal ? { goal } : {});
  result(`${prefix}_frames_over_50ms`, stats.over50, 'frames', `${label}: frames delayed > 50 ms`,
    { note: `${stats.frames} frames; ${stats.longTasks} long tasks, the longest ${stats.longestTask} ms` });
}

async function createTopic(page, name, partitions) {
  await page.goto(`${url}#/topics`, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid="app"]', { timeout: 20000 });
  await type(page, 'input[name="name"]', name);
  await type(page, 'input[name="partitions"]', String(partitions));
  await page.click('button[type="submit"]');
  await page.waitForSelector(`a[href="#/topics/${name}"]`);
  await page.click(`a[href="#/topics/${name}"]`);
  await page.waitForSelector('.lane');
}

const settled = '[data-testid="sample-status"][data-state="done"], [data-testid="sample-status"][data-state="failed"]';

// Generates `count` sample orders on the open topic page; the wall time until the panel says
// they are stored, and what it says.
async function generate(page, count) {
  await type(page, 'input[name="sample-count"]', String(count));
  const started = Date.now();
  await page.click('form[aria-label="Generate sample orders"] button[type="submit"]');
  await page.waitForSelector(settled, { timeout: 600000, polling: 20 });
  const ms = Date.now() - started;
  const status = (await page.textContent('[data-testid="sample-status"]')).trim();
  if (!status.startsWith(`Produced ${count.toLocaleString('en-US')} sample orders`)) fail(`${count} sample orders: the panel says ${JSON.stringify(status)}`);
  return { ms, status };
}

// The wasm memory the storage badge shows ("memory 37.5 MiB"), in MB (10^6 bytes, as the goal
// is written). Wasm memory never shrinks, so this is the peak so far.
async function memoryShownMb(page) {
  const text = await page.textContent('[data-testid="storage-memory"]');
  const mib = Number(/memory ([\d.]+) MiB/.exec(text ?? '')?.[1]);
  if (!(mib > 0)) fail(`the storage badge shows no memory figure: ${JSON.stringify(text)}`);
  return Math.round(mib * 1.048576 * 10) / 10;
}

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => fail(`page error: ${e.message}`));
  await page.addInitScript(watchFrames);
  return { context, page };
}

try {
  // (1) A million sample orders.
  if (runs('sample')) {
    const { context, page } = await newPage();
    await createTopic(page, 'orders', 3);
    await record(page);
    const { ms, status } = await generate(page, SAMPLE_ORDERS);
    const stats = await frameStats(page);
    result('sample_1m_orders_ms', ms, 'ms', '1,000,000 sample orders generated and stored', { goal: '≤ 2 s', note: status });
    frameResults('sample_1m', '1,000,000 sample orders', stats, '≤ 50 ms');
    result('memory_1m_sample_page_mb', await memoryShownMb(page), 'MB', 'wasm memory after 1,000,000 sample orders were generated and stored (the storage badge; the peak, as wasm memory never shrinks)', { goal: '≤ 64 MB' });
    await context.close();
  }

  // (2) A steady 10,000 orders a second for ~10 s.
  if (runs('steady')) {
    const { context, page } = await newPage();
    await createTopic(page, 'steady', 3);
    await type(page, 'input[name="sample-rate"]', String(STEADY_RATE));
    await page.click('form[aria-label="Produce at a steady rate"] button[type="submit"]');
    await page.waitForSelector('[data-testid="sample-status"][data-state="running"]');
    await page.waitForTimeout(500);
    await record(page);
    await page.waitForTimeout(STEADY_MS);
    const stats = await frameStats(page);
    await page.click('[data-testid="sample-status"] button');
    await page.waitForSelector(settled, { timeout: 120000 });
    const status = (await page.textContent('[data-testid="sample-status"]')).trim();
    const orders = Number(/^Stopped after ([\d,]+) orders/.exec(status)?.[1].replaceAll(',', '') ?? NaN);
    if (!(orders > 0)) fail(`the steady run says ${JSON.stringify(status)}`);
    frameResults('steady_10k', `${STEADY_RATE.toLocaleString('en-US')} orders a second`, stats, '≤ 50 ms (60 fps)');
    result('steady_10k_fps', Math.round((stats.frames / STEADY_MS) * 1000 * 10) / 10, 'frames', 'steady 10,000 orders a second: frames a second', { goal: '60', note: status });
    await context.close();
  }

  // (3) A group of 2 draining 100,000 records.
  if (runs('group')) {
    const { context, page } = await newPage();
    await createTopic(page, 'drain', 3);
    await generate(page, DRAIN_RECORDS);
    await page.click('a.nav-link[href="#/groups"]');
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Consumer groups');
    await page.fill('input[name="group"]', 'bench');
    await page.selectOption('select[name="topic"]', 'drain');
    for (const client of ['c1', 'c2']) {
      await page.click('form[aria-label="Start a consumer"] button[type="submit"]');
      await page.waitForSelector(`[data-testid="member-${client}"]`);
    }
    await record(page);
    const started = Date.now();
    await page.check('[data-testid="auto-run"]');
    // Both members own partitions (joined, past group.initial.rebalance.delay.ms).
    await page.waitForFunction(() => ['c1', 'c2'].every((c) => document.querySelector(`[data-testid="member-${c}"] [data-testid="partitions"] .chip:not(.none)`)), null, { timeout: 600000, polling: 20 });
    const joined = Date.now() - started;
    // Every partition read to its end: the positions reach the log ends.
    await page.waitForFunction((total) => {
      const rows = [...document.querySelectorAll('[data-testid="partition-table"] tbody tr')];
      return rows.reduce((sum, r) => sum + (Number(r.querySelector('.position')?.textContent) || 0), 0) === total;
    }, DRAIN_RECORDS, { timeout: 3600000, polling: 20 });
    const read = Date.now() - started;
    // Every partition read to its end and committed: the group's lag is 0.
    await page.waitForFunction((total) => {
      const rows = [...document.querySelectorAll('[data-testid="partition-table"] tbody tr')];
      const ends = rows.reduce((sum, r) => sum + Number(r.querySelector('.log-end')?.textContent), 0);
      return rows.length > 0 && ends === total && rows.every((r) => r.querySelector('.lag-value')?.textContent.trim() === '0');
    }, DRAIN_RECORDS, { timeout: 3600000, polling: 50 });
    const ms = Date.now() - started;
    const stats = await frameStats(page);
    result('group_of_2_drain_100k_ms', ms, 'ms', 'a group of 2 (page defaults) draining 100,000 records until its lag is 0',
      { goal: 'seconds', note: `both members owned partitions after ${joined} ms (Kafka's group.initial.rebalance.delay.ms, 3 s, twice: the second joined during the first delay); lag counts from the committed offsets (auto.commit.interval.ms 5 s)` });
    result('group_of_2_read_100k_ms', read - joined, 'ms', 'a group of 2 (page defaults): from owning partitions to positions at the log end of 100,000 records');
    frameResults('group_drain', 'a group of 2 draining', stats);
    await context.close();
  }
} catch (error) {
  fail(error.message);
} finally {
  await browser.close();
  server.close();
}
