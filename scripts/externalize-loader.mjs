#!/usr/bin/env node
// Moves trunk's inline loader (`<script type="module">import init ... </script>`) out of
// dist/index.html into a file of its own, so the page runs under a Content-Security-Policy
// without 'unsafe-inline' (`script-src 'self' 'wasm-unsafe-eval'`, see tests/e2e/csp.test.mjs).
// trunk 0.21 has no option for this. scripts/build.sh runs it after `trunk build`; the name is
// content-hashed like trunk's own files, and the tag carries an integrity hash.
//
// Usage: node scripts/externalize-loader.mjs [DIST]   (default dist/)
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DIST = process.argv[2] ?? fileURLToPath(new URL('../dist', import.meta.url));
const page = join(DIST, 'index.html');
let html = readFileSync(page, 'utf8');
const inline = [...html.matchAll(/<script type="module">([\s\S]*?)<\/script>/g)];
if (inline.length === 0 && /<script type="module" src="\.\/loader-[0-9a-f]+\.js"/.test(html)) {
  console.log('externalize-loader: already external');
  process.exit(0);
}
if (inline.length !== 1) {
  console.error(`externalize-loader: expected one inline module script in ${page}, found ${inline.length}`);
  process.exit(1);
}
const body = inline[0][1].trim() + '\n';
if (!/from '\.\/[^']+\.js'/.test(body)) {
  console.error('externalize-loader: the inline script is not trunk\'s loader (no import of ./*.js)');
  process.exit(1);
}
const name = `loader-${createHash('sha256').update(body).digest('hex').slice(0, 16)}.js`;
const integrity = 'sha384-' + createHash('sha384').update(body).digest('base64');
writeFileSync(join(DIST, name), body);
html = html.replace(inline[0][0], () => `<script type="module" src="./${name}" integrity="${integrity}"></script>`);
writeFileSync(page, html);
console.log(`externalize-loader: trunk's loader moved to ${name}`);
