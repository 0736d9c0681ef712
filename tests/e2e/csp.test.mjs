// Browser security (issue #8): the release build works under a strict Content-Security-Policy,
// uses no inline event handlers, shows pasted HTML as text, and talks to no other origin.
//
// The server sends the policy as a header, as a lab's web server would. The single-file
// handout cannot meet it (its script and style are inline by design); it runs from file://,
// where no header applies, and handout.test.mjs checks that it makes no request at all.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch } from './helpers.mjs';
import { serveStatic } from './static-server.mjs';

const DIST = process.env.DIST_DIR ?? join(ROOT, 'dist');
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'";

// Until the build moves trunk's inline loader to a file (scripts/externalize-loader.mjs, run by
// scripts/build.sh) and index.html's icon is a file rather than a data: URL, the served site
// cannot meet the policy: these tests are then reported as TODO (they run, and a failure is
// shown, but does not fail the suite). Once both are in place they are enforced.
const BUILD_READY =
  readFileSync(join(ROOT, 'scripts/build.sh'), 'utf8').includes('externalize-loader.mjs') &&
  !/<link rel="icon" href="data:/.test(readFileSync(join(ROOT, 'index.html'), 'utf8'));
const PENDING = BUILD_READY ? {} : { todo: 'scripts/build.sh must externalize the loader and index.html must link a file icon' };

let browser;
let server;

before(async () => {
  assert.ok(existsSync(join(DIST, 'index.html')), 'dist/ is missing: run scripts/build.sh first');
  server = await serveStatic(DIST, { mount: '/lab/', headers: { 'content-security-policy': CSP } });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

test('the built files have no inline script, no inline style and no inline event handler', PENDING, () => {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    assert.match(m[1], /\bsrc=/, `inline <script> in dist/index.html: ${m[0].slice(0, 120)}`);
    assert.equal(m[2].trim(), '', 'a <script src> with a body');
  }
  assert.doesNotMatch(html, /<style\b/i, 'inline <style> in dist/index.html');
  assert.doesNotMatch(html, /\sstyle\s*=/i, 'style attribute in dist/index.html');
  assert.doesNotMatch(html, /\son[a-z]+\s*=/i, 'inline event handler in dist/index.html');
  assert.doesNotMatch(html, /javascript:/i, 'javascript: URL in dist/index.html');
  for (const file of readdirSync(DIST)) {
    if (!/\.(js|wasm)$/.test(file)) continue;
    // HTML inside JS strings or the wasm's data: an `on...=` attribute or a javascript: URL.
    const text = readFileSync(join(DIST, file)).toString('latin1');
    assert.doesNotMatch(text, /<[a-z][^<>]*\son[a-z]+\s*=\s*["'][^"']*["']/i, `inline event handler markup in ${file}`);
    assert.doesNotMatch(text, /javascript:/i, `javascript: URL in ${file}`);
  }
});

/** A page that records console errors, page errors, CSP violations and foreign requests. */
async function cspPage() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const origin = new URL(server.url).origin;
  const seen = [];
  const requests = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') seen.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => seen.push(`page error: ${err.message}`));
  page.on('request', (req) => {
    requests.push(req.url());
    if (new URL(req.url()).origin !== origin) seen.push(`request to another origin: ${req.url()}`);
  });
  page.on('requestfailed', (req) => seen.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on('response', (res) => {
    if (res.status() >= 400) seen.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  // Runs before the page's own scripts (injected by the browser, so the policy does not apply).
  await page.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__violations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  return { page, problems: () => seen, requests, origin };
}

/** Elements carrying an `on...` attribute anywhere in the document. */
const inlineHandlers = () =>
  [...document.querySelectorAll('*')].flatMap((el) =>
    [...el.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `<${el.localName} ${a.name}="${a.value}">`),
  );

test('the app works under the policy and every request stays on its origin', PENDING, async () => {
  const { page, problems, requests, origin } = await cspPage();
  const response = await page.goto(server.url);
  assert.equal(response.headers()['content-security-policy'], CSP);

  // The app renders: the editor's objects are listed.
  await page.locator('[data-testid=object-ref]').first().waitFor({ timeout: 20000 });
  assert.ok((await page.locator('[data-testid=object-ref]').count()) >= 2);

  // If this build has the cluster view, apply the manifest and let the cluster run a little.
  if (await page.getByTestId('apply').count()) {
    await page.getByTestId('apply').click();
    await page.locator('[data-testid=pod]').first().waitFor({ timeout: 20000 });
  }
  if (await page.getByTestId('console-input').count()) {
    const input = page.getByTestId('console-input');
    await input.fill('kubectl get pods');
    await input.press('Enter');
    await page.locator('[data-testid=console-entry]').first().waitFor({ timeout: 10000 });
  }

  // The policy is really in force: an injected inline script does not run, and is reported.
  const ran = await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.head.append(s);
    return window.__inlineRan === true;
  });
  assert.equal(ran, false, 'an inline script ran: the policy is not applied');
  await page.waitForFunction(() => window.__violations.length > 0);
  const violations = await page.evaluate(() => window.__violations);
  assert.equal(violations.length, 1, `violations besides the deliberate one: ${JSON.stringify(violations)}`);
  assert.match(violations[0], /^script-src/);
  // That one deliberate violation is also logged as a console error; nothing else may be.
  const others = problems().filter((p) => !/Content Security Policy.*inline script|Executing inline script violates/i.test(p));
  assert.deepEqual(others, []);

  assert.deepEqual(await page.evaluate(inlineHandlers), [], 'inline event handlers in the DOM');
  assert.ok(requests.length >= 4, `html, js, wasm, css: ${requests.join(', ')}`);
  assert.ok(requests.every((u) => new URL(u).origin === origin), requests.join(', '));
  await page.close();
});

test('HTML and script pasted into names, labels, images and annotations are shown as text', PENDING, async () => {
  const { page, problems } = await cspPage();
  await page.goto(server.url);
  await page.locator('[data-testid=object-ref]').first().waitFor({ timeout: 20000 });
  const img = '<img src=x onerror=window.__xss=1>';
  const script = '<script>window.__xss=2</script>';
  const yaml = [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    `  name: "${img}"`,
    '  labels:',
    `    app: "${script}"`,
    '  annotations:',
    `    note: "${script}"`,
    '---',
    'apiVersion: apps/v1',
    'kind: StatefulSet',
    'metadata:',
    '  name: web',
    '  annotations:',
    `    note: "${img}"`,
    'spec:',
    '  serviceName: nginx',
    '  replicas: 1',
    '  selector:',
    '    matchLabels:',
    '      app: nginx',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: nginx',
    '    spec:',
    '      containers:',
    '      - name: nginx',
    `        image: "${img}"`,
    '',
  ].join('\n');
  await page.getByTestId('manifest-input').fill(yaml);
  // The refusal of the name is listed, quoting the name as text.
  await page.locator('[data-testid=diagnostic]').first().waitFor({ timeout: 10000 });
  const text = await page.locator('body').innerText();
  assert.ok(text.includes('<img src=x'), 'the pasted markup is shown as text');
  if (await page.getByTestId('apply').count()) {
    await page.getByTestId('apply').click();
    await page.waitForTimeout(500);
  }
  assert.equal(await page.evaluate(() => window.__xss), undefined, 'pasted markup ran');
  assert.equal(await page.locator('img[src=x], body script:not([src])').count(), 0, 'pasted markup became elements');
  assert.deepEqual(await page.evaluate(inlineHandlers), []);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(problems(), []);
  await page.close();
});
