// The release build (dist/) served over HTTP from a sub-path, as a lab server would host it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, checkWorkingScreen, launch, watchedPage } from './helpers.mjs';
import { serveStatic } from './static-server.mjs';

const DIST = join(ROOT, 'dist');
let browser;
let server;

before(async () => {
  assert.ok(existsSync(join(DIST, 'index.html')), 'dist/ is missing: run scripts/build.sh first');
  server = await serveStatic(DIST, { mount: '/some/sub/path/' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('dist/ served from a sub-path lists the lecture objects and reacts to typing', async () => {
  const origin = new URL(server.url).origin;
  const { page, problems } = await watchedPage(browser, (url) => url.startsWith('data:') || new URL(url).origin === origin);
  const wasmTypes = [];
  page.on('response', (res) => {
    if (res.url().endsWith('.wasm')) wasmTypes.push(res.headers()['content-type']);
  });

  await page.goto(server.url);
  await checkWorkingScreen(page, 'e2e-served.png');

  assert.deepEqual(wasmTypes, ['application/wasm'], 'the wasm is fetched once, as application/wasm');
  assert.deepEqual(problems(), []);
});
