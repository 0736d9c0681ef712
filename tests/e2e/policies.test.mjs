// The StatefulSet's policies, switched from the screen, each changing what a student sees:
// "scale to 0, then delete" shuts down highest ordinal first and keeps the claims; Parallel
// starts pods together where OrderedReady starts them one by one; OnDelete leaves pods on the
// old revision until they are deleted; whenScaled=Delete removes a claim on scale-down.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SCREENSHOTS } from './helpers.mjs';
import { applyAndPlay, claim, consoleText, moreActions, pod, pods, scaleTo, start, statusOf, until } from './student.mjs';

let app;
before(async () => {
  app = await start();
});
after(async () => app?.close());

const shot = (page, name) => page.screenshot({ path: fileURLToPath(new URL(`policy-${name}.png`, SCREENSHOTS)) });
const running = async (page, names) => {
  const now = await pods(page);
  return names.every((n) => now[n] === 'Running');
};
const clockMs = async (page) => Number(await page.getByTestId('timeline').inputValue());

test('"scale to 0, then delete" stops web-2, web-1, web-0 in turn and keeps their claims', async () => {
  const { page, problems } = await app.open();
  await applyAndPlay(page);
  await scaleTo(page, 3);
  await until(page, 'three pods Running', () => running(page, ['web-0', 'web-1', 'web-2']));

  await page.getByTestId('speed').selectOption('2');
  await moreActions(page);
  await page.getByTestId('scale-zero-delete').click();
  // Record the order in which pods start terminating, and that no two terminate at once.
  const order = [];
  let together = 0;
  await until(page, 'every pod gone', async () => {
    const now = await pods(page);
    const leaving = Object.entries(now).filter(([, s]) => s === 'Terminating').map(([n]) => n);
    together = Math.max(together, leaving.length);
    for (const n of leaving) if (!order.includes(n)) order.push(n);
    return Object.keys(now).length === 0;
  }, 60000);
  assert.deepEqual(order, ['web-2', 'web-1', 'web-0'], 'highest ordinal first');
  assert.equal(together, 1, 'one at a time');

  // Then the StatefulSet itself is deleted; the claims stay, with their volumes.
  await until(page, 'the StatefulSet deleted', async () => /kubectl delete sts web/.test(await consoleText(page)));
  await until(page, 'no live StatefulSet left', async () => (await page.locator('[data-testid=set]:not(.gone)').count()) === 0);
  for (const n of ['www-web-0', 'www-web-1', 'www-web-2']) {
    assert.equal(await claim(page, n).count(), 1, `${n} is kept`);
    assert.match(await claim(page, n).textContent(), /Bound/);
  }
  await shot(page, 'scale-zero-delete');
  assert.deepEqual(problems(), []);
});

test('Parallel starts the new pods together; OrderedReady starts them one by one', async () => {
  const { page, problems } = await app.open();
  await applyAndPlay(page, '5');
  await until(page, 'web-1 Running', () => running(page, ['web-0', 'web-1']));

  // OrderedReady: when web-3 first shows, web-2 is already Running.
  await scaleTo(page, 4);
  let web2WhenWeb3 = null;
  await until(page, 'web-3 on screen', async () => {
    const now = await pods(page);
    if (now['web-3']) web2WhenWeb3 = now['web-2'];
    return Boolean(now['web-3']);
  });
  assert.equal(web2WhenWeb3, 'Running', 'OrderedReady waits for web-2 before creating web-3');
  await until(page, 'web-3 Running', () => running(page, ['web-3']));
  await scaleTo(page, 2);
  await until(page, 'back to two pods', async () => Object.keys(await pods(page)).length === 2);

  await moreActions(page);
  await page.getByTestId('policy').selectOption('Parallel');
  await until(page, 'the set shows Parallel', async () => /Parallel/.test(await page.locator('[data-testid=set] .facts').textContent()));
  assert.deepEqual(Object.keys(await pods(page)).sort(), ['web-0', 'web-1'], 'the pods were adopted, not restarted');

  // Parallel: web-2 and web-3 appear together, neither waiting for the other.
  await page.getByTestId('play').click(); // pause, and step: the screen at each controller action
  await scaleTo(page, 4);
  let together = false;
  for (let i = 0; i < 40 && !together; i++) {
    const now = await pods(page);
    if (now['web-2'] && now['web-3'] && now['web-2'] !== 'Running' && now['web-3'] !== 'Running') together = true;
    else await page.getByTestId('step').click();
  }
  assert.ok(together, 'web-2 and web-3 exist at once, both still starting');
  await shot(page, 'parallel');
  assert.deepEqual(problems(), []);
});

test('OnDelete keeps the old image until a pod is deleted', async () => {
  const { page, problems } = await app.open();
  await applyAndPlay(page);
  await until(page, 'web-1 Running', () => running(page, ['web-0', 'web-1']));

  await moreActions(page);
  await page.getByTestId('strategy').selectOption('OnDelete');
  await until(page, 'the set shows OnDelete', async () => /OnDelete/.test(await page.locator('[data-testid=set] .facts').textContent()));
  await page.getByTestId('image-input').fill('registry.k8s.io/nginx-slim:0.24');
  await page.getByTestId('set-image').click();
  const from = await clockMs(page);
  await until(page, 'a minute of virtual time', async () => (await clockMs(page)) > from + 60000, 20000);
  for (const n of ['web-0', 'web-1']) {
    assert.equal(await pod(page, n).getByTestId('pod-image').textContent(), 'nginx-slim:0.21', `${n} not rolled`);
    assert.match(await pod(page, n).getByTestId('pod-revision').textContent(), /old/, `${n} says it is on the old revision`);
  }

  await pod(page, 'web-1').locator('button', { hasText: 'Delete' }).click();
  await until(page, 'web-1 back on the new image', async () =>
    (await statusOf(page, 'web-1')) === 'Running' && (await pod(page, 'web-1').getByTestId('pod-image').textContent()) === 'nginx-slim:0.24');
  assert.equal(await pod(page, 'web-0').getByTestId('pod-image').textContent(), 'nginx-slim:0.21', 'web-0 still waits for its delete');
  await shot(page, 'ondelete');
  assert.deepEqual(problems(), []);
});

test('whenScaled=Delete removes the claim of a pod scaled away; Retain keeps it', async () => {
  const { page, problems } = await app.open();
  await applyAndPlay(page);
  await scaleTo(page, 3);
  await until(page, 'three pods Running', () => running(page, ['web-0', 'web-1', 'web-2']));

  await scaleTo(page, 2);
  await until(page, 'web-2 gone', async () => (await pod(page, 'web-2').count()) === 0);
  assert.match(await claim(page, 'www-web-2').getAttribute('data-state'), /^orphaned/, 'Retain keeps www-web-2');

  await scaleTo(page, 3);
  await until(page, 'web-2 Running again', () => running(page, ['web-2']));
  await moreActions(page);
  await page.getByTestId('when-scaled').selectOption('Delete');
  await until(page, 'the set shows Retain / Delete', async () => /Retain \/ Delete/.test(await page.locator('[data-testid=set] .facts').textContent()));
  await scaleTo(page, 2);
  await until(page, 'web-2 gone', async () => (await pod(page, 'web-2').count()) === 0);
  await until(page, 'www-web-2 deleted', async () => (await claim(page, 'www-web-2').count()) === 0);
  assert.equal(await claim(page, 'www-web-1').count(), 1, 'the claims of the remaining pods stay');
  await shot(page, 'when-scaled-delete');
  assert.deepEqual(problems(), []);
});
