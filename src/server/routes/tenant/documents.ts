import fs from 'node:fs';
import multipart from '@fastify/multipart';
import { z } from 'zod';
import { contentDisposition } from '../../../documents/names.ts';
import { MAX_FILES_PER_UPLOAD, type UploadFile } from '../../../documents/service.ts';
import type { DocumentRecord } from '../../../documents/types.ts';
import { AppError } from '../../../lib/errors.ts';
import type { RoutePlugin } from '../../types.ts';

const DocumentSchema = z.object({
  id: z.string(),
  name: z.string(),
  format: z.string(),
  content_type: z.string(),
  size: z.number(),
  sha256: z.string(),
  status: z.enum(['processing', 'ready', 'failed']),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  uploaded_at: z.string(),
  processed_at: z.string().nullable(),
  pages: z.number().nullable(),
  sheets: z.array(z.string()).nullable(),
  warning: z.string().nullable().optional(),
  metrics: z.array(z.string()),
  passages: z.number(),
});

const Cell = z.union([z.number(), z.string(), z.null()]);

const DetailSchema = z.object({
  document: DocumentSchema,
  preview: z.object({
    blocks: z.array(z.object({ text: z.string(), locator: z.string(), heading: z.string().optional() })),
    tables: z.array(
      z.object({
        locator: z.string(),
        title: z.string().optional(),
        header: z.array(z.string()),
        rows: z.array(z.array(Cell)),
      }),
    ),
  }),
  metrics: z.array(
    z.object({
      metric: z.string(),
      label: z.string(),
      unit: z.string(),
      periods: z.number(),
      latest: z.object({ period: z.string(), value: z.number() }),
    }),
  ),
});

const IdParams = z.object({ id: z.string().max(100) });
const UploadQuery = z.strictObject({ wait: z.enum(['true', 'false', '1', '0']).optional() });

/**
 * `POST/GET /api/documents`, `GET/DELETE /api/documents/:id`, `GET /api/documents/:id/file`.
 * Uploads are multipart (field `file`, 1–10 files), streamed to disk by the document service.
 * `?wait=true` answers only when processing has finished — and, for a single file that failed to
 * parse, with that failure's 4xx (scripts and tests use it; the web app polls instead).
 */
export const documentRoutes: RoutePlugin = async (app, { services }) => {
  const { documents } = services;
  const maxBytes = services.config.maxUploadMb * 1024 * 1024;
  await app.register(multipart, {
    // One byte over the limit lets the service see the overflow and answer 413 file_too_large itself.
    limits: { fileSize: maxBytes + 1, files: MAX_FILES_PER_UPLOAD + 1, fields: 20, parts: 40, headerPairs: 200 },
  });
  app.addHook('onClose', async () => documents.close());

  app.post(
    '/api/documents',
    { schema: { querystring: UploadQuery, response: { 201: z.object({ documents: z.array(DocumentSchema) }) } } },
    async (request, reply) => {
      if (!request.isMultipart()) {
        throw new AppError(415, 'unsupported_media_type', 'Upload files as multipart/form-data in the "file" field.');
      }
      async function* files(): AsyncGenerator<UploadFile> {
        for await (const part of request.files()) {
          if (part.fieldname !== 'file') {
            part.file.resume();
            continue;
          }
          yield { filename: part.filename, stream: part.file };
        }
      }
      // The key is checked again once the body is in: a tenant revoked mid-upload stores nothing.
      const beforeCommit = async () => {
        const fresh = await services.tenants.authenticate(request.tenant.key);
        if (fresh?.status !== 'active') {
          throw new AppError(401, 'access_key_revoked', 'This access key has been revoked. Contact the operator.');
        }
      };
      let docs: DocumentRecord[];
      try {
        docs = await documents.upload(request.scope, files(), { beforeCommit });
      } catch (err) {
        // Refused part-way (413 quota or size, 429): the rest of the body is never read, so this
        // connection cannot carry another request; a keep-alive client reusing it would hang.
        reply.header('connection', 'close');
        throw err;
      }
      const wait = request.query.wait === 'true' || request.query.wait === '1';
      if (wait) {
        await documents.whenIdle(request.scope);
        docs = await Promise.all(docs.map((d) => documents.getDocument(request.scope, d.id).catch(() => d)));
        const only = docs.length === 1 ? docs[0] : undefined;
        if (only?.status === 'failed' && only.error) {
          throw new AppError(only.error.code === 'processing_failed' ? 500 : 422, only.error.code, only.error.message);
        }
      }
      return reply.code(201).send({ documents: docs });
    },
  );

  app.get(
    '/api/documents',
    { schema: { response: { 200: z.object({ documents: z.array(DocumentSchema) }) } } },
    async (request) => ({ documents: await documents.listDocuments(request.scope) }),
  );

  app.get('/api/documents/:id', { schema: { params: IdParams, response: { 200: DetailSchema } } }, async (request) =>
    documents.getDetail(request.scope, request.params.id),
  );

  app.get('/api/documents/:id/file', { schema: { params: IdParams } }, async (request, reply) => {
    const { record, file } = await documents.getOriginal(request.scope, request.params.id);
    const stream = fs.createReadStream(file);
    return reply
      .header('Content-Type', record.content_type)
      .header('Content-Length', String(record.size))
      .header('Content-Disposition', contentDisposition(record.name))
      .header('X-Content-Type-Options', 'nosniff')
      .send(stream);
  });

  app.delete(
    '/api/documents/:id',
    { schema: { params: IdParams, response: { 200: z.object({ deleted: z.literal(true), id: z.string() }) } } },
    async (request) => {
      await documents.deleteDocument(request.scope, request.params.id);
      return { deleted: true as const, id: request.params.id };
    },
  );
};
