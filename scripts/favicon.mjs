#!/usr/bin/env node
// Renders the icon's source, assets/favicon.svg, to the 32×32 PNG the page links
// (assets/favicon.png), with Debian's Chromium. Why a PNG: Chromium reads a page's icon in the
// tab's main thread, and an SVG icon is a whole SVG document to build there (4-5 ms of CPU,
// often while the app is starting) where a small PNG costs under 1 ms.
//
// Usage: node scripts/favicon.mjs   (after editing assets/favicon.svg)
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { launch } from '../tests/e2e/helpers.mjs';

const ASSETS = fileURLToPath(new URL('../assets/', import.meta.url));
const SIZE = 32;
const svg = readFileSync(ASSETS + 'favicon.svg', 'utf8').replace('<svg ', `<svg width="${SIZE}" height="${SIZE}" style="display:block" `);
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } });
  await page.setContent(`<body style="margin:0">${svg}</body>`);
  await page.screenshot({ path: ASSETS + 'favicon.png', omitBackground: true, clip: { x: 0, y: 0, width: SIZE, height: SIZE } });
} finally {
  await browser.close();
}
console.log(`favicon: assets/favicon.png (${SIZE}×${SIZE}) from assets/favicon.svg`);
