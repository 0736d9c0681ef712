// "Share" gives a link that reproduces the session in a fresh browser exactly: the editor's
// text, every command (buttons and typed, a watch included) replayed at its moment on the same
// seed, so the same pods with the same IPs, claims, console transcript and clock.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { applyAndPlay, scaleTo, start, statusOf, typeCommand, until } from './student.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => app?.close());

/** Everything a student would compare between the two screens. */
const snapshot = (page) =>
  page.evaluate(() => {
    const text = (sel) => [...document.querySelectorAll(sel)].map((e) => e.textContent.trim());
    return {
      editor: document.querySelector('[data-testid=manifest-input]').value,
      clock: document.querySelector('[data-testid=clock]').textContent,
      pods: [...document.querySelectorAll('[data-testid=pod]')].map((p) => `${p.dataset.name} ${p.dataset.status} ${p.textContent}`),
      claims: [...document.querySelectorAll('[data-testid=claim]')].map((c) => `${c.dataset.name} ${c.dataset.state}`),
      dns: text('[data-testid=dns-record]'),
      console: text('[data-testid=console-entry]'),
      set: text('[data-testid=set] .facts'),
    };
  });

test('a shared link opened in a fresh browser shows the same session', async () => {
  const { page, problems } = await app.open();
  await applyAndPlay(page);
  await until(page, 'web-1 Running', async () => (await statusOf(page, 'web-1')) === 'Running');
  await typeCommand(page, 'kubectl get pods -w');
  await scaleTo(page, 4);
  await until(page, 'web-3 Running', async () => (await statusOf(page, 'web-3')) === 'Running');
  await scaleTo(page, 2);
  await until(page, 'two pods', async () => (await statusOf(page, 'web-2')) === null && (await statusOf(page, 'web-3')) === null);
  await page.getByTestId('image-input').fill('registry.k8s.io/nginx-slim:0.24');
  await page.getByTestId('set-image').click();
  await page.waitForTimeout(300);
  await page.getByTestId('play').click(); // pause, so both screens show the same moment
  // An edit not applied yet is part of the session too.
  const editor = page.getByTestId('manifest-input');
  await editor.fill((await editor.inputValue()).replace('replicas: 2', 'replicas: 3'));

  await page.getByTestId('share').click();
  const url = await page.getByTestId('share-url').inputValue();
  assert.match(url, /#s=[A-Za-z0-9_-]+$/, 'the session is in the fragment');
  assert.ok(url.startsWith(app.server.url), 'on this site');
  const original = await snapshot(page);
  assert.ok(original.console.some((e) => e.includes('still watching')), 'the watch went on past the buttons');

  const fresh = await app.open(url);
  await fresh.page.getByTestId('notice').waitFor();
  assert.match(await fresh.page.getByTestId('notice').textContent(), /shared/i);
  assert.equal(await fresh.page.evaluate(() => location.hash), '', 'the link is taken out of the address bar');
  const shared = await snapshot(fresh.page);
  assert.deepEqual(shared, original);
  assert.deepEqual(problems(), []);
  assert.deepEqual(fresh.problems(), []);
});
