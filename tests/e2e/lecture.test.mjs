// The StatefulSet lecture, done as a student would in the built app (dist/, served from a
// sub-path): paste the slide's YAML with its broken indentation, read the error and fix it,
// apply and watch web-0 then web-1 come up, scale to 5 and to 3 and see the orphaned claims,
// scale back and see them re-attach, roll out a new image, then rewind.
// Screenshots go to target/screenshots/lecture-*.png; look at them when the screen changes.
//
// STSLAB_DIST=/other/dist runs it against another build.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ROOT, SCREENSHOTS, launch, watchedPage } from './helpers.mjs';
import { serveStatic } from './static-server.mjs';

const DIST = process.env.STSLAB_DIST ?? join(ROOT, 'dist');
const SLIDE = (await import('node:fs')).readFileSync(join(ROOT, 'examples/web.yaml'), 'utf8');
// Pasted from the slides' PDF: `clusterIP: None` lost its indentation.
const PASTED = SLIDE.replace('\n  clusterIP: None\n', '\nclusterIP: None\n');

let browser;
let server;

before(async () => {
  assert.ok(existsSync(join(DIST, 'index.html')), `${DIST} is missing: run scripts/build.sh first`);
  assert.notEqual(PASTED, SLIDE, 'the slide still has its clusterIP line');
  server = await serveStatic(DIST, { mount: '/lecture/' });
  browser = await launch();
  await mkdir(SCREENSHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

const shot = (page, name) => page.screenshot({ path: fileURLToPath(new URL(`lecture-${name}.png`, SCREENSHOTS)) });
const pod = (page, name) => page.locator(`[data-testid=pod][data-name="${name}"]`);
// One read of the DOM, so a pod leaving the screen between two reads cannot stall the wait.
const statusOf = (page, name) => pod(page, name).evaluateAll((els) => (els.length ? els[0].dataset.status : null));
const claimState = (page, name) => page.locator(`[data-testid=claim][data-name="${name}"]`).getAttribute('data-state');

/** Waits, at most `ms` of real time, until `check()` is true; `check` may record what it saw. */
async function until(page, what, check, ms = 30000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await page.waitForTimeout(50);
  }
  assert.fail(`timed out waiting for ${what}`);
}

async function scaleTo(page, n) {
  await page.getByTestId('replicas-input').fill(String(n));
  await page.getByTestId('set-replicas').click();
}

test('the StatefulSet lecture, from a broken paste to a rewound rolling update', async () => {
  const origin = new URL(server.url).origin;
  const { page, problems } = await watchedPage(browser, (url) => url.startsWith('data:') || new URL(url).origin === origin);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(server.url);
  const editor = page.getByTestId('manifest-input');
  await editor.waitFor();

  // 1. Paste the slide's YAML with its broken indentation: an error, at a line, with a hint.
  await editor.fill(PASTED);
  const diagnostic = page.locator('[data-testid=diagnostics] [data-testid=diagnostic]').first();
  await diagnostic.waitFor();
  const said = await diagnostic.textContent();
  assert.match(said, /^line \d+, column \d+/);
  const badLine = PASTED.split('\n').indexOf('clusterIP: None') + 1;
  const [, reported] = said.match(/^line (\d+)/);
  assert.ok(Math.abs(Number(reported) - badLine) <= 2, `reported near line ${badLine}: ${said}`);
  assert.equal(await page.locator('.gutter .ln.error').count(), 1, 'the gutter marks the line');
  const hints = await page.getByTestId('hint').allTextContents();
  console.log(`  the editor says: ${said}${hints.length ? ` / ${hints[0]}` : ' (no hint from the manifest module yet)'}`);
  await shot(page, '1-broken-paste');

  // ... and fix it: indent the line again.
  await editor.fill(SLIDE);
  await page.locator('[data-testid=diagnostics]').waitFor({ state: 'detached' });

  // 2. Apply with Ctrl+Enter and watch: web-0 becomes Running while web-1 does not exist or waits.
  await editor.focus();
  await page.keyboard.press('Control+Enter');
  await page.getByTestId('speed').selectOption('5');
  let web1BeforeWeb0 = false;
  await until(page, 'web-0 Running', async () => {
    const [s0, s1] = [await statusOf(page, 'web-0'), await statusOf(page, 'web-1')];
    if (s1 === 'Running' && s0 !== 'Running') web1BeforeWeb0 = true;
    return s0 === 'Running';
  });
  assert.notEqual(await statusOf(page, 'web-1'), 'Running', 'web-1 waits for web-0 (OrderedReady)');
  await shot(page, '2-web-0-running');
  await until(page, 'web-1 Running', async () => (await statusOf(page, 'web-1')) === 'Running');
  assert.ok(!web1BeforeWeb0, 'web-1 never ran before web-0');
  await until(page, 'two DNS records', async () => (await page.getByTestId('dns-record').count()) === 2);
  assert.match(await page.getByTestId('dns-records').textContent(), /web-1\.nginx\.default\.svc\.cluster\.local/);
  await shot(page, '3-two-pods');

  // 3. Scale to 5, then to 3: the claims of web-3 and web-4 stay, orphaned, in their slots.
  await page.getByTestId('speed').selectOption('20');
  await scaleTo(page, 5);
  await until(page, 'web-4 Running', async () => (await statusOf(page, 'web-4')) === 'Running');
  await scaleTo(page, 3);
  await until(page, 'web-3 and web-4 gone', async () => (await pod(page, 'web-3').count()) + (await pod(page, 'web-4').count()) === 0);
  for (const claim of ['www-web-3', 'www-web-4']) {
    assert.match(await claimState(page, claim), /^orphaned/, `${claim} is kept`);
  }
  assert.match(await page.locator('[data-testid=slot][data-ordinal="4"]').textContent(), /beyond replicas/);
  await shot(page, '4-orphaned-claims');

  // 4. Scale back to 5: new pods get the same claims back.
  await scaleTo(page, 5);
  await until(page, 'web-4 Running again', async () => (await statusOf(page, 'web-4')) === 'Running');
  for (const claim of ['www-web-3', 'www-web-4']) {
    assert.equal(await claimState(page, claim), 're-attached', `${claim} re-attached`);
  }
  await shot(page, '5-reattached');

  // 5. A rolling update, highest ordinal first; then rewind to before it.
  const before = await page.getByTestId('timeline').inputValue();
  const image = page.getByTestId('image-input');
  await image.fill('registry.k8s.io/nginx-slim:0.24');
  await page.getByTestId('set-image').click();
  await until(page, 'web-4 on the new image', async () => /0\.24/.test(await pod(page, 'web-4').getByTestId('pod-image').textContent().catch(() => '')));
  await shot(page, '6-rolling-update');
  await until(page, 'every pod updated', async () => {
    const revs = await page.locator('[data-testid=pod] [data-testid=pod-revision]').allTextContents();
    return revs.length === 5 && revs.every((r) => r.includes('updated')) && (await statusOf(page, 'web-0')) === 'Running';
  }, 60000);
  await page.getByTestId('play').click(); // pause
  await shot(page, '7-updated');

  await page.getByTestId('timeline').evaluate((el, v) => {
    el.value = v;
    el.dispatchEvent(new Event('input', { bubbles: true }));
  }, before);
  await page.getByTestId('rewound').waitFor();
  const images = await page.locator('[data-testid=pod] [data-testid=pod-image]').allTextContents();
  assert.deepEqual(images, Array(5).fill('nginx-slim:0.21'), 'before the update every pod runs the old image');
  await shot(page, '8-rewound');

  assert.deepEqual(problems(), []);
});
