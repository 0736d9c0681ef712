// A tiny static file server for the end-to-end tests: dist/ served on 127.0.0.1 at a random
// free port, under a sub-path, so a stray absolute URL (a wrong trunk public_url) shows up as a
// 404 instead of passing by luck. Node's standard library only: no extra npm dependencies.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

// Browsers refuse module scripts and streaming wasm compilation without the right types.
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves `root` at http://127.0.0.1:<port><mount>. Resolves to { url, close() }, where `url` is
 * the mounted folder's address (ending in "/"). `headers` are added to every file served (e.g. a
 * Content-Security-Policy, see csp.test.mjs).
 */
export async function serveStatic(root, { mount = '/', headers = {} } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'method not allowed');
    if (!path.startsWith(mount)) return send(res, 404, 'not under ' + mount);
    let file = join(base, path.slice(mount.length));
    if (path.endsWith('/')) file = join(file, 'index.html');
    if (file !== base && !file.startsWith(base + sep)) return send(res, 403, 'outside the root');
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': body.length,
        'cache-control': 'no-store',
        ...headers,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      send(res, 404, 'not found');
    }
  });
  await new Promise((ok, fail) => server.listen(0, '127.0.0.1', ok).once('error', fail));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${mount}`,
    close: () => new Promise((ok) => server.close(ok)),
  };
}

function send(res, status, text) {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(text + '\n');
}
