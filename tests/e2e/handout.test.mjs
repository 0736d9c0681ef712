// The single-file handout (statefulset-lab.html) opened straight from disk, as a student would
// open an e-mailed file: everything it needs must be inside it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, checkWorkingScreen, launch, watchedPage } from './helpers.mjs';

const HANDOUT = join(ROOT, 'statefulset-lab.html');
let browser;

before(async () => {
  assert.ok(existsSync(HANDOUT), 'statefulset-lab.html is missing: run node scripts/handout.mjs first');
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('the handout works from file:// and loads nothing but itself', async () => {
  const self = pathToFileURL(HANDOUT).href;
  const { page, problems } = await watchedPage(
    browser,
    (url) => url === self || url.startsWith('data:') || url.startsWith('blob:'),
  );

  await page.goto(self);
  await checkWorkingScreen(page, 'e2e-handout.png');

  assert.deepEqual(problems(), []);
});
