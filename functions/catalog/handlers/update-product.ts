import { BadRequestError } from '../../shared/errors.js';
import { httpHandler } from '../../shared/http-handler.js';
import { catalog } from '../composition.js';
import { productPatchSchema } from '../domain/product.js';
import { catalogService } from '../service.js';
import { productPath, productResponse } from './product-http.js';

/** Accepts the ETag as sent back (`"3"`, `W/"3"`) or the bare version (`3`). */
function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const match = /^(?:W\/)?"?(\d{1,15})"?$/.exec(header.trim());
  if (!match?.[1]) {
    throw new BadRequestError('If-Match must be a product version.', [
      { path: 'header.if-match', message: 'Expected a version such as "3"' },
    ]);
  }
  return Number(match[1]);
}

export const handler = httpHandler({
  route: catalogService.routes.updateProduct,
  path: productPath,
  body: productPatchSchema,
  handle: async ({ caller, path, body, headers, correlationId }) => {
    const ifMatch = parseIfMatch(headers['if-match']);
    const context = { tenantId: caller.tenantId, correlationId };
    return productResponse(200, await catalog.updateProduct(context, path.id, body, ifMatch));
  },
});
