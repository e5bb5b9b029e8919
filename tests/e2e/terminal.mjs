// End-to-end test of the terminal dock: the release build, served under a sub-path, in real
// headless Chromium. A learner types the course's first commands (create a topic, describe it,
// produce keyed lines with a heredoc, consume them with their keys), uses Tab completion,
// history and a second tab, and the Topics page then lists the topic the terminal created.
// A console consumer follows as Kafka's does: one in tab 1 (a group member, listed by
// kafka-consumer-groups.sh in tab 2) prints what tab 2 and the produce panel produce, until
// Ctrl-C prints the total;
// --max-messages ends one on its own, and the Stop button stops one for touch users.
//
//   node tests/e2e/terminal.mjs <dist dir> <artefact dir>
//
// Needs playwright-core (installed by `make tools` into .tools/) and /usr/bin/chromium.
// Exits non-zero, with the reason, on any failure; leaves screenshots in the artefact dir.
import path from 'node:path';

import { openSite } from './site.mjs';
import { INPUT, lines, run, expectLine as expectTermLine } from './term.mjs';

const BOOTSTRAP = '--bootstrap-server localhost:9092';

// Waits until a stream shows a line, and fails with what it shows otherwise.
const expectLine = (page, stream, text, what) => expectTermLine(page, stream, text, what, fail);

const { url, artefactDir, distDir, browser, server, fail } = await openSite('terminal');
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });

  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('[data-testid="app"]', { timeout: 20000 });
  // The dock is on every page, minimised on a first visit (it would cover a quarter of the
  // screen); the Terminal page shows it, with one session open at the `$ ` prompt.
  await page.waitForSelector('[data-testid="terminal"].minimised');
  if (await page.$(INPUT)) fail('on a first visit the dock shows its input');
  await page.click('a.nav-link[href="#/terminal"]');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Terminal');
  if (!(await page.$('.terminal-dock.maximised'))) fail('the Terminal page does not show the dock maximised');
  if (!(await page.evaluate(() => document.activeElement?.id === 'terminal-input'))) fail('opening the Terminal page did not focus the command line');
  const prompt = await page.textContent('[data-testid="terminal-prompt"]');
  if (prompt !== '$ ') fail(`the prompt reads ${JSON.stringify(prompt)}`);

  // Create, as the course's first command, typed.
  await run(page, `kafka-topics.sh ${BOOTSTRAP} --create --topic orders --partitions 3`);
  await expectLine(page, 'input', `$ kafka-topics.sh ${BOOTSTRAP} --create --topic orders --partitions 3`, 'the echoed command');
  await expectLine(page, 'stdout', 'Created topic orders.', 'creating a topic');

  // Describe, with Tab completion of the flag and the topic name.
  await page.fill(INPUT, `kafka-topics.sh ${BOOTSTRAP} --describe --topic ord`);
  await page.press(INPUT, 'Tab');
  const completed = await page.inputValue(INPUT);
  if (completed !== `kafka-topics.sh ${BOOTSTRAP} --describe --topic orders `) fail(`Tab completed the topic to ${JSON.stringify(completed)}`);
  await page.press(INPUT, 'Enter');
  for (const p of [0, 1, 2]) {
    await expectLine(page, 'stdout', `\tTopic: orders\tPartition: ${p}\tLeader: 1\tReplicas: 1\tIsr: 1\tElr: \tLastKnownElr: `, `describe, partition ${p}`);
  }
  const header = (await lines(page, 'stdout')).find((l) => l.startsWith('Topic: orders\t'));
  if (!header?.includes('\tPartitionCount: 3\tReplicationFactor: 1\t')) fail(`the describe header reads ${JSON.stringify(header)}`);

  // The output is plain, selectable text: a selection copies the lines with their tabs.
  const copied = await page.evaluate(() => {
    const range = document.createRange();
    range.selectNodeContents(document.querySelector('[data-testid="terminal-output"]'));
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    const text = selection.toString();
    selection.removeAllRanges();
    return text;
  });
  if (!copied.includes('Created topic orders.\n') || !copied.includes('\tTopic: orders\tPartition: 1\tLeader: 1\t')) {
    fail(`selecting the output copies ${JSON.stringify(copied)}`);
  }

  // Several candidates: extended to their common start and listed.
  await page.fill(INPUT, 'kafka-conso');
  await page.press(INPUT, 'Tab');
  if ((await page.inputValue(INPUT)) !== 'kafka-console-') fail(`Tab on kafka-conso gave ${JSON.stringify(await page.inputValue(INPUT))}`);
  await expectLine(page, 'info', 'kafka-console-consumer.sh  kafka-console-producer.sh', 'listing candidates');

  // Produce keyed lines with a heredoc typed line by line: the prompt turns to `> `.
  await run(page, `kafka-console-producer.sh ${BOOTSTRAP} --topic orders --property parse.key=true --property key.separator=: <<EOF`);
  await page.waitForFunction(() => document.querySelector('[data-testid="terminal-prompt"]')?.textContent === '> ');
  await run(page, 'c-17:{"order_id":1,"item":"espresso beans"}');
  await run(page, 'c-42:{"order_id":2,"item":"oat milk"}');
  await run(page, 'c-17:{"order_id":3,"item":"mug"}');
  await run(page, 'EOF');
  await expectLine(page, 'input', '> EOF', 'closing the heredoc');
  await page.waitForFunction(() => document.querySelector('[data-testid="terminal-prompt"]')?.textContent === '$ ');

  // Consume from the beginning with the keys: the consumer keeps running, without a prompt,
  // until Ctrl-C, which prints the total.
  await run(page, `kafka-console-consumer.sh ${BOOTSTRAP} --topic orders --from-beginning --property print.key=true`);
  await page.waitForSelector('[data-testid="terminal-running"]');
  if ((await page.textContent('[data-testid="terminal-prompt"]')) !== '') fail('a running consumer still shows a prompt');
  await page.waitForFunction(() => [...document.querySelectorAll('.term-line[data-stream="stdout"]')].filter((l) => l.textContent.startsWith('c-')).length === 3);
  if ((await lines(page, 'stderr')).length !== 0) fail('the following consumer printed its total before Ctrl-C');
  await page.press(INPUT, 'Control+c');
  await expectLine(page, 'stderr', 'Processed a total of 3 messages', 'consuming, then Ctrl-C');
  await page.waitForFunction(() => document.querySelector('[data-testid="terminal-prompt"]')?.textContent === '$ ');
  const records = (await lines(page, 'stdout')).filter((l) => l.startsWith('c-'));
  const expected = ['c-17\t{"order_id":1,"item":"espresso beans"}', 'c-42\t{"order_id":2,"item":"oat milk"}', 'c-17\t{"order_id":3,"item":"mug"}'];
  if (records.length !== 3 || !expected.every((r) => records.includes(r))) fail(`the consumer printed ${JSON.stringify(records)}`);
  // The same key went to the same partition: c-17's two records are consecutive, in order.
  const first17 = records.indexOf(expected[0]);
  if (records[first17 + 1] !== expected[2]) fail(`c-17's records are not in order in one partition: ${JSON.stringify(records)}`);

  // History: ↑ brings the last command back.
  await page.press(INPUT, 'ArrowUp');
  const recalled = await page.inputValue(INPUT);
  if (!recalled.startsWith('kafka-console-consumer.sh')) fail(`↑ recalled ${JSON.stringify(recalled)}`);
  await page.press(INPUT, 'Control+c');
  if ((await page.inputValue(INPUT)) !== '') fail('Ctrl-C left text on the line');

  // The bundled sample file, read with `< file`.
  await run(page, `kafka-console-producer.sh ${BOOTSTRAP} --topic orders --property parse.key=true --property key.separator=: < orders.jsonl`);
  // --max-messages ends a consumer on its own.
  await run(page, `kafka-console-consumer.sh ${BOOTSTRAP} --topic orders --from-beginning --max-messages 11`);
  await expectLine(page, 'stderr', 'Processed a total of 11 messages', 'consuming after orders.jsonl');
  await page.waitForFunction(() => document.querySelector('[data-testid="terminal-prompt"]')?.textContent === '$ ');

  // The page's examples put their command on the line; a heredoc example runs as a pasted block.
  await page.click('.term-example:has-text("Produce keyed lines with a heredoc")');
  const inserted = await page.inputValue(INPUT);
  if (!inserted.endsWith('<<EOF\nc-17:{"order_id":1,"item":"espresso beans"}\nc-42:{"order_id":2,"item":"oat milk"}\nc-17:{"order_id":3,"item":"mug"}\nEOF')) {
    fail(`the heredoc example put ${JSON.stringify(inserted)} on the line`);
  }
  if (!(await page.evaluate(() => document.activeElement?.id === 'terminal-input'))) fail('an example click did not focus the command line');
  await page.press(INPUT, 'Enter');
  await page.click('.term-example:has-text("Consume from the beginning, with keys")');
  const printedBefore = (await lines(page, 'stdout')).length;
  await page.press(INPUT, 'Enter');
  // Touch users have no Ctrl-C: the Stop button interrupts.
  await page.waitForFunction((n) => document.querySelectorAll('.term-line[data-stream="stdout"]').length >= n, printedBefore + 14);
  await page.click('[data-testid="terminal-stop"]');
  await expectLine(page, 'stderr', 'Processed a total of 14 messages', 'the examples, clicked and run, then Stop');
  if (await page.$('[data-testid="terminal-running"]')) fail('the Stop button left the consumer running');

  // A producer without a heredoc reads the terminal at Kafka's `>` prompt, until Ctrl-D.
  await run(page, `kafka-console-producer.sh ${BOOTSTRAP} --topic orders`);
  await page.waitForFunction(() => document.querySelector('[data-testid="terminal-prompt"]')?.textContent === '>');
  if (!(await page.$('#terminal-tab-1 .term-busy'))) fail('the tab does not show that a producer reads it');
  await run(page, 'typed at the prompt');
  await page.press(INPUT, 'Control+d');
  await page.waitForFunction(() => document.querySelector('[data-testid="terminal-prompt"]')?.textContent === '$ ');

  await page.screenshot({ path: path.join(artefactDir, 'terminal.png') });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: path.join(artefactDir, 'terminal-dark.png') });
  await page.emulateMedia({ colorScheme: 'light' });

  // A consumer in a group follows in tab 1. A new group waits
  // group.initial.rebalance.delay.ms (3 s) before its first assignment: a dim hint says so.
  await run(page, `kafka-console-consumer.sh ${BOOTSTRAP} --topic orders --group e2e-follow`);
  await page.waitForFunction(() => document.querySelector('[data-testid="terminal-running"]')?.textContent.includes("Joining group 'e2e-follow'"));
  await page.screenshot({ path: path.join(artefactDir, 'terminal-joining.png') });
  await page.waitForFunction(() => {
    const status = document.querySelector('[data-testid="terminal-running"]')?.textContent ?? '';
    return status.includes('is running') && !status.includes('Joining');
  }, null, { timeout: 10000 });
  await run(page, 'typed while it runs');
  await expectLine(page, 'ignored', 'typed while it runs', 'a line typed while the consumer runs');

  // A second tab is a separate session over the same cluster and the same groups.
  await page.click('button.term-new');
  await page.waitForSelector('#terminal-tab-2[aria-selected="true"]');
  const fresh = await lines(page, 'stdout');
  if (fresh.length !== 0) fail(`a new tab starts with output ${JSON.stringify(fresh)}`);
  await run(page, `kafka-topics.sh ${BOOTSTRAP} --list`);
  await expectLine(page, 'stdout', 'orders', 'listing topics in a second tab');
  await run(page, `kafka-consumer-groups.sh ${BOOTSTRAP} --describe --group e2e-follow --members`);
  await page.waitForFunction(() => [...document.querySelectorAll('.term-line[data-stream="stdout"]')]
    .some((l) => /^e2e-follow\s+console-consumer-\S+\s+\/127\.0\.0\.1\s+console-consumer\s+3\s*$/.test(l.textContent)),
  null, { timeout: 5000 }).catch(async () => fail(`tab 2 does not list tab 1's consumer: ${JSON.stringify(await lines(page, 'stdout'))}`));
  await run(page, `kafka-console-producer.sh ${BOOTSTRAP} --topic orders <<EOF\nfrom tab 2\nEOF`);
  // The tab list is keyboard-usable: ← shows the first tab again.
  await page.focus('#terminal-tab-2');
  await page.keyboard.press('ArrowLeft');
  await page.waitForSelector('#terminal-tab-1[aria-selected="true"]');
  if (!(await page.evaluate(() => document.activeElement?.id === 'terminal-tab-1'))) fail('← did not move focus to the first tab');
  await expectLine(page, 'stdout', 'Created topic orders.', 'the first tab kept its scrollback');
  await expectLine(page, 'stdout', 'from tab 2', 'tab 1\'s consumer printing what tab 2 produced');
  // The produce panel's records reach it too: the dock and its consumer stay on every page.
  await page.click('a.nav-link[href="#/topics"]');
  await page.click('a[href="#/topics/orders"]');
  await page.fill('textarea[name="value"]', '{"from":"the produce panel"}');
  await page.dispatchEvent('textarea[name="value"]', 'change');
  await page.click('form[aria-label="Produce a record"] button[type="submit"]');
  await page.waitForSelector('[data-testid="produce-result"]');
  // Leaving the Terminal page leaves the dock as it was before: minimised (a first visit's).
  if (await page.$(INPUT)) fail('after the Terminal page the dock on the topic page is open, though never shown');
  await page.click('button[aria-label="Show the terminal"]');
  await expectLine(page, 'stdout', '{"from":"the produce panel"}', 'tab 1\'s consumer printing what the produce panel produced');
  await page.click('button[aria-label="Minimise the terminal"]');
  // The groups page shares the terminal's coordinator: tab 1's consumer is a member there.
  await page.click('a.nav-link[href="#/groups"]');
  await page.fill('input[name="group"]', 'e2e-follow');
  await page.waitForFunction(() => document.querySelector('[data-testid="other-member"]')?.textContent.includes('console-consumer'),
    null, { timeout: 5000 }).catch(() => fail('the groups page does not show the terminal\'s consumer as a member'));
  await page.screenshot({ path: path.join(artefactDir, 'terminal-member-on-groups-page.png'), fullPage: true });
  await page.click('a.nav-link[href="#/terminal"]');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Terminal');
  await page.focus(INPUT);
  await page.press(INPUT, 'Control+c');
  await expectLine(page, 'stderr', 'Processed a total of 2 messages', 'Ctrl-C on the following consumer');
  // Kafka prints the count on stderr; it stays there, styled as a notice rather than an error.
  const counted = await page.$$eval('.term-line[data-stream="stderr"]', (ls) => ls
    .filter((l) => l.textContent === 'Processed a total of 2 messages').map((l) => l.classList.contains('notice')));
  if (!counted.length || !counted.every(Boolean)) fail('"Processed a total of 2 messages" is styled as an error, not a notice');
  const follow = path.join(artefactDir, 'terminal-follow.png');
  await page.screenshot({ path: follow });

  // The Topics page lists what the terminal created, with its records; the dock stays docked.
  await page.click('a.nav-link[href="#/topics"]');
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Topics');
  await page.waitForSelector('a[href="#/topics/orders"]');
  const row = await page.$$eval('tr:has(a[href="#/topics/orders"]) td', (cs) => cs.map((c) => c.textContent.trim()));
  // Topic, partitions, replication, records: 14 from the consumer's count, one typed, one
  // produced in tab 2, one from the produce panel.
  if (row[1] !== '3' || row[3] !== '17') fail(`the topics table's orders row reads ${JSON.stringify(row)}`);
  if (await page.$('.terminal-dock.maximised')) fail('the dock is still maximised on the Topics page');
  // Using the Terminal page does not open the dock on other pages: it is as the learner left it.
  if (await page.$(INPUT)) fail('after the Terminal page the dock on the Topics page is open, though it was minimised');
  await page.click('button[aria-label="Show the terminal"]');
  await page.waitForSelector(INPUT);
  await page.click('button[aria-label="Minimise the terminal"]');
  if (await page.$(INPUT)) fail('the minimised dock still shows its input');
  await page.click('button[aria-label="Show the terminal"]');
  await page.waitForSelector(INPUT);
  const shot = path.join(artefactDir, 'terminal-dock.png');
  await page.screenshot({ path: shot });

  // The overview's timeline tells what the terminal changed, in plain words.
  await page.click('a.nav-link[href="#/"]');
  await page.waitForSelector('.timeline');
  const timeline = await page.textContent('.timeline');
  if (!timeline.includes('Topic orders created with 3 partition(s)')) fail(`the timeline reads ${JSON.stringify(timeline)}`);
  await page.click('a.nav-link[href="#/topics"]');

  // What the terminal produced is stored: after a reload the topic is still there.
  await page.waitForTimeout(500);
  await page.reload({ waitUntil: 'load' });
  await page.waitForSelector('a[href="#/topics/orders"]', { timeout: 20000 });
  // The dock shown before the reload is shown after it: the choice is kept.
  await page.waitForSelector(INPUT, { timeout: 5000 }).catch(() => fail('the dock shown before the reload is minimised after it'));
  // The command history is kept across visits, as a shell's history file: ↑ in a fresh
  // terminal shows the last command typed before the reload.
  const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('brooklet.terminal.history') ?? '[]'));
  if (kept.length < 5 || !kept.includes(`kafka-topics.sh ${BOOTSTRAP} --list`)) fail(`the kept history is ${JSON.stringify(kept)}`);
  await page.click('a.nav-link[href="#/terminal"]');
  await page.waitForSelector(INPUT);
  await page.focus(INPUT);
  await page.press(INPUT, 'ArrowUp');
  const recalledAfterReload = await page.inputValue(INPUT);
  if (recalledAfterReload !== kept[kept.length - 1]) fail(`after a reload ↑ shows ${JSON.stringify(recalledAfterReload)}, not ${JSON.stringify(kept[kept.length - 1])}`);
  await page.click('a.nav-link[href="#/topics"]');

  // Another browser tab that takes the playground over leaves this one read-only: its
  // terminal stops taking commands (they would bypass the lock) and says why.
  const second = await context.newPage();
  second.on('pageerror', (e) => problems.push(`second tab page error: ${e.message}`));
  await second.goto(url + '#/terminal', { waitUntil: 'load' });
  await second.waitForSelector('[data-testid="owned-elsewhere"]');
  await second.click('[data-testid="owned-elsewhere"] button');
  await second.waitForSelector(INPUT);
  await run(second, `kafka-topics.sh ${BOOTSTRAP} --list`);
  await expectLine(second, 'stdout', 'orders', 'listing topics in the tab that took over');
  await second.setViewportSize({ width: 390, height: 800 });
  await second.screenshot({ path: path.join(artefactDir, 'terminal-narrow.png') });
  const overflow = await second.evaluate(() => Math.max(
    ...['.terminal-dock', '.term-examples', '.term-input'].map((s) => document.querySelector(s).getBoundingClientRect().right - window.innerWidth)));
  if (overflow > 0) fail(`on a phone the terminal is ${overflow}px wider than the screen`);
  await page.waitForSelector('.term-read-only', { timeout: 10000 });
  if (await page.$(INPUT)) fail('the read-only tab still takes commands');

  for (const problem of problems) fail(problem);
  if (!process.exitCode) console.log(`e2e terminal: ok — ${url}; screenshot ${shot}`);
} catch (error) {
  fail(error.message);
} finally {
  await browser.close();
  server.close();
}
