// What the terminal's end-to-end scripts share: the command line, typing a line, and reading
// or waiting for the scrollback's lines of one stream (input, stdout, stderr, info).
export const INPUT = '#terminal-input';

// The scrollback's lines of one stream, as plain text.
export const lines = (page, stream) =>
  page.$$eval(`[data-testid="terminal-output"] .term-line[data-stream="${stream}"]`, (ls) => ls.map((l) => l.textContent));

// Types a line and presses Enter, as a learner would.
export async function run(page, line) {
  await page.fill(INPUT, line);
  await page.press(INPUT, 'Enter');
}

// Waits until a stream shows a line equal to `text` (or holding it, with `contains`), and calls
// `fail` with what the stream shows otherwise.
export async function expectLine(page, stream, text, what, fail, { contains = false, timeout = 5000 } = {}) {
  try {
    await page.waitForFunction(
      ([s, t, c]) => [...document.querySelectorAll(`[data-testid="terminal-output"] .term-line[data-stream="${s}"]`)]
        .some((l) => (c ? l.textContent.includes(t) : l.textContent === t)),
      [stream, text, contains], { timeout });
  } catch {
    fail(`${what}: no ${stream} line ${contains ? 'holding ' : ''}${JSON.stringify(text)}; ${stream} reads ${JSON.stringify(await lines(page, stream))}`);
  }
}
