import { httpHandler } from '../../shared/http-handler.js';
import { catalog } from '../composition.js';
import { catalogService } from '../service.js';
import { productPath, productResponse } from './product-http.js';

export const handler = httpHandler({
  route: catalogService.routes.getProduct,
  path: productPath,
  handle: async ({ caller, path }) =>
    productResponse(200, await catalog.getProduct(caller.tenantId, path.id)),
});
