import { httpHandler } from '../../shared/http-handler.js';
import { catalog } from '../composition.js';
import { newProductSchema } from '../domain/product.js';
import { catalogService } from '../service.js';
import { productResponse } from './product-http.js';

export const handler = httpHandler({
  route: catalogService.routes.createProduct,
  body: newProductSchema,
  handle: async ({ caller, body, correlationId }) => {
    const product = await catalog.createProduct({ tenantId: caller.tenantId, correlationId }, body);
    return productResponse(201, product, { Location: `/products/${product.productId}` });
  },
});
