// Shared by the end-to-end tests: one way to start Debian's Chromium, one watchdog that turns
// console errors, page errors and stray network requests into test failures, and one check of
// the working first screen, so the served site and the single-file handout are held to the same bar.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const SCREENSHOTS = new URL('../../target/screenshots/', import.meta.url);

// No sandbox: CI runs as root. The rest keeps Chromium from phoning home: this machine's closed
// network refuses such connections, and they would count as stray requests.
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

export async function launch() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS });
}

/**
 * Opens a page that records everything that must not happen. `allowed(url)` says whether a
 * request may be made. Call `problems()` at the end; it should be empty.
 */
export async function watchedPage(browser, allowed) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
  const seen = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') seen.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => seen.push(`page error: ${err.message}`));
  page.on('request', (req) => {
    if (!allowed(req.url())) seen.push(`request outside the app: ${req.url()}`);
  });
  page.on('requestfailed', (req) => {
    // ERR_ABORTED is a request the browser cancelled because the test navigated away (the
    // favicon of a page left at once, say), not one that could not be served.
    if (req.failure()?.errorText !== 'net::ERR_ABORTED') seen.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) seen.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  return { page, problems: () => seen };
}

const OBJECTS = '[data-testid=object-list] [data-testid=object-ref]';
const DIAGNOSTIC = '[data-testid=diagnostics] [data-testid=diagnostic]';

/** The first screen works: it lists the lecture's objects, and typing breaks and fixes it. */
export async function checkWorkingScreen(page, screenshotName) {
  // The list appears once the wasm has loaded and Yew has rendered.
  await page.locator(OBJECTS).first().waitFor();
  assert.equal(await page.title(), 'StatefulSet Lab');
  assert.equal(await page.getByTestId('title').textContent(), 'StatefulSet Lab');
  assert.deepEqual(await page.locator(OBJECTS).allTextContents(), ['Service/nginx', 'StatefulSet/web']);
  assert.equal(await page.locator(DIAGNOSTIC).count(), 0);

  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: fileURLToPath(new URL(screenshotName, SCREENSHOTS)) });

  // Type an unclosed flow sequence at the end of the StatefulSet, key by key.
  const editor = page.getByTestId('manifest-input');
  const typo = 'oops: [';
  await editor.click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(typo);
  await page.locator(DIAGNOSTIC).first().waitFor();
  const diagnostics = await page.locator(DIAGNOSTIC).allTextContents();
  assert.equal(diagnostics.length, 1, `one diagnostic: ${JSON.stringify(diagnostics)}`);
  assert.match(diagnostics[0], /^line \d+, column \d+/);
  assert.equal(await page.locator(`${DIAGNOSTIC}[data-severity=error]`).count(), 1);
  assert.ok(
    !(await page.locator(OBJECTS).allTextContents()).includes('StatefulSet/web'),
    'the broken StatefulSet is no longer listed',
  );
  await page.screenshot({ path: fileURLToPath(new URL(screenshotName.replace('.png', '-error.png'), SCREENSHOTS)) });

  // Delete the typo again: the objects come back and the error goes.
  for (let i = 0; i < typo.length; i++) await page.keyboard.press('Backspace');
  await page.locator(DIAGNOSTIC).first().waitFor({ state: 'detached' });
  assert.deepEqual(await page.locator(OBJECTS).allTextContents(), ['Service/nginx', 'StatefulSet/web']);
}
