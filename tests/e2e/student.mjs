// What the end-to-end tests share about driving the screen as a student: the built site served
// from a sub-path, a fresh page per test (its own empty localStorage), and small readers of
// what the screen shows (a pod's status word, a claim's state word).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch, watchedPage } from './helpers.mjs';
import { serveStatic } from './static-server.mjs';

export const DIST = process.env.STSLAB_DIST ?? join(ROOT, 'dist');

/** Serves dist/ and starts Chromium; `close()` stops both. */
export async function start() {
  assert.ok(existsSync(join(DIST, 'index.html')), `${DIST} is missing: run scripts/build.sh first`);
  const server = await serveStatic(DIST, { mount: '/lab/' });
  const browser = await launch();
  const origin = new URL(server.url).origin;
  return {
    server,
    browser,
    /**
     * A fresh 1280×720 page on the app at `url` (the site by default), with a watchdog for
     * errors, once the element with test id `ready` shows (by default, the editor or its
     * "show" button).
     */
    async open(url = server.url, { ready } = {}) {
      const watched = await watchedPage(browser, (u) => u.startsWith('data:') || new URL(u).origin === origin);
      const { page } = watched;
      await page.setViewportSize({ width: 1280, height: 720 });
      await page.goto(url);
      await (ready ? page.getByTestId(ready) : page.getByTestId('manifest-input').or(page.getByTestId('show-editor'))).waitFor();
      return watched;
    },
    async close() {
      await browser?.close();
      await server?.close();
    },
  };
}

export const pod = (page, name) => page.locator(`[data-testid=pod][data-name="${name}"]`);
export const claim = (page, name) => page.locator(`[data-testid=claim][data-name="${name}"]`);

/** The STATUS word of a pod, or null when the screen shows no such pod. */
export async function statusOf(page, name) {
  // One read of the DOM: counting first and then reading the attribute would wait out the
  // locator's timeout when the pod leaves the screen in between (exactly what a scale-down does).
  return pod(page, name).evaluateAll((els) => (els.length ? els[0].dataset.status : null));
}

/** Names and status words of the pods on screen, e.g. { 'web-0': 'Running' }. */
export async function pods(page) {
  return page.evaluate(() =>
    Object.fromEntries([...document.querySelectorAll('[data-testid=pod]')].map((p) => [p.dataset.name, p.dataset.status])),
  );
}

/** Waits, at most `ms` of real time, until `check()` is true; `check` may record what it saw. */
export async function until(page, what, check, ms = 30000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await page.waitForTimeout(40);
  }
  assert.fail(`timed out waiting for ${what}`);
}

/** Applies the editor's manifest and plays at `speed`×. */
export async function applyAndPlay(page, speed = '20') {
  await page.getByTestId('apply').click();
  await page.getByTestId('speed').selectOption(speed);
}

export async function scaleTo(page, n) {
  await page.getByTestId('replicas-input').fill(String(n));
  await page.getByTestId('set-replicas').click();
}

/** Opens "More…" under the set's actions (policy switches, deletes) if it is closed. */
export async function moreActions(page) {
  const details = page.locator('details.more-actions');
  if (!(await details.evaluate((d) => d.open))) await page.getByTestId('more-actions').click();
}

/** Types a line into the console and presses Enter. */
export async function typeCommand(page, line) {
  const input = page.getByTestId('console-input');
  await input.fill(line);
  await input.press('Enter');
}

export const consoleText = (page) => page.locator('[data-testid=console] .console-out').innerText();
