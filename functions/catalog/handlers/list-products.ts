import { httpHandler } from '../../shared/http-handler.js';
import { pageQuery } from '../../shared/pagination.js';
import { catalog } from '../composition.js';
import { catalogService } from '../service.js';

export const handler = httpHandler({
  route: catalogService.routes.listProducts,
  query: pageQuery,
  handle: async ({ caller, query }) => ({
    statusCode: 200,
    body: await catalog.listProducts(caller.tenantId, query),
  }),
});
