import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the Studio is served; `studio/` builds into `dist/studio` with this base (docs/studio.md). */
export const STUDIO_PATH = '/studio';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * The page is static and same-origin: every byte of data comes from /graphql with the user's
 * key (docs/studio.md). Scripts, styles and connections only to this origin; never framed.
 */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * Where `npm run build` puts the Studio: `dist/studio` of the package, seen from this module in
 * `dist/server/` or `dist/cli-bundle/` (the built gateway) or in `src/server/` (tsx).
 */
export function defaultStudioDir(): string {
  const candidates = [new URL('../studio/', import.meta.url), new URL('../../dist/studio/', import.meta.url)].map(
    (url) => fileURLToPath(url),
  );
  return candidates.find((dir) => existsSync(path.join(dir, 'index.html'))) ?? candidates[candidates.length - 1]!;
}

/**
 * `GET /studio`, `/studio/` and `/studio/<file>`: the Studio's built files from `dir`. Hashed
 * assets (`assets/`) are cached as immutable, index.html is revalidated; a path outside `dir`
 * or a missing file is 404. Without a build (sources run through tsx before `npm run build`),
 * the page says how to make one. Returns false for any other path, so the next handler takes it.
 */
export async function handleStudio(request: IncomingMessage, response: ServerResponse, dir: string): Promise<boolean> {
  const pathname = (request.url ?? '/').split('?')[0]!;
  if (pathname !== STUDIO_PATH && !pathname.startsWith(`${STUDIO_PATH}/`)) return false;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405, { allow: 'GET, HEAD' });
    response.end();
    return true;
  }
  const file = resolveFile(pathname, dir);
  if (file === null) {
    notFound(response);
    return true;
  }
  const stats = await stat(file).catch(() => null);
  if (!stats?.isFile()) {
    if (file === path.join(dir, 'index.html')) notBuilt(request, response);
    else notFound(response);
    return true;
  }
  const isPage = path.extname(file) === '.html';
  response.writeHead(200, {
    'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
    'content-length': stats.size,
    // Vite names every asset after its content hash: a new build means new names.
    'cache-control': file.startsWith(path.join(dir, 'assets') + path.sep)
      ? 'public, max-age=31536000, immutable'
      : 'no-cache',
    ...(isPage ? PAGE_HEADERS : { 'x-content-type-options': 'nosniff' }),
  });
  if (request.method === 'HEAD') {
    response.end();
    return true;
  }
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(file);
    stream.on('error', reject);
    response.on('close', () => {
      stream.destroy();
      resolve();
    });
    stream.pipe(response).on('finish', resolve);
  });
  return true;
}

/** The file a Studio path names inside `dir`, or null when it would leave `dir` or is malformed. */
function resolveFile(pathname: string, dir: string): string | null {
  const rest = pathname.slice(STUDIO_PATH.length).replace(/^\/+/, '');
  // The page for /studio and /studio/ (the Studio routes in the hash: #/workflows/<id>).
  if (rest === '') return path.join(dir, 'index.html');
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/');
  if (segments.some((segment) => segment === '..' || segment === '.' || segment === '' || segment.startsWith('.')))
    return null;
  const file = path.resolve(dir, ...segments);
  return file.startsWith(path.resolve(dir) + path.sep) ? file : null;
}

function notFound(response: ServerResponse): void {
  response.writeHead(404, {
    'content-type': 'text/plain; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end('not found\n');
}

/** The Studio has not been built in this checkout: say how to build it. */
function notBuilt(request: IncomingMessage, response: ServerResponse): void {
  const body = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Synapse Studio: not built</title></head>
<body style="font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; padding: 0 1rem">
<h1>Synapse Studio is not built yet</h1>
<p>This gateway runs from a checkout whose Studio has not been built. Run <code>npm run build</code>
(<code>npm install</code> and <code>npm start</code> do it for you), then reload this page.</p>
<p>GraphQL itself is served at <a href="/graphql">/graphql</a>.</p>
</body>
</html>
`;
  response.writeHead(503, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-length': Buffer.byteLength(body),
    ...PAGE_HEADERS,
    // The one inline style of this page.
    'content-security-policy': "default-src 'none'; style-src-attr 'unsafe-inline'; frame-ancestors 'none'",
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}
