#!/usr/bin/env node
// Packs the release build in dist/ into one self-contained file, statefulset-lab.html, that a
// student can open from disk (file://) with no server and no network: the wasm is embedded as
// base64 and handed to wasm-bindgen's init function, the JS glue and the CSS are inlined, and
// trunk's loader and preload links are dropped.
//
// It edits trunk's output rather than writing its own page, so index.html stays the one source
// of the page; every pattern it relies on is checked, so a trunk or wasm-bindgen upgrade that
// changes the output fails here loudly instead of producing a handout that silently breaks.
//
// Usage: scripts/build.sh && node scripts/handout.mjs
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const OUT = join(ROOT, 'statefulset-lab.html');

function fail(message) {
  console.error(`handout: ${message}`);
  process.exit(1);
}

/** The one match of `pattern` in `text`; anything else means trunk's output changed shape. */
function only(text, pattern, what) {
  const found = [...text.matchAll(new RegExp(pattern.source, pattern.flags.replace('g', '') + 'g'))];
  if (found.length !== 1) fail(`expected exactly one ${what} in dist/index.html, found ${found.length}`);
  return found[0];
}

if (!existsSync(join(DIST, 'index.html'))) fail('dist/index.html is missing: run scripts/build.sh first');
// Snippets are extra JS modules that wasm-bindgen would load with `import`: they can't be inlined.
if (existsSync(join(DIST, 'snippets'))) fail('dist/snippets/ exists: a crate uses JS snippets, which the handout cannot inline');

let html = readFileSync(join(DIST, 'index.html'), 'utf8');
// A second script is most likely `trunk serve`'s auto-reloader: not something to hand out.
if ((html.match(/<script\b/g) ?? []).length !== 1) fail('dist/index.html has scripts besides trunk\'s loader: rebuild it with scripts/build.sh');

// trunk's loader: `import init, * as bindings from './X.js'; ... init({ module_or_path: './X_bg.wasm' })`,
// moved to its own file by scripts/externalize-loader.mjs (for the served site's CSP).
const loader = only(html, /<script type="module"([^>]*)>([\s\S]*?)<\/script>/, 'module script (trunk\'s loader)');
const loaderSrc = loader[1].match(/\ssrc="\.\/([^"]+\.js)"/)?.[1];
const loaderText = loaderSrc ? readFileSync(join(DIST, loaderSrc), 'utf8') : loader[2];
const jsName = loaderText.match(/from '\.\/([^']+\.js)'/)?.[1] ?? fail('the loader imports no ./*.js');
const wasmName = loaderText.match(/module_or_path: '\.\/([^']+\.wasm)'/)?.[1] ?? fail('the loader names no ./*.wasm');

let js = readFileSync(join(DIST, jsName), 'utf8');
if (/^\s*import[\s{*]/m.test(js)) fail(`${jsName} has import lines: it needs other modules, which the handout cannot inline`);
// The export list names the init function; an inline script exports nothing, so it goes.
const exportList = only(js, /^export \{([^}]*)\};?[ \t]*$/m, 'export list in the wasm-bindgen JS');
const init = exportList[1].match(/(\w+) as default/)?.[1] ?? fail('the wasm-bindgen JS exports no default init function');
js = js.replace(exportList[0], '').replace(/^export (?=(async )?function |class |const |let )/gm, '');
if (/^\s*export\b/m.test(js)) fail(`${jsName} still has an export this script does not understand`);

const wasm = readFileSync(join(DIST, wasmName));
const css = readFileSync(join(DIST, only(html, /<link rel="stylesheet" href="\.\/([^"]+\.css)"[^>]*>/, 'stylesheet link')[1]), 'utf8');

// Inline text must not end its own element early.
if (/<\/script/i.test(js)) fail(`${jsName} contains "</script", which would cut the inline script short`);
if (/<\/style/i.test(css)) fail('the CSS contains "</style", which would cut the inline style short');

const script = `<script type="module">
${js}
// The app's wasm, embedded so that the handout loads nothing (base64 of ${wasm.length} bytes).
const wasmBytes = Uint8Array.from(atob("${wasm.toString('base64')}"), (c) => c.charCodeAt(0));
await ${init}({ module_or_path: wasmBytes });
</script>`;

// The icon (a file next to the page, for the served site's CSP) goes in as a data: URL; from
// file:// no Content-Security-Policy applies.
const icon = html.match(/<link rel="icon" href="\.\/([^"]+\.(png|svg))"[^>]*>/);
if (icon) {
  const type = icon[2] === 'png' ? 'image/png' : 'image/svg+xml';
  const data = `data:${type};base64,` + readFileSync(join(DIST, icon[1])).toString('base64');
  html = html.replace(icon[0], () => `<link rel="icon" href="${data}">`);
}

// Replacer functions, not strings: the JS glue is full of `$`, which string replacements interpret.
html = html
  .replace(loader[0], () => script)
  .replace(/<link rel="stylesheet" href="\.\/[^"]+\.css"[^>]*>/, () => `<style>\n${css}</style>`)
  .replace(/<link rel="(modulepreload|preload)"[^>]*>/g, '');

// Whatever is left must not point at a file next to the page.
const leftover = html.match(/<(link|script)\b[^>]*\b(href|src)="(?!data:)[^"]*"/);
if (leftover) fail(`the handout still refers to another file: ${leftover[0]}`);

writeFileSync(OUT, html);
const size = Buffer.byteLength(html);
const gzip = gzipSync(html, { level: 9 }).length;
console.log(`handout: statefulset-lab.html ${size} bytes (${gzip} gzip -9), wasm ${wasm.length} bytes embedded as base64`);
