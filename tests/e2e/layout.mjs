// End-to-end test of the playground's frame on a first visit and on a phone: the terminal
// dock starts minimised and the dock size and theme are kept across reloads; the theme
// button names the theme that is on; the top bar stays one row at 1280 and 1536 px; a new
// page opens at its top; the reset button is readable in dark mode (contrast ≥ 4.5:1); a
// keyed produce shows its hash arithmetic; the groups page calls a group nobody used "does
// not exist yet" and a stopped consumer "stopped"; at 390 px no page is wider than the
// screen (topic, topics, groups, terminal) and the header and navigation stay compact.
//
//   node tests/e2e/layout.mjs <dist dir> <artefact dir>
//
// Needs playwright-core (installed by `make tools` into .tools/) and /usr/bin/chromium.
// Exits non-zero, with the reason, on any failure; leaves screenshots in the artefact dir.
import path from 'node:path';

import { openSite } from './site.mjs';

const { url, artefactDir, browser, server, fail } = await openSite('layout');

const INPUT = '#terminal-input';

// The WCAG contrast ratio of an element's text against the first opaque background behind it.
const contrast = (page, selector) => page.$eval(selector, (element) => {
  const rgb = (text) => (text.match(/[\d.]+/g) ?? []).map(Number);
  const luminance = ([r, g, b]) => {
    const channel = (c) => { const s = c / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  let behind = element;
  let background = [255, 255, 255];
  while (behind) {
    const colour = rgb(getComputedStyle(behind).backgroundColor);
    if (colour.length >= 3 && (colour.length === 3 || colour[3] > 0)) { background = colour.slice(0, 3); break; }
    behind = behind.parentElement;
  }
  const [a, b] = [luminance(rgb(getComputedStyle(element).color)), luminance(background)];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
});

// How far apart (px) the tops of the top bar's items are: 0 when they sit in one row.
const topBarSpread = (page) => page.$eval('.top-bar', (bar) => {
  const tops = [...bar.children].filter((c) => c.offsetParent !== null)
    .map((c) => { const r = c.getBoundingClientRect(); return r.top + r.height / 2; });
  return Math.max(...tops) - Math.min(...tops);
});

const wider = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));

  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid="app"]', { timeout: 20000 });

  // A first visit: the dock is minimised (only its bar, with a button to show it).
  await page.waitForSelector('[data-testid="terminal"]');
  if (!(await page.$('.terminal-dock.minimised')) || await page.$(INPUT)) fail('on a first visit the terminal dock is open');
  if (!(await page.$('button[aria-label="Show the terminal"]'))) fail('the minimised dock has no button to show it');
  await page.screenshot({ path: path.join(artefactDir, 'layout-first-visit.png') });

  // The theme button says which theme is on, and what pressing it does.
  const toggle = '[data-testid="theme-toggle"]';
  const label = async () => [(await page.textContent(toggle)).trim(), await page.getAttribute(toggle, 'aria-label')];
  const first = await label();
  if (first[0] !== 'Theme: system' || first[1] !== 'Theme: system (press to change to light)') fail(`the theme button reads ${JSON.stringify(first)}`);

  // Each width: the top bar is one row.
  for (const width of [1280, 1536]) {
    await page.setViewportSize({ width, height: 800 });
    const spread = await topBarSpread(page);
    if (spread > 4) fail(`at ${width} px the top bar wraps (its items' middles are ${spread} px apart)`);
    await page.screenshot({ path: path.join(artefactDir, `layout-top-bar-${width}.png`), clip: { x: 0, y: 0, width, height: 120 } });
  }
  await page.setViewportSize({ width: 1280, height: 800 });

  // Dark theme, kept across a reload; the reset button is readable in it.
  await page.click(toggle);
  await page.click(toggle);
  await page.click('button[aria-label="Show the terminal"]');
  await page.waitForSelector(INPUT);
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('[data-testid="app"]', { timeout: 20000 });
  const theme = await page.getAttribute('html', 'data-theme');
  if (theme !== 'dark') fail(`after a reload the theme is ${JSON.stringify(theme)}, not dark`);
  const after = await label();
  if (after[0] !== 'Theme: dark') fail(`after a reload the theme button reads ${JSON.stringify(after)}`);
  if (!(await page.$(INPUT))) fail('the dock shown before the reload is minimised after it');
  const reset = await contrast(page, '.reset button.danger');
  if (reset < 4.5) fail(`in dark mode "Reset the playground…" has contrast ${reset.toFixed(2)}:1 (needs 4.5:1)`);
  await page.screenshot({ path: path.join(artefactDir, 'layout-dark-overview.png'), fullPage: true });
  await page.click('button[aria-label="Minimise the terminal"]');
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('[data-testid="terminal"]', { timeout: 20000 });
  if (await page.$(INPUT)) fail('the dock minimised before the reload is open after it');
  await page.click(toggle); // back to the system theme
  await page.waitForFunction(() => document.documentElement.getAttribute('data-theme') === '');

  // A topic with 3 partitions and a keyed record: the result shows the hash arithmetic.
  await page.click('a.nav-link[href="#/topics"]');
  await page.fill('input[name="name"]', 'orders');
  await page.click('button[type="submit"]');
  await page.waitForSelector('.notice.ok');
  await page.click('a[href="#/topics/orders"]');
  await page.waitForSelector('.lane');
  await page.click('form[aria-label="Produce a record"] button[type="submit"]');
  await page.waitForSelector('[data-testid="produce-arithmetic"]');
  const arithmetic = await page.textContent('[data-testid="produce-arithmetic"]');
  if (!/^murmur2 of the key's 5 bytes \(31 31 35 39 39\) = -?\d+ → toPositive[^→]* → \d+ mod 3 = \d → partition \d$/.test(arithmetic.trim())) {
    fail(`the produce result's arithmetic reads ${JSON.stringify(arithmetic)}`);
  }

  // An empty file is called empty (not "1 line(s) need fixing").
  await page.setInputFiles('input[name="import-file"]', { name: 'empty.jsonl', mimeType: 'application/json', buffer: Buffer.from('\n\n') });
  await page.waitForSelector('.notice.error[data-testid="import-result"]');
  const empty = (await page.textContent('[data-testid="import-result"]')).trim();
  if (!empty.startsWith('Nothing was produced: empty.jsonl holds only blank lines.') || empty.includes('need fixing')) fail(`an empty file's import said ${JSON.stringify(empty)}`);

  // 1,000 sample orders: the time is told in ms under a second, never "in 0.0 s".
  await page.fill('input[name="sample-count"]', '1000');
  await page.dispatchEvent('input[name="sample-count"]', 'change');
  await page.click('form[aria-label="Generate sample orders"] button[type="submit"]');
  await page.waitForSelector('[data-testid="sample-status"][data-state="done"]', { timeout: 60000 });
  const took = (await page.textContent('[data-testid="sample-status"]')).trim();
  if (!/ in (\d+ ms|\d+\.\d s)\.$/.test(took) || took.includes(' 0.0 s')) fail(`1,000 sample orders said ${JSON.stringify(took)}`);

  // A new page opens at its top.
  await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
  if ((await page.evaluate(() => window.scrollY)) === 0) fail('the topic page is too short to test scrolling');
  await page.click('a.nav-link[href="#/groups"]');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Consumer groups');
  const scrolled = await page.evaluate(() => window.scrollY);
  if (scrolled !== 0) fail(`the groups page opened scrolled down by ${scrolled} px`);

  // A group nobody used does not exist yet; a consumer with Run off is stopped, not running.
  await page.waitForSelector('[data-testid="group-state"]');
  const state = (await page.textContent('[data-testid="group-state"]')).trim();
  const meaning = await page.textContent('[data-testid="group-state-meaning"]');
  if (state !== 'does not exist yet' || !meaning.includes("Consumer group 'g1' does not exist.")) fail(`a fresh g1 reads ${JSON.stringify([state, meaning])}`);
  await page.click('form[aria-label="Start a consumer"] button[type="submit"]');
  await page.waitForSelector('[data-testid="member-c1"]');
  const card = await page.textContent('[data-testid="member-c1"] [data-testid="member-state"]');
  if (!card.startsWith('stopped') || card.includes('generation -1')) fail(`a new consumer with Run off reads ${JSON.stringify(card)}`);
  const pace = await page.textContent('[data-testid="member-c1"] [data-testid="member-pace"]');
  if (!pace.includes("500 record(s) a poll (Kafka's default)")) fail(`the card's pace reads ${JSON.stringify(pace)}`);

  // A phone: no page is wider than the screen, and the frame leaves room for the page.
  await page.setViewportSize({ width: 390, height: 844 });
  for (const [fragment, name] of [['#/topics/orders', 'topic'], ['#/topics', 'topics'], ['#/groups', 'groups'], ['#/terminal', 'terminal'], ['#/streams', 'streams'], ['#/', 'overview']]) {
    await page.evaluate((f) => { window.location.hash = f; }, fragment);
    await page.waitForTimeout(300);
    const over = await wider(page);
    if (over > 0) {
      // The elements that stick out of the page itself (not out of a box that scrolls).
      const culprits = await page.evaluate(() => [...document.querySelectorAll('body *')]
        .filter((e) => {
          if (e.getBoundingClientRect().right <= window.innerWidth + 0.5) return false;
          for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
            if (getComputedStyle(a).overflowX !== 'visible') return false;
          }
          return true;
        })
        .slice(0, 12).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}:${Math.round(e.getBoundingClientRect().width)}`));
      fail(`at 390 px the ${name} page is ${over} px wider than the screen (${culprits.join(', ')})`);
    }
    await page.screenshot({ path: path.join(artefactDir, `layout-390-${name}.png`) });
  }
  const frame = await page.evaluate(() => document.querySelector('.top-bar').offsetHeight + document.querySelector('.sidebar').offsetHeight);
  if (frame > 170) fail(`at 390 px the header and navigation take ${frame} px`);
  const badge = await page.$eval('[data-testid="storage-badge"]', (b) => b.getBoundingClientRect().height);
  if (badge > 64) fail(`at 390 px the storage badge is ${badge} px tall (a word per line?)`);

  for (const problem of problems) fail(problem);
  if (!process.exitCode) console.log(`e2e layout: ok — dock, theme, top bar, phone widths checked; screenshots in ${artefactDir}`);
} catch (error) {
  fail(error.message);
} finally {
  await browser.close();
  server.close();
}
