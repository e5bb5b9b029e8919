// What every end-to-end script needs: the release build served under a sub-path, the way a
// static host (GitHub Pages, a course site) would serve it, and Debian's Chromium driven by
// playwright-core (installed by `make tools` into .tools/).
//
//   const { url, artefactDir, browser, server, fail } = await openSite('smoke');
//
// `fail(message)` prints `e2e <name>: FAILED: <message>` and makes the process exit non-zero.
import { createServer } from 'node:http';
import { readFile, mkdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

export const SUB_PATH = '/brooklet/';
const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png',
};

// A static host: files under SUB_PATH, index.html for directories, 404 for everything else.
function serve(root) {
  return createServer(async (request, response) => {
    const url = new URL(request.url, 'http://localhost');
    if (!url.pathname.startsWith(SUB_PATH)) { response.writeHead(404).end(); return; }
    let file = path.join(root, decodeURIComponent(url.pathname.slice(SUB_PATH.length)));
    if (!file.startsWith(path.resolve(root))) { response.writeHead(403).end(); return; }
    try {
      if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
}

// Serves `<dist dir>` (first argument) on a free port and starts Chromium; screenshots go to
// `<artefact dir>` (second argument).
export async function openSite(name) {
  const [distDir = 'dist', artefactDir = 'target/e2e'] = process.argv.slice(2);
  const require = createRequire(path.resolve('.tools/node_modules/'));
  const { chromium } = require('playwright-core');
  const server = serve(path.resolve(distDir));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}${SUB_PATH}`;
  await mkdir(artefactDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const fail = (message) => {
    console.error(`e2e ${name}: FAILED: ${message}`);
    process.exitCode = 1;
  };
  return { url, artefactDir, distDir, browser, server, fail };
}

// Types into a field the way a learner does: Yew's forms read the value on `change`.
export async function type(page, selector, value) {
  await page.fill(selector, value);
  await page.dispatchEvent(selector, 'change');
}

// A fresh browser context (its own storage) at `width`×`height`, and its page, with every
// console error and uncaught page error collected in `problems` for the test to report.
export async function openPage(browser, width, height) {
  const context = await browser.newContext({ viewport: { width, height } });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return { context, page, problems };
}
