// A static file server for dist/ on 127.0.0.1 that logs every request it gets.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.mjs': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.wasm': 'application/wasm',
    '.svg': 'image/svg+xml',
    '.png': 'image/png',
    '.ico': 'image/x-icon',
    '.json': 'application/json',
};

/** Serves `root`; resolves to `{ url, requests, close }`. `port` 0 picks a free one. */
export function serve(root, port = 0, host = '127.0.0.1') {
    const requests = [];
    const server = http.createServer((req, res) => {
        requests.push({ method: req.method, url: req.url, at: Date.now() });
        const local = decodeURIComponent(new URL(req.url, 'http://x').pathname);
        let file = path.join(root, path.normalize(local).replace(/^(\.\.[/\\])+/, ''));
        if (file.endsWith(path.sep) || local === '/') file = path.join(root, 'index.html');
        fs.readFile(file, (err, data) => {
            if (err) {
                res.writeHead(404, { 'content-type': 'text/plain' });
                res.end('not found');
                return;
            }
            res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-cache' });
            res.end(data);
        });
    });
    return new Promise((resolve) => {
        server.listen(port, host, () => {
            const { port } = server.address();
            resolve({ url: `http://${host}:${port}/`, requests, close: () => new Promise((r) => server.close(r)) });
        });
    });
}
