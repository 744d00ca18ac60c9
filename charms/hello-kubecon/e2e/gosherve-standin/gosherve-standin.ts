/**
 * A STAND-IN for gosherve v0.3.x, used by the end-to-end test only because the Go module proxy
 * here refuses github.com/jnsgruk/gosherve. It behaves as gosherve does as far as the charm can
 * tell: the same `GOSHERVE_` environment, exit when the first redirect-map fetch fails, files
 * from the webroot on :8080 (`/` → index.html, a directory → its index.html), then 301 for a
 * known alias (refetching the map with `?cachebust=<unix time>` on a miss), then 404.html or
 * "Not found". It does not serve gosherve's Prometheus metrics on :8081.
 * @module
 */
import { createReadStream, promises as fs } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';

const mapUrl = process.env.GOSHERVE_REDIRECT_MAP_URL ?? '';
const webroot = process.env.GOSHERVE_WEBROOT;
let redirects = new Map<string, string>();

function log(level: string, msg: string, extra: Record<string, unknown> = {}): void {
  process.stderr.write(
    `${JSON.stringify({ time: new Date().toISOString(), level, msg, ...extra })}\n`,
  );
}

/** Lines of `alias url`; a line with other than one space, or a bad URL, is skipped. */
async function refresh(): Promise<boolean> {
  try {
    const res = await fetch(`${mapUrl}?cachebust=${Math.floor(Date.now() / 1000)}`);
    const next = new Map<string, string>();
    for (const line of (await res.text()).split('\n')) {
      const parts = line.split(' ');
      if (line === '' || parts.length !== 2) continue;
      try {
        new URL(parts[1] as string, 'http://relative.invalid');
        next.set(parts[0] as string, parts[1] as string);
      } catch {
        // Invalid URL: skipped, as gosherve does.
      }
    }
    redirects = next;
    return true;
  } catch (error) {
    log('ERROR', 'failed to update redirect map', { error: String(error) });
    return false;
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file to serve for `path`, as gosherve's handleFile picks it; undefined when none. */
async function fileFor(path: string): Promise<string | undefined> {
  if (!webroot) return undefined;
  let rel = path === '/' ? 'index.html' : path.replace(/^\/+/, '').replace(/\/+$/, '');
  // Go's fs.Stat on os.DirFS refuses names that are not valid fs paths ('..', empty parts).
  if (rel.split('/').some((s) => s === '..' || s === '.' || s === '')) return undefined;
  try {
    if ((await fs.stat(join(webroot, rel))).isDirectory()) rel = `${rel}/index.html`;
    const full = join(webroot, rel);
    return (await fs.stat(full)).isFile() ? full : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  if (!mapUrl) {
    log('ERROR', 'GOSHERVE_REDIRECT_MAP_URL environment variable not set');
    process.exit(1);
  }
  log('INFO', 'gosherve-standin: a stand-in for gosherve v0.3.7 (charms/hello-kubecon/e2e)');
  if (!(await refresh())) {
    log('ERROR', 'error fetching redirect map');
    process.exit(1);
  }
  log('INFO', `fetched ${redirects.size} redirects`);
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = await fileFor(path);
    if (file) {
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      createReadStream(file).pipe(res);
      return;
    }
    const alias = path.replace(/^\/+|\/+$/g, '');
    if (!redirects.has(alias)) await refresh();
    const target = redirects.get(alias);
    if (target) {
      res.writeHead(301, { location: target, 'access-control-allow-origin': '*' }).end();
      return;
    }
    const notFound = webroot
      ? await fs.readFile(join(webroot, '404.html')).catch(() => undefined)
      : undefined;
    if (notFound) res.writeHead(404, { 'content-type': 'text/html' }).end(notFound);
    else res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
  });
  server.listen(8080, () => log('INFO', 'starting gosherve server', { port: 8080 }));
}

void main();
