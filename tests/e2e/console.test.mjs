// The kubectl console as a student uses it next to the buttons: a `get pods -w` keeps printing
// while buttons act on the set, Ctrl+C stops it, Tab completes from the interpreter (commands,
// kinds and the live cluster's names), and ↑/↓ walk the lines typed before.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { applyAndPlay, consoleText, start, statusOf, typeCommand, until } from './student.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => app?.close());

test('a button leaves a running watch printing; Ctrl+C stops it', async () => {
  const { page, problems } = await app.open();
  await applyAndPlay(page);
  await until(page, 'web-1 Running', async () => (await statusOf(page, 'web-1')) === 'Running');

  await typeCommand(page, 'kubectl get pods -w');
  const watching = page.locator('[data-testid=console] .watching');
  await watching.waitFor();

  await page.getByTestId('scale-up').click();
  await until(page, 'web-2 Running', async () => (await statusOf(page, 'web-2')) === 'Running');
  assert.equal(await watching.count(), 1, 'still watching after the button');
  // The watch went on printing after the button's command, web-2's whole start included.
  const text = await consoleText(page);
  const afterScale = text.slice(text.indexOf('kubectl scale sts web --replicas=3'));
  assert.match(afterScale, /statefulset\.apps\/web scaled/);
  assert.match(afterScale, /still watching:\s*kubectl get pods -w/);
  for (const status of ['Pending', 'ContainerCreating', 'Running']) {
    assert.match(afterScale, new RegExp(`web-2\\s+\\S+\\s+${status}`), `the watch printed web-2 ${status}`);
  }

  // A pod deleted from its button shows in the watch as Terminating.
  await page.locator('[data-testid=pod][data-name="web-0"] button', { hasText: 'Delete' }).click();
  await until(page, 'web-0 Terminating in the watch', async () => /web-0\s+\S+\s+Terminating/.test((await consoleText(page)).split('delete pod web-0').pop()));
  assert.equal(await watching.count(), 1, 'still watching after deleting a pod');

  await page.getByTestId('console-input').press('Control+c');
  await watching.waitFor({ state: 'detached' });
  const stopped = await consoleText(page);
  await page.waitForTimeout(500);
  await page.getByTestId('scale-up').click();
  await until(page, 'web-3 on screen', async () => (await statusOf(page, 'web-3')) !== null);
  await page.waitForTimeout(500);
  assert.ok(!(await consoleText(page)).slice(stopped.length).includes('web-3   '), 'a stopped watch prints nothing more');
  assert.deepEqual(problems(), []);
});

test('Tab completes commands, kinds and live names; arrows walk the history', async () => {
  const { page, problems } = await app.open();
  await applyAndPlay(page);
  await until(page, 'web-1 Running', async () => (await statusOf(page, 'web-1')) === 'Running');
  await page.getByTestId('play').click(); // pause
  const input = page.getByTestId('console-input');

  await input.fill('kub');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl ', 'a command');

  await input.fill('kubectl roll');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl rollout ', 'a subcommand');

  await input.fill('kubectl get statefuls');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl get statefulsets ', 'a kind');

  await input.fill('kubectl get persistentv');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl get persistentvolume', 'the common prefix of two kinds');
  assert.match(await consoleText(page), /persistentvolumeclaims\s+persistentvolumes/, 'both choices listed');

  await input.fill('kubectl get sts w');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl get sts web ', 'the live StatefulSet');

  await input.fill('kubectl delete pod web-');
  await input.press('Tab');
  assert.match(await consoleText(page), /web-0\s+web-1/, 'the live pods listed');
  await input.fill('kubectl delete pod web-1');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl delete pod web-1 ');

  await input.fill('kubectl describe pvc www-web-0');
  await input.press('Tab');
  assert.equal(await input.inputValue(), 'kubectl describe pvc www-web-0 ', 'a live claim');

  // History: the lines typed, newest first with ↑, back down to an empty line with ↓.
  await typeCommand(page, 'kubectl get sts');
  await typeCommand(page, 'kubectl get pvc');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'kubectl get pvc');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'kubectl get sts');
  await input.press('ArrowDown');
  assert.equal(await input.inputValue(), 'kubectl get pvc');
  await input.press('ArrowDown');
  assert.equal(await input.inputValue(), '');
  assert.match(await consoleText(page), /www-web-1\s+Bound/, 'the typed command ran');
  assert.deepEqual(problems(), []);
});
