// End-to-end test of the Streams page: the release build in real headless Chromium, at
// 1280×800 and 390×844. A learner loads the retail notebook with one click (its topic is
// created and filled), runs it top to bottom, reads the results as tables, sees each query's
// card (plan, batches, progress) and its position in the topic's lanes; then loads "user time
// spent", steps its query one trigger at a time, sends a late click and sees it dropped; after
// a reload the query, started again over its checkpoint, goes on at the next batch.
//
//   node tests/e2e/streams.mjs <dist dir> <artefact dir>
//
// Needs playwright-core (installed by `make tools` into .tools/) and /usr/bin/chromium.
// Exits non-zero, with the reason, on any failure; leaves screenshots in the artefact dir.
import path from 'node:path';

import { openPage, openSite } from './site.mjs';

const { url, artefactDir, browser, server, fail } = await openSite('streams');

// Waits until `predicate` (run in the page) holds, or fails saying `what`.
async function until(page, what, predicate, arg, timeout = 15000) {
  try {
    await page.waitForFunction(predicate, arg, { timeout });
  } catch {
    await page.screenshot({ path: path.join(artefactDir, 'streams-failed.png'), fullPage: true });
    fail(`${what}: not seen within ${timeout} ms (see streams-failed.png)`);
    throw new Error(what);
  }
}

const cellOutput = (page, n) => page.locator('[data-testid="nb-cell"]').nth(n).locator('[data-testid="cell-output"]');

async function loadSample(page, id, title) {
  await page.click(`[data-testid="sample-${id}"]`);
  await until(page, `the ${id} notebook's notice`, (t) =>
    document.querySelector('[data-testid="streams-said"]')?.textContent.includes(`Loaded "${t}"`), title);
}

async function runAll(page, cells) {
  await page.click('[data-testid="run-all"]');
  await until(page, `every cell of the notebook run`, (n) =>
    document.querySelectorAll('[data-testid="cell-output"], .nb-cell .run-number').length >= n
    && [...document.querySelectorAll('.nb-cell .run-number')].every((e) => e.textContent !== '[ ]'), cells);
  const failed = await page.locator('.nb-cell.failed').count();
  if (failed) fail(`${failed} cell(s) failed: ${await page.locator('.nb-cell.failed').first().textContent()}`);
}

try {
  for (const [width, height] of [[1280, 800], [390, 844]]) {
    const { context, page, problems } = await openPage(browser, width, height);

    await page.goto(`${url}#/streams`, { waitUntil: 'load' });
    await page.waitForSelector('[data-testid="sample-retail"]', { timeout: 20000 });
    const nav = await page.locator('nav.sidebar a.active').textContent();
    if (nav.trim() !== 'Streams') fail(`the sidebar marks ${JSON.stringify(nav)} on the Streams page`);

    // The retail notebook: one click sets up the orders topic and the cells.
    await loadSample(page, 'retail', 'Retail pipeline');
    const said = await page.textContent('[data-testid="streams-said"]');
    if (!said.includes('created topic orders') || !said.includes('produced 120 records to orders')) fail(`the retail notice says: ${said}`);
    await runAll(page, 6);

    // printSchema as Spark prints it; the view's SQL as a DataFrame repr.
    const schema = await cellOutput(page, 0).textContent();
    if (!schema.includes(' |    |-- line_items: array (nullable = true)')) fail(`printSchema reads: ${schema.slice(0, 400)}`);
    // The bronze table holds every order once; the SQL cell's result is a table.
    const bronze = cellOutput(page, 3).locator('table');
    const bronzeCells = await bronze.locator('td').allTextContents();
    if (bronzeCells[0] !== '120') fail(`the bronze table counts ${JSON.stringify(bronzeCells)}`);
    // Per-customer totals from the memory sink, as a 10-row table.
    const totals = cellOutput(page, 5).locator('table');
    const heads = await totals.locator('th').allTextContents();
    if (!heads[0].startsWith('customer_id') || !heads[2].startsWith('total_amount')) fail(`the totals table's columns: ${heads}`);
    if ((await totals.locator('tbody tr').count()) !== 10) fail('the totals table does not show 10 customers');

    // A card per query: plan from the Kafka scan to the sink, batches, progress.
    const cards = page.locator('[data-testid="query-card"]');
    if ((await cards.count()) !== 2) fail(`${await cards.count()} query cards, expected 2 (bronze, totals)`);
    const totalsCard = cards.filter({ hasText: 'customer_totals' });
    const plan = await totalsCard.locator('[data-testid="plan-graph"]').textContent();
    for (const op of ['MicroBatchScan', 'KafkaV2[Subscribe[orders]]', 'Generate', 'StateStoreSave', 'WriteToDataSourceV2', 'MemorySink']) {
      if (!plan.includes(op)) fail(`the totals plan lacks ${op}: ${plan}`);
    }
    const figures = await totalsCard.locator('[data-testid="progress-figures"]').textContent();
    if (!figures.includes('numInputRows') || !figures.includes('stateOperators.numRowsTotal')) fail(`the progress figures: ${figures}`);
    if ((await totalsCard.locator('[data-testid="batch-timeline"] li').count()) !== 3) fail('the totals query ran other than 3 batches of at most 50 orders');
    if ((await totalsCard.locator('[data-testid="state-store"] tbody tr').count()) === 0) fail('the state store shows no group');
    await page.screenshot({ path: path.join(artefactDir, `streams-retail-${width}.png`), fullPage: true });

    // The bronze query's position is a mark in the orders topic's lanes.
    await page.goto(`${url}#/topics/orders`);
    await until(page, "both queries' marks in the three lanes", () => document.querySelectorAll('.lane .mark-query').length === 6);
    await page.screenshot({ path: path.join(artefactDir, `streams-lanes-${width}.png`) });

    // User time spent: one trigger at a time; a late click is dropped.
    await page.goto(`${url}#/streams`);
    await page.waitForSelector('[data-testid="sample-time-spent"]');
    await loadSample(page, 'time-spent', 'User time spent');
    await runAll(page, 2);
    const card = page.locator('[data-testid="query-card"]').first();
    // The first trigger fires at the start (the page's timer may run it first); each Step
    // runs one more, five clicks at a time (maxOffsetsPerTrigger 5), until all 40 are read.
    const bars = () => card.locator('[data-testid="batch-timeline"] li').count();
    for (let i = 0; i < 12 && !(await card.textContent()).includes('t2-0 at 40'); i++) {
      const before = await bars();
      await card.locator('[data-testid="step-query"]').click();
      await until(page, `batch ${before} on the timeline`, (n) =>
        document.querySelectorAll('[data-testid="query-card"]')[0]?.querySelectorAll('[data-testid="batch-timeline"] li').length > n, before);
    }
    if (!(await card.textContent()).includes('t2-0 at 40')) fail('stepping did not read all 40 clicks');
    const console8 = await card.locator('[data-testid="console-sink"]').textContent();
    if (!/Batch: [789]/.test(console8)) fail(`the console sink's last batch: ${console8.slice(-300)}`);
    await card.locator('[data-testid="late-event"]').click();
    await until(page, 'the late event sent', () => document.querySelector('[data-testid="streams-said"]')?.textContent.includes('u101,/home,2024-05-06T09:00:04'));
    await card.locator('[data-testid="step-query"]').click();
    await until(page, 'the late click dropped by the watermark', () =>
      document.querySelector('[data-testid="query-card"] [data-testid="batch-timeline"] li:last-child')?.classList.contains('dropped'));
    const dropped = await card.locator('[data-testid="progress-figures"]').textContent();
    if (!dropped.includes('stateOperators.numRowsDroppedByWatermark1')) fail(`the figures after the late click: ${dropped}`);
    await page.screenshot({ path: path.join(artefactDir, `streams-late-${width}.png`), fullPage: true });

    if (width === 1280) {
      // A reload: the session is gone, the cells and the checkpoint are not. Run the cells
      // again, send one more late click and step: the query goes on after its last batch
      // and reads only that click.
      await page.waitForTimeout(1500);
      await page.reload({ waitUntil: 'load' });
      await page.waitForSelector('[data-testid="sample-time-spent"]', { timeout: 20000 });
      await until(page, "the cells kept across the reload", () =>
        document.querySelectorAll('[data-testid="nb-cell"]').length === 2
        && document.querySelector('[data-testid="nb-cell"] textarea').value.includes('.option("subscribe", "t2")'));
      await runAll(page, 2);
      await page.locator('[data-testid="query-card"] [data-testid="late-event"]').first().click();
      await until(page, 'the second late event sent', () => document.querySelector('[data-testid="streams-said"]')?.textContent.includes('Sent offset'));
      await page.locator('[data-testid="query-card"] [data-testid="step-query"]').first().click();
      await until(page, 'the resumed query batch', () =>
        document.querySelector('[data-testid="query-card"] [data-testid="batch-timeline"] li'));
      const bar = await page.locator('[data-testid="query-card"] [data-testid="batch-timeline"] li').last().getAttribute('title');
      const resumed = /^batch (\d+): 1 input rows/.exec(bar);
      if (!resumed || Number(resumed[1]) < 9) fail(`after the reload the query's batch reads: ${bar}`);
    }
    if (problems.length) fail(problems.join('\n'));
    await context.close();
  }
  console.log(process.exitCode ? 'e2e streams: FAILED' : 'e2e streams: ok');
} finally {
  await browser.close();
  server.close();
}
