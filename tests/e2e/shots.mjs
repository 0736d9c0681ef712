// Screenshots of the screen at the sizes it must work at (a 1280×720 projector, a 768-px
// tablet), in English and Korean, with the lecture's set scaled to 5 then 3 so orphaned claims
// show. Not a test: run `node tests/e2e/shots.mjs` and look at target/screenshots/layout-*.png.
import { join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { ROOT, SCREENSHOTS, launch } from './helpers.mjs';
import { serveStatic } from './static-server.mjs';

const DIST = process.env.STSLAB_DIST ?? join(ROOT, 'dist');
const SIZES = [
  ['projector', 1280, 720],
  ['tablet', 768, 1024],
];

const server = await serveStatic(DIST, { mount: '/' });
const browser = await launch();
await mkdir(SCREENSHOTS, { recursive: true });
try {
  for (const lang of ['en', 'ko']) {
    for (const [name, width, height] of SIZES) {
      const page = await browser.newPage({ viewport: { width, height }, locale: lang === 'ko' ? 'ko-KR' : 'en-US' });
      await page.goto(server.url);
      await page.getByTestId('apply').click();
      await page.getByTestId('speed').selectOption('20');
      await page.getByTestId('replicas-input').fill('5');
      await page.getByTestId('set-replicas').click();
      await page.locator('[data-testid=pod][data-name="web-4"][data-status="Running"]').waitFor({ timeout: 60000 });
      await page.getByTestId('replicas-input').fill('3');
      await page.getByTestId('set-replicas').click();
      await page.locator('[data-testid=pod][data-name="web-3"]').waitFor({ state: 'detached', timeout: 60000 });
      await page.locator('[data-testid=pod][data-name="web-4"]').waitFor({ state: 'detached', timeout: 60000 });
      await page.getByTestId('play').click();
      const path = fileURLToPath(new URL(`layout-${name}-${lang}.png`, SCREENSHOTS));
      await page.screenshot({ path, fullPage: name === 'tablet' });
      const fold = await page.evaluate(() => {
        const claims = [...document.querySelectorAll('[data-testid=claim]')].map((c) => c.getBoundingClientRect());
        return { claimsBottom: Math.max(...claims.map((r) => r.bottom)), innerHeight, scrollWidth: document.documentElement.scrollWidth, innerWidth };
      });
      console.log(name, lang, path, JSON.stringify(fold));
      await page.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
