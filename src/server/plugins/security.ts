import cors from '@fastify/cors';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../../config.ts';

/**
 * A CSP fit for the Vite-built React SPA: scripts and connections only from this origin (Vite emits
 * external module scripts, no inline ones), inline styles allowed (React style attributes, charts),
 * images also from data:/blob: (charts, previews), nothing may frame the app.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
export const API_HEADERS = { ...PAGE_HEADERS, 'Cache-Control': 'no-store' };

/** Security headers on every response; `no-store` on every API answer (tenant and admin data). */
export async function registerSecurity(app: FastifyInstance, config: Config): Promise<void> {
  // Callback style, not async: this runs on every response and a promise per hook adds up.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.headers(request.url.startsWith('/api/') || request.url === '/api' ? API_HEADERS : PAGE_HEADERS);
    done(null, payload);
  });

  // CORS stays closed (no Access-Control-* headers at all) unless the web app is served elsewhere.
  if (config.frontendOrigin) {
    await app.register(cors, {
      origin: config.frontendOrigin,
      methods: ['GET', 'POST', 'DELETE', 'PATCH', 'PUT'],
      allowedHeaders: ['Authorization', 'Content-Type', 'Accept', 'X-Admin-Secret'],
      // Readable by the web app's code: when to retry after a 429, a download's file name.
      exposedHeaders: ['Retry-After', 'Content-Disposition'],
      credentials: false,
      maxAge: 600,
    });
  }
}
