import { z } from 'zod';
import type { RoutePlugin } from '../../types.ts';

const SearchQuery = z.strictObject({
  q: z.string().max(500).default(''),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

const SearchResponse = z.object({
  results: z.array(
    z.object({
      document_id: z.string(),
      document_name: z.string(),
      locator: z.string(),
      snippet: z.string(),
      score: z.number(),
    }),
  ),
});

/** `GET /api/search?q=&limit=`: ranked passages of the tenant's own documents. */
export const searchRoutes: RoutePlugin = async (app, { services }) => {
  app.get(
    '/api/search',
    { schema: { querystring: SearchQuery, response: { 200: SearchResponse } } },
    async (request) => ({
      results: await services.documents.search(request.scope, request.query.q, request.query.limit),
    }),
  );
};
