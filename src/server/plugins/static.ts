import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { notFoundBody } from './errors.ts';

const NO_SPA_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>OpsOrchestra</title></head>
<body><h1>OpsOrchestra API</h1><p>The web app has not been built yet: run <code>npm start</code>
(which builds it) or <code>npm run build</code>. The API is at <code>/api</code>; see
<code>/api/health</code>.</p></body></html>
`;

/**
 * Serves the built SPA from `webDir` (Vite's output, nothing else: never the project root, DATA_DIR,
 * .env or sources; dotfiles ignored) with a fallback to index.html for non-API GETs, so client-side
 * routes survive a reload. Unknown /api/* and other methods answer 404 JSON.
 */
export async function registerStatic(app: FastifyInstance, webDir: string, dataDir: string): Promise<void> {
  const root = path.resolve(webDir);
  const indexFile = path.join(root, 'index.html');
  const overlaps = isInside(path.resolve(dataDir), root) || isInside(root, path.resolve(dataDir));
  if (overlaps) app.log.error({ webDir: root }, 'web directory overlaps DATA_DIR; not serving static files');
  const hasSpa = !overlaps && fs.existsSync(indexFile);

  if (hasSpa) {
    await app.register(fastifyStatic, {
      root,
      dotfiles: 'ignore',
      // API paths never touch the filesystem: they go straight to the JSON 404 below.
      allowedPath: (pathName) => pathName !== '/api' && !pathName.startsWith('/api/'),
      index: 'index.html',
      cacheControl: false,
      setHeaders(reply, file) {
        // Vite's hashed assets never change; index.html must be revalidated to pick up a new build.
        const immutable = file.includes(`${path.sep}assets${path.sep}`);
        reply.header('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }

  app.setNotFoundHandler((request, reply) => {
    const url = request.url;
    const isApi = url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
    const isPageGet = (request.method === 'GET' || request.method === 'HEAD') && !isApi;
    if (isPageGet && hasSpa) {
      return reply.header('Cache-Control', 'no-cache').sendFile('index.html');
    }
    if (isPageGet && (url === '/' || url.startsWith('/?'))) {
      return reply.type('text/html; charset=utf-8').send(NO_SPA_PAGE);
    }
    return reply.code(404).send(notFoundBody(request.method, url));
  });
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
