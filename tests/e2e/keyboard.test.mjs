// The screen without a mouse: Tab reaches every control in order with a visible focus ring and
// without getting stuck, Ctrl+Enter applies from the editor, the set's actions work with Enter,
// Space and the arrow keys, and the "Why?" panel is announced to screen readers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SCREENSHOTS } from './helpers.mjs';
import { consoleText, start, statusOf, until } from './student.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => app?.close());

/** What has focus: its test id, or tag and text, and whether a focus ring shows around it. */
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return null;
    const style = getComputedStyle(el);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
    // The editor's textarea shows its ring on the framed code area around it.
    const frame = el.closest('.code');
    const framed = frame && getComputedStyle(frame).boxShadow !== 'none';
    const name = el.getAttribute('aria-label') || el.labels?.[0]?.textContent || el.textContent;
    return {
      id: el.dataset.testid ?? null,
      what: `${el.tagName.toLowerCase()}${el.dataset.testid ? `[${el.dataset.testid}]` : ''} "${(name ?? '').trim().slice(0, 30)}"`,
      ring: ring || Boolean(framed),
      named: Boolean((name ?? '').trim() || el.getAttribute('title')),
    };
  });

/** Presses Tab until the control with this test id has focus; every stop on the way must show focus. */
async function tabTo(page, id, limit = 120) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f) assert.ok(f.ring, `focus is visible on ${f.what}`);
    if (f?.id === id) return;
  }
  assert.fail(`Tab never reached ${id}`);
}

test('Tab walks every control with visible focus, and nothing traps it', async () => {
  const { page, problems } = await app.open();

  // The first stop is the skip link, and it takes focus to the cluster.
  await page.keyboard.press('Tab');
  assert.match((await focused(page)).what, /^a /);
  assert.ok(await page.locator('.skip-link').evaluate((a) => a.getBoundingClientRect().top >= 0), 'the skip link shows when focused');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'cluster-title');

  await page.getByTestId('apply').click();
  await page.getByTestId('play').click(); // pause: the screen stays as it is while we walk it
  await page.getByTestId('step').click();
  await page.mouse.click(2, 2); // the top bar: Tab starts from the top again
  // From the top, Tab visits every control, then leaves the page.
  const seen = [];
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (!f) break; // past the last control, focus leaves the page
    if (seen.length && f.what === seen[0]) break;
    assert.ok(f.ring, `focus is visible on ${f.what}`);
    assert.ok(f.named, `${f.what} has a name a screen reader can say`);
    seen.push(f.what);
  }
  const ids = seen.join('\n');
  for (const id of ['manifest-input', 'apply', 'play', 'speed', 'step', 'timeline', 'scale-down', 'replicas-input', 'scale-up',
    'set-replicas', 'image-input', 'set-image', 'partition', 'more-actions', 'tab-console', 'console-input', 'share', 'language']) {
    assert.ok(ids.includes(`[${id}]`), `Tab reaches ${id}:\n${ids}`);
  }
  assert.ok(seen.length < 200, 'Tab leaves the page after the last control');
  assert.deepEqual(problems(), []);
});

test('Ctrl+Enter applies, and the actions work from the keyboard alone', async () => {
  const { page, problems } = await app.open();

  await tabTo(page, 'manifest-input');
  await page.keyboard.press('Control+Enter');
  await until(page, 'the apply in the console', async () => /statefulset\.apps\/web created/.test(await consoleText(page)));
  await tabTo(page, 'speed');
  await page.keyboard.press('End'); // the fastest speed
  assert.equal(await page.getByTestId('speed').inputValue(), '20');
  await until(page, 'web-1 Running', async () => (await statusOf(page, 'web-1')) === 'Running');

  // Enter on "+" scales up; Space on "−" scales down again.
  await tabTo(page, 'scale-up');
  await page.keyboard.press('Enter');
  await until(page, 'web-2 on screen', async () => (await statusOf(page, 'web-2')) !== null);
  assert.equal(await page.getByTestId('set-spec-replicas').textContent(), '3');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  assert.equal((await focused(page)).id, 'scale-down');
  await page.keyboard.press('Space');
  await until(page, 'replicas 2', async () => (await page.getByTestId('set-spec-replicas').textContent()) === '2');

  // The partition slider moves with the arrow keys.
  await tabTo(page, 'partition');
  await page.keyboard.press('ArrowRight');
  await until(page, 'partition 1', async () => /partition 1/.test(await page.locator('[data-testid=set] .facts').textContent()));

  // "More…" opens with Enter; the strategy switch changes with the arrow keys.
  await tabTo(page, 'more-actions');
  await page.keyboard.press('Enter');
  await tabTo(page, 'strategy');
  await page.keyboard.press('ArrowDown');
  await until(page, 'OnDelete', async () => /OnDelete/.test(await page.locator('[data-testid=set] .facts').textContent()));
  assert.match(await consoleText(page), /kubectl patch sts web -p .*OnDelete/);

  // The console: type, run with Enter, recall with ↑.
  await tabTo(page, 'console-input');
  await page.keyboard.type('kubectl get sts web');
  await page.keyboard.press('Enter');
  await until(page, 'the get in the console', async () => /NAME\s+READY\s+AGE\s*\nweb\s+/.test(await consoleText(page)));
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.getByTestId('console-input').inputValue(), 'kubectl get sts web');
  await page.screenshot({ path: fileURLToPath(new URL('keyboard-end.png', SCREENSHOTS)) });
  assert.deepEqual(problems(), []);
});

test('the Why panel is a live region and state is told in words', async () => {
  const { page, problems } = await app.open();
  await page.getByTestId('apply').click();
  await page.getByTestId('play').click();
  for (let i = 0; i < 3; i++) await page.getByTestId('step').click();

  const live = page.getByTestId('why-current');
  assert.equal(await live.getAttribute('aria-live'), 'polite');
  assert.match(await live.textContent(), /web-\d/, 'the current decision names a pod');
  // Every pod says its status in words; the colour dot is hidden from screen readers.
  for (const status of await page.getByTestId('pod-status').all()) {
    assert.match(await status.textContent(), /^[A-Za-z:]+/);
  }
  assert.equal(await page.locator('.status .dot:not([aria-hidden=true])').count(), 0);
  for (const c of await page.getByTestId('claim').all()) {
    const state = await c.getAttribute('data-state');
    assert.ok(state && (await c.textContent()).includes(state), `the claim says "${state}" in words`);
  }
  assert.deepEqual(problems(), []);
});
