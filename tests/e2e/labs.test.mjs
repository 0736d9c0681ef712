// A guided lab done as a student would in the built app (dist/, served from a sub-path): open
// the labs, pick "Ordered deployment", apply the lecture's manifest from the editor, let time
// run, watch every check turn green and the lab marked complete, then reload and find the
// completion kept, and open a share link to the lab with its progress elsewhere. Also: a lab
// opened from a `#lab=` link, a broken one refused at its line, and the printed handout. Screenshots go to target/screenshots/labs-*.png (1280×720 and 768 wide).
//
// STSLAB_DIST=/other/dist runs it against another build.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, SCREENSHOTS } from './helpers.mjs';
import { start, until } from './student.mjs';

let app;

before(async () => {
  app = await start();
  await mkdir(SCREENSHOTS, { recursive: true });
});

after(async () => app?.close());

const shot = (page, name) => page.screenshot({ path: fileURLToPath(new URL(`labs-${name}.png`, SCREENSHOTS)) });
const checks = (page) => page.locator('[data-testid=lab-check]');
const holding = async (page) => (await checks(page).evaluateAll((els) => els.map((e) => e.dataset.holds)));

test('a student completes the ordered-deployment lab, and the completion survives a reload', async () => {
  // A new page is a new browser context: its localStorage starts empty.
  const { page, problems } = await app.open();

  // Open the labs and pick the second one: a fresh cluster, every check still red.
  await page.getByTestId('labs-toggle').click();
  const items = page.getByTestId('lab-item');
  assert.equal(await items.count(), 10);
  await shot(page, '1-list');
  await page.locator('[data-testid=lab-item][data-id=ordered-deployment]').click();
  await page.getByTestId('lab').waitFor();
  assert.equal(await page.locator('.lab-title').textContent(), 'Ordered deployment');
  assert.deepEqual(await holding(page), ['false', 'false', 'false', 'false']);
  assert.match(await page.getByTestId('lab-summary').textContent(), /^0 of 4 checks hold$/);
  await shot(page, '2-lab');

  // Step 1: apply the lecture's web.yaml from the console, as the step says, and let time run.
  const input = page.getByTestId('console-input');
  await input.fill('kubectl apply -f web.yaml');
  await input.press('Enter');
  await page.getByTestId('speed').selectOption('10');
  if ((await page.getByTestId('play').getAttribute('aria-pressed')) !== 'true') await page.getByTestId('play').click();
  // Step 2: watch, as the lab suggests; the check list follows the cluster.
  await input.fill('kubectl get pods -w -l app=nginx');
  await input.press('Enter');
  await until(page, 'the first check', async () => (await holding(page))[0] === 'true');
  assert.match(await page.getByTestId('lab-announce').textContent(), /Check holds: web-0 was created first/);
  await until(page, 'every check green', async () => (await holding(page)).every((h) => h === 'true'), 60000);
  await page.getByTestId('lab-complete').waitFor();
  assert.equal(await page.getByTestId('lab-announce').textContent(), 'Lab complete: every check holds.');
  const states = await page.locator('[data-testid=lab-check] .check-state').allTextContents();
  assert.deepEqual(states, ['holds', 'holds', 'holds', 'holds'], 'the state is told in words too');
  await shot(page, '3-complete');

  // The same lab at a tablet's width: one column, nothing cut off.
  await page.setViewportSize({ width: 768, height: 1024 });
  await shot(page, '4-complete-768');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `no sideways scrolling at 768 px (${overflow} px too wide)`);
  await page.setViewportSize({ width: 1280, height: 720 });

  // Printed: the lab and its transcript only, no buttons.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.getByTestId('lab-show-me').isVisible(), false, 'no controls on paper');
  assert.equal(await page.getByTestId('time-controls').isVisible(), false);
  assert.match(await page.locator('.lab-transcript pre').innerText(), /\$ kubectl apply -f web\.yaml\nservice\/nginx created\nstatefulset\.apps\/web created/);
  await shot(page, '5-print');
  await page.emulateMedia({ media: 'screen' });

  // Reload: the lab is still in progress and complete, and the list keeps the mark.
  await page.getByTestId('play').click(); // pause, so the saved session is the one reloaded
  await page.waitForTimeout(300);
  await page.reload();
  await page.getByTestId('lab').waitFor();
  assert.deepEqual(await holding(page), ['true', 'true', 'true', 'true'], 'the checks hold again after a reload');
  await page.getByTestId('lab-list').click();
  assert.equal(await page.locator('[data-testid=lab-item][data-id=ordered-deployment]').getAttribute('data-done'), 'true');
  assert.match(await page.locator('[data-testid=lab-item][data-id=ordered-deployment]').textContent(), /completed/);
  await shot(page, '6-reloaded-list');

  // Shared: the link opens the same lab, with its progress, in a browser that never saw it.
  await page.getByTestId('share').click();
  const url = await page.getByTestId('share-url').inputValue();
  const fresh = await app.open(url, { ready: 'lab' });
  assert.equal(await fresh.page.getByTestId('lab').getAttribute('data-id'), 'ordered-deployment');
  await until(fresh.page, 'the shared checks', async () => (await holding(fresh.page)).every((h) => h === 'true'));
  assert.deepEqual(fresh.problems(), []);

  assert.deepEqual(problems(), []);
});

test('a course links to its own lab; a broken one is refused at its line', async () => {
  const lab = readFileSync(join(ROOT, 'labs/03-sticky-identity.yaml'), 'utf8').replace('id: sticky-identity', 'id: course-sticky');
  const link = (yaml) => `${app.server.url}#lab=${Buffer.from(yaml).toString('base64url')}`;

  const { page, problems } = await app.open(link(lab), { ready: 'lab' });
  assert.equal(await page.getByTestId('lab').getAttribute('data-id'), 'course-sticky');
  assert.match(await page.getByTestId('console').textContent(), /kubectl rollout status sts\/web/, 'its setup ran');
  assert.equal(new URL(page.url()).hash, '', 'the link is tidied from the address bar');

  await page.goto('about:blank');
  await page.goto(link('id: broken\ntitle: {en: a, ko: b}\ngoal: [unclosed\n'));
  await page.getByTestId('lab-error').waitFor();
  assert.match(await page.getByTestId('lab-error').textContent(), /line \d+ column \d+/);
  await shot(page, '7-broken-link');

  // The same broken file through the file picker.
  await page.getByTestId('lab-file').setInputFiles({ name: 'broken.yaml', mimeType: 'text/yaml', buffer: Buffer.from('id: x\nsteps: 3\n') });
  await until(page, 'the file error', async () => /line \d+ column \d+/.test(await page.getByTestId('lab-error').textContent()));
  assert.deepEqual(problems(), []);
});
