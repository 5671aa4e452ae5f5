// A minimal static file server on 127.0.0.1 for scripts: serves DIR under BASE_PATH (like
// tests/e2e/common/serve.rs does for the Rust tests). serve() resolves to {port, close}.
// Run alone (`node serve.cjs DIR /sub/path/ [PORT]`) it serves until stopped.
const fs = require('fs');
const http = require('http');
const path = require('path');

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.json': 'application/json', '.geojson': 'application/json', '.xml': 'application/xml',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.ico': 'image/x-icon',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.csv': 'text/csv; charset=utf-8',
};

function serve(dir, basePath, port = 0) {
  const root = path.resolve(dir);
  const server = http.createServer((req, res) => {
    const target = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    let file = null;
    if (target.startsWith(basePath) && !target.includes('..')) {
      file = path.join(root, target.slice(basePath.length));
      if (target.endsWith('/')) file = path.join(file, 'index.html');
    }
    fs.readFile(file || '', (err, body) => {
      if (err) {
        res.writeHead(404, { 'Content-Type': 'text/plain' });
        return res.end('not found');
      }
      res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] || 'text/plain; charset=utf-8' });
      res.end(body);
    });
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => resolve({
      port: server.address().port,
      close: () => new Promise((done) => { server.close(done); server.closeAllConnections(); }),
    }));
  });
}

if (require.main === module) {
  const [dir, basePath = '/', port = '0'] = process.argv.slice(2);
  serve(dir, basePath, Number(port)).then(({ port: p }) => console.log(`http://127.0.0.1:${p}${basePath}`));
}

module.exports = { serve };
